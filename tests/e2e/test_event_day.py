"""A server's date-only event on a daylight-saving change day (moderators' /event add without a time): it is
"today" in /countdown and listed by /event list until its own local day ends at the next local midnight of
its zone, the rule shows follow too. America/New_York's 2026-03-08 lasts 23 hours, its 2026-11-01 25 hours;
Asia/Seoul has no daylight saving. The clock is the injectable FrozenClock, moved across each boundary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.e2e.conftest import World

UTC = dt.timezone.utc
SECOND = dt.timedelta(seconds=1)
NONE = "This server has no dates of its own yet. Add one with `/event add`."


async def run(world: World, sub: str, **options: Any) -> Any:
    return await world.emu.command(world.general, world.admin, "event", options, subcommand=sub, locale="en-US")


async def countdown_entry(world: World, name: str) -> str | None:
    """The date line under the event's /countdown entry, or None when it isn't listed."""
    r = await world.emu.command(world.general, world.fan, "countdown")
    lines = r.embeds[0]["description"].splitlines()
    label = f"📅 {name} (this server's date)"
    return lines[lines.index(label) + 1] if label in lines else None


@pytest.mark.parametrize(
    ("zone", "date", "shown", "start", "end"),
    [
        # 00:00 EST is 05:00 UTC; the next midnight, 00:00 EDT on the 9th, is 04:00 UTC: 23 hours
        ("America/New_York", "2026-03-08", "March 8, 2026", (2026, 3, 8, 5), (2026, 3, 9, 4)),
        # 00:00 EDT is 04:00 UTC; the next midnight, 00:00 EST on the 2nd, is 05:00 UTC: 25 hours
        ("America/New_York", "2026-11-01", "November 1, 2026", (2026, 11, 1, 4), (2026, 11, 2, 5)),
        # KST is UTC+9 all year: 24 hours
        ("Asia/Seoul", "2026-03-08", "March 8, 2026", (2026, 3, 7, 15), (2026, 3, 8, 15)),
    ],
    ids=["new-york-23h", "new-york-25h", "seoul-24h"],
)
async def test_a_date_only_event_is_today_until_its_local_midnight(
    world: World, zone: str, date: str, shown: str, start: tuple[int, ...], end: tuple[int, ...]
) -> None:
    begins, ends = dt.datetime(*start, tzinfo=UTC), dt.datetime(*end, tzinfo=UTC)
    world.clock.set(dt.datetime(2026, 1, 2, tzinfo=UTC))
    r = await run(world, "add", name="Watch party", date=date, timezone=zone)
    assert r.content.startswith(f"Added **Watch party**: {shown}.")
    world.clock.set(begins - SECOND)
    assert await countdown_entry(world, "Watch party") == f"  {shown} · **<t:{int(begins.timestamp())}:R>**"
    for now in (begins, ends - SECOND):
        world.clock.set(now)
        assert await countdown_entry(world, "Watch party") == f"  {shown} · **today**", now
        r = await run(world, "list")
        assert r.embeds[0]["description"] == f"**Watch party** · {shown}", now
    world.clock.set(ends)
    assert await countdown_entry(world, "Watch party") is None
    r = await run(world, "list")
    assert r.embeds[0]["description"] == NONE
    # and a moderator can't add it any more: the date has passed there
    r = await run(world, "add", name="Too late", date=date, timezone=zone)
    assert (r.ephemeral, r.content) == (True, f"That date has already passed in {zone}. Nothing was changed.")
