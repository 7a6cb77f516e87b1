"""Has anything an ingest depends on changed since the last one? A digest of the files, kept in ``meta``.

`python -m bot ingest` on unchanged packs used to re-read and re-validate every file (9 seconds for a pack
of 100,000 facts) only to write nothing. With :func:`unchanged` it compares one digest instead: of every
file in the pack folders and the seeds folder (name and bytes), of which packs are replaced (``only``),
and of the code that validates and loads them (so an upgrade that changes a rule re-checks everything).
The digest is stored with the database's ``content_version`` (which every changing ingest moves), so a
database changed by anything else since (the playground's reload, another pack folder) is re-ingested.

Only regular files up to :data:`MAX_FILE_BYTES` are read; anything else (a folder, a FIFO, a link to a
device, a huge file) counts by its name and kind alone, so the digest can neither hang nor fill memory, and
the loader that runs next reports it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

MAX_FILE_BYTES = 256 * 1024 * 1024
KEY = "ingest_fingerprint"
_CODE = Path(__file__).resolve().parents[1]  # bot/
_CODE_PARTS = ("content", "db")  # what validates and loads packs (migrations included)


def _files(root: Path) -> Iterable[Path]:
    """Every path under ``root`` (not following links), sorted so the digest does not depend on order."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        yield path
        if entry.is_dir(follow_symlinks=False):
            yield from _files(path)


def _add(digest: hashlib._Hash, path: Path, root: Path) -> None:
    digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
    try:
        info = path.stat()  # follows a link: the loader reads what it points to
    except OSError as error:
        digest.update(f"unreadable {error.errno}".encode() + b"\0")
        return
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
        digest.update(f"kind {stat.S_IFMT(info.st_mode)} size {info.st_size}".encode() + b"\0")
        return
    if path.is_symlink():
        digest.update(b"link " + os.fsencode(os.readlink(path)) + b"\0")
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        digest.update(f"unreadable {error.errno}".encode())
    digest.update(b"\0")


def _resolved(folder: Path) -> Path:
    """``folder.resolve()``, or its absolute form for a symlink loop (the loader reports that as a problem)."""
    try:
        return folder.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        return folder.absolute()


def packs_fingerprint(pack_dirs: Sequence[Path], seeds_dir: Path, only: set[str] | None) -> str:
    """A digest of everything an ingest of ``pack_dirs`` (replacing ``only``, or all) would read."""
    digest = hashlib.sha256()
    digest.update(repr(sorted(only) if only is not None else None).encode() + b"\0")
    for part in _CODE_PARTS:
        for path in _files(_CODE / part):
            if path.suffix in (".py", ".sql"):
                _add(digest, path, _CODE)
    for folder in [*pack_dirs, seeds_dir]:
        digest.update(b"folder " + os.fsencode(_resolved(folder)) + b"\0")
        for path in _files(folder):
            _add(digest, path, folder)
    return digest.hexdigest()


def _state(conn: sqlite3.Connection, fingerprint: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = 'content_version'").fetchone()
    return f"{fingerprint} {row[0] if row else 0}"


def unchanged(conn: sqlite3.Connection, fingerprint: str) -> bool:
    """True when the last ingest into this database read exactly these files and nothing changed it since."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
    return row is not None and row[0] == _state(conn, fingerprint)


def record(conn: sqlite3.Connection, fingerprint: str) -> None:
    """Record what an ingest read, with the content version it leaves; call inside its transaction."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (KEY, _state(conn, fingerprint)),
    )
