"""Issue 11 review: moderator setup and announcements, cases found by breaking it (through the emulator)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

from bot.content.loader import load_packs
from bot.db.ingest import ingest
from bot.db.migrate import connect
from bot.settings import DEFAULT_PACKS, DEFAULT_SEEDS
from tests.e2e.conftest import NOW
from tests.e2e.test_announcements import World, posts, run, setup_channel, travel

UTC = dt.timezone.utc


async def test_a_date_only_event_on_a_day_that_starts_in_a_dst_gap_is_accepted(world: World) -> None:
    """America/Santiago skips 00:00-01:00 on 2027-09-05: a date-only event on that day (or the day before,
    whose end is that midnight) is a valid date, not a "time that doesn't exist"."""
    await setup_channel(world, milestones="1d,0", timezone="America/Santiago", anniversaries="off")
    for name, date in (("Eve", "2027-09-04"), ("Gap day", "2027-09-05")):
        r = await run(world, "event", "add", name=name, date=date)
        assert r.ephemeral and r.content.startswith(f"Added **{name}**"), r.content
    events = {e.name: e for e in await world.bot.store.server_events.all(world.guild.id)}
    assert events["Gap day"].starts_at == dt.datetime(2027, 9, 5, 4, tzinfo=UTC)  # 01:00 -03, the day's start
    assert events["Eve"].starts_at == dt.datetime(2027, 9, 4, 4, tzinfo=UTC)  # 00:00 -04
    await travel(world, dt.datetime(2027, 9, 4, 14, tzinfo=UTC))  # 10:00 -04 on the 4th
    await travel(world, dt.datetime(2027, 9, 5, 13, tzinfo=UTC))  # 10:00 -03 on the 5th
    assert sorted(p["embeds"][0]["title"] for p in posts(world)) == [
        "⏳ 1 day to go: Gap day",
        "🎤 Today: Eve",
        "🎤 Today: Gap day",
    ]


async def test_an_ingest_is_picked_up_before_the_next_post_without_any_command(world: World) -> None:
    """An `ingest` (another process) adds a show due before the scheduler's daily refresh, and nobody runs a
    command meanwhile: the scheduler notices the new content when it wakes, so the show is counted down."""
    await setup_channel(world, milestones="0", anniversaries="off")
    await world.bot.scheduler.step()  # the scheduler has looked at 12:00 and sleeps
    [pack], problems = load_packs([DEFAULT_PACKS / "iu"], DEFAULT_SEEDS)
    assert not problems
    seoul = next(s for s in pack.shows if s.id == "her-seoul")
    encore = dataclasses.replace(seoul, id="her-encore", date=dt.date(2026, 11, 23), time=None, milestone=None)
    conn = connect(world.bot.store.path)
    try:
        ingest(conn, [dataclasses.replace(pack, shows=(*pack.shows, encore))])
    finally:
        conn.close()
    world.bot._content_checked = float("-inf")  # the 30-second window has passed in real time
    runs = world.bot.scheduler.runs
    world.clock.set(NOW + dt.timedelta(minutes=1))  # nothing due, no command: only the scheduler's own poll
    await world.clock.settle()
    async with asyncio.timeout(30):
        while world.bot.scheduler.runs == runs or not world.bot.scheduler.idle.is_set():
            await asyncio.sleep(0.01)
    await travel(world, dt.datetime(2026, 11, 23, 10, tzinfo=UTC))  # the show's day, 10:00 (the post time)
    assert world.bot._rebuild is None or world.bot._rebuild.done()
    assert [p["embeds"][0]["title"] for p in posts(world)] == ["🎤 Today: IU H.E.R. World Tour in Seoul"]
