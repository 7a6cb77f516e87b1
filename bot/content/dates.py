"""Date math for fans: reading the days people type, and anniversaries in the zone an event happened in."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
import unicodedata

from bot.content.model import local_start

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_NUMERIC = re.compile(r"^(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})$")
_MONTH_DAY_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")  # 1/24/2024, month first like 1/24
_KOREAN = re.compile(r"^(?:(\d{4})년)?(\d{1,2})월(\d{1,2})일?$")
_WORDS = re.compile(r"^(?:([a-z]+)(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?([a-z]+))(?:,?(\d{4}))?$")


@dataclasses.dataclass(frozen=True)
class MonthDay:
    month: int
    day: int
    year: int | None = None

    @property
    def key(self) -> str:
        """``MM-DD``, as the store indexes dated rows."""
        return f"{self.month:02d}-{self.day:02d}"

    def label(self, lang: str) -> str:
        if lang == "ko":
            return f"{self.year}년 {self.month}월 {self.day}일" if self.year else f"{self.month}월 {self.day}일"
        name = calendar.month_name[self.month]
        return f"{name} {self.day}, {self.year}" if self.year else f"{name} {self.day}"


def parse_day(text: str) -> MonthDay | None:
    """Read '03-02', '2024-03-02', '3/2', '3/2/2024', 'March 2', '2 Mar', 'March 2nd, 2024' or '3월 2일'. None if unreadable."""
    raw = unicodedata.normalize("NFKC", text).strip().lower()[:40]
    compact = re.sub(r"\s+", "", raw)
    year = month = day = None
    if (found := _NUMERIC.match(compact)) or (found := _KOREAN.match(compact)):
        year, month, day = found.group(1), found.group(2), found.group(3)
    elif found := _MONTH_DAY_YEAR.match(compact):
        month, day, year = found.group(1), found.group(2), found.group(3)
    elif found := _WORDS.match(compact.replace(".", "")):
        name = found.group(1) or found.group(4)
        day = found.group(2) or found.group(3)
        year = found.group(5)
        month = MONTHS.get(name or "")
    if month is None or day is None:
        return None
    month_n, day_n = int(month), int(day)
    year_n = int(year) if year else None
    check_year = year_n or 2024  # a leap year, so 02-29 is a real day
    try:
        dt.date(check_year, month_n, day_n)
    except ValueError:
        return None
    return MonthDay(month_n, day_n, year_n)


def anniversary(day: dt.date, year: int) -> dt.date:
    """The date's anniversary in ``year``; 29 February falls on the 28th in common years."""
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return day.replace(year=year)


def next_anniversary(day: dt.date, zone: str, now: dt.datetime) -> tuple[dt.datetime, int]:
    """The next start of the date's anniversary in its own zone (DST-aware), and which anniversary it is."""
    year = now.astimezone(dt.timezone.utc).year - 1
    while True:
        candidate = anniversary(day, year)
        instant = local_start(candidate, None, zone)
        if instant > now and year > day.year:
            return instant, year - day.year
        year += 1
