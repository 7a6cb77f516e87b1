"""Validated content records: what a pack says, with no Discord and no SQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

FACT_KINDS = ("fact", "behind-the-scenes", "chart-record", "music-video", "tour", "reception")
CREDIT_ROLES = ("vocals", "featuring", "music-video", "songwriting", "production")
MILESTONES = ("first", "finale")
REF_KINDS = ("artist", "song", "tour")


def local_start(day: dt.date, time: dt.time | None, zone: str, fold: int = 0) -> dt.datetime:
    """The UTC instant a local date (and optional time) begins in an IANA zone, DST-aware.

    ``fold`` picks the occurrence of a local time that happens twice (0: the first, 1: the second), as in
    :class:`datetime.datetime`; the pack checker refuses times that don't exist and makes packs say which
    occurrence they mean (issue 9 item 6)."""
    local = dt.datetime.combine(day, time or dt.time(0, 0), tzinfo=ZoneInfo(zone)).replace(fold=fold)
    return local.astimezone(dt.timezone.utc)


def local_day_end(day: dt.date, zone: str) -> dt.datetime:
    """The UTC instant a local calendar date ends in an IANA zone: the next local midnight, DST-aware.

    The one rule for "is a date-only thing over" (a show, a server's own date): its day lasts until then,
    23 or 25 hours on a daylight-saving change day (America/New_York 2026-03-08 and 2026-11-01), never a
    fixed 24. Where the clocks skip midnight (America/Santiago), the day ends at the jump."""
    return local_start(day + dt.timedelta(days=1), None, zone)


@dataclasses.dataclass(frozen=True)
class Sourced:
    source: str | None
    quote: str | None


@dataclasses.dataclass(frozen=True)
class Artist(Sourced):
    id: str
    pack: str
    name: str
    name_ko: str | None = None
    aliases: tuple[str, ...] = ()
    group: str | None = None


@dataclasses.dataclass(frozen=True)
class Credit:
    artist: str
    role: str


@dataclasses.dataclass(frozen=True)
class Song(Sourced):
    id: str
    pack: str
    title: str
    title_ko: str | None = None
    aliases: tuple[str, ...] = ()
    released: dt.date | None = None
    zone: str | None = None
    credits: tuple[Credit, ...] = ()

    @property
    def released_at(self) -> dt.datetime | None:
        if self.released is None or self.zone is None:
            return None
        return local_start(self.released, None, self.zone)


@dataclasses.dataclass(frozen=True)
class Tour(Sourced):
    id: str
    pack: str
    name: str
    artist: str
    name_ko: str | None = None
    aliases: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    regions_ko: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Show(Sourced):
    id: str
    pack: str
    tour: str
    date: dt.date
    zone: str
    city: str
    time: dt.time | None = None
    city_ko: str | None = None
    country: str | None = None
    country_ko: str | None = None
    venue: str | None = None
    venue_ko: str | None = None
    milestone: str | None = None
    aliases: tuple[str, ...] = ()
    fold: int = 0  # which occurrence of a local time that happens twice (the pack's `offset`)

    @property
    def starts_at(self) -> dt.datetime:
        return local_start(self.date, self.time, self.zone, self.fold)

    def is_over(self, now: dt.datetime) -> bool:
        """A show counts as played once its local calendar day is over (:func:`local_day_end`)."""
        return now >= local_day_end(self.date, self.zone)


@dataclasses.dataclass(frozen=True)
class Fact(Sourced):
    id: str
    pack: str
    kind: str
    about: tuple[str, ...]
    text: str
    text_ko: str | None = None
    date: dt.date | None = None
    zone: str | None = None


@dataclasses.dataclass(frozen=True)
class Question:
    id: str
    pack: str
    question: str
    answer: str
    wrong: tuple[str, ...]
    fact: str
    question_ko: str | None = None
    answer_ko: str | None = None
    aliases: tuple[str, ...] = ()
    wrong_ko: tuple[str, ...] = ()  # the Korean forms of ``wrong``, in its order; () when the pack gives none


@dataclasses.dataclass(frozen=True)
class Article:
    """A seed article: the file the quotes come from, and how to cite it."""

    id: str  # the seed file name
    pack: str
    title: str
    publisher: str
    title_ko: str | None = None
    author: str | None = None
    published: dt.date | None = None
    dateline: str | None = None  # the article's date line, verbatim ("Last Updated: 07.01 PM, Jan 28, 2024")

    def citation(self, lang: str = "en") -> str:
        title = self.title_ko if lang == "ko" and self.title_ko else self.title
        return f"{self.publisher}: “{title}”"


@dataclasses.dataclass(frozen=True)
class Pack:
    id: str
    name: str
    path: str
    name_ko: str | None = None
    description: str | None = None
    description_ko: str | None = None
    artists: tuple[Artist, ...] = ()
    songs: tuple[Song, ...] = ()
    tours: tuple[Tour, ...] = ()
    shows: tuple[Show, ...] = ()
    facts: tuple[Fact, ...] = ()
    questions: tuple[Question, ...] = ()
    articles: tuple[Article, ...] = ()
