"""Questions from the packs: curated ones with their facts, generated ones only from real values."""

from __future__ import annotations

import datetime as dt

from bot.content.model import Artist, Credit, Show, Song, Tour
from bot.trivia.questions import build_pool


def pool_of(pack):  # type: ignore[no-untyped-def]
    return {q.id: q for q in build_pool(pack.questions, pack.facts, pack.artists, pack.songs, pack.tours, pack.shows)}


def test_the_shipped_pack_makes_no_generated_question_it_cannot_fill(shipped_packs) -> None:  # type: ignore[no-untyped-def]
    pool = pool_of(shipped_packs[0])
    curated = [qid for qid in pool if qid.startswith("q:")]
    assert len(curated) == 20
    # two artists, two cities, one song's date among two other dates: too few for three wrong options
    assert not [qid for qid in pool if qid.startswith("gen:")]
    assert sorted(qid for qid in pool if qid.startswith("tf:")) == [
        "tf:finale:her-world-tour",
        "tf:finale:her-world-tour:0",
        "tf:first:her-world-tour",
        "tf:first:her-world-tour:0",
        "tf:music-video:love-wins-all",
        "tf:region:her-world-tour:asia",
        "tf:region:her-world-tour:europe",
        "tf:region:her-world-tour:north america",
        "tf:release:love-wins-all",
        "tf:release:love-wins-all:0",
        "tf:vocals:love-wins-all",
    ]
    assert pool["tf:first:her-world-tour:0"].prompt.en == "IU H.E.R. World Tour begins in Los Angeles."
    assert pool["tf:first:her-world-tour:0"].truth is False
    assert pool["tf:first:her-world-tour:0"].prompt.ko == "아이유 H.E.R. 월드 투어는 로스앤젤레스에서 시작합니다."
    assert pool["tf:vocals:love-wins-all"].prompt.ko == "아이유가 '러브 윈즈 올'을 불렀습니다."
    for question in pool.values():
        assert question.source and question.quote, question.id  # every question knows where it comes from
    melon = pool["q:q-melon-chart"]
    assert (melon.answer.en, melon.fact_id, melon.source) == ("Melon", "melon-debut-number-one", melon.source)
    assert [w.en for w in melon.wrong] == ["Genie", "Bugs", "FLO"]


def _big_pack():  # type: ignore[no-untyped-def]
    src = {"source": "a.txt", "quote": "a quote"}
    artists = [Artist(id=a, pack="p", name=a.upper(), **src) for a in ("aa", "bb", "cc", "dd")]
    songs = [
        Song(
            id=f"s{i}",
            pack="p",
            title=f"Song {i}",
            released=dt.date(2020, 1, i + 1),
            zone="UTC",
            credits=(Credit(("aa", "bb", "cc", "dd")[i], "vocals"),),
            **src,
        )
        for i in range(4)
    ]
    tour = Tour(id="t", pack="p", name="Tour", artist="aa", regions=("Asia",), **src)
    other = Tour(id="u", pack="p", name="Other", artist="bb", regions=("Europe", "Africa", "Oceania"), **src)
    cities = ("Seoul", "Tokyo", "Paris", "Lima")
    shows = [
        Show(
            id=f"sh{i}",
            pack="p",
            tour="t",
            date=dt.date(2021, 5, i + 1),
            zone="UTC",
            city=city,
            milestone={0: "first", 3: "finale"}.get(i),
            **src,
        )
        for i, city in enumerate(cities)
    ]
    return artists, songs, [tour, other], shows


def test_generated_questions_take_real_values_of_the_same_kind() -> None:
    artists, songs, tours, shows = _big_pack()
    pool = {q.id: q for q in build_pool([], [], artists, songs, tours, shows)}
    release = pool["gen:release:s0"]
    assert release.answer.en == "January 1, 2020"
    assert [w.en for w in release.wrong] == ["January 2, 2020", "January 3, 2020", "January 4, 2020"]
    assert "2020-01-01" in release.aliases and "1월 1일" in release.aliases
    sings = pool["gen:vocals:s0"]
    assert (sings.answer.en, [w.en for w in sings.wrong]) == ("AA", ["BB", "CC", "DD"])
    first = pool["gen:first:t"]
    assert (first.answer.en, [w.en for w in first.wrong]) == ("Seoul", ["Lima", "Paris", "Tokyo"])
    assert pool["gen:finale:t"].answer.en == "Lima"
    region = pool["gen:region:t:asia"]
    assert (region.answer.en, [w.en for w in region.wrong]) == ("Asia", ["Africa", "Europe", "Oceania"])
    assert "gen:region:u:europe" not in pool  # only Asia is left over for Other's wrong options
    assert all(q.source == "a.txt" and q.quote == "a quote" for q in pool.values())
