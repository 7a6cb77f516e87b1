"""Content repositories: read-only views of what `ingest` loaded from the packs, memoised.

Content changes only when `ingest` runs (in another process); :meth:`bot.db.store.Store.content_changed`
notices that and clears the memo. Results come back as the records of :mod:`bot.content.model`, so what a
pack says and what the store returns are the same types. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiosqlite

from bot.content.model import Article, Artist, Credit, Fact, Question, Show, Song, Tour
from bot.records import PackSummary


def _list(raw: str | None) -> tuple[str, ...]:
    return tuple(json.loads(raw)) if raw else ()


def _date(raw: str | None) -> dt.date | None:
    return dt.date.fromisoformat(raw) if raw else None


def _artist(r: sqlite3.Row) -> Artist:
    return Artist(
        id=r["id"],
        pack=r["pack_id"],
        name=r["name"],
        name_ko=r["name_ko"],
        aliases=_list(r["aliases"]),
        group=r["grp"],
        source=r["source"],
        quote=r["quote"],
    )


def _song(r: sqlite3.Row) -> Song:
    return Song(
        id=r["id"],
        pack=r["pack_id"],
        title=r["title"],
        title_ko=r["title_ko"],
        aliases=_list(r["aliases"]),
        released=_date(r["released"]),
        zone=r["zone"],
        credits=tuple(Credit(artist, role) for artist, role in json.loads(r["credits"])),
        source=r["source"],
        quote=r["quote"],
    )


def _tour(r: sqlite3.Row) -> Tour:
    return Tour(
        id=r["id"],
        pack=r["pack_id"],
        name=r["name"],
        name_ko=r["name_ko"],
        artist=r["artist_id"],
        aliases=_list(r["aliases"]),
        regions=_list(r["regions"]),
        regions_ko=_list(r["regions_ko"]),
        source=r["source"],
        quote=r["quote"],
    )


def _show(r: sqlite3.Row) -> Show:
    return Show(
        id=r["id"],
        pack=r["pack_id"],
        tour=r["tour_id"],
        date=dt.date.fromisoformat(r["day"]),
        time=dt.time.fromisoformat(r["time"]) if r["time"] else None,
        zone=r["zone"],
        city=r["city"],
        city_ko=r["city_ko"],
        country=r["country"],
        country_ko=r["country_ko"],
        venue=r["venue"],
        venue_ko=r["venue_ko"],
        milestone=r["milestone"],
        aliases=_list(r["aliases"]),
        source=r["source"],
        quote=r["quote"],
        fold=r["fold"],
    )


# Facts are selected with their subjects folded in, so one query returns whole records.
FACT_COLUMNS = (
    "f.id, f.pack_id, f.kind, f.text, f.text_ko, f.day, f.zone, f.source, f.quote, "
    "(SELECT group_concat(subject, ' ') FROM fact_subjects WHERE fact_id = f.id) AS about"
)


def _fact(r: sqlite3.Row) -> Fact:
    about = tuple(sorted(r["about"].split())) if r["about"] else ()
    return Fact(
        id=r["id"],
        pack=r["pack_id"],
        kind=r["kind"],
        about=about,
        text=r["text"],
        text_ko=r["text_ko"],
        date=_date(r["day"]),
        zone=r["zone"],
        source=r["source"],
        quote=r["quote"],
    )


def _question(r: sqlite3.Row) -> Question:
    return Question(
        id=r["id"],
        pack=r["pack_id"],
        question=r["question"],
        question_ko=r["question_ko"],
        answer=r["answer"],
        answer_ko=r["answer_ko"],
        aliases=_list(r["aliases"]),
        wrong=_list(r["wrong"]),
        wrong_ko=_list(r["wrong_ko"]),
        fact=r["fact_id"],
    )


_MISS = object()
R = TypeVar("R")


class ContentMemo:
    """A bounded (``size`` entries, least recently used out first) read-through cache for content reads.

    Community data (history, settings) is never cached here.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self.items: OrderedDict[tuple[object, ...], object] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> object:
        value = self.items.get(key, _MISS)
        if value is not _MISS:
            self.items.move_to_end(key)
        return value

    def put(self, key: tuple[object, ...], value: object) -> None:
        self.items[key] = value
        if len(self.items) > self.size:
            self.items.popitem(last=False)

    def clear(self) -> None:
        self.items.clear()


def memoised(method: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:
    """Memoise a read of content tables. Lists come back as fresh copies, so callers may sort them."""

    @functools.wraps(method)
    async def read(self: Repository, *args: Any, **kwargs: Any) -> R:
        key = (method.__qualname__, args, tuple(sorted(kwargs.items())))
        hit = self.memo.get(key)
        if hit is _MISS:
            hit = await method(self, *args, **kwargs)
            self.memo.put(key, tuple(hit) if isinstance(hit, list) else hit)
        return list(hit) if isinstance(hit, tuple) else hit  # type: ignore[return-value]

    return read


class Repository:
    """Reads on the store's read connection (WAL: never blocked by the writer)."""

    def __init__(self, conn: aiosqlite.Connection, memo: ContentMemo) -> None:
        self.conn = conn
        self.memo = memo

    # One thread hop per query: execute and fetch together.
    async def _all(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def _one(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        rows = await self.conn.execute_fetchall(sql, params)
        return next(iter(rows), None)


# How many days after ``now``'s UTC date a row's month-day comes round again (0..365), for "soonest first".
_SOON = "((CAST(julianday(?1 || substr({col}, 5)) - julianday(?2) AS INTEGER) % 366) + 366) % 366"


def _soon_args(now: dt.datetime) -> tuple[str, str]:
    today = now.astimezone(dt.timezone.utc).date()
    return str(today.year), today.isoformat()


class Artists(Repository):
    @memoised
    async def all(self) -> list[Artist]:
        """Every artist, by name (case-insensitive)."""
        return [_artist(r) for r in await self._all("SELECT * FROM artists ORDER BY name COLLATE NOCASE")]


class Songs(Repository):
    async def all(self) -> list[Song]:  # read once to build the catalogue: not worth a memo entry
        """Every song in title order (case-insensitive, then id)."""
        return [_song(r) for r in await self._all("SELECT * FROM songs ORDER BY title COLLATE NOCASE, id")]

    @memoised
    async def get(self, song_id: str) -> Song | None:
        row = await self._one("SELECT * FROM songs WHERE id = ?", (song_id,))
        return _song(row) if row else None

    @memoised
    async def count(self) -> int:
        row = await self._one("SELECT count(*) FROM songs")
        return int(row[0]) if row else 0

    async def page(self, offset: int, limit: int) -> list[Song]:
        """One page of the song list in title order (``offset`` and ``limit`` in songs)."""
        rows = await self._all(
            "SELECT * FROM songs ORDER BY title COLLATE NOCASE, id LIMIT ? OFFSET ?", (limit, offset)
        )
        return [_song(r) for r in rows]

    async def anniversaries_soon(self, now: dt.datetime, limit: int) -> list[Song]:
        """Songs whose release anniversary comes soonest after ``now`` (roughly; callers compute exact times)."""
        order = _SOON.format(col="released")
        rows = await self._all(
            f"SELECT * FROM songs WHERE released IS NOT NULL ORDER BY {order}, id LIMIT ?3",  # noqa: S608 - constant SQL fragments, values bound with ?
            (*_soon_args(now), limit),
        )
        return [_song(r) for r in rows]

    @memoised
    async def released_on(self, month_day: str) -> list[Song]:
        """Songs released on ``month_day`` ("MM-DD") of any year, oldest first."""
        rows = await self._all("SELECT * FROM songs WHERE substr(released, 6, 5) = ? ORDER BY released", (month_day,))
        return [_song(r) for r in rows]


# A show's local day ends at most 25 hours (a day with a daylight-saving fall-back) after it starts.
_LONGEST_DAY_SECONDS = 25 * 3600


class Tours(Repository):
    @memoised
    async def all(self) -> list[Tour]:
        """Every tour, by name (case-insensitive)."""
        return [_tour(r) for r in await self._all("SELECT * FROM tours ORDER BY name COLLATE NOCASE")]

    @memoised
    async def get(self, tour_id: str) -> Tour | None:
        row = await self._one("SELECT * FROM tours WHERE id = ?", (tour_id,))
        return _tour(row) if row else None

    @memoised
    async def shows(self, tour_id: str) -> list[Show]:
        """A tour's shows in start order."""
        rows = await self._all("SELECT * FROM shows WHERE tour_id = ? ORDER BY starts_at, id", (tour_id,))
        return [_show(r) for r in rows]

    async def all_shows(self) -> list[Show]:  # read once to build the catalogue
        return [_show(r) for r in await self._all("SELECT * FROM shows ORDER BY starts_at, id")]

    @memoised
    async def shows_on(self, month_day: str) -> list[Show]:
        """Shows played on ``month_day`` ("MM-DD", their own local date) of any year, oldest first."""
        rows = await self._all("SELECT * FROM shows WHERE substr(day, 6, 5) = ? ORDER BY day", (month_day,))
        return [_show(r) for r in rows]

    async def milestones_soon(self, now: dt.datetime, limit: int) -> list[Show]:
        """First shows and finales whose anniversary comes soonest after ``now``."""
        order = _SOON.format(col="day")
        rows = await self._all(
            f"SELECT * FROM shows WHERE milestone IS NOT NULL ORDER BY {order}, id LIMIT ?3",  # noqa: S608 - constant SQL fragments, values bound with ?
            (*_soon_args(now), limit),
        )
        return [_show(r) for r in rows]

    async def upcoming(self, now: dt.datetime, limit: int = 25) -> list[Show]:
        """The next ``limit`` shows that are not over at ``now``, in start order.

        "Not over" is :meth:`bot.content.model.Show.is_over`, the one rule for it: a show stays upcoming
        until its own local day has ended (issue 9, item 5), so today's show is still listed tonight.
        """
        found: list[Show] = []
        offset = 0
        since = int(now.timestamp()) - _LONGEST_DAY_SECONDS
        while len(found) < limit:
            rows = await self._all(
                "SELECT * FROM shows WHERE starts_at >= ? ORDER BY starts_at, id LIMIT ? OFFSET ?",
                (since, limit, offset),
            )
            found += [show for show in map(_show, rows) if not show.is_over(now)]
            if len(rows) < limit:
                break
            offset += limit
        return found[:limit]


class Facts(Repository):
    @memoised
    async def get(self, fact_id: str) -> Fact | None:
        row = await self._one(f"SELECT {FACT_COLUMNS} FROM facts f WHERE f.id = ?", (fact_id,))  # noqa: S608 - constant SQL fragments, values bound with ?
        return _fact(row) if row else None

    @memoised
    async def about(self, subject: str, kinds: tuple[str, ...] | None = None, limit: int = 100) -> list[Fact]:
        """Facts about a subject (optionally only some kinds), in pack order."""
        kind_filter = f"AND f.kind IN ({', '.join('?' for _ in kinds)})" if kinds else ""
        rows = await self._all(
            f"SELECT {FACT_COLUMNS} FROM fact_subjects s JOIN facts f ON f.id = s.fact_id "  # noqa: S608 - constant SQL fragments, values bound with ?
            f"WHERE s.subject = ? {kind_filter} ORDER BY f.rowid LIMIT ?",
            (subject, *(kinds or ()), limit),
        )
        return [_fact(r) for r in rows]

    @memoised
    async def tally(self, subject: str) -> tuple[int, int]:
        """How many facts a subject has, and from how many source articles."""
        row = await self._one(
            "SELECT count(*), count(DISTINCT f.source) FROM fact_subjects s JOIN facts f ON f.id = s.fact_id "
            "WHERE s.subject = ?",
            (subject,),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    @memoised
    async def on(self, month_day: str) -> list[Fact]:
        """Dated facts on ``month_day`` ("MM-DD") of any year, oldest first."""
        rows = await self._all(
            f"SELECT {FACT_COLUMNS} FROM facts f WHERE f.day IS NOT NULL AND substr(f.day, 6, 5) = ? "  # noqa: S608 - constant SQL fragments, values bound with ?
            "ORDER BY f.day, f.rowid",
            (month_day,),
        )
        return [_fact(r) for r in rows]

    POOL = (
        "SELECT f.id FROM facts f WHERE (?1 IS NULL OR f.kind = ?1) AND (?2 IS NULL OR EXISTS "
        "(SELECT 1 FROM fact_subjects s WHERE s.fact_id = f.id AND s.subject = ?2))"
    )

    @memoised
    async def pool(self, kind: str | None, subject: str | None) -> list[str]:
        """Ids of the facts matching the filters (None: any), in pack order."""
        return [r[0] for r in await self._all(f"{self.POOL} ORDER BY f.rowid", (kind, subject))]


class Questions(Repository):
    async def all(self) -> list[Question]:
        """Every trivia question, in pack order."""
        return [_question(r) for r in await self._all("SELECT * FROM questions ORDER BY rowid")]


class Articles(Repository):
    @memoised
    async def all(self) -> list[Article]:
        """Every seed article the packs describe, by file name."""
        rows = await self._all("SELECT * FROM articles ORDER BY id")
        return [
            Article(
                id=r["id"],
                pack=r["pack_id"],
                title=r["title"],
                title_ko=r["title_ko"],
                publisher=r["publisher"],
                author=r["author"],
                published=_date(r["published"]),
                dateline=r["dateline"],
            )
            for r in rows
        ]


class Packs(Repository):
    @memoised
    async def summary(self) -> list[PackSummary]:
        """Each loaded pack with its record counts, by pack id."""
        rows = await self._all(
            "SELECT p.id, p.name, p.name_ko, "
            "(SELECT count(*) FROM artists WHERE pack_id = p.id), (SELECT count(*) FROM songs WHERE pack_id = p.id), "
            "(SELECT count(*) FROM tours WHERE pack_id = p.id), (SELECT count(*) FROM shows WHERE pack_id = p.id), "
            "(SELECT count(*) FROM facts WHERE pack_id = p.id), "
            "(SELECT count(*) FROM questions WHERE pack_id = p.id) FROM packs p ORDER BY p.id"
        )
        return [PackSummary(*tuple(r)) for r in rows]

    @memoised
    async def sources(self) -> list[tuple[str, int]]:
        """Each seed article the content quotes, with how many facts cite it, by file name."""
        rows = await self._all("SELECT source, count(*) FROM facts GROUP BY source ORDER BY source")
        return [(r[0], int(r[1])) for r in rows]
