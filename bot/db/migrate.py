"""Schema migrations: numbered SQL files, applied in one transaction, version in PRAGMA user_version."""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)


class SchemaError(RuntimeError):
    """The database can't be used by this version of the code; the message says what to do."""


class DatabaseError(SchemaError):
    """The database file can't be opened, read or written: one line naming the path, the cause and what to do.

    Raised by :func:`connect`, :func:`preflight` and :func:`explain` for ``sqlite3.Error`` and ``OSError``
    (issue 9 item 17: a damaged file, a read-only folder, a folder where the file should be, a full disk,
    another writer holding the lock).
    """


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
BUSY_TIMEOUT_MS = 5000  # how long a statement waits for another connection's write lock before SQLITE_BUSY


def configure(conn: sqlite3.Connection, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """Set the busy timeout first (switching to WAL needs a lock another process may hold), then the pragmas.

    SQLite answers "database is locked" at once, without waiting for the busy timeout, when two connections
    holding a shared lock both want the exclusive one (its deadlock rule): this happens when several open a new
    database together and switch it to WAL. Such a pragma is retried, with a short growing pause, until the
    busy timeout has passed.
    """
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    deadline = time.monotonic() + busy_timeout_ms / 1000
    for pragma in PRAGMAS:
        pause = 0.002
        while True:
            try:
                conn.execute(pragma)
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.1)


def _pending(conn: sqlite3.Connection, known: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > len(known):
        path = conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:"
        raise SchemaError(
            f"the database {path} is at schema version {current}, newer than this Lightstick knows "
            f"({len(known)}); upgrade Lightstick or point DATABASE_PATH at another file"
        )
    return [(v, name, sql) for v, name, sql in known if v > current]


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open. SQLite ends a transaction by itself on some errors (a full
    disk at COMMIT), and a ROLLBACK then would raise "no transaction is active" and hide the real cause."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.debug("rollback failed after an error", exc_info=True)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every pending migration in one transaction; returns the schema version now in force.

    The version is read again inside the write transaction, so two processes opening a new database at once
    apply the migrations once (issue 9 item 16). Raises :class:`SchemaError` for a database newer than the code.
    """
    known = migrations()
    if not _pending(conn, known):  # the usual case costs no write lock
        return len(known) if known else 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        pending = _pending(conn, known)  # another process may have migrated while we waited for the lock
        for _version, name, sql in pending:
            for statement in _statements(sql):
                conn.execute(statement)
            log.info("applied migration %s", name)
        if pending:
            conn.execute(f"PRAGMA user_version = {int(pending[-1][0])}")
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return len(known)


_HINTS = {
    "SQLITE_NOTADB": "the file is damaged or is not a Lightstick database; restore a backup, or move it aside and "
    "run `python -m bot ingest` to build a new one",
    "SQLITE_CORRUPT": "the file is damaged; restore a backup, or move it aside and run `python -m bot ingest` to "
    "build a new one",
    "SQLITE_FULL": "free some disk space and try again",
    "SQLITE_BUSY": "another `ingest` (or the bot) is writing to it; try again when that has finished",
    "SQLITE_LOCKED": "another `ingest` (or the bot) is writing to it; try again when that has finished",
    "SQLITE_READONLY": "check that you may write to the file and to its folder",
    "SQLITE_CANTOPEN": "check that its folder exists and that you may write to the file and to its folder",
    "SQLITE_PERM": "check that you may write to the file and to its folder",
    "SQLITE_IOERR": "the disk could not be read or written; check the disk and free space",
}


def _folder(path: Path) -> DatabaseError:
    return DatabaseError(
        f"the database {path} is a folder, not a file; set DATABASE_PATH (or --database) to a "
        f"file such as {path / 'lightstick.sqlite3'}"
    )


def explain(path: Path, error: BaseException) -> DatabaseError:
    """One line for a failure on the database at ``path``: the path, SQLite's or the OS's cause, what to do."""
    if isinstance(error, DatabaseError):
        return error
    if isinstance(error, sqlite3.Error):
        name = getattr(error, "sqlite_errorname", "") or ""
        base = next((k for k in _HINTS if name == k or name.startswith(k + "_")), "")
        text = str(error)
        if base == "SQLITE_CANTOPEN" and path.is_dir():
            return _folder(path)
        hint = _HINTS.get(base, "check the file and its folder")
        return DatabaseError(f"the database {path} can't be used: {text}; {hint}")
    if isinstance(error, (FileExistsError, NotADirectoryError)):  # a file where a folder should be
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), path.parent)
        return DatabaseError(
            f"the database {path} can't be created: {blocker} is a file, not a folder; set "
            "DATABASE_PATH (or --database) to a path in a folder"
        )
    if isinstance(error, OSError):
        cause = error.strerror or str(error)
        where = f" ({error.filename})" if error.filename and str(error.filename) != str(path) else ""
        return DatabaseError(
            f"the database {path} can't be used: {cause}{where}; check that the folder exists "
            "and that you may write to it"
        )
    return DatabaseError(f"the database {path} can't be used: {error}")


def preflight(path: Path) -> None:
    """Check, without writing anything, that ``path`` is a usable database (or absent, to be created).

    Raises :class:`DatabaseError` for a folder, an unreadable file, a damaged or foreign file (SQLite's
    ``quick_check``, which reads every page: about a second per gigabyte) and :class:`SchemaError` for a
    newer schema. `run` and `ingest` call it first, so a damaged database is refused before it is served
    or changed; a refused file's folder is left as found (no ``-wal``/``-shm`` files of ours).
    """
    if path.is_dir():
        raise _folder(path)
    if not path.exists():
        return
    if not path.is_file():  # a named pipe would block SQLite's open forever; /dev/null swallows every write
        kind = (
            "a named pipe"
            if path.is_fifo()
            else "a device"
            if path.is_char_device() or path.is_block_device()
            else "a socket"
            if path.is_socket()
            else "not a plain file"
        )
        raise DatabaseError(
            f"the database {path} is not a regular file ({kind}); set DATABASE_PATH (or --database) "
            "to a file such as data/lightstick.sqlite3"
        )
    existed = {side for side in _side_files(path) if side.exists()}
    try:
        _check(path)
    except BaseException:
        _remove_new_side_files(path, existed)
        raise


def _side_files(path: Path) -> tuple[Path, Path]:
    """The write-ahead log and shared-memory index SQLite keeps next to a WAL database."""
    return path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")


def _remove_new_side_files(path: Path, existed: set[Path]) -> None:
    """Leave the folder as found after refusing ``path``: even a read-only open of a database in WAL mode
    creates its ``-wal`` and ``-shm`` files. Only the ones that weren't there before go, and none while the
    log holds anything (another process is writing: the files are its own)."""
    wal, shm = _side_files(path)
    try:
        if wal not in existed and wal.exists():
            if wal.stat().st_size:
                return
            wal.unlink()
        if shm not in existed:
            shm.unlink(missing_ok=True)
    except OSError as error:  # the refusal is the message that matters; this is only tidying up
        log.debug("could not remove the side files of %s: %s", path, error)


def _check(path: Path) -> None:
    """:func:`preflight`'s read-only open and checks of an existing file."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise explain(path, error) from error
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Only damage to the file counts: SQLite 3.40 reports NOT NULL columns of WITHOUT ROWID tables as
        # "NULL value in ..." by mistake, and constraint checks are not about the file anyway.
        problems = [
            row[0]
            for row in conn.execute("PRAGMA quick_check(10)")
            if not row[0].startswith(("NULL value in ", "CHECK constraint failed"))
        ]
        if problems and problems != ["ok"]:
            raise DatabaseError(f"the database {path} is damaged ({problems[0]}); {_HINTS['SQLITE_CORRUPT']}")
        _pending(conn, migrations())
    except sqlite3.Error as error:
        raise explain(path, error) from error
    finally:
        conn.close()


def connect(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A migrated synchronous connection in autocommit mode (transactions are explicit).

    Creates missing parent folders (:class:`DatabaseError` when it can't); ``sqlite3.Error`` from opening or
    migrating propagates as it is (the CLI turns it into one line with :func:`explain`), :class:`SchemaError`
    for a newer schema.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise explain(path, error) from error
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        configure(conn, busy_timeout_ms)
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn
