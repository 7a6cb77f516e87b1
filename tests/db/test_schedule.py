"""Announcement repositories (bot/db/schedule.py) against a real SQLite file."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.db.schedule import EVENT_LIMIT, LimitReached
from bot.db.store import Store
from bot.scheduler.due import DueItem

UTC = dt.timezone.utc
NOW = dt.datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
H = dt.timedelta(hours=1)
GRACE = 6 * H
GUILD = 111


@pytest.fixture
async def store(tmp_path: Path):
    store = await Store.open(tmp_path / "s.sqlite3")
    yield store
    await store.close()


def item(key: str, hours: float, ref: str = "event:1") -> DueItem:
    return DueItem(key, NOW + dt.timedelta(hours=hours), "countdown", ref, key.rsplit(":", 1)[-1])


async def test_settings_default_then_update_keeps_other_fields(store: Store) -> None:
    assert (await store.guild_settings.get(GUILD)).channel_id is None
    await store.guild_settings.update(GUILD, NOW, channel_id=5, zone="Asia/Seoul")
    config = await store.guild_settings.update(GUILD, NOW, post_time="09:30")
    assert (config.channel_id, config.zone, config.post_time, config.milestones, config.anniversaries) == (
        5,
        "Asia/Seoul",
        "09:30",
        "30d,7d,1d,0",
        True,
    )
    assert await store.guild_settings.get(GUILD) == config
    assert [c.guild_id for c in await store.guild_settings.configured()] == [GUILD]
    assert set(await store.guild_settings.many([GUILD, 999])) == {GUILD}


async def test_sync_adds_moves_cancels_and_never_touches_delivered(store: Store) -> None:
    counts = await store.due.sync(
        GUILD, [item("event:1:7d", 10), item("event:1:1d", 20), item("event:1:0", 30)], NOW, GRACE
    )
    assert counts["added"] == 3
    rows = await store.due.history(GUILD)
    assert [r.key for r in rows] == ["event:1:7d", "event:1:1d", "event:1:0"]
    # deliver the first one
    first = rows[0]
    later = NOW + 11 * H
    assert await store.due.claim_many([(first, 42, False)], "tok", later, dt.timedelta(minutes=5)) == {first.id}
    assert await store.due.deliver(first.id, "tok", 1234, later)
    # the event moves: 7d's new time is later again, but it was delivered; 1d moves; 0 is dropped
    counts = await store.due.sync(GUILD, [item("event:1:7d", 50), item("event:1:1d", 60)], later, GRACE)
    assert (counts["moved"], counts["cancelled"], counts["added"]) == (1, 1, 0)
    by_key = {r.key: r for r in await store.due.history(GUILD)}
    assert (by_key["event:1:7d"].status, by_key["event:1:7d"].message_id) == ("delivered", 1234)
    assert by_key["event:1:7d"].due_at == NOW + 10 * H
    assert (by_key["event:1:1d"].status, by_key["event:1:1d"].due_at) == ("pending", NOW + 60 * H)
    assert by_key["event:1:0"].status == "cancelled"
    # called for again: the cancelled one comes back
    counts = await store.due.sync(GUILD, [item("event:1:1d", 60), item("event:1:0", 70)], later, GRACE)
    assert counts["added"] == 1 and {r.key: r.status for r in await store.due.history(GUILD)}["event:1:0"] == "pending"


async def test_sync_never_adds_a_past_item_and_skips_one_moved_into_the_past(store: Store) -> None:
    await store.due.sync(GUILD, [item("event:1:1d", 5)], NOW, GRACE)
    counts = await store.due.sync(GUILD, [item("event:1:1d", -1), item("event:1:0", -2)], NOW, GRACE)
    assert (counts["skipped"], counts["added"]) == (1, 0)
    assert [(r.key, r.status, r.error) for r in await store.due.history(GUILD)] == [
        ("event:1:1d", "skipped", "rescheduled into the past")
    ]


async def test_only_one_of_two_processes_claims_an_item(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    one, two = await Store.open(path), await Store.open(path)
    try:
        await one.due.sync(GUILD, [item(f"event:1:{n}d", n) for n in range(1, 21)], NOW, GRACE)
        at = NOW + 30 * H
        rows_one, rows_two = await one.due.due(at), await two.due.due(at)
        assert len(rows_one) == len(rows_two) == 20
        lease = dt.timedelta(minutes=5)
        wins = await asyncio.gather(
            *(one.due.claim_many([(r, 1, False)], "A", at, lease) for r in rows_one),
            *(two.due.claim_many([(r, 1, False)], "B", at, lease) for r in rows_two),
        )
        assert sorted(i for won in wins for i in won) == sorted(r.id for r in rows_one)  # each item once
        assert all(r.status == "claimed" for r in await one.due.history(GUILD))
        # a claim under a live lease can't be taken; a lapsed one can, by one process
        assert await one.due.due(at) == []
        lapsed = at + lease
        stale = await two.due.due(lapsed)
        assert len(stale) == 20
        again = await asyncio.gather(
            *(two.due.claim_many([(r, 1, False)], "C", lapsed, lease) for r in stale),
            *(one.due.claim_many([(r, 1, False)], "D", lapsed, lease) for r in stale),
        )
        assert sorted(i for won in again for i in won) == sorted(r.id for r in stale)
        # the first owner lost its claim: its late outcome is refused
        assert not await one.due.deliver(rows_one[0].id, "A", 99, lapsed)
    finally:
        await one.close()
        await two.close()


async def test_retry_then_fail_then_problem_shown(store: Store) -> None:
    await store.due.sync(GUILD, [item("event:1:0", 1), item("event:1:1d", 2)], NOW, GRACE)
    first, second = await store.due.history(GUILD)
    at = NOW + 3 * H
    lease = dt.timedelta(minutes=5)
    assert await store.due.claim_many([(first, 7, False)], "t", at, lease) == {first.id}
    assert await store.due.retry(first.id, "t", at + H, "HTTP 503")
    assert [r.id for r in await store.due.due(at)] == [second.id]
    again = next(r for r in await store.due.due(at + H) if r.id == first.id)
    assert again.claim_token == "t" and again.attempts == 1  # it remembers it may have been sent
    assert await store.due.claim_many([(again, 7, False)], "u", at + H, lease) == {again.id}
    assert await store.due.fail(again.id, "u", "missing permission: Send Messages", at + H)
    assert [p.error for p in await store.due.problems(GUILD)] == ["missing permission: Send Messages"]
    assert await store.due.next_at() == second.next_at


async def test_events_limit_search_and_remove(store: Store) -> None:
    base = dt.date(2027, 2, 1)
    for n in range(EVENT_LIMIT):
        day = base + dt.timedelta(days=n)
        await store.server_events.add(
            GUILD,
            f"Show {n:03d} 50%_off",
            day,
            None,
            "UTC",
            dt.datetime.combine(day, dt.time(0), UTC),
            None,
            None,
            1,
            NOW,
        )
    with pytest.raises(LimitReached):
        await store.server_events.add(
            GUILD, "one too many", base, None, "UTC", dt.datetime.combine(base, dt.time(0), UTC), None, None, 1, NOW
        )
    assert [e.name for e in await store.server_events.search(GUILD, "00", 3)] == [
        "Show 000 50%_off",
        "Show 001 50%_off",
        "Show 002 50%_off",
    ]
    assert await store.server_events.search(GUILD, "%", 5) != []
    assert await store.server_events.search(GUILD, "x%", 5) == []
    first = (await store.server_events.all(GUILD))[0]
    await store.due.sync(GUILD, [item(f"{first.ref}:0", 5, first.ref)], NOW, GRACE)
    assert await store.server_events.remove(GUILD, first.id, NOW) == 1
    assert [(r.status, r.error) for r in await store.due.history(GUILD)] == [("cancelled", "event removed")]
    # ids are never reused, so a new event can't inherit a removed one's announcements
    new = await store.server_events.add(
        GUILD, "new", base, None, "UTC", dt.datetime.combine(base, dt.time(0), UTC), None, None, 1, NOW
    )
    assert new.id > max(e.id for e in await store.server_events.all(GUILD) if e.id != new.id)


# A date-only event's day ends at the next local midnight of its zone: America/New_York's 2026-03-08 is 23 hours
# long (clocks go forward), its 2026-11-01 is 25 (clocks go back); Asia/Seoul has no daylight saving.
DAY_ENDS = [
    (
        "America/New_York",
        dt.date(2026, 3, 8),
        dt.datetime(2026, 3, 8, 5, tzinfo=UTC),
        dt.datetime(2026, 3, 9, 4, tzinfo=UTC),
    ),
    (
        "America/New_York",
        dt.date(2026, 11, 1),
        dt.datetime(2026, 11, 1, 4, tzinfo=UTC),
        dt.datetime(2026, 11, 2, 5, tzinfo=UTC),
    ),
    (
        "Asia/Seoul",
        dt.date(2026, 3, 8),
        dt.datetime(2026, 3, 7, 15, tzinfo=UTC),
        dt.datetime(2026, 3, 8, 15, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize(("zone", "day", "start", "end"), DAY_ENDS, ids=["ny-23h", "ny-25h", "seoul-24h"])
async def test_a_date_only_event_is_upcoming_until_its_local_day_ends(
    store: Store, zone: str, day: dt.date, start: dt.datetime, end: dt.datetime
) -> None:
    added = dt.datetime(2026, 1, 1, tzinfo=UTC)
    await store.server_events.add(GUILD, "Party", day, None, zone, start, None, None, 1, added)
    second = dt.timedelta(seconds=1)
    for now, names in [(start - second, ["Party"]), (start, ["Party"]), (end - second, ["Party"]), (end, [])]:
        assert [e.name for e in await store.server_events.upcoming(GUILD, now)] == names, now


async def test_the_limit_counts_a_date_only_event_until_its_local_day_ends(store: Store) -> None:
    """25-hour 2026-11-01 in New York: an hour past 24, the day's events still count towards the limit."""
    day, start = dt.date(2026, 11, 1), dt.datetime(2026, 11, 1, 4, tzinfo=UTC)
    added = dt.datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(EVENT_LIMIT):
        await store.server_events.add(GUILD, f"Party {n}", day, None, "America/New_York", start, None, None, 1, added)
    late = dt.datetime(2026, 11, 2, 4, 30, tzinfo=UTC)  # 23:30 EST, still the 1st in New York
    with pytest.raises(LimitReached):
        await store.server_events.add(GUILD, "one more", day, None, "America/New_York", start, None, None, 1, late)
    over = dt.datetime(2026, 11, 2, 5, tzinfo=UTC)  # midnight EST: the 1st is over
    assert (
        await store.server_events.add(GUILD, "next", day, None, "America/New_York", start, None, None, 1, over)
    ).name == "next"
