"""Due-time rules (bot/scheduler/due.py): plain and property-based tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.scheduler.due import (
    LocalTimeGap,
    MilestoneError,
    Plan,
    Step,
    Target,
    Yearly,
    anniversary_items,
    format_milestones,
    gap_days,
    lateness,
    parse_milestones,
    plan_items,
    post_instant,
    resolve_local,
    says_today,
    step_due,
)

UTC = dt.timezone.utc
H = dt.timedelta(hours=1)
GRACE = 6 * H
HORIZON = dt.timedelta(days=400)
ZONES = (
    "UTC",
    "Asia/Seoul",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "America/Los_Angeles",
    "Pacific/Chatham",
    "Asia/Kolkata",
)


def plan(zone: str = "Asia/Seoul", post: str = "10:00", steps: str = "30d,7d,1d,3h,0", anniv: bool = True) -> Plan:
    return Plan(zone, dt.time.fromisoformat(post), parse_milestones(steps), anniv)


# ---------------------------------------------------------------- milestones


def test_milestones_are_read_furthest_first_without_repeats() -> None:
    assert format_milestones(parse_milestones(" 0, 1d 30d,7d ,3h,1d, 2w ")) == "30d,14d,7d,1d,3h,0"
    assert parse_milestones("90m")[0] == Step(90, "m")


@pytest.mark.parametrize(
    ("text", "token", "reason"),
    [
        ("30d,45x,0", "45x", "unit"),
        ("7d,d", "d", "number"),
        ("", "", "empty"),
        (" , ", " , ", "empty"),
        ("400d", "400d", "too_far"),
        ("1.5d", "1.5d", "unit"),
        ("-1d", "-1d", "number"),
        ("1d,2d,3d,4d,5d,6d,7d,8d,9d,10d,11d", "1d,2d,3d,4d,5d,6d,7d,8d,9d,10d,11d", "too_many"),
    ],
)
def test_bad_milestones_name_the_part_at_fault(text: str, token: str, reason: str) -> None:
    with pytest.raises(MilestoneError) as caught:
        parse_milestones(text)
    assert (caught.value.token, caught.value.reason) == (token, reason)


@given(st.lists(st.tuples(st.integers(0, 300), st.sampled_from("dhm")), min_size=1, max_size=10))
def test_milestones_round_trip(raw: list[tuple[int, str]]) -> None:
    steps = parse_milestones(",".join(f"{n}{u}" for n, u in raw))
    assert parse_milestones(format_milestones(steps)) == steps
    deltas = [s.delta for s in steps]
    assert deltas == sorted(deltas, reverse=True)  # furthest first
    assert len(set(steps)) == len(steps)  # no repeats
    assert {s.text for s in steps} == {"0" if n == 0 else f"{n}{u}" for n, u in raw}  # nothing lost


def test_a_day_step_and_an_hour_step_of_the_same_length_are_both_kept() -> None:
    assert format_milestones(parse_milestones("120h,5d")) == "5d,120h"
    assert format_milestones(parse_milestones("5d,120h")) == "5d,120h"


# ---------------------------------------------------------------- local times and DST


def test_a_time_in_a_dst_gap_is_refused_with_the_skipped_hour() -> None:
    with pytest.raises(LocalTimeGap) as caught:
        resolve_local(dt.date(2027, 3, 14), dt.time(2, 30), "America/New_York")
    assert (caught.value.skipped_from, caught.value.skipped_to) == (dt.time(2), dt.time(3))


def test_a_repeated_time_means_its_first_occurrence() -> None:
    # 1:30 happens twice on 7 Nov 2027 in New York: first in EDT (UTC-4)
    assert resolve_local(dt.date(2027, 11, 7), dt.time(1, 30), "America/New_York") == dt.datetime(
        2027, 11, 7, 5, 30, tzinfo=UTC
    )


def test_post_time_in_a_gap_posts_when_the_clocks_jump_and_is_listed() -> None:
    p = plan("America/New_York", "02:30")
    assert post_instant(dt.date(2027, 3, 14), p) == dt.datetime(2027, 3, 14, 7, 0, tzinfo=UTC)  # 03:00 EDT
    assert post_instant(dt.date(2027, 3, 15), p) == dt.datetime(2027, 3, 15, 6, 30, tzinfo=UTC)
    assert gap_days(dt.time(2, 30), "America/New_York", 2027) == [dt.date(2027, 3, 14)]
    assert gap_days(dt.time(10), "America/New_York", 2027) == []
    assert gap_days(dt.time(2, 30), "Asia/Seoul", 2027) == []


def test_day_steps_keep_the_wall_clock_across_a_dst_change() -> None:
    # Server in New York posts at 10:00; the event is after the clocks go forward on 14 March.
    p = plan("America/New_York", "10:00", "30d,7d,1d,3h,0")
    target = Target("event:1", dt.date(2027, 3, 20), dt.time(19), "America/New_York")
    got = {
        i.step: i.due_at
        for i in plan_items([target], [], p, dt.datetime(2027, 2, 1, tzinfo=UTC), grace=GRACE, horizon=HORIZON)
    }
    assert got == {
        "30d": dt.datetime(2027, 2, 18, 15, 0, tzinfo=UTC),  # 10:00 EST
        "7d": dt.datetime(2027, 3, 13, 15, 0, tzinfo=UTC),  # 10:00 EST, the day before the change
        "1d": dt.datetime(2027, 3, 19, 14, 0, tzinfo=UTC),  # 10:00 EDT
        "3h": dt.datetime(2027, 3, 20, 20, 0, tzinfo=UTC),  # 16:00 EDT: three elapsed hours before 19:00
        "0": dt.datetime(2027, 3, 20, 23, 0, tzinfo=UTC),  # 19:00 EDT
    }


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        # 23-hour day: the eve at 10:00 EST (15:00 UTC), the day itself at 10:00 EDT (14:00 UTC), not 24h later
        ("America/New_York", dt.date(2026, 3, 8), [("1d", (2026, 3, 7, 15)), ("0", (2026, 3, 8, 14))]),
        # 25-hour day: the eve at 10:00 EDT (14:00 UTC), the day itself at 10:00 EST (15:00 UTC)
        ("America/New_York", dt.date(2026, 11, 1), [("1d", (2026, 10, 31, 14)), ("0", (2026, 11, 1, 15))]),
        # no daylight saving: 10:00 KST is 01:00 UTC both days
        ("Asia/Seoul", dt.date(2026, 3, 8), [("1d", (2026, 3, 7, 1)), ("0", (2026, 3, 8, 1))]),
    ],
    ids=["new-york-23h", "new-york-25h", "seoul-24h"],
)
def test_a_date_only_event_on_a_dst_change_day_posts_at_the_wall_clock_post_time(
    zone: str, day: dt.date, expected: list[tuple[str, tuple[int, ...]]]
) -> None:
    """The date-only event and the server share the zone; its "today" post and the eve's keep 10:00 local."""
    target = Target("event:1", day, None, zone)
    items = plan_items(
        [target], [], plan(zone, "10:00", "1d,0"), dt.datetime(2026, 1, 1, tzinfo=UTC), grace=GRACE, horizon=HORIZON
    )
    assert [(i.step, i.due_at) for i in items] == [(step, dt.datetime(*at, tzinfo=UTC)) for step, at in expected]


def test_date_only_targets_post_at_the_servers_post_time_and_skip_hour_steps() -> None:
    p = plan("Asia/Seoul", "09:30", "7d,3h,0")
    target = Target("show:s1", dt.date(2027, 6, 5), None, "Europe/Paris")
    items = plan_items([target], [], p, dt.datetime(2027, 5, 1, tzinfo=UTC), grace=GRACE, horizon=HORIZON)
    assert [(i.key, i.due_at) for i in items] == [
        ("show:s1:7d", dt.datetime(2027, 5, 29, 0, 30, tzinfo=UTC)),
        ("show:s1:0", dt.datetime(2027, 6, 5, 0, 30, tzinfo=UTC)),
    ]


def test_a_day_step_that_would_land_after_the_start_is_dropped() -> None:
    # 10:00 in Honolulu on the day before is after 05:00 in Seoul on the day
    p = plan("Pacific/Honolulu", "23:00", "1d")
    target = Target("event:2", dt.date(2027, 6, 5), dt.time(5), "Asia/Seoul")
    assert step_due(target, Step(1, "d"), p) is None


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.sampled_from(ZONES),
    st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
    st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0))),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_every_step_is_where_the_rules_put_it(
    server_zone: str, event_zone: str, day: dt.date, time: dt.time | None, post: dt.time
) -> None:
    p = Plan(server_zone, post, parse_milestones("30d,7d,1d,3h,0"))
    target = Target("event:9", day, time, event_zone)
    try:
        start = resolve_local(day, time, event_zone) if time else None
    except LocalTimeGap:
        return
    now = dt.datetime(2025, 12, 1, tzinfo=UTC)
    items = plan_items([target], [], p, now, grace=GRACE, horizon=dt.timedelta(days=2000))
    assert [i.due_at for i in items] == sorted(i.due_at for i in items)
    assert len({i.key for i in items}) == len(items)
    tz = ZoneInfo(server_zone)
    for item in items:
        assert item.due_at.tzinfo is not None and item.due_at.utcoffset() == dt.timedelta(0)
        step = parse_milestones(item.step)[0]
        if step.by_day and not (step.amount == 0 and start is not None):
            local = item.due_at.astimezone(tz)
            assert local.date() == day - step.delta
            if not gap_days(post, server_zone, local.year) or local.date() not in gap_days(
                post, server_zone, local.year
            ):
                assert local.time() == post
            if start is not None:
                assert item.due_at < start
        elif start is not None:
            assert item.due_at == start - step.delta
    if time is None:
        assert not any(i.step == "3h" for i in items)
    else:
        assert any(i.step == "3h" for i in items) and any(i.step == "0" for i in items)


# ---------------------------------------------------------------- anniversaries and windows


def test_anniversaries_once_a_year_from_the_first() -> None:
    p = plan("Asia/Seoul", "10:00")
    song = Yearly("song:love-wins-all", dt.date(2024, 1, 24), "release")
    items = anniversary_items(song, p, dt.datetime(2023, 1, 1, tzinfo=UTC), dt.datetime(2027, 12, 31, tzinfo=UTC))
    assert [(i.key, i.due_at, i.step) for i in items] == [
        ("anniv:song:love-wins-all:release:2025", dt.datetime(2025, 1, 24, 1, 0, tzinfo=UTC), "1"),
        ("anniv:song:love-wins-all:release:2026", dt.datetime(2026, 1, 24, 1, 0, tzinfo=UTC), "2"),
        ("anniv:song:love-wins-all:release:2027", dt.datetime(2027, 1, 24, 1, 0, tzinfo=UTC), "3"),
    ]


def test_leap_day_anniversaries_fall_on_the_28th() -> None:
    p = plan("UTC", "10:00")
    items = anniversary_items(
        Yearly("song:x", dt.date(2024, 2, 29), "release"),
        p,
        dt.datetime(2025, 1, 1, tzinfo=UTC),
        dt.datetime(2029, 1, 1, tzinfo=UTC),
    )
    assert [i.due_at.date() for i in items] == [
        dt.date(2025, 2, 28),
        dt.date(2026, 2, 28),
        dt.date(2027, 2, 28),
        dt.date(2028, 2, 29),
    ]


def test_anniversaries_off_means_none() -> None:
    items = plan_items(
        [],
        [Yearly("song:x", dt.date(2024, 5, 1), "release")],
        plan(anniv=False),
        dt.datetime(2026, 1, 1, tzinfo=UTC),
        grace=GRACE,
        horizon=HORIZON,
    )
    assert items == []


def test_window_keeps_items_within_grace_and_horizon() -> None:
    p = plan("UTC", "10:00", "1d,0")
    target = Target("event:1", dt.date(2027, 1, 10), None, "UTC")
    now = dt.datetime(2027, 1, 9, 15, 0, tzinfo=UTC)  # the 1d post (10:00) was 5 h ago
    keys = [i.key for i in plan_items([target], [], p, now, grace=GRACE, horizon=HORIZON)]
    assert keys == ["event:1:1d", "event:1:0"]
    later = now + 2 * H  # now 7 h ago: outside the grace window
    assert [i.key for i in plan_items([target], [], p, later, grace=GRACE, horizon=HORIZON)] == ["event:1:0"]
    assert plan_items([target], [], p, now, grace=GRACE, horizon=dt.timedelta(hours=1)) == [
        i for i in plan_items([target], [], p, now, grace=GRACE, horizon=HORIZON) if i.key == "event:1:1d"
    ]


@pytest.mark.parametrize(
    ("ago", "state"), [(0, "on_time"), (14, "on_time"), (16, "late"), (359, "late"), (361, "missed")]
)
def test_lateness(ago: int, state: str) -> None:
    now = dt.datetime(2027, 1, 1, tzinfo=UTC)
    assert lateness(now - dt.timedelta(minutes=ago), now, GRACE, dt.timedelta(minutes=15)) == state


# 2026-11-01 in New York lasts 25 hours (the clocks go back at 02:00 EDT): it began at 04:00 UTC and ends at
# 00:00 EST on the 2nd, 05:00 UTC, not at 04:00 UTC as a fixed 24 hours would have it.
NY_DAY_ENDS = dt.datetime(2026, 11, 2, 5, 0, tzinfo=UTC)
NY_DUE = dt.datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 21:00 EST on the 1st, a "today" post


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (NY_DUE + dt.timedelta(minutes=10), "on_time"),
        (dt.datetime(2026, 11, 2, 4, 30, tzinfo=UTC), "late"),  # 23:30 EST on the 1st: still its day
        (NY_DAY_ENDS - dt.timedelta(seconds=1), "late"),
        (NY_DAY_ENDS, "day_over"),  # 00:00 EST on the 2nd
        (NY_DUE + dt.timedelta(hours=6, seconds=1), "missed"),
    ],
    ids=["on-time", "23:30", "23:59:59", "midnight", "past-grace"],
)
def test_a_late_today_post_is_day_over_from_its_local_midnight(now: dt.datetime, state: str) -> None:
    assert lateness(NY_DUE, now, GRACE, dt.timedelta(minutes=15), NY_DAY_ENDS) == state


def test_an_on_time_post_is_never_day_over() -> None:
    """A server west of the event posts its "today" on its own calendar day, maybe after the event's ended."""
    day_ended = NY_DUE - dt.timedelta(hours=1)
    assert lateness(NY_DUE, NY_DUE, GRACE, dt.timedelta(minutes=15), day_ended) == "on_time"
    assert lateness(NY_DUE, NY_DUE + dt.timedelta(minutes=16), GRACE, dt.timedelta(minutes=15), day_ended) == (
        "day_over"
    )


@pytest.mark.parametrize(
    ("kind", "step", "today"),
    [("countdown", "0", True), ("anniversary", "2", True), ("countdown", "1d", False), ("countdown", "3h", False)],
)
def test_which_items_say_today(kind: str, step: str, today: bool) -> None:
    assert says_today(kind, step) is today
