"""A failed write says why it failed (issue 9 item 17): never "cannot rollback - no transaction is active"."""

from __future__ import annotations

import sqlite3

import pytest

from bot.db.store import Store


@pytest.fixture
async def store(ingested_db):
    store = await Store.open(ingested_db)
    yield store
    await store.close()


async def test_a_write_that_fails_after_sqlite_rolled_back_raises_the_real_cause(store):
    with pytest.raises(sqlite3.OperationalError, match=r"^database or disk is full$"):
        async with store.write() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("a", "1"))
            await tx.execute("ROLLBACK")  # what SQLite does by itself on a full disk
            raise sqlite3.OperationalError("database or disk is full")
    async with store.write() as tx:  # and the store goes on working
        await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("b", "2"))
    assert await store.meta.get("a") is None
    assert await store.meta.get("b") == "2"


async def test_a_write_on_a_full_database_raises_full_and_keeps_nothing(store):
    pages = (await (await store.writer.execute("PRAGMA page_count")).fetchone())[0]
    await store.writer.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here on
    with pytest.raises(sqlite3.OperationalError, match=r"^database or disk is full$"):
        async with store.write() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("small", "1"))
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("big", "x" * 1_000_000))
    assert store.writer.in_transaction is False
    await store.writer.execute(f"PRAGMA max_page_count = {pages * 100}")  # space again
    assert await store.meta.get("small") is None
    async with store.write() as tx:
        await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("after", "1"))
    assert await store.meta.get("after") == "1"
