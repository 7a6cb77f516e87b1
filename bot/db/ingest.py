"""Load validated packs into the content tables in one transaction.

Rows carry a digest of their values, so a second ingest of the same packs writes nothing, a changed
entry is updated in place, and an entry no longer in any pack is deleted. Community tables are never
touched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from bot.content.model import Article, Artist, Fact, Pack, Question, Show, Song, Tour
from bot.db.fingerprint import record
from bot.db.migrate import rollback


@dataclasses.dataclass
class IngestReport:
    added: dict[str, int] = dataclasses.field(default_factory=dict)
    updated: dict[str, int] = dataclasses.field(default_factory=dict)
    removed: dict[str, int] = dataclasses.field(default_factory=dict)

    @classmethod
    def nothing(cls) -> IngestReport:
        """The report of an ingest that found every table as the packs have it."""
        return cls(dict.fromkeys(ORDER, 0), dict.fromkeys(ORDER, 0), dict.fromkeys(ORDER, 0))

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or any(self.updated.values()) or any(self.removed.values())

    def lines(self) -> list[str]:
        tables = list(self.added)
        return [
            f"{table:<10} +{self.added[table]:<7} ~{self.updated[table]:<7} -{self.removed[table]}" for table in tables
        ]


def _json(items: Iterable[object]) -> str:
    return json.dumps(list(items), ensure_ascii=False, separators=(",", ":"))


def _unix(instant: dt.datetime | None) -> int | None:
    return int(instant.timestamp()) if instant is not None else None


# table -> columns (id first; digest is appended)
COLUMNS: dict[str, tuple[str, ...]] = {
    "packs": ("id", "name", "name_ko", "description", "description_ko", "path"),
    "artists": ("id", "pack_id", "name", "name_ko", "aliases", "grp", "source", "quote"),
    "songs": (
        "id",
        "pack_id",
        "title",
        "title_ko",
        "aliases",
        "released",
        "zone",
        "released_at",
        "credits",
        "source",
        "quote",
    ),
    "tours": ("id", "pack_id", "name", "name_ko", "artist_id", "aliases", "regions", "regions_ko", "source", "quote"),
    "shows": (
        "id",
        "pack_id",
        "tour_id",
        "day",
        "time",
        "zone",
        "starts_at",
        "city",
        "city_ko",
        "country",
        "country_ko",
        "venue",
        "venue_ko",
        "milestone",
        "aliases",
        "source",
        "quote",
        "fold",
    ),
    "facts": ("id", "pack_id", "kind", "text", "text_ko", "day", "zone", "source", "quote"),
    "articles": ("id", "pack_id", "title", "title_ko", "publisher", "author", "published", "dateline"),
    "questions": (
        "id",
        "pack_id",
        "question",
        "question_ko",
        "answer",
        "answer_ko",
        "aliases",
        "wrong",
        "fact_id",
        "wrong_ko",
    ),
}
# Parents before children for inserts; deletes run in the reverse order.
ORDER = ("packs", "articles", "artists", "songs", "tours", "shows", "facts", "questions")


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _pack_row(pack: Pack) -> tuple[object, ...]:
    folder = pack.path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]  # not cwd-dependent: stable digests
    return (pack.id, pack.name, pack.name_ko, pack.description, pack.description_ko, folder)


def _article_row(pack_id: str, ar: Article) -> tuple[object, ...]:
    return (ar.id, pack_id, ar.title, ar.title_ko, ar.publisher, ar.author, _date(ar.published), ar.dateline)


def _artist_row(pack_id: str, a: Artist) -> tuple[object, ...]:
    return (a.id, pack_id, a.name, a.name_ko, _json(a.aliases), a.group, a.source, a.quote)


def _song_row(pack_id: str, s: Song) -> tuple[object, ...]:
    credits = _json([c.artist, c.role] for c in s.credits)
    return (
        s.id,
        pack_id,
        s.title,
        s.title_ko,
        _json(s.aliases),
        _date(s.released),
        s.zone,
        _unix(s.released_at),
        credits,
        s.source,
        s.quote,
    )


def _tour_row(pack_id: str, t: Tour) -> tuple[object, ...]:
    return (
        t.id,
        pack_id,
        t.name,
        t.name_ko,
        t.artist,
        _json(t.aliases),
        _json(t.regions),
        _json(t.regions_ko),
        t.source,
        t.quote,
    )


def _show_row(pack_id: str, sh: Show) -> tuple[object, ...]:
    time = sh.time.strftime("%H:%M") if sh.time else None
    return (
        sh.id,
        pack_id,
        sh.tour,
        sh.date.isoformat(),
        time,
        sh.zone,
        _unix(sh.starts_at),
        sh.city,
        sh.city_ko,
        sh.country,
        sh.country_ko,
        sh.venue,
        sh.venue_ko,
        sh.milestone,
        _json(sh.aliases),
        sh.source,
        sh.quote,
        sh.fold,
    )


def _fact_row(pack_id: str, f: Fact) -> tuple[object, ...]:
    return (f.id, pack_id, f.kind, f.text, f.text_ko, _date(f.date), f.zone, f.source, f.quote)


def _question_row(pack_id: str, q: Question) -> tuple[object, ...]:
    wrong_ko = _json(q.wrong_ko) if q.wrong_ko else None  # NULL: English options only
    return (
        q.id,
        pack_id,
        q.question,
        q.question_ko,
        q.answer,
        q.answer_ko,
        _json(q.aliases),
        _json(q.wrong),
        q.fact,
        wrong_ko,
    )


def rows_for(packs: Sequence[Pack]) -> dict[str, list[tuple[object, ...]]]:
    """Each table's rows (without digest) for the given packs: one tuple per record, in :data:`COLUMNS` order."""
    rows: dict[str, list[tuple[object, ...]]] = {t: [] for t in ORDER}
    for p in packs:
        rows["packs"].append(_pack_row(p))
        rows["articles"] += (_article_row(p.id, ar) for ar in p.articles)
        rows["artists"] += (_artist_row(p.id, a) for a in p.artists)
        rows["songs"] += (_song_row(p.id, s) for s in p.songs)
        rows["tours"] += (_tour_row(p.id, t) for t in p.tours)
        rows["shows"] += (_show_row(p.id, sh) for sh in p.shows)
        rows["facts"] += (_fact_row(p.id, f) for f in p.facts)
        rows["questions"] += (_question_row(p.id, q) for q in p.questions)
    return rows


def has_content(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM packs LIMIT 1").fetchone() is not None


def _digest(row: tuple[object, ...], extra: object = None) -> str:
    return hashlib.blake2b(repr((row, extra)).encode(), digest_size=10).hexdigest()


def ingest(
    conn: sqlite3.Connection, packs: Sequence[Pack], only: set[str] | None = None, fingerprint: str | None = None
) -> IngestReport:
    """Make the content tables hold exactly ``packs``; one transaction, all or nothing.

    The transaction starts with BEGIN IMMEDIATE, so a second ingest waits for the first (up to the
    connection's busy timeout) and then sees its result; ``sqlite3.Error`` (busy, full disk, damaged file)
    propagates after everything is rolled back.

    With ``only`` (pack ids), just those packs are replaced and every other pack's rows stay as they are.
    ``fingerprint`` (:func:`bot.db.fingerprint.packs_fingerprint` of what was read) is recorded with the
    result, so the next `ingest` of the same files can tell it has nothing to do without reading them.
    """
    report = IngestReport()
    if only is not None:
        packs = [p for p in packs if p.id in only]
    rows = rows_for(packs)
    subjects = {f.id: f.about for p in packs for f in p.facts}
    conn.execute("BEGIN IMMEDIATE")
    try:
        plans = _plan(conn, rows, subjects, sorted(only) if only is not None else None)
        for table in reversed(ORDER):
            existing, wanted = plans[table]
            gone = [(ident,) for ident in existing if ident not in wanted]
            conn.executemany(f"DELETE FROM {table} WHERE id = ?", gone)  # noqa: S608
            report.removed[table] = len(gone)
        for table in ORDER:
            _write(conn, table, plans[table][1], subjects, report)
        if report.changed:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('content_version', '1') "
                "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )
        if fingerprint is not None:  # what this ingest read (bot.db.fingerprint), in the same transaction
            record(conn, fingerprint)
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)  # never hides the cause: a full disk at COMMIT has already rolled back
        raise
    return report


_Wanted = dict[object, tuple[tuple[object, ...], str]]  # id -> (row, its digest)


def _plan(
    conn: sqlite3.Connection,
    rows: dict[str, list[tuple[object, ...]]],
    subjects: dict[str, tuple[str, ...]],
    scope: list[str] | None,
) -> dict[str, tuple[dict[Any, str], _Wanted]]:
    """Per table: the digests of the rows there now (of the packs in ``scope``; all when None) and the rows
    wanted, with theirs. A fact's digest covers its subjects too."""
    plans = {}
    for table in ORDER:
        owner = "id" if table == "packs" else "pack_id"
        if scope is None:
            existing = dict(conn.execute(f"SELECT id, digest FROM {table}"))  # noqa: S608 - table is a constant
        else:
            marks = ", ".join("?" for _ in scope)
            existing = dict(
                conn.execute(
                    f"SELECT id, digest FROM {table} WHERE {owner} IN ({marks})",  # noqa: S608
                    scope,
                )
            )
        wanted: _Wanted = {}
        for row in rows[table]:
            extra = subjects.get(row[0]) if table == "facts" else None  # type: ignore[call-overload]
            wanted[row[0]] = (row, _digest(row, extra))
        plans[table] = (existing, wanted)
    return plans


def _write(
    conn: sqlite3.Connection, table: str, wanted: _Wanted, subjects: dict[str, tuple[str, ...]], report: IngestReport
) -> None:
    """Insert the wanted rows of ``table`` that are missing and update those whose digest changed."""
    # Re-read: a delete may have cascaded to rows of this table (a renamed parent id).
    existing = dict(conn.execute(f"SELECT id, digest FROM {table}"))  # noqa: S608
    columns = COLUMNS[table] + ("digest",)
    new = [row + (digest,) for ident, (row, digest) in wanted.items() if ident not in existing]
    changed = [
        row[1:] + (digest, row[0])
        for ident, (row, digest) in wanted.items()
        if ident in existing and existing[ident] != digest
    ]
    placeholders = ", ".join("?" for _ in columns)
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", new)  # noqa: S608
    assignments = ", ".join(f"{c} = ?" for c in columns[1:])
    conn.executemany(f"UPDATE {table} SET {assignments} WHERE id = ?", changed)  # noqa: S608
    report.added[table] = len(new)
    report.updated[table] = len(changed)
    if table == "facts":
        touched = [(row[-1],) for row in changed]  # the id is last in an UPDATE row
        conn.executemany("DELETE FROM fact_subjects WHERE fact_id = ?", touched)
        fresh = {row[0] for row in new} | {row[-1] for row in changed}
        conn.executemany(
            "INSERT INTO fact_subjects (fact_id, subject) VALUES (?, ?)",
            [(fid, subject) for fid in fresh for subject in subjects[fid]],  # type: ignore[index]
        )
