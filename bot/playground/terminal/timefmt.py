"""Time for a terminal reader: spans typed as ``3d``/``2h``, and Discord's ``<t:UNIX:STYLE>`` drawn the way
the reader's client would (their zone, their language; https://discord.com/developers/docs/reference#message-formatting).
"""

from __future__ import annotations

import datetime as dt
import re

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
    """One Discord timestamp style as a reader in ``tz`` (default: this computer's zone) would see it."""
    if style == "R":
        return relative(when, now, lang)
    local = when.astimezone(tz) if tz is not None else when.astimezone()
    if lang == "ko":
        noon = "오전" if local.hour < 12 else "오후"
        clock = f"{noon} {local.hour % 12 or 12}:{local:%M}"
        day = f"{local.year}년 {local.month}월 {local.day}일"
        return {
            "t": clock,
            "T": f"{clock}:{local:%S}",
            "d": f"{local:%Y. %m. %d.}",
            "D": day,
            "F": f"{day} {_WEEKDAYS_KO[local.weekday()]}요일 {clock}",
        }.get(style, f"{day} {clock}")
    day = f"{local.day} {local:%B %Y}"
    return {
        "t": f"{local:%H:%M}",
        "T": f"{local:%H:%M:%S}",
        "d": f"{local:%d/%m/%Y}",
        "D": day,
        "F": f"{local:%A}, {day} {local:%H:%M}",
    }.get(style, f"{day} {local:%H:%M}")


_STAMP = re.compile(r"<t:(-?\d{1,13})(?::([tTdDfFR]))?>")


def render_timestamps(text: str, now: dt.datetime, tz: dt.tzinfo | None = None, lang: str = "en") -> str:
    """Replace Discord's ``<t:UNIX:STYLE>`` with what a reader would see in ``tz``, relative to ``now``."""

    def one(match: re.Match[str]) -> str:
        try:
            when = dt.datetime.fromtimestamp(int(match[1]), dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return match[0]
        return format_stamp(when, match[2] or "f", now, tz, lang)

    return _STAMP.sub(one, text)
