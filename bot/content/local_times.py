"""Local wall times that don't exist or happen twice at a daylight-saving change (issue 9 item 6).

Pure functions over :mod:`zoneinfo`; the loader calls :func:`local_time_problem` for every show with a time.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

#: A UTC offset as a pack writes it: "+09:00", "-04:00".
OFFSET_RE = re.compile(r"^[+-](\d{2}):(\d{2})\Z")


def local_time_problem(
    day: dt.date, time: dt.time, zone_name: str, offset: str | None = None
) -> tuple[int, str | None, str]:
    """Whether a local wall time names exactly one instant in an IANA zone (issue 9 item 6).

    Returns ``(fold, problem, key)``: ``fold`` 0 or 1 picks the occurrence (as :class:`datetime.datetime`
    does), ``problem`` is None when the time is usable, else the sentence for the problem line, about ``key``
    ("time" or "offset"). A time in a daylight-saving gap never happens; a time in a fold happens twice and
    needs ``offset`` ("+HH:MM"/"-HH:MM", the UTC offset in force then) to say which."""
    zone = ZoneInfo(zone_name)
    naive = dt.datetime.combine(day, time)
    first, second = (naive.replace(tzinfo=zone, fold=f) for f in (0, 1))
    at = f"in {zone_name} on {day.isoformat()}"
    hhmm = f"{time:%H:%M}"
    if first.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None) != naive:
        before, after = _gap_edges(first, second)
        return 0, f"{hhmm} does not exist {at}: clocks jump from {before} to {after}", "time"
    labels = [_offset_text(first.utcoffset()), _offset_text(second.utcoffset())]
    if labels[0] != labels[1]:
        if offset is None:
            return (
                0,
                (
                    f'{hhmm} happens twice {at} (clocks go back): say which with offset = "{labels[0]}" '
                    f'for the first or offset = "{labels[1]}" for the second'
                ),
                "time",
            )
        if offset not in labels:
            return (
                0,
                (
                    f"'offset' {offset!r} is neither of the times {hhmm} {at} "
                    f'("{labels[0]}" first, "{labels[1]}" second)'
                ),
                "offset",
            )
        return labels.index(offset), None, "time"
    if offset is not None and offset != labels[0]:
        return 0, f"'offset' {offset!r} is wrong: {hhmm} {at} is at UTC{labels[0]}", "offset"
    return 0, None, "time"


def _offset_text(offset: dt.timedelta | None) -> str:
    minutes = int((offset or dt.timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _gap_edges(first: dt.datetime, second: dt.datetime) -> tuple[str, str]:
    """The wall-clock times either side of the daylight-saving jump that skips ``first``'s local time.

    ``first``/``second`` are the same naive time with fold 0 and 1: read with the offset before and after
    the jump. The jump happens at one UTC instant between their two readings; found by bisection."""
    lo = second.astimezone(dt.timezone.utc)
    hi = first.astimezone(dt.timezone.utc)
    lo, hi = min(lo, hi), max(lo, hi)
    zone = first.tzinfo
    before = lo.astimezone(zone).utcoffset()
    while hi - lo > dt.timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(zone).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    after = hi.astimezone(zone).utcoffset() or dt.timedelta()
    jump = hi.replace(tzinfo=None, second=0, microsecond=0)  # transitions fall on whole minutes
    before_local, after_local = jump + (before or dt.timedelta()), jump + after

    def show(t: dt.datetime) -> str:
        return f"{t:%H:%M}" if t.date() == first.date() else f"{t:%Y-%m-%d %H:%M}"

    return show(before_local), show(after_local)
