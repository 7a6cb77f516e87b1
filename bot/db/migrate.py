"""Schema migrations: numbered SQL files, applied in one transaction, version in PRAGMA user_version."""

from __future__ import annotations

import logging
import re
import sqlite3
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)
class SchemaError(RuntimeError):
    """The database can't be used by this version of the code; the message says what to do."""


_NAME = re.compile(r"^(\d{3})-[a-z0-9-]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) for every migration file, in order."""
    found = []
    for item in resources.files("bot.db").joinpath("migrations").iterdir():
        match = _NAME.match(item.name)
        if match:
            found.append((int(match.group(1)), item.name, item.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration files must be numbered 001, 002, ... without gaps; found {versions}")
    return found


def _statements(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies (which contain ';') whole."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(line.strip().startswith("--") or not line.strip() for line in buffer.splitlines()):
        raise RuntimeError(f"incomplete SQL statement at the end of a migration: {buffer.strip()[:80]!r}")
    return statements


PRAGMAS = ("PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL")


def configure(conn: sqlite3.Connection) -> None:
    for pragma in PRAGMAS:
        conn.execute(pragma)
    conn.execute("PRAGMA busy_timeout = 5000")


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every pending migration in one transaction; returns the schema version now in force."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    known = migrations()
    if current > len(known):
        raise SchemaError(f"the database is at schema version {current}, newer than this Lightstick knows "
                          f"({len(known)}); upgrade Lightstick or point DATABASE_PATH at another file")
    pending = [(v, name, sql) for v, name, sql in known if v > current]
    if not pending:
        return current
    conn.execute("BEGIN IMMEDIATE")
    try:
        for _version, name, sql in pending:
            for statement in _statements(sql):
                conn.execute(statement)
            log.info("applied migration %s", name)
        conn.execute(f"PRAGMA user_version = {int(pending[-1][0])}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return pending[-1][0]


def connect(path: Path) -> sqlite3.Connection:
    """A migrated synchronous connection in autocommit mode (transactions are explicit)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        configure(conn)
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn
