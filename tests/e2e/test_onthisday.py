"""/onthisday: releases, shows and dated facts on a day of the year, read the way fans write dates."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.conftest import World, assert_embed_within_limits, public_messages

UTC = dt.timezone.utc


def ago(years: int) -> str:
    """Literal English: "1 year ago", "2 years ago"."""
    return f"{years} {'year' if years == 1 else 'years'} ago"


SEOUL_SHOW = f"🎤 **IU H.E.R. World Tour** played Seoul · 2024 ({ago(2)})"
LA_SHOW = f"🎤 **IU H.E.R. World Tour** played Los Angeles · 2024 ({ago(2)})"
RELEASE = f"🎵 **Love Wins All** was released · 2024 ({ago(2)})"


async def test_the_release_day(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "onthisday", {"date": "01-24"})
    assert r.error is None and not r.ephemeral
    [embed] = r.embeds
    assert embed["title"] == "On this day: January 24"
    lines = embed["description"].splitlines()
    assert lines[0] == RELEASE
    assert lines[1].startswith(
        f"💡 The music video for 'Love Wins All' was released on January 24, 2024. · 2024 ({ago(2)})"
    )
    assert "OTTplay" in lines[1]  # where the fact comes from
    assert_embed_within_limits(embed)


@pytest.mark.parametrize("typed", ["3월 2일", "March 2", "03-02", "3/2", "2 Mar", "march 2nd", "３월２일"])
async def test_the_seoul_show_day_however_it_is_written(world: World, typed: str) -> None:
    r = await world.emu.command(world.general, world.fan, "onthisday", {"date": typed})
    assert r.error is None and not r.ephemeral, r.text
    [embed] = r.embeds
    assert embed["title"] == "On this day: March 2"
    assert embed["description"].splitlines()[0] == SEOUL_SHOW
    assert "begins on March 2 in Seoul" in embed["description"]


async def test_a_full_date_names_the_year(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "onthisday", {"date": "2024-03-02"})
    assert r.embeds[0]["title"] == "On this day: March 2, 2024"
    assert SEOUL_SHOW in r.embeds[0]["description"]


async def test_the_finale_day(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "onthisday", {"date": "08-02"})
    [embed] = r.embeds
    assert embed["title"] == "On this day: August 2"
    assert embed["description"].splitlines()[0] == LA_SHOW
    assert "culminates in a finale on August 2, 2024 in Los Angeles" in embed["description"]


async def test_a_day_with_nothing_says_so_privately(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "onthisday", {"date": "12-25"})
    assert r.ephemeral and r.error is None
    [embed] = r.embeds
    assert embed["title"] == "On this day: December 25"
    assert embed["description"] == "Nothing I know of happened on December 25. Try another date, like `03-02`."
    assert public_messages(world.emu, world.general) == []


@pytest.mark.parametrize("typed", ["banana", "02-30", "13-01", "yesterday", "0-0", "2024-02-30", "32nd March"])
async def test_a_bad_date_gets_a_private_kind_error(world: World, typed: str) -> None:
    r = await world.emu.command(world.general, world.fan, "onthisday", {"date": typed})
    assert r.ephemeral and r.error is None and r.embeds == []
    assert r.content == (f"I couldn't read **{typed}** as a date. Try `03-02`, `2024-03-02`, `March 2` or `3월 2일`.")
    assert public_messages(world.emu, world.general) == []


async def test_leap_day_is_a_real_day(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "onthisday", {"date": "02-29"})
    assert r.embeds[0]["title"] == "On this day: February 29"


async def test_without_a_date_it_is_today(world: World) -> None:
    world.clock.set(dt.datetime(2027, 1, 24, 3, tzinfo=UTC))
    r = await world.emu.command(world.general, world.fan, "onthisday")
    assert r.error is None and not r.ephemeral
    [embed] = r.embeds
    assert embed["title"] == "On this day: January 24"
    assert embed["description"].splitlines()[0] == f"🎵 **Love Wins All** was released · 2024 ({ago(3)})"


async def test_without_a_date_on_a_quiet_day(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "onthisday")  # 2026-11-22
    assert r.embeds[0]["title"] == "On this day: November 22"
    assert r.embeds[0]["description"].startswith("Nothing I know of happened on November 22.")
    assert r.ephemeral  # nothing to share: no noise in the channel
    assert r.embeds[0]["footer"]["text"] == "Today is November 22 in UTC; pick any day with `date:`."
    assert public_messages(world.emu, world.general) == []


async def test_korean_readers_get_seouls_today(world: World) -> None:
    # 2027-01-23 20:00 UTC is already January 24 in Seoul: the release anniversary there.
    world.clock.set(dt.datetime(2027, 1, 23, 20, tzinfo=UTC))
    english = await world.emu.command(world.general, world.fan, "onthisday")
    korean = await world.emu.command(world.general, world.fan_ko, "onthisday")
    assert english.embeds[0]["title"] == "On this day: January 23" and english.ephemeral
    assert korean.embeds[0]["title"] == "오늘의 기록: 1월 24일" and not korean.ephemeral
    assert "러브 윈즈 올" in korean.embeds[0]["description"]
    assert korean.embeds[0]["footer"]["text"].startswith("한국 시간 기준 오늘은 1월 24일")


async def test_a_full_date_asks_about_that_very_day(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "onthisday", {"date": "2023-03-02"})
    assert r.ephemeral
    assert r.embeds[0]["description"].startswith("Nothing I know of happened on March 2, 2023.")
    r = await world.emu.command(world.general, world.fan, "onthisday", {"date": "2024-03-02"})
    assert not r.ephemeral and SEOUL_SHOW in r.embeds[0]["description"]
