"""Community repositories: what servers write while the bot runs (fact history, settings in meta).

Every write goes through the store's one write path (:meth:`bot.db.store.Store.write`); reads use the
read connection and are never memoised, since they change as people use the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from collections import OrderedDict, deque
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

import aiosqlite

from bot.content.model import Fact
from bot.db.content import ContentMemo, Facts, Repository

if TYPE_CHECKING:
    from bot.db.store import Transaction

log = logging.getLogger(__name__)

WritePath = Callable[[], AbstractAsyncContextManager["Transaction"]]


class Meta(Repository):
    """Small key/value settings (content version, command-tree digests)."""

    def __init__(self, conn: aiosqlite.Connection, memo: ContentMemo, *, write: WritePath) -> None:
        super().__init__(conn, memo)
        self._write = write

    async def get(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    async def set(self, key: str, value: str) -> None:
        """Insert or replace ``key`` in one write transaction."""
        async with self._write() as tx:
            await tx.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


class FactHistory(Repository):
    """ "No repeats in a channel until the pool is used up" (the fact_history table).

    The table is the truth; each channel's seen set is loaded from it once and kept in step (write-through),
    so a pick costs no database round trip before the reply. Choosing and marking happen with no await in
    between, so two people asking at once never get the same fact. Writes are queued and drained by one task
    through the store's write path: everything queued in one transaction, consecutive writes of one statement
    as one executemany. The drain waits :attr:`BATCH_SECONDS` after the first queued write so that a busy minute costs a few
    transactions rather than one per fact; :meth:`flush` (and closing the store) skips the wait. A crash can
    lose at most that window of history (a fact may then repeat once), never the database's consistency.
    """

    SEEN_CHANNELS = 2048  # channels whose seen set is kept in memory (least recently used out first)
    BATCH_SECONDS = 0.5  # how long the first queued write waits for others to join its transaction

    def __init__(self, conn: aiosqlite.Connection, memo: ContentMemo, *, facts: Facts, write: WritePath) -> None:
        super().__init__(conn, memo)
        self.facts = facts
        self._write = write
        self._seen: OrderedDict[int, set[str]] = OrderedDict()
        self._queue: deque[tuple[str, tuple[object, ...], int]] = deque()
        self._drainer: asyncio.Task[None] | None = None
        self._flushing = asyncio.Event()
        # Mersenne Twister seeded from os.urandom: a fact pick needs no secrecy, and SystemRandom costs a
        # system call per draw (up to eight draws a fact).
        self._random = random.Random()

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

    async def next_unseen(
        self, channel_id: int, subject: str | None, kind: str | None, now: dt.datetime
    ) -> tuple[Fact | None, bool]:
        """A random fact this channel hasn't seen, and whether the pool had to start over to find it.

        ``subject`` ("song:<id>", ...) and ``kind`` narrow the pool (None: any); ``now`` is stored as the
        time it was shown (Unix seconds). Returns (None, False) when nothing matches the filters.
        """
        pool = await self.facts.pool(kind, subject)
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
                self._write_behind(
                    f"DELETE FROM fact_history WHERE channel_id = ?3 AND fact_id IN ({Facts.POOL})",  # noqa: S608 - constant SQL fragments, values bound with ?
                    (kind, subject, channel_id),
                    channel_id,
                )
                unseen = pool
            pick = self._random.choice(unseen)
        seen.add(pick)
        self._write_behind(
            "INSERT INTO fact_history (channel_id, fact_id, shown_at) VALUES (?, ?, ?) "
            "ON CONFLICT(channel_id, fact_id) DO UPDATE SET shown_at = excluded.shown_at",
            (channel_id, pick, int(now.timestamp())),
            channel_id,
        )
        return await self.facts.get(pick), reset

    def _write_behind(self, sql: str, params: tuple[object, ...], channel_id: int) -> None:
        """Queue a history write without waiting for it; one task drains the queue in order."""
        self._queue.append((sql, params, channel_id))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain(), name="lightstick-fact-history")

    async def _drain(self) -> None:
        if not self._flushing.is_set():  # let the writes of the next moments join this transaction
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flushing.wait(), self.BATCH_SECONDS)
        while self._queue:
            # Everything queued so far in one transaction (a channel whose pool keeps starting over queues
            # DELETE, INSERT, INSERT, DELETE ...: one commit for all of it, not one per run of alike rows),
            # in order, each run of alike statements as one executemany.
            runs: list[tuple[str, list[tuple[object, ...]]]] = []
            while self._queue:
                sql, params, _channel = self._queue.popleft()
                if runs and runs[-1][0] == sql:
                    runs[-1][1].append(params)
                else:
                    runs.append((sql, [params]))
            try:
                async with self._write() as tx:
                    for sql, batch in runs:
                        await tx.executemany(sql, batch)
            except Exception:  # noqa: BLE001 - logged; the channel's seen set in memory is still right
                log.exception("could not save %s fact history row(s)", sum(len(batch) for _sql, batch in runs))

    async def flush(self) -> None:
        """Wait until every queued history write is in the database."""
        self._flushing.set()
        try:
            while self._drainer is not None and not self._drainer.done():
                await asyncio.shield(self._drainer)
        finally:
            self._flushing.clear()

    async def close(self) -> None:
        """Flush what is queued, then end the drain task (the store calls this before closing)."""
        try:
            await self.flush()
        finally:
            if self._drainer is not None and not self._drainer.done():
                self._drainer.cancel()
                await asyncio.gather(self._drainer, return_exceptions=True)
