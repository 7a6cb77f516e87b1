"""The async store against a real SQLite file holding the shipped pack."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import sqlite3

import pytest

from bot.db.ingest import ingest
from bot.db.migrate import connect
from bot.db.store import Store

UTC = dt.timezone.utc
NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(ingested_db):
    store = await Store.open(ingested_db)
    yield store
    await store.close()


@pytest.fixture
def pack(shipped_packs):
    return shipped_packs[0]


async def table_names(store: Store) -> set[str]:
    async with store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
        return {r[0] for r in await cursor.fetchall()}


async def fact_count(store: Store) -> int:
    async with store.conn.execute("SELECT count(*) FROM facts") as cursor:
        return (await cursor.fetchone())[0]


# ---------------------------------------------------------------- songs and tours


async def test_songs_get_all_page(store, pack):
    song = pack.songs[0]
    got = await store.songs.get(song.id)
    assert got == song  # the store returns the same records the pack holds
    assert got.released_at == song.released_at
    assert await store.songs.get("no-such-song") is None
    assert [s.id for s in await store.songs.all()] == sorted(
        (s.id for s in pack.songs), key=lambda i: next(s.title.lower() for s in pack.songs if s.id == i)
    )
    page, total = await store.songs.page(0, 10), await store.songs.count()
    assert total == len(pack.songs) and [s.id for s in page] == [s.id for s in await store.songs.all()]
    assert (await store.songs.page(len(pack.songs), 10), await store.songs.count()) == ([], len(pack.songs))


async def test_tour_and_shows(store, pack):
    tour = pack.tours[0]
    assert await store.tours.get(tour.id) == tour
    assert await store.tours.get("nope") is None
    shows = await store.tours.shows(tour.id)
    assert shows == sorted((s for s in pack.shows if s.tour == tour.id), key=lambda s: s.starts_at)
    assert [s.id for s in shows] == ["her-seoul", "her-los-angeles"]
    assert shows[0].starts_at == dt.datetime(2024, 3, 1, 15, 0, tzinfo=UTC)  # midnight in Seoul
    assert shows[1].starts_at == dt.datetime(2024, 8, 2, 7, 0, tzinfo=UTC)  # midnight in LA, in summer time
    assert await store.tours.shows("nope") == []
    assert [s.id for s in await store.tours.shows_on("08-02")] == ["her-los-angeles"]


async def test_artists_and_questions(store, pack):
    assert {a.id for a in await store.artists.all()} == {a.id for a in pack.artists}
    assert await store.questions.all() == list(pack.questions)


async def test_packs_summary(store, pack):
    (summary,) = await store.packs.summary()
    assert (summary.id, summary.name, summary.name_ko) == (pack.id, pack.name, pack.name_ko)
    assert (summary.artists, summary.songs, summary.tours, summary.shows, summary.facts, summary.questions) == (
        len(pack.artists),
        len(pack.songs),
        len(pack.tours),
        len(pack.shows),
        len(pack.facts),
        len(pack.questions),
    )
    sources = await store.packs.sources()
    assert sum(n for _, n in sources) == len(pack.facts)
    assert [s for s, _ in sources] == sorted({f.source for f in pack.facts})


async def test_meta_get_set(store):
    assert await store.meta.get("content_version") == "1"
    await store.meta.set("x", "1")
    await store.meta.set("x", "2")
    assert await store.meta.get("x") == "2"
    assert await store.meta.get("missing") is None


# ---------------------------------------------------------------- facts


async def test_facts_get_returns_the_pack_record(store, pack):
    for fact in pack.facts:
        got = await store.facts.get(fact.id)
        assert got == dataclasses.replace(fact, about=tuple(sorted(fact.about)))
    assert await store.facts.get("nope") is None
    assert await fact_count(store) == len(pack.facts)


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("artist:v", None),
        ("artist:v", "music-video"),
        ("song:love-wins-all", "reception"),
        ("tour:her-world-tour", None),
        ("artist:nobody", None),
        ("artist:iu", "no-such-kind"),
    ],
)
async def test_facts_about(store, pack, subject, kind):
    expected = [f.id for f in pack.facts if subject in f.about and (kind is None or f.kind == kind)]
    got = await store.facts.about(subject, (kind,) if kind else None)
    assert [f.id for f in got] == expected  # in pack order
    assert all(subject in f.about for f in got)


async def test_facts_about_limit(store):
    assert len(await store.facts.about("song:love-wins-all", limit=3)) == 3


async def test_facts_about_several_kinds(store, pack):
    kinds = ("music-video", "reception")
    got = await store.facts.about("song:love-wins-all", kinds)
    assert [f.id for f in got] == [f.id for f in pack.facts if "song:love-wins-all" in f.about and f.kind in kinds]


async def test_facts_on_a_day(store, pack):
    got = await store.facts.on("01-24")
    assert "lwa-mv-release" in [f.id for f in got]
    assert [f.id for f in got] == [f.id for f in pack.facts if f.date and f.date.strftime("%m-%d") == "01-24"]
    assert await store.facts.on("12-25") == []
    assert await store.facts.on("'; DROP TABLE facts; --") == []


# ---------------------------------------------------------------- next_unseen


async def draw_all(store, channel, subject, kind, n):
    seen = []
    for i in range(n):
        fact, reset = await store.history.next_unseen(channel, subject, kind, NOW + dt.timedelta(minutes=i))
        assert fact is not None and reset is False
        seen.append(fact.id)
    return seen


async def test_next_unseen_uses_the_whole_pool_before_repeating(store, pack):
    ids = {f.id for f in pack.facts}
    seen = await draw_all(store, 1001, None, None, len(ids))
    assert len(set(seen)) == len(seen) and set(seen) == ids
    fact, reset = await store.history.next_unseen(1001, None, None, NOW)
    assert reset is True and fact is not None and fact.id in ids
    # After the reset only the new draw counts as seen.
    await store.history.flush()
    async with store.conn.execute("SELECT fact_id FROM fact_history WHERE channel_id = 1001") as cursor:
        assert [r[0] for r in await cursor.fetchall()] == [fact.id]
    again, reset = await store.history.next_unseen(1001, None, None, NOW)
    assert reset is False and again.id != fact.id


async def test_channels_are_independent(store, pack):
    await draw_all(store, 1, None, None, len(pack.facts))
    fact, reset = await store.history.next_unseen(2, None, None, NOW)
    assert fact is not None and reset is False


@pytest.mark.parametrize(
    ("subject", "kind"), [("artist:v", None), (None, "music-video"), ("song:love-wins-all", "behind-the-scenes")]
)
async def test_next_unseen_filters(store, pack, subject, kind):
    pool = {f.id for f in pack.facts if (subject is None or subject in f.about) and (kind is None or f.kind == kind)}
    assert 1 < len(pool) < len(pack.facts)
    outside = next(f.id for f in pack.facts if f.id not in pool)
    async with store.write() as tx:
        await tx.execute("INSERT INTO fact_history VALUES (77, ?, 0)", (outside,))
    seen = await draw_all(store, 77, subject, kind, len(pool))
    assert sorted(seen) == sorted(pool)
    fact, reset = await store.history.next_unseen(77, subject, kind, NOW)
    assert reset is True and fact.id in pool
    # The reset only forgot this pool: what the channel saw outside it is still remembered.
    await store.history.flush()
    async with store.conn.execute("SELECT fact_id FROM fact_history WHERE channel_id = 77") as cursor:
        assert sorted(r[0] for r in await cursor.fetchall()) == sorted([outside, fact.id])


async def test_simultaneous_draws_in_one_channel_never_repeat(store, pack):
    draws = await asyncio.gather(*(store.history.next_unseen(3, None, None, NOW) for _ in pack.facts))
    assert len({fact.id for fact, _reset in draws}) == len(pack.facts)
    await store.history.flush()
    async with store.conn.execute("SELECT count(*) FROM fact_history WHERE channel_id = 3") as cursor:
        assert (await cursor.fetchone())[0] == len(pack.facts)


async def test_next_unseen_empty_pool(store):
    assert await store.history.next_unseen(5, "artist:nobody", None, NOW) == (None, False)
    assert await store.history.next_unseen(5, None, "no-such-kind", NOW) == (None, False)


async def test_next_unseen_history_survives_reopening(ingested_db, pack):
    store = await Store.open(ingested_db)
    try:
        first = await draw_all(store, 9, None, None, len(pack.facts) - 1)
    finally:
        await store.close()
    store = await Store.open(ingested_db)
    try:
        fact, reset = await store.history.next_unseen(9, None, None, NOW)
        assert reset is False and fact.id not in first
    finally:
        await store.close()


# ---------------------------------------------------------------- "soon" orderings


def _with_more_dates(pack):
    base_song, base_show = pack.songs[0], pack.shows[0]
    songs = pack.songs + tuple(
        dataclasses.replace(base_song, id=f"song-{d:%m-%d}", title=f"Song {d:%m %d}", released=d)
        for d in (dt.date(2020, 12, 31), dt.date(2021, 6, 15), dt.date(2022, 2, 1), dt.date(2019, 6, 1))
    )
    shows = pack.shows + (
        dataclasses.replace(base_show, id="plain-show", date=dt.date(2024, 6, 2), milestone=None),
        dataclasses.replace(base_show, id="other-first", date=dt.date(2023, 11, 30), milestone="first"),
    )
    return dataclasses.replace(pack, songs=songs, shows=shows)


@pytest.fixture
async def dated_store(tmp_path, pack):
    path = tmp_path / "dated.sqlite3"
    conn = connect(path)
    ingest(conn, [_with_more_dates(pack)])
    conn.close()
    store = await Store.open(path)
    yield store
    await store.close()


async def test_anniversaries_soon_order(dated_store):
    songs = await dated_store.songs.anniversaries_soon(NOW, 10)  # NOW is 1 June 2025
    assert [s.id for s in songs] == ["song-06-01", "song-06-15", "song-12-31", "love-wins-all", "song-02-01"]
    assert [s.id for s in await dated_store.songs.anniversaries_soon(NOW, 2)] == ["song-06-01", "song-06-15"]
    later = dt.datetime(2025, 7, 1, tzinfo=UTC)
    assert [s.id for s in await dated_store.songs.anniversaries_soon(later, 2)] == ["song-12-31", "love-wins-all"]


async def test_milestones_soon_order(dated_store):
    shows = await dated_store.tours.milestones_soon(dt.datetime(2025, 4, 1, tzinfo=UTC), 10)
    assert [s.id for s in shows] == ["her-los-angeles", "other-first", "her-seoul"]  # plain-show has no milestone
    shows = await dated_store.tours.milestones_soon(dt.datetime(2025, 2, 1, tzinfo=UTC), 10)
    assert [s.id for s in shows] == ["her-seoul", "her-los-angeles", "other-first"]


async def test_released_on_and_upcoming(dated_store):
    assert [s.id for s in await dated_store.songs.released_on("01-24")] == ["love-wins-all"]
    upcoming = await dated_store.tours.upcoming(dt.datetime(2024, 3, 1, tzinfo=UTC))
    assert [s.id for s in upcoming] == ["her-seoul", "plain-show", "her-los-angeles"]


# ---------------------------------------------------------------- the one write path


async def test_two_concurrent_writers_are_serialised(store):
    """The second writer's block starts only after the first has committed: no interleaving."""
    order: list[str] = []

    async def writer(name: str) -> None:
        async with store.write() as tx:
            order.append(f"{name} begins")
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"w-{name}", "1"))
            await asyncio.sleep(0.02)  # give the other writer every chance to cut in
            row = await tx.fetchone("SELECT count(*) FROM meta WHERE key LIKE 'w-%'")
            order.append(f"{name} sees {row[0]}")
            order.append(f"{name} ends")

    await asyncio.gather(writer("a"), writer("b"))
    assert order == ["a begins", "a sees 1", "a ends", "b begins", "b sees 2", "b ends"]
    assert await store.meta.get("w-a") == "1" and await store.meta.get("w-b") == "1"


async def test_a_failing_write_is_rolled_back_whole(store):
    with pytest.raises(RuntimeError, match="halfway"):
        async with store.write() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('first', '1')")
            await tx.execute("UPDATE meta SET value = 'changed' WHERE key = 'content_version'")
            raise RuntimeError("halfway")
    assert await store.meta.get("first") is None
    assert await store.meta.get("content_version") == "1"
    async with store.write() as tx:  # the write path is free again
        await tx.execute("INSERT INTO meta (key, value) VALUES ('after', '1')")
    assert await store.meta.get("after") == "1"


USES_OF_TX = {
    "execute": lambda tx: tx.execute("INSERT INTO meta (key, value) VALUES ('late', '1')"),
    "executemany": lambda tx: tx.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [("late", "1")]),
    "fetchone": lambda tx: tx.fetchone("SELECT value FROM meta WHERE key = 'content_version'"),
    "fetchall": lambda tx: tx.fetchall("SELECT key FROM meta"),
}
ENDED = "this transaction has ended: use tx only inside its `async with store.write() as tx:` block"


@pytest.mark.parametrize("use", sorted(USES_OF_TX))
async def test_a_transaction_used_after_its_block_raises(store, use):
    async with store.write() as tx:
        await tx.execute("INSERT INTO meta (key, value) VALUES ('inside', '1')")
    with pytest.raises(RuntimeError) as raised:
        await USES_OF_TX[use](tx)
    assert str(raised.value) == ENDED
    assert (tx.rowcount, tx.lastrowid is not None) == (1, True)  # the block's results stay readable
    with pytest.raises(RuntimeError, match="halfway"):
        async with store.write() as failed:
            raise RuntimeError("halfway")
    with pytest.raises(RuntimeError) as raised:
        await USES_OF_TX[use](failed)  # a rolled-back transaction is over too
    assert str(raised.value) == ENDED
    assert (await store.meta.get("inside"), await store.meta.get("late")) == ("1", None)
    async with store.write() as tx:  # the write path is free again
        await tx.execute("INSERT INTO meta (key, value) VALUES ('after', '1')")
    assert await store.meta.get("after") == "1"


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO meta (key, value) VALUES ('bypass', '1')",
        "UPDATE meta SET value = '99' WHERE key = 'content_version'",
        "DELETE FROM fact_history",
        "CREATE TABLE bypass (x)",
    ],
)
async def test_the_read_connection_refuses_every_write(store, sql):
    """A write that bypasses store.write() (and its lock) fails at once and changes nothing."""
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await store.conn.execute(sql)
    assert await store.meta.get("bypass") is None
    assert await store.meta.get("content_version") == "1"
    async with store.write() as tx:  # the write path is unaffected
        await tx.execute("INSERT INTO meta (key, value) VALUES ('through', 'write')")
    assert await store.meta.get("through") == "write"


async def test_meta_set_goes_through_the_write_path(store):
    """meta.set waits for a write transaction in progress, like every other write."""
    async with store.write() as tx:
        pending = asyncio.create_task(store.meta.set("k", "from set"))
        await asyncio.sleep(0.02)
        assert not pending.done()
        await tx.execute("INSERT INTO meta (key, value) VALUES ('k', 'from tx')")
    await pending
    assert await store.meta.get("k") == "from set"


async def test_history_writes_go_through_the_write_path(store, pack):
    """A fact draw answers at once; its history row waits for a write in progress and lands after it."""
    async with store.write():
        fact, _reset = await store.history.next_unseen(42, None, None, NOW)
        await asyncio.sleep(0.02)
        async with store.conn.execute("SELECT count(*) FROM fact_history WHERE channel_id = 42") as cursor:
            assert (await cursor.fetchone())[0] == 0
    await store.history.flush()
    async with store.conn.execute("SELECT fact_id FROM fact_history WHERE channel_id = 42") as cursor:
        assert [r[0] for r in await cursor.fetchall()] == [fact.id]


async def test_open_leaves_nothing_open_when_a_later_step_fails(ingested_db, monkeypatch):
    from bot.db import store as store_module

    opened: list[object] = []
    real_connect = store_module._connect

    async def connect_then_fail(path, busy_ms, **options):
        if opened:  # the writer connection: fail after the reader is open
            raise sqlite3.OperationalError("disk I/O error")
        conn = await real_connect(path, busy_ms, **options)
        opened.append(conn)
        return conn

    monkeypatch.setattr(store_module, "_connect", connect_then_fail)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        await Store.open(ingested_db)
    [reader] = opened
    assert not reader._running  # aiosqlite's thread has ended: the connection is closed


async def test_close_saves_queued_history_and_ends_its_task(ingested_db, pack):
    store = await Store.open(ingested_db)
    fact, _ = await store.history.next_unseen(7, None, None, NOW)
    drainer = store.history._drainer
    assert drainer is not None
    await store.close()
    assert drainer.done()
    again = await Store.open(ingested_db)
    try:
        async with again.conn.execute("SELECT fact_id FROM fact_history WHERE channel_id = 7") as cursor:
            assert [r[0] for r in await cursor.fetchall()] == [fact.id]
    finally:
        await again.close()


async def test_upcoming_is_not_filled_with_shows_that_are_over(tmp_path, pack):
    """Shows earlier on a day that is over everywhere must not take the slots of shows still to come."""
    base = pack.shows[0]
    day = dt.date(2025, 6, 1)
    # evening shows on 31 May (UTC): their day ended at midnight, an hour before `now`
    over = tuple(
        dataclasses.replace(
            base, id=f"over-{n}", date=day - dt.timedelta(days=1), zone="UTC", time=dt.time(20, n), milestone=None
        )
        for n in range(5)
    )
    soon = tuple(
        dataclasses.replace(base, id=f"soon-{n}", date=day + dt.timedelta(days=n + 1), zone="UTC", milestone=None)
        for n in range(3)
    )
    path = tmp_path / "shows.sqlite3"
    conn = connect(path)
    ingest(conn, [dataclasses.replace(pack, shows=over + soon + pack.shows)])
    conn.close()
    store = await Store.open(path)
    try:
        now = dt.datetime(2025, 6, 1, 1, 0, tzinfo=UTC)
        assert [s.id for s in await store.tours.upcoming(now, limit=2)] == ["soon-0", "soon-1"]
        assert [s.id for s in await store.tours.upcoming(now, limit=3)] == ["soon-0", "soon-1", "soon-2"]
    finally:
        await store.close()
