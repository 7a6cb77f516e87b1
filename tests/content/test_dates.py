"""Reading the days fans type, and anniversaries in the zone an event happened in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.dates import MonthDay, anniversary, next_anniversary, parse_day

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03-02", MonthDay(3, 2)),
        ("2024-03-02", MonthDay(3, 2, 2024)),
        ("3/2", MonthDay(3, 2)),
        ("3.2", MonthDay(3, 2)),
        ("2024/3/2", MonthDay(3, 2, 2024)),
        ("March 2", MonthDay(3, 2)),
        ("march 2", MonthDay(3, 2)),
        ("mar 2nd", MonthDay(3, 2)),
        ("Mar. 2", MonthDay(3, 2)),
        ("2 March", MonthDay(3, 2)),
        ("2nd of", None),
        ("March 2, 2024", MonthDay(3, 2, 2024)),
        ("March 2 2024", MonthDay(3, 2, 2024)),
        ("March 22, 2024", MonthDay(3, 22, 2024)),
        ("Sept 5", MonthDay(9, 5)),
        ("August 2nd", MonthDay(8, 2)),
        ("3월 2일", MonthDay(3, 2)),
        ("3월2일", MonthDay(3, 2)),
        ("3월 2", MonthDay(3, 2)),
        ("2024년 3월 2일", MonthDay(3, 2, 2024)),
        ("０３－０２", MonthDay(3, 2)),  # fullwidth digits and hyphen
        ("２０２４年", None),
        ("３월 ２일", MonthDay(3, 2)),
        ("  03-02  ", MonthDay(3, 2)),
        ("02-29", MonthDay(2, 29)),  # a real day in leap years
        ("2024-02-29", MonthDay(2, 29, 2024)),
    ],
)
def test_parse_day_reads(text, expected):
    assert parse_day(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "02-30",
        "13-01",
        "00-10",
        "04-31",
        "2023-02-29",
        "hello",
        "",
        "   ",
        "March 32",
        "Smarch 2",
        "3월 32일",
        "13월 1일",
        "1-2-3-4",
        "03-02-2024x",
        "March",
        "2",
        "--",
    ],
)
def test_parse_day_rejects(text):
    assert parse_day(text) is None


def test_parse_day_survives_long_and_odd_input():
    assert parse_day("3" * 10_000) is None
    assert parse_day("\x00\u200b03-02") is None


def test_month_day_key_and_labels():
    day = MonthDay(3, 2, 2024)
    assert day.key == "03-02"
    assert day.label("en") == "March 2, 2024"
    assert day.label("ko") == "2024년 3월 2일"
    assert MonthDay(1, 24).label("en") == "January 24"
    assert MonthDay(1, 24).label("ko") == "1월 24일"


def test_anniversary_of_feb_29():
    leap = dt.date(2024, 2, 29)
    assert anniversary(leap, 2025) == dt.date(2025, 2, 28)
    assert anniversary(leap, 2028) == dt.date(2028, 2, 29)
    assert anniversary(dt.date(2024, 3, 2), 2025) == dt.date(2025, 3, 2)


# ---------------------------------------------------------------- next_anniversary

LA = "America/Los_Angeles"


def test_summer_anniversary_in_los_angeles_is_local_midnight_pdt():
    now = dt.datetime(2025, 1, 1, tzinfo=UTC)
    instant, nth = next_anniversary(dt.date(2024, 8, 2), LA, now)
    assert nth == 1
    local = instant.astimezone(ZoneInfo(LA))
    assert (local.date(), local.time()) == (dt.date(2025, 8, 2), dt.time(0, 0))
    assert local.utcoffset() == dt.timedelta(hours=-7)
    assert instant == dt.datetime(2025, 8, 2, 7, 0, tzinfo=UTC)


def test_winter_anniversary_in_los_angeles_is_local_midnight_pst():
    now = dt.datetime(2025, 6, 1, tzinfo=UTC)
    instant, nth = next_anniversary(dt.date(2023, 12, 15), LA, now)
    assert nth == 2
    local = instant.astimezone(ZoneInfo(LA))
    assert (local.date(), local.time()) == (dt.date(2025, 12, 15), dt.time(0, 0))
    assert local.utcoffset() == dt.timedelta(hours=-8)
    assert instant == dt.datetime(2025, 12, 15, 8, 0, tzinfo=UTC)


def test_seoul_anniversary_starts_the_evening_before_in_utc():
    now = dt.datetime(2025, 1, 1, tzinfo=UTC)
    instant, nth = next_anniversary(dt.date(2024, 1, 24), "Asia/Seoul", now)
    assert (instant, nth) == (dt.datetime(2025, 1, 23, 15, 0, tzinfo=UTC), 1)


def test_feb_29_in_a_common_year_falls_on_the_28th():
    now = dt.datetime(2025, 2, 1, tzinfo=UTC)
    instant, nth = next_anniversary(dt.date(2024, 2, 29), "Asia/Seoul", now)
    assert nth == 1
    assert instant.astimezone(ZoneInfo("Asia/Seoul")).date() == dt.date(2025, 2, 28)
    instant, nth = next_anniversary(dt.date(2024, 2, 29), "Asia/Seoul", dt.datetime(2028, 1, 1, tzinfo=UTC))
    assert (instant.astimezone(ZoneInfo("Asia/Seoul")).date(), nth) == (dt.date(2028, 2, 29), 4)


def test_never_returns_now_itself():
    day = dt.date(2024, 3, 2)
    exactly = dt.datetime(2025, 3, 1, 15, 0, tzinfo=UTC)  # 2025-03-02 00:00 in Seoul
    instant, nth = next_anniversary(day, "Asia/Seoul", exactly)
    assert instant > exactly
    assert (instant, nth) == (dt.datetime(2026, 3, 1, 15, 0, tzinfo=UTC), 2)
    just_before = exactly - dt.timedelta(microseconds=1)
    assert next_anniversary(day, "Asia/Seoul", just_before) == (exactly, 1)


def test_the_day_itself_is_not_an_anniversary():
    # On release day the next anniversary is a year later: the 0th is not one.
    instant, nth = next_anniversary(dt.date(2024, 1, 24), "Asia/Seoul", dt.datetime(2024, 1, 1, tzinfo=UTC))
    assert nth == 1 and instant.year == 2025


def test_works_with_a_non_utc_now():
    now = dt.datetime(2025, 8, 1, 20, 0, tzinfo=ZoneInfo(LA))  # already Aug 2 in UTC, not yet in LA
    instant, _ = next_anniversary(dt.date(2024, 8, 2), LA, now)
    assert instant == dt.datetime(2025, 8, 2, 7, 0, tzinfo=UTC)


ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("posix", "right", "Etc/")))


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)),
    zone=st.sampled_from(ZONES),
    now=st.datetimes(min_value=dt.datetime(1951, 1, 1), max_value=dt.datetime(2100, 12, 31), timezones=st.just(UTC)),
)
def test_next_anniversary_is_after_now_and_within_a_year(day, zone, now):
    instant, nth = next_anniversary(day, zone, now)
    assert instant > now
    assert nth >= 1
    local = instant.astimezone(ZoneInfo(zone))
    # Local midnight of the anniversary, give or take a day a zone skipped (Pacific/Apia, 2011-12-30).
    assert min(abs((local.date() - anniversary(day, y)).days) for y in (local.year - 1, local.year)) <= 1
    if dt.date(day.year + 1, 1, 1) <= now.date() - dt.timedelta(days=2):
        # Once the first anniversary's year has begun, the next one is never more than a year off
        # (plus a day for the widest zone offsets).
        assert instant - now <= dt.timedelta(days=367)


def test_a_slashed_date_with_its_year_is_read_month_first_like_without() -> None:
    assert parse_day("1/24/2024") == MonthDay(1, 24, 2024) == parse_day("01/24/2024")
    assert parse_day("1/24") == MonthDay(1, 24, None)
    assert parse_day("24/1/2024") is None  # no 24th month
