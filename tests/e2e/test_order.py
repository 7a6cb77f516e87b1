"""Every list the bot shows, in the order a fan expects, read as literal text through the emulator.

The orchard pack (tests/e2e/orchard.py) has titles whose alphabetical order differs from file order,
id order, release order and case-sensitive order, so a list sorted another way (or backwards) fails here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.e2e.conftest import World, assert_days, norm
from tests.e2e.orchard import orchard_world


@pytest_asyncio.fixture
async def orchard(tmp_path: Path) -> AsyncIterator[World]:
    async with orchard_world(tmp_path) as world:
        yield world


PAGE_ONE = [
    "`  1` **apple Blossom**",
    "`  2` **banana Boat**",
    "`  3` **Cherry** · <date>",
    "`  4` **date Night**",
    "`  5` **Elderberry Wine**",
    "`  6` **Fig Tree** · <date>",
    "`  7` **Grape Vine**",
    "`  8` **honeydew**",
    "`  9` **Ice Apple**",
    "` 10` **Jackfruit Jam**",
    "` 11` **Kiwi Kiss**",
    "` 12` **Lemon Drop**",
    "` 13` **mango Tango**",
    "` 14` **Nectarine**",
    "` 15` **Orange Sky**",
]
PAGE_TWO = ["` 16` **Plum Rain** · <date>", "` 17` **Quince**"]
ALPHABETICAL = [
    "apple Blossom",
    "banana Boat",
    "Cherry",
    "date Night",
    "Elderberry Wine",
    "Fig Tree",
    "Grape Vine",
    "honeydew",
    "Ice Apple",
    "Jackfruit Jam",
    "Kiwi Kiss",
    "Lemon Drop",
    "mango Tango",
    "Nectarine",
    "Orange Sky",
    "Plum Rain",
    "Quince",
]


def buttons(r) -> list[tuple[str, bool]]:
    return [(b["label"], bool(b.get("disabled"))) for b in r.buttons]


async def test_song_list_is_alphabetical_ignoring_case_across_pages(orchard: World) -> None:
    w = orchard
    r = await w.emu.command(w.general, w.fan, "song")
    assert r.ephemeral
    [embed] = r.embeds
    assert embed["title"] == "Songs"
    assert norm(embed["description"]).splitlines() == PAGE_ONE
    assert_days(embed["description"], dt.date(2025, 6, 20), dt.date(2024, 6, 15))
    assert embed["footer"]["text"] == "Page 1 of 2 · 17 songs"
    assert buttons(r) == [("Previous", True), ("Next", False)]
    r = await w.emu.click(r, w.fan, label="Next")
    assert norm(r.embeds[0]["description"]).splitlines() == PAGE_TWO
    assert r.embeds[0]["footer"]["text"] == "Page 2 of 2 · 17 songs"
    assert buttons(r) == [("Previous", False), ("Next", True)]
    r = await w.emu.click(r, w.fan, label="Previous")
    assert norm(r.embeds[0]["description"]).splitlines() == PAGE_ONE


async def test_a_list_of_exactly_one_pages_worth_has_one_page(tmp_path: Path) -> None:
    def keep_fifteen_songs(orchard: Path) -> None:
        songs = (orchard / "songs.toml").read_text(encoding="utf-8").split("\n[[song]]\n")
        kept = [s for s in songs if 'id = "nectarine"' not in s and 'id = "orange-sky"' not in s]
        (orchard / "songs.toml").write_text("\n[[song]]\n".join(kept), encoding="utf-8")

    async with orchard_world(tmp_path, change=keep_fifteen_songs) as w:
        r = await w.emu.command(w.general, w.fan, "song")
        [embed] = r.embeds
        assert norm(embed["description"]).splitlines() == [
            *PAGE_ONE[:13],
            "` 14` **Plum Rain** · <date>",
            "` 15` **Quince**",
        ]
        assert embed["footer"]["text"] == "Page 1 of 1 · 15 songs"
        assert buttons(r) == []


async def test_song_list_in_korean_has_the_same_order(orchard: World) -> None:
    w = orchard
    r = await w.emu.command(w.general, w.fan_ko, "song")
    assert norm(r.embeds[0]["description"]).splitlines() == PAGE_ONE
    assert r.embeds[0]["footer"]["text"] == "2쪽 중 1쪽 · 노래 17곡"
    assert buttons(r) == [("이전", True), ("다음", False)]


async def test_autocomplete_with_nothing_typed_is_alphabetical(orchard: World) -> None:
    w = orchard
    songs = await w.emu.autocomplete(w.general, w.fan, "song", {"title": ""}, "title")
    assert [c["name"] for c in songs] == ALPHABETICAL
    tours = await w.emu.autocomplete(w.general, w.fan, "tour", {"name": ""}, "name")
    assert tours == [
        {"name": "acorn Tour", "value": "tour:acorn-tour"},
        {"name": "Zest Tour", "value": "tour:zest-tour"},
    ]
    cities = await w.emu.autocomplete(w.general, w.fan, "tour", {"city": ""}, "city")
    assert [c["name"] for c in cities] == ["Auckland", "London", "New York", "Paris", "Seoul"]
    subjects = await w.emu.autocomplete(w.general, w.fan, "fact", {"about": ""}, "about")
    assert [c["name"] for c in subjects] == sorted(
        [*ALPHABETICAL, "acorn Tour", "apricot", "Zest Tour", "Zinnia"], key=str.casefold
    )
    assert [c["name"] for c in subjects][:3] == ["acorn Tour", "apple Blossom", "apricot"]


async def test_autocomplete_puts_the_closer_match_first(orchard: World) -> None:
    w = orchard
    choices = await w.emu.autocomplete(w.general, w.fan, "song", {"title": "kiwi kis"}, "title")
    assert choices[0] == {"name": "Kiwi Kiss", "value": "song:kiwi-kiss"}
    choices = await w.emu.autocomplete(w.general, w.fan, "song", {"title": "Plum R"}, "title")
    assert choices[0] == {"name": "Plum Rain", "value": "song:plum-rain"}


async def test_tour_list_is_alphabetical_ignoring_case(orchard: World) -> None:
    w = orchard
    r = await w.emu.command(w.general, w.fan, "tour")
    assert r.ephemeral
    assert r.embeds[0]["description"] == (
        "• **acorn Tour** (apricot)\n• **Zest Tour** (Zinnia)\n\nPick one with `/tour name:`."
    )


async def test_tour_dates_run_in_time_order_with_each_show_in_its_own_zone(orchard: World) -> None:
    w = orchard
    r = await w.emu.command(w.general, w.fan, "tour", {"name": "Zest Tour"})
    [embed] = r.embeds
    # the file lists Paris, Auckland, New York, Seoul; the card lists them as they happen
    assert norm(embed["description"]).splitlines() == [
        "**Dates**",
        "`played` <date> · Seoul, South Korea",
        "`next` <date> · Auckland, New Zealand",
        # 19:30 in New York on 5 August 2026 (EDT, UTC-4) is 23:30 UTC
        "`upcoming` <t:1785972600:F> · New York, United States",
        # 20:00 in Paris on 10 September 2026 (CEST, UTC+2) is 18:00 UTC
        "`upcoming` <t:1789063200:F> · Paris, France, Accor Arena",
    ]
    assert_days(embed["description"], dt.date(2025, 6, 21), dt.date(2026, 7, 1))
    assert embed["author"]["name"] == "Zinnia"
    assert [f["name"] for f in embed["fields"]] == ["Next show", "First show"]
    # Auckland's day starts at 12:00 UTC the day before
    assert norm(embed["fields"][0]["value"]) == "Auckland: <date> (<t:1782820800:R>)"


async def test_countdown_is_soonest_first_across_shows_and_anniversaries(orchard: World) -> None:
    w = orchard
    r = await w.emu.command(w.general, w.fan, "countdown")
    assert not r.ephemeral
    lines = norm(r.embeds[0]["description"]).splitlines()
    assert lines == [
        "🎂 **Cherry** turns 1",
        "  <date> · **<t:1781881200:R>**",  # 2026-06-20 00:00 in Seoul
        "🎤 1 year since **Zest Tour** in Seoul",
        "  <date> · **<t:1781967600:R>**",  # 2026-06-21 00:00 in Seoul
        "🎤 **Zest Tour**: Auckland",
        "  <date> · **<t:1782820800:R>**",  # 2026-07-01 00:00 in Auckland
        "🎂 **Plum Rain** turns 2",
        "  <date> · **<t:1783090800:R>**",  # 2026-07-04 00:00 in Seoul
        "🎤 **Zest Tour**: New York",
        "  <t:1785972600:F> · **<t:1785972600:R>**",  # 2026-08-05 19:30 in New York
        "🎤 **Zest Tour**: Paris",
        "  <t:1789063200:F> · **<t:1789063200:R>**",  # 2026-09-10 20:00 in Paris
        "🎤 2 years since **acorn Tour** in London",
        "  <date> · **<t:1799539200:R>**",  # 2027-01-10 00:00 in London
        "🎂 **Fig Tree** turns 3",
        "  <date> · **<t:1812985200:R>**",  # 2027-06-15 00:00 in Seoul: today's has begun there
    ]
    assert_days(
        r.embeds[0]["description"],
        dt.date(2026, 6, 20),
        dt.date(2026, 6, 21),
        dt.date(2026, 7, 1),
        dt.date(2026, 7, 4),
        dt.date(2027, 1, 10),
        dt.date(2027, 6, 15),
    )


async def test_countdown_a_year_earlier_puts_the_first_show_among_anniversaries(orchard: World) -> None:
    w = orchard
    # 21:00 in Seoul on 14 June 2025: Fig Tree's first birthday starts in three hours
    w.clock.set(dt.datetime(2025, 6, 14, 12, tzinfo=dt.timezone.utc))
    r = await w.emu.command(w.general, w.fan, "countdown")
    labels = r.embeds[0]["description"].splitlines()[0::2]
    assert labels == [
        "🎂 **Fig Tree** turns 1",  # 2025-06-15 in Seoul
        "🎤 **Zest Tour**: Seoul",  # 2025-06-21
        "🎂 **Plum Rain** turns 1",  # 2025-07-04
        "🎤 1 year since **acorn Tour** in London",  # 2026-01-10
        "🎂 **Cherry** turns 1",  # 2026-06-20
        "🎤 1 year since **Zest Tour** in Seoul",  # 2026-06-21
        "🎤 **Zest Tour**: Auckland",  # 2026-07-01
        "🎤 **Zest Tour**: New York",  # 2026-08-05
        "🎤 **Zest Tour**: Paris",  # 2026-09-10
    ]


async def test_onthisday_lists_the_oldest_first_with_how_long_ago(orchard: World) -> None:
    w = orchard
    r = await w.emu.command(w.general, w.fan, "onthisday", {"date": "06-15"})
    assert not r.ephemeral
    assert r.embeds[0]["title"] == "On this day: June 15"
    assert r.embeds[0]["description"].splitlines() == [
        "💡 The first tree of the orchard was planted on a June morning. · 2023 (3 years ago) *(The Orchard Gazette)*",
        "🎵 **Fig Tree** was released · 2024 (2 years ago)",
        "💡 Zinnia opened the orchard festival with a new song. · 2025 (1 year ago) *(The Orchard Gazette)*",
        "💡 Apricot planted a quince tree at the festival. · 2026 (this year) *(The Orchard Gazette)*",
    ]


async def test_onthisday_in_korean(orchard: World) -> None:
    w = orchard
    r = await w.emu.command(w.general, w.fan_ko, "onthisday", {"date": "6월 15일"})
    assert r.embeds[0]["title"] == "오늘의 기록: 6월 15일"
    assert r.embeds[0]["description"].splitlines() == [
        "💡 The first tree of the orchard was planted on a June morning. · 2023 (3년 전) *(The Orchard Gazette)*",
        "🎵 **Fig Tree** 발매 · 2024 (2년 전)",
        "💡 Zinnia opened the orchard festival with a new song. · 2025 (1년 전) *(The Orchard Gazette)*",
        "💡 Apricot planted a quince tree at the festival. · 2026 (올해) *(The Orchard Gazette)*",
    ]


async def test_behind_the_scenes_lists_notes_before_video_notes(orchard: World) -> None:
    w = orchard
    card = await w.emu.command(w.general, w.fan, "song", {"title": "Plum Rain"})
    r = await w.emu.click(card, w.fan, label="Behind the scenes")
    assert r.ephemeral
    assert r.embeds[0]["title"] == "Behind the scenes: Plum Rain"
    assert r.embeds[0]["description"] == (
        "• Plum Rain was recorded in one take on a rainy night. *(The Orchard Gazette)*\n"
        "• The Plum Rain video was shot among the plum trees. *(The Orchard Gazette)*"
    )


async def test_sources_follow_the_pack_order(orchard: World) -> None:
    w = orchard
    card = await w.emu.command(w.general, w.fan, "song", {"title": "Plum Rain"})
    r = await w.emu.click(card, w.fan, label="Sources")
    assert r.ephemeral
    assert r.embeds[0]["title"] == "📚 Sources: Plum Rain"
    assert [(f["name"], f["value"]) for f in r.embeds[0]["fields"]] == [
        (
            "The Plum Rain video was shot among the plum trees.",
            "> The Plum Rain video was shot among the plum trees.\n— The Orchard Gazette: “Songs of the Orchard, Ranked”",
        ),
        (
            "Plum Rain was recorded in one take on a rainy night.",
            "> Plum Rain was recorded in one take on a rainy night.\n— The Orchard Gazette: “Songs of the Orchard, Ranked”",
        ),
    ]


async def test_about_lists_packs_and_articles_in_order(orchard: World) -> None:
    w = orchard
    r = await w.emu.command(w.general, w.fan, "about")
    fields = {f["name"]: f["value"] for f in r.embeds[0]["fields"]}
    assert fields["Packs"] == (
        "**Berry Extras**\nSongs: 0 · Tours: 0 · Dates: 0 · Facts: 1\n"
        "**Orchard Songs**\nSongs: 17 · Tours: 2 · Dates: 5 · Facts: 6"
    )
    assert fields["Source articles"] == (
        "Berry Notes: “Quince, live” · `berry-notes.txt` (1 fact)\n"
        "The Orchard Gazette: “Songs of the Orchard, Ranked” · `orchard-gazette.txt` (6 facts)"
    )


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Kiwi Kis Jam", "**Kiwi Kiss**"),
        # two titles share the word typed: both are offered (up to three), the shorter, closer one first
        ("Apple", "**Ice Apple**, **apple Blossom**"),
    ],
)
async def test_did_you_mean_puts_the_closest_first(orchard: World, typed: str, suggested: str) -> None:
    w = orchard
    r = await w.emu.command(w.general, w.fan, "song", {"title": typed})
    assert r.ephemeral
    assert r.content == (
        f"I couldn't find a song called **{typed}**.\nDid you mean: {suggested}?\n"
        "Try `/song` with no title to see every song."
    )


SECOND_SEOUL_NIGHT = """\
[[show]]
id = "zest-seoul-2"
tour = "zest-tour"
date = "2025-06-22"
zone = "Asia/Seoul"
city = "Seoul"
city_ko = "서울"
country = "South Korea"
source = "orchard-gazette.txt"
quote = "The Zest Tour visits Seoul, Auckland, New York and Paris."
"""


async def test_city_autocomplete_names_a_city_once_however_many_nights_it_has(tmp_path: Path) -> None:
    def add_a_night(orchard: Path) -> None:
        with (orchard / "tours.toml").open("a", encoding="utf-8") as tours:
            tours.write("\n" + SECOND_SEOUL_NIGHT)

    async with orchard_world(tmp_path, change=add_a_night) as w:
        tour = {"name": "tour:zest-tour"}
        everyone = await w.emu.autocomplete(w.general, w.fan, "tour", {**tour, "city": ""}, "city")
        assert [c["name"] for c in everyone] == ["Auckland", "New York", "Paris", "Seoul"]
        typed = await w.emu.autocomplete(w.general, w.fan, "tour", {**tour, "city": "s"}, "city")
        assert typed == [{"name": "Seoul", "value": "Seoul"}]
        korean = await w.emu.autocomplete(w.general, w.fan_ko, "tour", {**tour, "city": ""}, "city")
        assert [c["name"] for c in korean] == ["오클랜드", "뉴욕", "파리", "서울"]
