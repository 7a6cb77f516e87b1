"""What fans read, written out: plurals at one and at more than one, and citations in each language.

Nothing here is computed with the bot's own ``t()`` or ``cite()``: a swapped plural or a citation in the
wrong language changes the text a fan reads, so it must change the text these tests expect.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from tests.e2e.conftest import World, fields
from tests.e2e.orchard import orchard_world


@pytest_asyncio.fixture
async def orchard(tmp_path: Path) -> AsyncIterator[World]:
    async with orchard_world(tmp_path) as world:
        yield world


GAZETTE_EN = "The Orchard Gazette: “Songs of the Orchard, Ranked”"
GAZETTE_KO = "The Orchard Gazette: “과수원의 노래 순위”"
OTTPLAY_EN = "OTTplay: “What's cooking between IU and BTS’ V? Watch some amusing behind-the-scenes pics”"
OTTPLAY_KO = "OTTplay: “아이유와 방탄소년단 뷔 사이에 무슨 일이? 재미있는 비하인드 사진”"
MARY_SUE_EN = "The Mary Sue: “IU Makes History With BTS V in Latest Single ‘Love Wins All’”"
MARY_SUE_KO = "The Mary Sue: “아이유, 방탄소년단 뷔와 함께한 신곡 ‘Love Wins All’로 역사를 쓰다”"


# ---------------------------------------------------------------- plurals


async def test_song_card_footer_counts_one_fact_and_two_facts(orchard: World) -> None:
    w = orchard
    one = await w.emu.command(w.general, w.fan, "song", {"title": "Cherry"})
    assert one.embeds[0]["footer"]["text"] == "1 sourced fact · tap Sources to check it"
    two = await w.emu.command(w.general, w.fan, "song", {"title": "Plum Rain"})
    assert two.embeds[0]["footer"]["text"] == "2 sourced facts · tap Sources to check them"
    none = await w.emu.command(w.general, w.fan, "song", {"title": "honeydew"})
    assert none.embeds[0]["footer"]["text"] == "No facts about this song yet."
    ko = await w.emu.command(w.general, w.fan_ko, "song", {"title": "Plum Rain"})
    assert ko.embeds[0]["footer"]["text"] == "출처가 있는 팩트 2개 · 출처 버튼으로 확인하세요"


async def test_shipped_song_card_footer(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": "Love Wins All"})
    assert r.embeds[0]["footer"]["text"] == "32 sourced facts · tap Sources to check them"


async def test_song_list_footer_says_song_for_one(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "song")
    assert r.embeds[0]["footer"]["text"] == "Page 1 of 1 · 1 song"
    r = await world.emu.command(world.general, world.fan_ko, "song")
    assert r.embeds[0]["footer"]["text"] == "1쪽 중 1쪽 · 노래 1곡"


async def test_song_list_footer_says_songs_for_many(orchard: World) -> None:
    r = await orchard.emu.command(orchard.general, orchard.fan, "song")
    assert r.embeds[0]["footer"]["text"] == "Page 1 of 2 · 17 songs"


async def test_years_ago_at_one_two_and_none(orchard: World) -> None:
    r = await orchard.emu.command(orchard.general, orchard.fan, "onthisday", {"date": "June 15"})
    assert [line.rsplit(" · ", 1)[1] for line in r.embeds[0]["description"].splitlines()] == [
        "2023 (3 years ago) *(The Orchard Gazette)*",
        "2024 (2 years ago)",
        "2025 (1 year ago) *(The Orchard Gazette)*",
        "2026 (this year) *(The Orchard Gazette)*",
    ]


async def test_anniversaries_say_year_for_one_and_years_for_more(orchard: World) -> None:
    r = await orchard.emu.command(orchard.general, orchard.fan, "countdown")
    labels = r.embeds[0]["description"].splitlines()[0::2]
    assert "🎤 1 year since **Zest Tour** in Seoul" in labels
    assert "🎤 2 years since **acorn Tour** in London" in labels


async def test_shipped_onthisday_and_countdown(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "onthisday", {"date": "03-02"})
    assert r.embeds[0]["description"].splitlines()[0] == "🎤 **IU H.E.R. World Tour** played Seoul · 2024 (2 years ago)"
    r = await world.emu.command(world.general, world.fan, "countdown")
    labels = r.embeds[0]["description"].splitlines()[0::2]
    assert labels == [
        "🎂 **Love Wins All** turns 3",
        "🎤 3 years since **IU H.E.R. World Tour** in Seoul",
        "🎤 3 years since **IU H.E.R. World Tour** in Los Angeles",
    ]
    assert r.embeds[0]["footer"]["text"] == "Times show in your own time zone."


async def test_about_counts_facts_per_article(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "about")
    f = fields(r.embeds[0])
    assert f["Packs"] == "**IU & V — Love Wins All**\nSongs: 1 · Tours: 1 · Dates: 2 · Facts: 39"
    assert f["Source articles"] == (
        f"{OTTPLAY_EN} · `000_24b8aacb5478efeb.txt` (20 facts)\n{MARY_SUE_EN} · `004_7c4a4874365c364d.txt` (19 facts)"
    )
    ko = await world.emu.command(world.general, world.fan_ko, "about")
    f = fields(ko.embeds[0])
    assert f["팩"] == "**아이유 & 뷔 — 러브 윈즈 올**\n노래 1곡 · 투어 1개 · 일정 2개 · 팩트 39개"
    assert f["출처 기사"] == (
        f"{OTTPLAY_KO} · `000_24b8aacb5478efeb.txt` (팩트 20개)\n{MARY_SUE_KO} · `004_7c4a4874365c364d.txt` (팩트 19개)"
    )


# ---------------------------------------------------------------- citations


async def test_fact_card_cites_the_article_in_the_readers_language(orchard: World) -> None:
    w = orchard
    en = await w.emu.command(w.general, w.fan, "fact", {"about": "Cherry"})
    assert en.embeds[0]["footer"]["text"] == f"Source: {GAZETTE_EN}"
    src = await w.emu.click(en, w.fan, label="Source")
    assert fields(src.embeds[0]) == {
        "Quote": "> Cherry topped the Orchard Chart in its first week.",
        "Article": f"{GAZETTE_EN}\n`seeds/orchard-gazette.txt`",
    }
    # the same card's Source button, pressed by a Korean reader, cites the Korean title
    src_ko = await w.emu.click(en, w.fan_ko, label="Source")
    assert fields(src_ko.embeds[0]) == {
        "인용": "> Cherry topped the Orchard Chart in its first week.",
        "기사": f"{GAZETTE_KO}\n`seeds/orchard-gazette.txt`",
    }
    ko = await w.emu.command(w.announcements, w.fan_ko, "fact", {"about": "Cherry"})
    assert ko.embeds[0]["footer"]["text"] == f"출처: {GAZETTE_KO}"


async def test_sources_pages_cite_in_the_readers_language(orchard: World) -> None:
    w = orchard
    card = await w.emu.command(w.general, w.fan, "song", {"title": "Cherry"})
    en = await w.emu.click(card, w.fan, label="Sources")
    assert [f["value"] for f in en.embeds[0]["fields"]] == [
        f"> Cherry topped the Orchard Chart in its first week.\n— {GAZETTE_EN}"
    ]
    ko = await w.emu.click(card, w.fan_ko, label="Sources")
    assert ko.embeds[0]["title"] == "📚 출처: Cherry"
    assert [f["value"] for f in ko.embeds[0]["fields"]] == [
        f"> Cherry topped the Orchard Chart in its first week.\n— {GAZETTE_KO}"
    ]


async def test_an_article_without_a_korean_title_is_cited_in_english_for_everyone(orchard: World) -> None:
    w = orchard
    for user, prefix in ((w.fan, "Source: "), (w.fan_ko, "출처: ")):
        r = await w.emu.command(w.general, user, "fact", {"about": "Quince"})
        assert r.embeds[0]["footer"]["text"].endswith(f"{prefix}Berry Notes: “Quince, live”")


async def test_shipped_fact_citations_in_english_and_korean(world: World) -> None:
    en = await world.emu.command(world.general, world.fan, "fact", {"kind": "chart-record"})
    footer = en.embeds[0]["footer"]["text"]
    assert footer in (f"Source: {OTTPLAY_EN}", f"Source: {MARY_SUE_EN}"), footer
    ko = await world.emu.command(world.announcements, world.fan_ko, "fact", {"kind": "chart-record"})
    footer = ko.embeds[0]["footer"]["text"]
    assert footer in (f"출처: {OTTPLAY_KO}", f"출처: {MARY_SUE_KO}"), footer
    # the Source card of an English card, for an English reader
    src = await world.emu.click(en, world.fan, label="Source")
    assert fields(src.embeds[0])["Article"].split("\n")[0] in (OTTPLAY_EN, MARY_SUE_EN)
