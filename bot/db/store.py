"""The async store: every SQL statement the running bot uses lives here.

Cogs call ``await store.songs.get(song_id)`` and never hold SQL. Results come back as the records of
:mod:`bot.content.model`, so what a pack says and what the store returns are the same types.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path

import aiosqlite

from bot.content.model import Artist, Credit, Fact, Question, Show, Song, Tour
from bot.db import migrate


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
                aliases=_list(r["aliases"]), regions=_list(r["regions"]), source=r["source"], quote=r["quote"])


def _show(r: sqlite3.Row) -> Show:
    return Show(
        id=r["id"], pack=r["pack_id"], tour=r["tour_id"], date=dt.date.fromisoformat(r["day"]),
        time=dt.time.fromisoformat(r["time"]) if r["time"] else None, zone=r["zone"], city=r["city"],
        city_ko=r["city_ko"], country=r["country"], country_ko=r["country_ko"], venue=r["venue"],
        venue_ko=r["venue_ko"], milestone=r["milestone"], aliases=_list(r["aliases"]), source=r["source"],
        quote=r["quote"],
    )


def _fact(r: sqlite3.Row, about: tuple[str, ...] = ()) -> Fact:
    return Fact(id=r["id"], pack=r["pack_id"], kind=r["kind"], about=about, text=r["text"], text_ko=r["text_ko"],
                date=_date(r["day"]), zone=r["zone"], source=r["source"], quote=r["quote"])


def _question(r: sqlite3.Row) -> Question:
    return Question(id=r["id"], pack=r["pack_id"], question=r["question"], question_ko=r["question_ko"],
                    answer=r["answer"], answer_ko=r["answer_ko"], aliases=_list(r["aliases"]),
                    wrong=_list(r["wrong"]), fact=r["fact_id"])


class _Repo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def _all(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def _one(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        async with self.conn.execute(sql, params) as cursor:
            return await cursor.fetchone()


class Artists(_Repo):
    async def all(self) -> list[Artist]:
        return [_artist(r) for r in await self._all("SELECT * FROM artists ORDER BY name COLLATE NOCASE")]


class Songs(_Repo):
    async def all(self) -> list[Song]:
        return [_song(r) for r in await self._all("SELECT * FROM songs ORDER BY title COLLATE NOCASE, id")]

    async def get(self, song_id: str) -> Song | None:
        row = await self._one("SELECT * FROM songs WHERE id = ?", (song_id,))
        return _song(row) if row else None

    async def page(self, offset: int, limit: int) -> tuple[list[Song], int]:
        rows = await self._all("SELECT * FROM songs ORDER BY title COLLATE NOCASE, id LIMIT ? OFFSET ?",
                               (limit, offset))
        total = await self._one("SELECT count(*) FROM songs")
        return [_song(r) for r in rows], int(total[0]) if total else 0

    async def anniversaries_soon(self, now: dt.datetime, limit: int) -> list[Song]:
        """Songs whose release anniversary comes soonest after ``now`` (roughly; callers compute exact times)."""
        order = _SOON.format(col="released")
        rows = await self._all(f"SELECT * FROM songs WHERE released IS NOT NULL ORDER BY {order}, id LIMIT ?3",
                               (*_soon_args(now), limit))
        return [_song(r) for r in rows]

    async def released_on(self, month_day: str) -> list[Song]:
        rows = await self._all("SELECT * FROM songs WHERE substr(released, 6, 5) = ? ORDER BY released", (month_day,))
        return [_song(r) for r in rows]


_SOON = "((CAST(julianday(?1 || substr({col}, 5)) - julianday(?2) AS INTEGER) % 366) + 366) % 366"


def _soon_args(now: dt.datetime) -> tuple[str, str]:
    today = now.astimezone(dt.timezone.utc).date()
    return str(today.year), today.isoformat()


class Tours(_Repo):
    async def all(self) -> list[Tour]:
        return [_tour(r) for r in await self._all("SELECT * FROM tours ORDER BY name COLLATE NOCASE")]

    async def get(self, tour_id: str) -> Tour | None:
        row = await self._one("SELECT * FROM tours WHERE id = ?", (tour_id,))
        return _tour(row) if row else None

    async def shows(self, tour_id: str) -> list[Show]:
        rows = await self._all("SELECT * FROM shows WHERE tour_id = ? ORDER BY starts_at, id", (tour_id,))
        return [_show(r) for r in rows]

    async def all_shows(self) -> list[Show]:
        return [_show(r) for r in await self._all("SELECT * FROM shows ORDER BY starts_at, id")]

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
    async def _with_subjects(self, rows: list[sqlite3.Row]) -> list[Fact]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ", ".join("?" for _ in ids)
        about: dict[str, list[str]] = {}
        for fid, subject in await self._all(
            f"SELECT fact_id, subject FROM fact_subjects WHERE fact_id IN ({marks}) ORDER BY subject", tuple(ids)
        ):
            about.setdefault(fid, []).append(subject)
        return [_fact(r, tuple(about.get(r["id"], ()))) for r in rows]

    async def get(self, fact_id: str) -> Fact | None:
        found = await self._with_subjects(await self._all("SELECT * FROM facts WHERE id = ?", (fact_id,)))
        return found[0] if found else None

    async def about(self, subject: str, kind: str | None = None, limit: int = 100) -> list[Fact]:
        rows = await self._all(
            "SELECT f.* FROM fact_subjects s JOIN facts f ON f.id = s.fact_id "
            "WHERE s.subject = ? AND (? IS NULL OR f.kind = ?) ORDER BY f.rowid LIMIT ?",
            (subject, kind, kind, limit),
        )
        return await self._with_subjects(rows)

    async def on(self, month_day: str) -> list[Fact]:
        rows = await self._all(
            "SELECT * FROM facts WHERE day IS NOT NULL AND substr(day, 6, 5) = ? ORDER BY day, rowid", (month_day,)
        )
        return await self._with_subjects(rows)

    async def count(self) -> int:
        row = await self._one("SELECT count(*) FROM facts")
        return int(row[0]) if row else 0

    async def search(self, text: str, limit: int = 10) -> list[Fact]:
        """Full-text search; ``text`` is quoted as one phrase per word, so no FTS syntax gets through."""
        words = [w.replace('"', "") for w in text.split() if w.replace('"', "")][:8]
        if not words:
            return []
        query = " ".join(f'"{w}"*' for w in words)
        rows = await self._all(
            "SELECT f.* FROM facts_fts JOIN facts f ON f.rowid = facts_fts.rowid "
            "WHERE facts_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return await self._with_subjects(rows)

    async def next_unseen(self, channel_id: int, subject: str | None, kind: str | None,
                          now: dt.datetime) -> tuple[Fact | None, bool]:
        """A random fact this channel hasn't seen, and whether the pool had to start over to find it."""
        pool = (
            "SELECT f.id FROM facts f WHERE (?1 IS NULL OR f.kind = ?1) AND (?2 IS NULL OR EXISTS "
            "(SELECT 1 FROM fact_subjects s WHERE s.fact_id = f.id AND s.subject = ?2))"
        )
        pick = (
            f"SELECT p.id FROM ({pool}) p WHERE NOT EXISTS "
            "(SELECT 1 FROM fact_history h WHERE h.channel_id = ?3 AND h.fact_id = p.id) ORDER BY random() LIMIT 1"
        )
        args = (kind, subject, channel_id)
        row = await self._one(pick, args)
        reset = False
        if row is None:
            await self.conn.execute(f"DELETE FROM fact_history WHERE channel_id = ?3 AND fact_id IN ({pool})", args)
            row = await self._one(pick, args)
            reset = row is not None
        if row is not None:
            await self.conn.execute(
                "INSERT INTO fact_history (channel_id, fact_id, shown_at) VALUES (?, ?, ?) "
                "ON CONFLICT(channel_id, fact_id) DO UPDATE SET shown_at = excluded.shown_at",
                (channel_id, row[0], int(now.timestamp())),
            )
        await self.conn.commit()
        return (await self.get(row[0]) if row is not None else None), reset


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


class Packs(_Repo):
    async def summary(self) -> list[PackSummary]:
        rows = await self._all(
            "SELECT p.id, p.name, p.name_ko, "
            "(SELECT count(*) FROM artists WHERE pack_id = p.id), (SELECT count(*) FROM songs WHERE pack_id = p.id), "
            "(SELECT count(*) FROM tours WHERE pack_id = p.id), (SELECT count(*) FROM shows WHERE pack_id = p.id), "
            "(SELECT count(*) FROM facts WHERE pack_id = p.id), "
            "(SELECT count(*) FROM questions WHERE pack_id = p.id) FROM packs p ORDER BY p.id"
        )
        return [PackSummary(*tuple(r)) for r in rows]

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
        await self.conn.commit()


class Store:
    """One open database. Create with :meth:`open`, close with :meth:`close`."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.artists = Artists(conn)
        self.songs = Songs(conn)
        self.tours = Tours(conn)
        self.facts = Facts(conn)
        self.questions = Questions(conn)
        self.packs = Packs(conn)
        self.meta = Meta(conn)

    @classmethod
    async def open(cls, path: Path) -> Store:
        migrate.connect(path).close()  # create and migrate synchronously, once, before serving
        conn = await aiosqlite.connect(path)
        conn.row_factory = sqlite3.Row
        for pragma in ("PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000",
                       "PRAGMA synchronous = NORMAL"):
            await conn.execute(pragma)
        return cls(conn, path)

    async def close(self) -> None:
        await self.conn.close()
