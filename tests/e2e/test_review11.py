"""Issue 11 review: moderator setup and announcements, cases found by breaking it (through the emulator)."""

from __future__ import annotations

import datetime as dt

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
