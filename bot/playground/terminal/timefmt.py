"""Time for a terminal reader: spans typed as ``3d``/``2h``, and Discord's ``<t:UNIX:STYLE>`` drawn the way
the reader's client would (their zone, their language; https://discord.com/developers/docs/reference#message-formatting).
"""

from __future__ import annotations

import datetime as dt
import re

from bot.render.common import day_text

from .parsing import PlaygroundError

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|s)", re.I)
_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_UNIT_WORDS = {
    "weeks": "w",
    "week": "w",
    "days": "d",
    "day": "d",
    "hours": "h",
    "hour": "h",
    "minutes": "m",
    "minute": "m",
    "mins": "m",
    "min": "m",
    "seconds": "s",
    "second": "s",
    "secs": "s",
    "sec": "s",
}


def parse_duration(text: str) -> dt.timedelta:
    """``3d``, ``2h``, ``30m``, ``1w``, ``1d12h``, ``2 days``, ``-1d``; raises PlaygroundError otherwise."""
    raw = text.strip().lower()
    sign = -1 if raw.startswith("-") else 1
    raw = raw.lstrip("+-").strip()
    for word, unit in sorted(_UNIT_WORDS.items(), key=lambda kv: -len(kv[0])):
        raw = re.sub(rf"(?<=[\d\s]){word}\b", unit, raw)
    raw = raw.replace(" ", "")
    if not raw or _DURATION_PART.sub("", raw):
        raise PlaygroundError(f"can't read {text.strip()!r} as a time span; try 3d, 2h, 30m, 1w or 1d12h")
    seconds = sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in _DURATION_PART.findall(raw))
    if seconds > 100 * 365 * 86400:
        raise PlaygroundError("that's more than a century; try something smaller")
    return dt.timedelta(seconds=sign * seconds)


def describe_span(delta: dt.timedelta) -> str:
    seconds = abs(delta.total_seconds())
    parts = []
    for name, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{int(count)} {name}{'s' if count != 1 else ''}")
    return ", ".join(parts) or "less than a minute"


_UNITS_KO = {"minute": "분", "hour": "시간", "day": "일", "month": "달", "year": "년"}
_ONE_KO = {"minute": "1분", "hour": "한 시간", "day": "하루", "month": "한 달", "year": "일 년"}
_WEEKDAYS_KO = "월화수목금토일"
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

#: The styles of Discord's ``<t:UNIX:STYLE>`` (its reference, "Timestamp Styles"; ``f`` when none is given).
STYLES = "tTdDfFsSR"


def relative(when: dt.datetime, now: dt.datetime, lang: str = "en") -> str:
    """Like Discord's ``<t:...:R>``: "in 3 days", "2 years ago", "in a few seconds" (Korean: "3일 후")."""
    seconds = (when - now).total_seconds()
    past = seconds < 0
    s = abs(seconds)
    minutes, hours, days = s / 60, s / 3600, s / 86400
    if s < 45:
        n, unit = 0, "second"
    elif minutes < 45:
        n, unit = round(minutes) or 1, "minute"
    elif hours < 22:
        n, unit = round(hours) or 1, "hour"
    elif days < 26:
        n, unit = round(days) or 1, "day"
    elif days < 320:
        n, unit = round(days / 30.4375) or 1, "month"
    else:
        n, unit = round(days / 365.25) or 1, "year"
    if lang == "ko":
        amount = "몇 초" if unit == "second" else (_ONE_KO[unit] if n == 1 else f"{n}{_UNITS_KO[unit]}")
        return f"{amount} {'전' if past else '후'}"
    if unit == "second":
        amount = "a few seconds"
    elif n == 1:
        amount = "an hour" if unit == "hour" else f"a {unit}"
    else:
        amount = f"{n} {unit}s"
    return f"{amount} ago" if past else f"in {amount}"


def format_stamp(when: dt.datetime, style: str, now: dt.datetime, tz: dt.tzinfo | None = None, lang: str = "en") -> str:
    """One Discord timestamp style as a reader in ``tz`` (default: this computer's zone) would see it, in
    Discord's language ``lang`` ("ko" for Korean; anything else gets the en-US forms), relative to ``now``.

    Discord's reference ("Message Formatting", timestamp styles, since October 2025) names the styles by their
    CLDR date and time lengths: ``t`` short time, ``T`` medium time, ``d`` short date, ``D`` long date, ``f``
    long date with short time, ``F`` full date with short time, ``s``/``S`` short date with short/medium
    time, ``R`` relative. For en-US (12-hour clock) at 10:00 on Wednesday 2 December 2026: "10:00 AM",
    "10:00:00 AM", "12/02/2026", "December 2, 2026", "December 2, 2026 at 10:00 AM", "Wednesday, December 2,
    2026 at 10:00 AM", "12/02/2026, 10:00 AM", "12/02/2026, 10:00:00 AM"; the "at" and the comma are CLDR's
    English date-time joins, as in the reference's examples. For Korean, CLDR's ko patterns ("y년 MMMM d일",
    "y년 MMMM d일 EEEE", "a h:mm", "a h:mm:ss", joined "{date} {time}"): "오전 10:00", "2026년 12월 2일 수요일
    오전 10:00". The short date keeps a four-digit year and two-digit month and day, as in the reference's
    example ("20/04/2021"): "12/02/2026", "2026. 12. 02.".
    """
    if style == "R":
        return relative(when, now, lang)
    local = when.astimezone(tz) if tz is not None else when.astimezone()
    hour12 = local.hour % 12 or 12
    long_date = day_text(local.date(), lang)  # "December 2, 2026" / "2026년 12월 2일", as cards print dates
    if lang == "ko":
        noon = "오전" if local.hour < 12 else "오후"
        short_time = f"{noon} {hour12}:{local:%M}"
        medium_time = f"{short_time}:{local:%S}"
        short_date = f"{local:%Y. %m. %d.}"
        full_date = f"{long_date} {_WEEKDAYS_KO[local.weekday()]}요일"
        joined, at = " ", " "
    else:
        short_time = f"{hour12}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"
        medium_time = f"{hour12}:{local:%M:%S} {'AM' if local.hour < 12 else 'PM'}"
        short_date = f"{local:%m/%d/%Y}"
        full_date = f"{_WEEKDAYS[local.weekday()]}, {long_date}"
        joined, at = ", ", " at "
    return {
        "t": short_time,
        "T": medium_time,
        "d": short_date,
        "D": long_date,
        "F": full_date + at + short_time,
        "s": short_date + joined + short_time,
        "S": short_date + joined + medium_time,
    }.get(style, long_date + at + short_time)


def local_zone(now: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """The playground reader's time zone at ``now`` (``tz``; None: this computer's, which the ``TZ`` environment
    variable changes), as its abbreviation and UTC offset: "UTC", "KST (UTC+09:00)"."""
    local = now.astimezone(tz)
    minutes = int((local.utcoffset() or dt.timedelta()).total_seconds() // 60)
    offset = f"UTC{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    name = local.tzname() or offset
    return name if minutes == 0 and name in ("UTC", "GMT") else f"{name} ({offset})"


_STAMP = re.compile(rf"<t:(-?\d{{1,13}})(?::([{STYLES}]))?>")


def render_timestamps(text: str, now: dt.datetime, tz: dt.tzinfo | None = None, lang: str = "en") -> str:
    """Replace Discord's ``<t:UNIX:STYLE>`` with what a reader would see in ``tz``, relative to ``now``."""

    def one(match: re.Match[str]) -> str:
        try:
            when = dt.datetime.fromtimestamp(int(match[1]), dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return match[0]
        return format_stamp(when, match[2] or "f", now, tz, lang)

    return _STAMP.sub(one, text)
