"""The async store: one open database, its one write path, and the repositories cogs read through.

Cogs call ``await store.songs.get(song_id)`` and never hold SQL. Content repositories (read-only,
memoised) are in :mod:`bot.db.content`; community repositories (written by servers) in
:mod:`bot.db.community`. Every write goes through :meth:`Store.write`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite

from bot.db import migrate
from bot.db.community import FactHistory, Meta
from bot.db.content import Articles, Artists, ContentMemo, Facts, Packs, Questions, Songs, Tours
from bot.db.schedule import DueItems, GuildSettings, ServerEvents
from bot.db.trivia import TriviaRepo

log = logging.getLogger(__name__)

_UNREAD = object()
READ_BUSY_MS = 5000
WRITE_BUSY_MS = 60000  # a write waits this long for an `ingest` in another process to finish


class Transaction:
    """One write transaction on the store's writer connection; see :meth:`Store.write`.

    ``execute``/``executemany`` take SQL with ``?`` placeholders only. ``fetchone``/``fetchall`` read
    inside the same transaction (so a read-then-write is atomic). ``rowcount`` is the last statement's.

    The transaction ends with its ``async with`` block: from then on every method raises RuntimeError
    (a statement run later would land in no transaction, or in the next writer's). ``rowcount`` and
    ``lastrowid`` stay readable.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._ended = False
        self.rowcount = -1
        self.lastrowid: int | None = None

    def _open(self) -> aiosqlite.Connection:
        if self._ended:
            raise RuntimeError(
                "this transaction has ended: use tx only inside its `async with store.write() as tx:` block"
            )
        return self._conn

    def _end(self) -> None:
        """Mark the transaction over (:meth:`Store.write` calls this when its block ends)."""
        self._ended = True

    async def execute(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> int:
        """Run one statement; returns the number of rows it changed."""
        cursor = await self._open().execute(sql, params)
        self.rowcount, self.lastrowid = cursor.rowcount, cursor.lastrowid
        await cursor.close()
        return self.rowcount

    async def executemany(self, sql: str, rows: Any) -> int:
        cursor = await self._open().executemany(sql, rows)
        self.rowcount = cursor.rowcount
        await cursor.close()
        return self.rowcount

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        async with self._open().execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        async with self._open().execute(sql, params) as cursor:
            return list(await cursor.fetchall())


async def _connect(path: Path, busy_ms: int, *, query_only: bool = False) -> aiosqlite.Connection:
    """One connection with the store's pragmas. ``query_only``: SQLite refuses every write on it
    (``sqlite3.OperationalError: attempt to write a readonly database``), so a write that bypasses
    :meth:`Store.write` fails at once instead of committing outside the write lock."""
    # Autocommit (isolation_level=None): a reader never holds a transaction open; writers BEGIN themselves.
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        await conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")  # first, so the pragmas below wait too
        for pragma in migrate.PRAGMAS:
            await conn.execute(pragma)
        if query_only:
            await conn.execute("PRAGMA query_only = ON")
    except BaseException:
        await conn.close()
        raise
    conn.row_factory = sqlite3.Row
    return conn


class Store:
    """One open database: a read connection and a writer connection (WAL, so reads never wait for writes).

    The read connection (``conn``) is ``PRAGMA query_only``: every write goes through :meth:`write`.

    Create with :meth:`open`, close with :meth:`close`.
    """

    def __init__(self, conn: aiosqlite.Connection, writer: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.writer = writer
        self.path = path
        self.memo = ContentMemo()
        self._write_lock = asyncio.Lock()
        # content (read-only, memoised)
        self.artists = Artists(conn, self.memo)
        self.songs = Songs(conn, self.memo)
        self.tours = Tours(conn, self.memo)
        self.facts = Facts(conn, self.memo)
        self.questions = Questions(conn, self.memo)
        self.packs = Packs(conn, self.memo)
        self.articles = Articles(conn, self.memo)
        # community (written by servers, through self.write)
        self.meta = Meta(conn, self.memo, write=self.write)
        self.history = FactHistory(conn, self.memo, facts=self.facts, write=self.write)
        self.guild_settings = GuildSettings(self)
        self.server_events = ServerEvents(self)
        self.due = DueItems(self)
        self.trivia = TriviaRepo(self)
        self._data_version: int | None = None
        self._content_version: object = _UNREAD

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[Transaction]:
        """The one write path: ``async with store.write() as tx: await tx.execute(...)``.

        Writers take turns (an ``asyncio.Lock`` in this process, ``BEGIN IMMEDIATE`` against other
        processes, waiting up to the writer's busy timeout of 60 s); the block commits as a whole when it
        ends and rolls back as a whole when it raises (the exception propagates). ``tx`` is dead after the
        block: using it raises RuntimeError.
        """
        async with self._write_lock:
            await self.writer.execute("BEGIN IMMEDIATE")
            tx = Transaction(self.writer)
            try:
                yield tx
                tx._end()
                await self.writer.execute("COMMIT")
            except BaseException:
                tx._end()
                if self.writer.in_transaction:  # SQLite may have rolled back itself (a full disk): keep the cause
                    with contextlib.suppress(sqlite3.Error):
                        await self.writer.execute("ROLLBACK")
                raise

    async def content_changed(self) -> bool:
        """True (once) when `ingest` changed the content since the last call; clears the content memo.

        PRAGMA data_version moves only when another connection commits, so the usual answer costs one
        cheap query and no read of any table.
        """
        rows = await self.conn.execute_fetchall("PRAGMA data_version")
        data_version = int(next(iter(rows))[0])
        if data_version == self._data_version:
            return False
        self._data_version = data_version
        content_version = await self.meta.get("content_version")
        changed = self._content_version is not _UNREAD and content_version != self._content_version
        self._content_version = content_version
        if changed:
            self.memo.clear()
        return changed

    @classmethod
    async def open(cls, path: Path) -> Store:
        """Create and migrate the database if needed (in a worker thread), then open it.

        Raises :class:`bot.db.migrate.SchemaError` for a database newer than this code, ``sqlite3.Error`` for
        one that can't be opened; nothing is left open when it raises.
        """
        await asyncio.to_thread(lambda: migrate.connect(path).close())
        async with contextlib.AsyncExitStack() as opened:
            conn = await _connect(path, READ_BUSY_MS, query_only=True)  # writes go through write()
            opened.push_async_callback(conn.close)
            writer = await _connect(path, WRITE_BUSY_MS)
            opened.push_async_callback(writer.close)
            store = cls(conn, writer, path)
            opened.pop_all()
        return store

    async def close(self) -> None:
        """Save queued history and trivia answers, end the store's tasks and close both connections."""
        try:
            await self.trivia.flush()
            await self.history.close()
        finally:
            await self.writer.close()
            await self.conn.close()
