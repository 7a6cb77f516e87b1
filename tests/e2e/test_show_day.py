"""Date-only events in every reader's zone (issue 9, items 4 and 5): a date-only show or release is shown as
its own calendar date for everyone (no <t:..:D>, which moves the date for readers at UTC+12..+14), and on
its own day, in its own zone, a show is "today" and stays in /countdown and /tour until that day ends."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from bot.content.loader import load_packs
from bot.db.ingest import ingest
from bot.db.migrate import connect
from bot.settings import DEFAULT_PACKS, DEFAULT_SEEDS
from tests.e2e.conftest import World, fields

UTC = dt.timezone.utc
KST = dt.timezone(dt.timedelta(hours=9))
SEOUL_ENTRY = "🎤 **IU H.E.R. World Tour**: Seoul\n  March 2, 2024 · **today**"


def at_kst(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 3, day, hour, minute, tzinfo=KST)


@pytest.mark.parametrize(
    "when", [at_kst(2, 3, 30), at_kst(2, 18, 30), at_kst(2, 23, 59)], ids=["03:30 KST", "18:30 KST", "23:59 KST"]
)
async def test_on_its_day_the_seoul_show_is_today(world: World, when: dt.datetime) -> None:
    world.clock.set(when)
    r = await world.emu.command(world.general, world.fan, "countdown")
    assert r.embeds[0]["description"].startswith(SEOUL_ENTRY + "\n")
    r = await world.emu.command(world.general, world.fan, "tour")
    [embed] = r.embeds
    assert fields(embed)["Next show"] == "Seoul: March 2, 2024 (today)"
    assert "`next` March 2, 2024 · Seoul, South Korea" in embed["description"]
    r = await world.emu.command(world.general, world.fan_ko, "tour")
    assert fields(r.embeds[0])["다음 공연"] == "서울: 2024년 3월 2일 (오늘)"
    r = await world.emu.command(world.general, world.fan_ko, "countdown")
    assert r.embeds[0]["description"].startswith("🎤 **아이유 H.E.R. 월드 투어**: 서울\n  2024년 3월 2일 · **오늘**\n")


async def test_the_day_before_it_counts_down_and_the_day_after_it_is_gone(world: World) -> None:
    world.clock.set(at_kst(1, 23, 0))
    r = await world.emu.command(world.general, world.fan, "countdown")
    midnight = int(at_kst(2, 0).timestamp())
    assert r.embeds[0]["description"].startswith(
        f"🎤 **IU H.E.R. World Tour**: Seoul\n  March 2, 2024 · **<t:{midnight}:R>**"
    )
    world.clock.set(at_kst(3, 0, 0))  # the Seoul show's day has ended in Seoul
    r = await world.emu.command(world.general, world.fan, "countdown")
    assert "Seoul\n  March 2, 2024" not in r.embeds[0]["description"]
    assert r.embeds[0]["description"].startswith("🎤 **IU H.E.R. World Tour**: Los Angeles\n  August 2, 2024 · **<t:")
    r = await world.emu.command(world.general, world.fan, "tour")
    assert fields(r.embeds[0])["Next show"].startswith("Los Angeles: August 2, 2024 (<t:")
    assert "`played` March 2, 2024 · Seoul, South Korea" in r.embeds[0]["description"]


@pytest.fixture
def auckland_db(tmp_path: Path) -> None:
    """The shipped pack with a date-only show in Auckland on 10 January 2024 (UTC+13 in summer)."""
    [pack], problems = load_packs([DEFAULT_PACKS / "iu"], DEFAULT_SEEDS)
    assert not problems
    seoul = next(s for s in pack.shows if s.id == "her-seoul")
    auckland = dataclasses.replace(
        seoul,
        id="her-auckland",
        date=dt.date(2024, 1, 10),
        zone="Pacific/Auckland",
        city="Auckland",
        city_ko="오클랜드",
        country="New Zealand",
        country_ko="뉴질랜드",
        milestone=None,
    )
    conn = connect(tmp_path / "lightstick.sqlite3")
    try:
        ingest(conn, [dataclasses.replace(pack, shows=(auckland, *pack.shows))])
    finally:
        conn.close()


async def test_a_date_only_show_in_auckland_reads_its_own_date_everywhere(auckland_db: None, world: World) -> None:
    world.clock.set(dt.datetime(2024, 1, 5, tzinfo=UTC))
    r = await world.emu.command(world.general, world.fan, "tour")
    [embed] = r.embeds
    assert fields(embed)["Next show"].startswith("Auckland: January 10, 2024 (<t:")
    assert "`next` January 10, 2024 · Auckland, New Zealand" in embed["description"]
    assert ":D>" not in str(embed)
    r = await world.emu.command(world.general, world.fan_ko, "countdown")
    assert r.embeds[0]["description"].startswith("🎤 **아이유 H.E.R. 월드 투어**: 오클랜드\n  2024년 1월 10일 · **<t:")
    # 10 January, 20:00 in Auckland (07:00 UTC): the show's day there, though still the 9th in most of the world
    world.clock.set(dt.datetime(2024, 1, 10, 7, 0, tzinfo=UTC))
    r = await world.emu.command(world.general, world.fan, "tour")
    assert fields(r.embeds[0])["Next show"] == "Auckland: January 10, 2024 (today)"


async def test_the_release_date_reads_the_same_for_every_reader(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": "song:love-wins-all"})
    released = int(dt.datetime(2024, 1, 24, tzinfo=KST).timestamp())
    assert fields(r.embeds[0])["Released"] == f"January 24, 2024 (<t:{released}:R>)"
    r = await world.emu.command(world.general, world.fan_ko, "song", {"title": "song:love-wins-all"})
    assert fields(r.embeds[0])["발매"] == f"2024년 1월 24일 (<t:{released}:R>)"
