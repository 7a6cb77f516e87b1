"""The async store: every SQL statement the running bot uses lives here.

Cogs call ``await store.songs.get(song_id)`` and never hold SQL. Results come back as the records of
:mod:`bot.content.model`, so what a pack says and what the store returns are the same types.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import functools
import json
import logging
import random
import sqlite3
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.content.model import Article, Artist, Credit, Fact, Question, Show, Song, Tour
from bot.db import migrate
from bot.db.trivia import TriviaRepo

log = logging.getLogger(__name__)


def _list(raw: str | None) -> tuple[str, ...]:
    return tuple(json.loads(raw)) if raw else ()


def _date(raw: str | None) -> dt.date | None:
    return dt.date.fromisoformat(raw) if raw else None


def _artist(r: sqlite3.Row) -> Artist:
    return Artist(id=r["id"], pack=r["pack_id"], name=r["name"], name_ko=r["name_ko"], aliases=_list(r["aliases"]),
                  group=r["grp"], source=r["source"], quote=r["quote"])


def _song(r: sqlite3.Row) -> Song:
    return Song(
        id=r["id"], pack=r["pack_id"], title=r["title"], title_ko=r["title_ko"], aliases=_list(r["aliases"]),
        released=_date(r["released"]), zone=r["zone"], credits=tuple(Credit(a, role) for a, role in
                                                                     json.loads(r["credits"])),
        source=r["source"], quote=r["quote"],
    )


def _tour(r: sqlite3.Row) -> Tour:
    return Tour(id=r["id"], pack=r["pack_id"], name=r["name"], name_ko=r["name_ko"], artist=r["artist_id"],
                aliases=_list(r["aliases"]), regions=_list(r["regions"]), regions_ko=_list(r["regions_ko"]),
                source=r["source"], quote=r["quote"])


def _show(r: sqlite3.Row) -> Show:
    return Show(
        id=r["id"], pack=r["pack_id"], tour=r["tour_id"], date=dt.date.fromisoformat(r["day"]),
        time=dt.time.fromisoformat(r["time"]) if r["time"] else None, zone=r["zone"], city=r["city"],
        city_ko=r["city_ko"], country=r["country"], country_ko=r["country_ko"], venue=r["venue"],
        venue_ko=r["venue_ko"], milestone=r["milestone"], aliases=_list(r["aliases"]), source=r["source"],
        quote=r["quote"],
    )


# Facts are selected with their subjects folded in, so one query returns whole records.
FACT_COLUMNS = (
    "f.id, f.pack_id, f.kind, f.text, f.text_ko, f.day, f.zone, f.source, f.quote, "
    "(SELECT group_concat(subject, ' ') FROM fact_subjects WHERE fact_id = f.id) AS about"
)


def _fact(r: sqlite3.Row) -> Fact:
    about = tuple(sorted(r["about"].split())) if r["about"] else ()
    return Fact(id=r["id"], pack=r["pack_id"], kind=r["kind"], about=about, text=r["text"], text_ko=r["text_ko"],
                date=_date(r["day"]), zone=r["zone"], source=r["source"], quote=r["quote"])


def _question(r: sqlite3.Row) -> Question:
    return Question(id=r["id"], pack=r["pack_id"], question=r["question"], question_ko=r["question_ko"],
                    answer=r["answer"], answer_ko=r["answer_ko"], aliases=_list(r["aliases"]),
                    wrong=_list(r["wrong"]), fact=r["fact_id"])


class ContentMemo:
    """A bounded read-through cache for content reads.

    Content only changes when `ingest` runs (in another process); :meth:`Store.content_changed`
    notices that and clears this. Community data (history, settings) is never cached.
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


_MISS = object()
R = TypeVar("R")


def content(method: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:
    """Memoise a read of content tables. Lists come back as fresh copies, so callers may sort them."""

    @functools.wraps(method)
    async def read(self: _Repo, *args: Any, **kwargs: Any) -> R:
        key = (method.__qualname__, args, tuple(sorted(kwargs.items())))
        hit = self.memo.get(key)
        if hit is _MISS:
            hit = await method(self, *args, **kwargs)
            self.memo.put(key, tuple(hit) if isinstance(hit, list) else hit)
        return list(hit) if isinstance(hit, tuple) else hit  # type: ignore[return-value]

    return read


class _Repo:
    def __init__(self, conn: aiosqlite.Connection, memo: ContentMemo) -> None:
        self.conn = conn
        self.memo = memo

    # One thread hop per query: execute and fetch together.
    async def _all(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def _one(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        rows = await self.conn.execute_fetchall(sql, params)
        return next(iter(rows), None)


class Artists(_Repo):
    @content
    async def all(self) -> list[Artist]:
        return [_artist(r) for r in await self._all("SELECT * FROM artists ORDER BY name COLLATE NOCASE")]


class Songs(_Repo):
    async def all(self) -> list[Song]:  # read once to build the catalogue: not worth a cache entry
        return [_song(r) for r in await self._all("SELECT * FROM songs ORDER BY title COLLATE NOCASE, id")]

    @content
    async def get(self, song_id: str) -> Song | None:
        row = await self._one("SELECT * FROM songs WHERE id = ?", (song_id,))
        return _song(row) if row else None

    @content
    async def count(self) -> int:
        row = await self._one("SELECT count(*) FROM songs")
        return int(row[0]) if row else 0

    async def page(self, offset: int, limit: int) -> tuple[list[Song], int]:
        """One page of the song list in title order, and how many songs there are in all."""
        rows = await self._all("SELECT * FROM songs ORDER BY title COLLATE NOCASE, id LIMIT ? OFFSET ?",
                               (limit, offset))
        return [_song(r) for r in rows], await self.count()

    async def anniversaries_soon(self, now: dt.datetime, limit: int) -> list[Song]:
        """Songs whose release anniversary comes soonest after ``now`` (roughly; callers compute exact times)."""
        order = _SOON.format(col="released")
        rows = await self._all(f"SELECT * FROM songs WHERE released IS NOT NULL ORDER BY {order}, id LIMIT ?3",
                               (*_soon_args(now), limit))
        return [_song(r) for r in rows]

    @content
    async def released_on(self, month_day: str) -> list[Song]:
        rows = await self._all("SELECT * FROM songs WHERE substr(released, 6, 5) = ? ORDER BY released", (month_day,))
        return [_song(r) for r in rows]


_SOON = "((CAST(julianday(?1 || substr({col}, 5)) - julianday(?2) AS INTEGER) % 366) + 366) % 366"


def _soon_args(now: dt.datetime) -> tuple[str, str]:
    today = now.astimezone(dt.timezone.utc).date()
    return str(today.year), today.isoformat()


class Tours(_Repo):
    @content
    async def all(self) -> list[Tour]:
        return [_tour(r) for r in await self._all("SELECT * FROM tours ORDER BY name COLLATE NOCASE")]

    @content
    async def get(self, tour_id: str) -> Tour | None:
        row = await self._one("SELECT * FROM tours WHERE id = ?", (tour_id,))
        return _tour(row) if row else None

    @content
    async def shows(self, tour_id: str) -> list[Show]:
        rows = await self._all("SELECT * FROM shows WHERE tour_id = ? ORDER BY starts_at, id", (tour_id,))
        return [_show(r) for r in rows]

    async def all_shows(self) -> list[Show]:  # read once to build the catalogue
        return [_show(r) for r in await self._all("SELECT * FROM shows ORDER BY starts_at, id")]

    @content
    async def shows_on(self, month_day: str) -> list[Show]:
        rows = await self._all("SELECT * FROM shows WHERE substr(day, 6, 5) = ? ORDER BY day", (month_day,))
        return [_show(r) for r in rows]

    async def milestones_soon(self, now: dt.datetime, limit: int) -> list[Show]:
        """First shows and finales whose anniversary comes soonest after ``now``."""
        order = _SOON.format(col="day")
        rows = await self._all(f"SELECT * FROM shows WHERE milestone IS NOT NULL ORDER BY {order}, id LIMIT ?3",
                               (*_soon_args(now), limit))
        return [_show(r) for r in rows]

    async def upcoming(self, now: dt.datetime, limit: int = 25) -> list[Show]:
        rows = await self._all(
            "SELECT * FROM shows WHERE starts_at >= ? ORDER BY starts_at, id LIMIT ?",
            (int(now.timestamp()) - 86400, limit),
        )
        return [_show(r) for r in rows]


class Facts(_Repo):
    def __init__(self, conn: aiosqlite.Connection, memo: ContentMemo, writer: aiosqlite.Connection) -> None:
        super().__init__(conn, memo)
        self.writer = writer  # history writes wait on their own connection, never in front of reads
        self._seen: OrderedDict[int, set[str]] = OrderedDict()
        self._queue: deque[tuple[str, tuple[object, ...], int]] = deque()
        self._writer: asyncio.Future[None] | None = None
        self._random = random.SystemRandom()

    @content
    async def get(self, fact_id: str) -> Fact | None:
        row = await self._one(f"SELECT {FACT_COLUMNS} FROM facts f WHERE f.id = ?", (fact_id,))
        return _fact(row) if row else None

    @content
    async def about(self, subject: str, kinds: tuple[str, ...] | None = None, limit: int = 100) -> list[Fact]:
        """Facts about a subject (optionally only some kinds), in pack order."""
        kind_filter = f"AND f.kind IN ({', '.join('?' for _ in kinds)})" if kinds else ""
        rows = await self._all(
            f"SELECT {FACT_COLUMNS} FROM fact_subjects s JOIN facts f ON f.id = s.fact_id "
            f"WHERE s.subject = ? {kind_filter} ORDER BY f.rowid LIMIT ?",
            (subject, *(kinds or ()), limit),
        )
        return [_fact(r) for r in rows]

    @content
    async def tally(self, subject: str) -> tuple[int, int]:
        """How many facts a subject has, and from how many source articles."""
        row = await self._one(
            "SELECT count(*), count(DISTINCT f.source) FROM fact_subjects s JOIN facts f ON f.id = s.fact_id "
            "WHERE s.subject = ?",
            (subject,),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    @content
    async def on(self, month_day: str) -> list[Fact]:
        rows = await self._all(
            f"SELECT {FACT_COLUMNS} FROM facts f WHERE f.day IS NOT NULL AND substr(f.day, 6, 5) = ? "
            "ORDER BY f.day, f.rowid",
            (month_day,),
        )
        return [_fact(r) for r in rows]

    async def count(self) -> int:
        row = await self._one("SELECT count(*) FROM facts")
        return int(row[0]) if row else 0

    async def search(self, text: str, limit: int = 10) -> list[Fact]:
        """Full-text search; each word is quoted as a prefix phrase, so no FTS syntax gets through."""
        # '"' would end the phrase and NUL ends the FTS query string early ("unterminated string").
        words = [c for c in (w.replace('"', "").replace("\x00", "") for w in text.split()) if c][:8]
        if not words:
            return []
        query = " ".join(f'"{w}"*' for w in words)
        rows = await self._all(
            f"SELECT {FACT_COLUMNS} FROM facts_fts JOIN facts f ON f.rowid = facts_fts.rowid "
            "WHERE facts_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return [_fact(r) for r in rows]

    # ---- "no repeats in a channel until the pool is used up"
    # The fact_history table is the truth; each channel's seen set is loaded from it once and kept in step
    # (write-through), so a pick costs no database round trip before the reply. Choosing and marking
    # happen with no await in between, so two people asking at once never get the same fact.
    _POOL = (
        "SELECT f.id FROM facts f WHERE (?1 IS NULL OR f.kind = ?1) AND (?2 IS NULL OR EXISTS "
        "(SELECT 1 FROM fact_subjects s WHERE s.fact_id = f.id AND s.subject = ?2))"
    )
    SEEN_CHANNELS = 2048

    @content
    async def pool(self, kind: str | None, subject: str | None) -> list[str]:
        """Ids of the facts matching the filters, in pack order."""
        return [r[0] for r in await self._all(f"{self._POOL} ORDER BY f.rowid", (kind, subject))]

    async def _seen_in(self, channel_id: int) -> set[str]:
        seen = self._seen.get(channel_id)
        if seen is None:
            if any(channel == channel_id for _sql, _params, channel in self._queue):
                await self.flush()  # this channel was evicted with writes still on the way
            rows = await self._all("SELECT fact_id FROM fact_history WHERE channel_id = ?", (channel_id,))
            # Another draw may have loaded (and added to) this channel's set while we waited: use that one.
            seen = self._seen.setdefault(channel_id, {r[0] for r in rows})
            if len(self._seen) > self.SEEN_CHANNELS:
                self._seen.popitem(last=False)
        else:
            self._seen.move_to_end(channel_id)
        return seen

    async def next_unseen(self, channel_id: int, subject: str | None, kind: str | None,
                          now: dt.datetime) -> tuple[Fact | None, bool]:
        """A random fact this channel hasn't seen, and whether the pool had to start over to find it."""
        pool = await self.pool(kind, subject)
        if not pool:
            return None, False
        seen = await self._seen_in(channel_id)
        # from here to the marking below there is no await
        pick = next((c for c in (self._random.choice(pool) for _ in range(8)) if c not in seen), None)
        reset = False
        if pick is None:  # the pool is mostly seen: look at all of it
            unseen = [i for i in pool if i not in seen]
            if not unseen:
                reset = True
                seen.difference_update(pool)
                self._write_behind(f"DELETE FROM fact_history WHERE channel_id = ?3 AND fact_id IN ({self._POOL})",
                                   (kind, subject, channel_id), channel_id)
                unseen = pool
            pick = self._random.choice(unseen)
        seen.add(pick)
        self._write_behind(
            "INSERT INTO fact_history (channel_id, fact_id, shown_at) VALUES (?, ?, ?) "
            "ON CONFLICT(channel_id, fact_id) DO UPDATE SET shown_at = excluded.shown_at",
            (channel_id, pick, int(now.timestamp())), channel_id,
        )
        return await self.get(pick), reset

    def _write_behind(self, sql: str, params: tuple[object, ...], channel_id: int) -> None:
        """Queue a history write without waiting for it. One writer drains the queue in order, running
        consecutive writes of the same statement as one executemany in one transaction."""
        self._queue.append((sql, params, channel_id))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        while self._queue:
            sql = self._queue[0][0]
            batch = []
            while self._queue and self._queue[0][0] == sql:
                batch.append(self._queue.popleft()[1])
            try:
                await self.writer.execute("BEGIN IMMEDIATE")
                try:
                    await self.writer.executemany(sql, batch)
                    await self.writer.execute("COMMIT")
                except BaseException:
                    await self.writer.execute("ROLLBACK")
                    raise
            except Exception:  # noqa: BLE001 - logged; the channel's seen set in memory is still right
                log.exception("could not save %s fact history row(s)", len(batch))

    async def flush(self) -> None:
        """Wait until every queued history write is in the database."""
        while self._writer is not None and not self._writer.done():
            await self._writer


class Questions(_Repo):
    async def all(self) -> list[Question]:
        return [_question(r) for r in await self._all("SELECT * FROM questions ORDER BY rowid")]


@dataclasses.dataclass(frozen=True)
class PackSummary:
    id: str
    name: str
    name_ko: str | None
    artists: int
    songs: int
    tours: int
    shows: int
    facts: int
    questions: int


class Articles(_Repo):
    @content
    async def all(self) -> list[Article]:
        rows = await self._all("SELECT * FROM articles ORDER BY id")
        return [Article(id=r["id"], pack=r["pack_id"], title=r["title"], title_ko=r["title_ko"],
                        publisher=r["publisher"], author=r["author"], published=_date(r["published"]))
                for r in rows]


class Packs(_Repo):
    @content
    async def summary(self) -> list[PackSummary]:
        rows = await self._all(
            "SELECT p.id, p.name, p.name_ko, "
            "(SELECT count(*) FROM artists WHERE pack_id = p.id), (SELECT count(*) FROM songs WHERE pack_id = p.id), "
            "(SELECT count(*) FROM tours WHERE pack_id = p.id), (SELECT count(*) FROM shows WHERE pack_id = p.id), "
            "(SELECT count(*) FROM facts WHERE pack_id = p.id), "
            "(SELECT count(*) FROM questions WHERE pack_id = p.id) FROM packs p ORDER BY p.id"
        )
        return [PackSummary(*tuple(r)) for r in rows]

    @content
    async def sources(self) -> list[tuple[str, int]]:
        """Each seed article the content quotes, with how many facts cite it."""
        rows = await self._all("SELECT source, count(*) FROM facts GROUP BY source ORDER BY source")
        return [(r[0], int(r[1])) for r in rows]


class Meta(_Repo):
    async def get(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    async def set(self, key: str, value: str) -> None:
        await self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


class Transaction:
    """One write transaction on the store's writer connection; see :meth:`Store.write`.

    ``execute``/``executemany`` take SQL with ``?`` placeholders only. ``fetchone``/``fetchall`` read
    inside the same transaction (so a read-then-write is atomic). ``rowcount`` is the last statement's.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def execute(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> int:
        """Run one statement; returns the number of rows it changed."""
        cursor = await self._conn.execute(sql, params)
        self.rowcount, self.lastrowid = cursor.rowcount, cursor.lastrowid
        await cursor.close()
        return self.rowcount

    async def executemany(self, sql: str, rows: Any) -> int:
        cursor = await self._conn.executemany(sql, rows)
        self.rowcount = cursor.rowcount
        await cursor.close()
        return self.rowcount

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


class Store:
    """One open database. Create with :meth:`open`, close with :meth:`close`."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, writer: aiosqlite.Connection | None = None) -> None:
        self.conn = conn
        self.writer = writer
        self.path = path
        self.memo = ContentMemo()
        self.artists = Artists(conn, self.memo)
        self.songs = Songs(conn, self.memo)
        self.tours = Tours(conn, self.memo)
        self.facts = Facts(conn, self.memo, writer or conn)
        self.questions = Questions(conn, self.memo)
        self.packs = Packs(conn, self.memo)
        self.articles = Articles(conn, self.memo)
        self.meta = Meta(conn, self.memo)
        self.trivia = TriviaRepo(self)
        self._data_version: int | None = None
        self._content_version: object = _MISS  # not read yet
        self._write_lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[Transaction]:
        """The one write path: ``async with store.write() as tx: await tx.execute(...)``.

        Writers take turns (an ``asyncio.Lock`` in this process, ``BEGIN IMMEDIATE`` against other
        processes, waiting up to the writer's busy timeout of 60 s); the block commits as a whole when it
        ends and rolls back as a whole when it raises (the exception propagates).
        """
        conn = self.writer or self.conn
        async with self._write_lock:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(conn)
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")

    async def content_changed(self) -> bool:
        """True (once) when `ingest` changed the content since the last call; clears the content cache.

        PRAGMA data_version moves only when another connection commits, so the usual answer costs one
        cheap query and no read of any table.
        """
        row = await self.meta._one("PRAGMA data_version")
        data_version = int(row[0]) if row else 0
        if data_version == self._data_version:
            return False
        self._data_version = data_version
        content_version = await self.meta.get("content_version")
        changed = self._content_version is not _MISS and content_version != self._content_version
        self._content_version = content_version
        if changed:
            self.memo.clear()
        return changed

    @classmethod
    async def open(cls, path: Path) -> Store:
        migrate.connect(path).close()  # create and migrate synchronously, once, before serving
        # Autocommit: each community write is one statement and commits by itself (no extra round trip);
        # a change that needs several statements opens its own transaction.
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        # History writes get their own connection (and thread): while an `ingest` holds the write lock they
        # wait there, and reads on the main connection carry on (WAL).
        writer = await aiosqlite.connect(path, isolation_level=None)
        for connection, busy in ((conn, 5000), (writer, 60000)):
            for pragma in migrate.PRAGMAS:
                await connection.execute(pragma)
            await connection.execute(f"PRAGMA busy_timeout = {busy}")
        return cls(conn, path, writer)

    async def close(self) -> None:
        await self.facts.flush()
        await self.trivia.flush()
        if self.writer is not None:
            await self.writer.close()
        await self.conn.close()
