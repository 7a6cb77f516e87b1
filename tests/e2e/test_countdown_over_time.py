"""/countdown asked again and again as time passes: each answer is right for its moment.

The bot reuses a rendered /countdown until an entry could read differently; these tests move the clock
across every kind of moment (an anniversary begins, a show starts and becomes "today", its own day ends)
and back again, and expect the literal lines a fan would read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from tests.e2e.conftest import World
from tests.e2e.orchard import orchard_world

UTC = dt.timezone.utc


@pytest_asyncio.fixture
async def orchard(tmp_path: Path) -> AsyncIterator[World]:
    async with orchard_world(tmp_path) as world:
        yield world


async def countdown(w: World, member=None) -> list[tuple[str, str]]:
    r = await w.emu.command(w.general, member or w.fan, "countdown")
    lines = r.embeds[0]["description"].splitlines()
    return list(zip(lines[0::2], lines[1::2], strict=True))


async def test_each_moment_changes_the_answer_and_nothing_else_does(orchard: World) -> None:
    w = orchard
    first = await countdown(w)
    assert first[0][0] == "🎂 **Cherry** turns 1"
    # a second before Cherry's birthday begins in Seoul (2026-06-20 00:00 KST): the same answer
    w.clock.set(dt.datetime(2026, 6, 19, 14, 59, 59, tzinfo=UTC))
    assert await countdown(w) == first
    # from then on Cherry's next birthday is a year away, and the Seoul anniversary is first
    w.clock.set(dt.datetime(2026, 6, 19, 15, 0, tzinfo=UTC))
    labels = [label for label, _when in await countdown(w)]
    assert labels[0] == "🎤 1 year since **Zest Tour** in Seoul"
    assert "🎂 **Cherry** turns 1" not in labels
    assert labels[-1] == "🎂 **Cherry** turns 2"


async def test_a_date_only_show_is_today_all_its_own_day_then_leaves(orchard: World) -> None:
    w = orchard
    # 2026-07-01 00:00 in Auckland (NZST, UTC+12) is 2026-06-30 12:00 UTC
    w.clock.set(dt.datetime(2026, 6, 30, 11, 59, tzinfo=UTC))
    before = dict(await countdown(w))
    assert before["🎤 **Zest Tour**: Auckland"] == "  July 1, 2026 · **<t:1782820800:R>**"
    w.clock.set(dt.datetime(2026, 6, 30, 12, 0, tzinfo=UTC))
    assert dict(await countdown(w))["🎤 **Zest Tour**: Auckland"] == "  July 1, 2026 · **today**"
    # still today in Auckland at 23:59 local
    w.clock.set(dt.datetime(2026, 7, 1, 11, 59, tzinfo=UTC))
    assert dict(await countdown(w))["🎤 **Zest Tour**: Auckland"] == "  July 1, 2026 · **today**"
    # the day is over in Auckland: gone
    w.clock.set(dt.datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    assert "🎤 **Zest Tour**: Auckland" not in dict(await countdown(w))
    # and back in time (the frozen clock can): there again, not the later answer
    w.clock.set(dt.datetime(2026, 6, 30, 11, 59, tzinfo=UTC))
    assert dict(await countdown(w)) == before


async def test_a_timed_show_is_today_from_its_start(orchard: World) -> None:
    w = orchard
    # New York, 2026-08-05 19:30 EDT = 23:30 UTC
    w.clock.set(dt.datetime(2026, 8, 5, 23, 29, tzinfo=UTC))
    assert dict(await countdown(w))["🎤 **Zest Tour**: New York"] == "  <t:1785972600:F> · **<t:1785972600:R>**"
    w.clock.set(dt.datetime(2026, 8, 5, 23, 30, tzinfo=UTC))
    assert dict(await countdown(w))["🎤 **Zest Tour**: New York"] == "  <t:1785972600:F> · **today**"
    # its day ends at midnight in New York (04:00 UTC)
    w.clock.set(dt.datetime(2026, 8, 6, 4, 0, tzinfo=UTC))
    assert "🎤 **Zest Tour**: New York" not in dict(await countdown(w))


async def test_each_language_gets_its_own_answer(orchard: World) -> None:
    w = orchard
    en = await countdown(w)
    ko = await countdown(w, w.fan_ko)
    assert en[0][0] == "🎂 **Cherry** turns 1"
    assert ko[0][0] == "🎂 **Cherry** 1주년"
    assert await countdown(w) == en


async def tour_dates(w: World) -> list[str]:
    r = await w.emu.command(w.general, w.fan, "tour", {"name": "Zest Tour"})
    return r.embeds[0]["description"].splitlines()[1:]


async def test_tour_card_moves_on_as_shows_are_played(orchard: World) -> None:
    w = orchard
    w.clock.set(dt.datetime(2026, 7, 1, 11, 59, tzinfo=UTC))  # 23:59 on show day in Auckland
    assert await tour_dates(w) == [
        "`played` June 21, 2025 · Seoul, South Korea",
        "`next` July 1, 2026 · Auckland, New Zealand",
        "`upcoming` <t:1785972600:F> · New York, United States",
        "`upcoming` <t:1789063200:F> · Paris, France, Accor Arena",
    ]
    w.clock.set(dt.datetime(2026, 7, 1, 12, 0, tzinfo=UTC))  # the day is over in Auckland
    assert await tour_dates(w) == [
        "`played` June 21, 2025 · Seoul, South Korea",
        "`played` July 1, 2026 · Auckland, New Zealand",
        "`next` <t:1785972600:F> · New York, United States",
        "`upcoming` <t:1789063200:F> · Paris, France, Accor Arena",
    ]
    w.clock.set(dt.datetime(2026, 6, 1, tzinfo=UTC))  # and back
    assert (await tour_dates(w))[1] == "`next` July 1, 2026 · Auckland, New Zealand"
