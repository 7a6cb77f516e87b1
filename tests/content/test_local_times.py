"""Local times that don't exist or happen twice (issue 9 item 6): check refuses the first and asks which
one is meant for the second, with file, line and entry like every other problem."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.content.loader import load_packs


def _show(pack_file, date: str, time: str, zone: str, offset: str | None = None):
    f = pack_file("tours.toml")
    f.set_line(f.key_line("her-los-angeles", "date"), f'date = "{date}"')
    f.set_line(f.key_line("her-los-angeles", "zone"), f'zone = "{zone}"')
    # a source without a dateline, so the made-up dates need no year in the quote
    f.set_line(f.key_line("her-los-angeles", "source"), 'source = "004_7c4a4874365c364d.txt"')
    f.set_line(f.key_line("her-los-angeles", "quote"), 'quote = "In the end, IU and V couldn’t outrun the cube."')
    line = f.key_line("her-los-angeles", "date")
    f.insert_after(line, f'time = "{time}"' + (f'\noffset = "{offset}"' if offset else ""))
    return f, line + 1


def _problems(pack_copy, seeds_dir) -> list[str]:
    return [str(p) for p in load_packs([pack_copy], seeds_dir)[1]]


@pytest.mark.parametrize(
    ("date", "time", "zone", "words"),
    [
        (
            "2026-03-08",
            "02:30",
            "America/New_York",
            "02:30 does not exist in America/New_York on 2026-03-08: clocks jump from 02:00 to 03:00",
        ),
        (
            "2026-03-29",
            "01:15",
            "Europe/London",
            "01:15 does not exist in Europe/London on 2026-03-29: clocks jump from 01:00 to 02:00",
        ),
        (
            "2026-10-04",
            "02:15",
            "Australia/Lord_Howe",  # a half-hour jump
            "02:15 does not exist in Australia/Lord_Howe on 2026-10-04: clocks jump from 02:00 to 02:30",
        ),
        (
            "2011-12-30",
            "19:00",
            "Pacific/Apia",  # Samoa skipped the whole day
            "19:00 does not exist in Pacific/Apia on 2011-12-30: clocks jump from 00:00 to 2011-12-31 00:00",
        ),
    ],
)
def test_show_time_in_a_daylight_saving_gap_is_refused(date, time, zone, words, pack_copy, pack_file, seeds_dir):
    f, line = _show(pack_file, "2024-08-02", time, zone)
    # the date is the finale's, so keep it the latest: move the gap date onto Seoul's first show instead
    f.set_line(f.key_line("her-los-angeles", "milestone"), None)
    f.set_line(f.key_line("her-los-angeles", "date"), f'date = "{date}"')
    f.set_line(f.key_line("her-seoul", "milestone"), None)
    line = f.key_line("her-los-angeles", "time")
    assert _problems(pack_copy, seeds_dir) == [f"{pack_copy / 'tours.toml'}:{line}: show 'her-los-angeles': {words}"]


def test_show_time_that_happens_twice_asks_which(pack_copy, pack_file, seeds_dir):
    _f, line = _show(pack_file, "2024-11-03", "01:30", "America/Los_Angeles")
    f = pack_file("tours.toml")
    f.set_line(f.key_line("her-los-angeles", "milestone"), None)
    line = f.key_line("her-los-angeles", "time")
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'tours.toml'}:{line}: show 'her-los-angeles': 01:30 happens twice in America/Los_Angeles "
        'on 2024-11-03 (clocks go back): say which with offset = "-07:00" for the first or offset = "-08:00" '
        "for the second"
    ]


@pytest.mark.parametrize(("offset", "utc"), [("-07:00", "08:30"), ("-08:00", "09:30")])
def test_offset_picks_the_occurrence_of_a_repeated_time(offset, utc, pack_copy, pack_file, seeds_dir):
    _show(pack_file, "2024-11-03", "01:30", "America/Los_Angeles", offset)
    f = pack_file("tours.toml")
    f.set_line(f.key_line("her-los-angeles", "milestone"), None)
    packs, problems = load_packs([pack_copy], seeds_dir)
    assert problems == []
    show = next(s for s in packs[0].shows if s.id == "her-los-angeles")
    assert show.starts_at == dt.datetime.fromisoformat(f"2024-11-03T{utc}:00+00:00")


def test_offset_that_is_neither_occurrence_is_refused(pack_copy, pack_file, seeds_dir):
    _show(pack_file, "2024-11-03", "01:30", "America/Los_Angeles", "-05:00")
    f = pack_file("tours.toml")
    f.set_line(f.key_line("her-los-angeles", "milestone"), None)
    line = f.key_line("her-los-angeles", "offset")
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'tours.toml'}:{line}: show 'her-los-angeles': 'offset' '-05:00' is neither of the times "
        '01:30 in America/Los_Angeles on 2024-11-03 ("-07:00" first, "-08:00" second)'
    ]


def test_wrong_offset_on_an_ordinary_time_is_refused(pack_copy, pack_file, seeds_dir):
    _show(pack_file, "2024-08-02", "19:30", "America/Los_Angeles", "-08:00")
    line = pack_file("tours.toml").key_line("her-los-angeles", "offset")
    assert _problems(pack_copy, seeds_dir) == [
        f"{pack_copy / 'tours.toml'}:{line}: show 'her-los-angeles': 'offset' '-08:00' is wrong: 19:30 in "
        "America/Los_Angeles on 2024-08-02 is at UTC-07:00"
    ]


def test_ordinary_show_time_needs_no_offset(pack_copy, pack_file, seeds_dir):
    _show(pack_file, "2024-08-02", "19:30", "America/Los_Angeles")
    packs, problems = load_packs([pack_copy], seeds_dir)
    assert problems == []
    show = next(s for s in packs[0].shows if s.id == "her-los-angeles")
    assert show.starts_at == dt.datetime(2024, 8, 3, 2, 30, tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bot.content.loader import local_time_problem  # noqa: E402
from bot.content.model import local_start  # noqa: E402

ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Seoul",
    "Pacific/Apia",
    "Europe/Dublin",
    "America/St_Johns",
    "Asia/Tehran",
    "Africa/Casablanca",
]


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.dates(dt.date(2005, 1, 1), dt.date(2030, 12, 31)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.sampled_from([None, 0, 1]),
)
def test_an_accepted_local_time_is_the_instant_shown_back(zone, day, time, pick):
    """Whatever check accepts starts at an instant whose wall clock in the zone is exactly what was written;
    and a time with two readings is accepted only with an offset, which then picks that reading."""
    from zoneinfo import ZoneInfo

    offsets = {dt.datetime.combine(day, time, tzinfo=ZoneInfo(zone)).replace(fold=f).utcoffset() for f in (0, 1)}
    offset = None
    if pick is not None:
        reading = dt.datetime.combine(day, time, tzinfo=ZoneInfo(zone)).replace(fold=pick).utcoffset()
        minutes = int(reading.total_seconds() // 60)
        offset = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    fold, why, _key = local_time_problem(day, time, zone, offset)
    if why is None:
        instant = local_start(day, time, zone, fold)
        wall = instant.astimezone(ZoneInfo(zone))
        assert (wall.date(), wall.time()) == (day, time)
        if len(offsets) == 2:
            assert offset is not None and wall.utcoffset() == reading
    else:
        assert why.startswith(f"{time:%H:%M} does not exist") or len(offsets) == 2
