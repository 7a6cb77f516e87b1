"""Ingest: the content tables end up holding exactly the packs, in one transaction; community data is kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.content.loader import load_packs
from bot.db.ingest import ORDER, ingest
from bot.db.migrate import connect

TABLES = ORDER  # packs, artists, songs, tours, shows, facts, questions


@pytest.fixture
def conn(tmp_path):
    conn = connect(tmp_path / "db.sqlite3")
    yield conn
    conn.close()


@pytest.fixture
def loaded(conn, shipped_packs):
    ingest(conn, shipped_packs)
    return conn


def counts(pack) -> dict[str, int]:
    return {
        "packs": 1,
        "articles": len(pack.articles),
        "artists": len(pack.artists),
        "songs": len(pack.songs),
        "tours": len(pack.tours),
        "shows": len(pack.shows),
        "facts": len(pack.facts),
        "questions": len(pack.questions),
    }


def rows(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def fts(conn: sqlite3.Connection, query: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT f.id FROM facts_fts JOIN facts f ON f.rowid = facts_fts.rowid WHERE facts_fts MATCH ? ORDER BY f.id",
            (query,),
        )
    ]


def subjects(conn: sqlite3.Connection, fact_id: str) -> list[str]:
    return [
        r[0] for r in conn.execute("SELECT subject FROM fact_subjects WHERE fact_id = ? ORDER BY subject", (fact_id,))
    ]


def with_facts(pack, facts):
    return dataclasses.replace(pack, facts=tuple(facts))


def replace_fact(pack, fact_id, **changes):
    return with_facts(pack, [dataclasses.replace(f, **changes) if f.id == fact_id else f for f in pack.facts])


def unquestioned_fact(pack):
    asked = {q.fact for q in pack.questions}
    return next(f for f in pack.facts if f.id not in asked)


def fts_ok(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO facts_fts(facts_fts) VALUES ('integrity-check')")


def test_first_run_adds_everything(conn, shipped_packs):
    (pack,) = shipped_packs
    report = ingest(conn, shipped_packs)
    assert report.added == counts(pack)
    assert set(report.updated.values()) == {0} and set(report.removed.values()) == {0}
    assert report.changed
    assert {t: rows(conn, t) for t in TABLES} == counts(pack)
    assert rows(conn, "fact_subjects") == sum(len(f.about) for f in pack.facts)
    assert conn.execute("SELECT value FROM meta WHERE key = 'content_version'").fetchone() == ("1",)
    assert fts(conn, "melon")  # the FTS index is filled by the insert trigger
    fts_ok(conn)
    assert conn.in_transaction is False


def test_report_lines(conn, shipped_packs):
    (pack,) = shipped_packs
    lines = ingest(conn, shipped_packs).lines()
    assert lines[0] == "packs      +1       ~0       -0"
    assert lines[6] == f"facts      +{len(pack.facts):<7} ~0       -0"
    assert [line.split()[0] for line in lines] == list(TABLES)


def test_second_run_changes_nothing(loaded, shipped_packs):
    before = loaded.total_changes
    report = ingest(loaded, shipped_packs)
    assert not report.changed
    assert loaded.total_changes == before
    assert loaded.execute("SELECT value FROM meta WHERE key = 'content_version'").fetchone() == ("1",)


def test_reloading_from_disk_changes_nothing(loaded, shipped_pack, seeds_dir):
    packs, problems = load_packs([shipped_pack], seeds_dir)
    assert problems == []
    assert not ingest(loaded, packs).changed


def test_changed_fact_text_is_updated(loaded, pack_copy, pack_file, seeds_dir, shipped_pack):
    f = pack_file("facts.toml")
    line = f.key_line("lwa-collaboration", "text")
    f.set_line(line, "text = \"'Love Wins All' is a zeppelin-sized collaboration of IU and BTS’ V.\"")
    # Shown as the shipped pack's path, so only the fact differs (the pack row records its path).
    packs, problems = load_packs([pack_copy], seeds_dir, display=lambda p: str(shipped_pack / p.relative_to(pack_copy)))
    assert problems == []
    old_subjects = subjects(loaded, "lwa-collaboration")
    assert fts(loaded, "text:between") == ["lwa-collaboration"]

    report = ingest(loaded, packs)

    assert report.updated == {t: (1 if t == "facts" else 0) for t in TABLES}
    assert set(report.added.values()) == {0} and set(report.removed.values()) == {0}
    assert fts(loaded, "zeppelin") == ["lwa-collaboration"]
    assert fts(loaded, "text:between") == []
    assert subjects(loaded, "lwa-collaboration") == old_subjects
    assert loaded.execute("SELECT value FROM meta WHERE key = 'content_version'").fetchone() == ("2",)
    fts_ok(loaded)
    assert not ingest(loaded, packs).changed


def test_changed_subjects_are_updated(loaded, shipped_packs):
    (pack,) = shipped_packs
    report = ingest(loaded, [replace_fact(pack, "lwa-collaboration", about=("artist:v",))])
    assert report.updated["facts"] == 1
    assert subjects(loaded, "lwa-collaboration") == ["artist:v"]


def test_removed_fact_is_removed(loaded, shipped_packs):
    (pack,) = shipped_packs
    gone = unquestioned_fact(pack)
    word = "aerostat"  # make the fact findable by a word nothing else has, then remove it
    ingest(loaded, [replace_fact(pack, gone.id, text=f"{gone.text} {word}")])
    assert fts(loaded, word) == [gone.id]

    report = ingest(loaded, [with_facts(pack, [f for f in pack.facts if f.id != gone.id])])

    assert report.removed == {t: (1 if t == "facts" else 0) for t in TABLES}
    assert loaded.execute("SELECT count(*) FROM facts WHERE id = ?", (gone.id,)).fetchone()[0] == 0
    assert subjects(loaded, gone.id) == []
    assert fts(loaded, word) == []
    assert rows(loaded, "facts") == len(pack.facts) - 1
    fts_ok(loaded)


def test_removed_question_is_removed(loaded, shipped_packs):
    (pack,) = shipped_packs
    report = ingest(loaded, [dataclasses.replace(pack, questions=pack.questions[1:])])
    assert report.removed["questions"] == 1
    assert rows(loaded, "questions") == len(pack.questions) - 1


def test_renamed_tour_keeps_its_shows(loaded, shipped_packs):
    # Renaming an id is a removal plus an addition; the old tour's cascade must not take the shows with it.
    (pack,) = shipped_packs
    tour = dataclasses.replace(pack.tours[0], id="her-tour-renamed")
    shows = tuple(dataclasses.replace(s, tour=tour.id) for s in pack.shows)
    ingest(loaded, [dataclasses.replace(pack, tours=(tour,), shows=shows)])
    assert loaded.execute("SELECT id, tour_id FROM shows ORDER BY starts_at").fetchall() == [
        (s.id, "her-tour-renamed") for s in sorted(pack.shows, key=lambda s: s.starts_at)
    ]


def test_renamed_fact_keeps_its_question(loaded, shipped_packs):
    (pack,) = shipped_packs
    question = pack.questions[0]
    new_id = f"{question.fact}-renamed"
    facts = [dataclasses.replace(f, id=new_id) if f.id == question.fact else f for f in pack.facts]
    questions = tuple(dataclasses.replace(q, fact=new_id) if q.fact == question.fact else q for q in pack.questions)
    ingest(loaded, [dataclasses.replace(pack, facts=tuple(facts), questions=questions)])
    assert rows(loaded, "questions") == len(pack.questions)
    assert loaded.execute("SELECT fact_id FROM questions WHERE id = ?", (question.id,)).fetchone() == (new_id,)
    assert subjects(loaded, new_id) == sorted(next(f for f in pack.facts if f.id == question.fact).about)
    fts_ok(loaded)


def add_community_data(conn: sqlite3.Connection, fact_id: str) -> list[list[tuple]]:
    conn.execute(
        "INSERT INTO guild_settings (guild_id, announce_channel_id, ping_role_id, updated_at) "
        "VALUES (123456789012345678, 42, 43, 1700000000)"
    )
    conn.execute("INSERT INTO fact_history VALUES (555, ?, 1700000001)", (fact_id,))
    conn.execute("INSERT INTO fact_history VALUES (555, 'a-fact-that-was-removed-long-ago', 1700000002)")
    conn.execute("INSERT INTO meta VALUES ('welcome_sent', 'yes')")
    return community(conn)


def community(conn: sqlite3.Connection) -> list[list[tuple]]:
    return [
        conn.execute("SELECT * FROM guild_settings ORDER BY guild_id").fetchall(),
        conn.execute("SELECT * FROM fact_history ORDER BY channel_id, fact_id").fetchall(),
        conn.execute("SELECT * FROM meta WHERE key != 'content_version' ORDER BY key").fetchall(),
    ]


def test_community_data_survives_reingest_and_pack_removal(loaded, shipped_packs):
    (pack,) = shipped_packs
    gone = unquestioned_fact(pack)
    before = add_community_data(loaded, gone.id)

    ingest(loaded, shipped_packs)
    assert community(loaded) == before
    ingest(loaded, [with_facts(pack, [f for f in pack.facts if f.id != gone.id])])
    assert community(loaded) == before

    report = ingest(loaded, [])  # every pack removed
    assert report.removed == counts(pack) | {"facts": len(pack.facts) - 1}
    assert {t: rows(loaded, t) for t in TABLES} == dict.fromkeys(TABLES, 0)
    assert rows(loaded, "fact_subjects") == 0
    assert community(loaded) == before
    fts_ok(loaded)

    ingest(loaded, shipped_packs)  # and back
    assert community(loaded) == before
    assert rows(loaded, "facts") == len(pack.facts)


def test_error_mid_ingest_rolls_everything_back(loaded, shipped_packs, db_dump, tmp_path):
    (pack,) = shipped_packs
    path = Path(loaded.execute("PRAGMA database_list").fetchone()[2])
    before = db_dump(path)
    # Changes to early tables, then a question pointing at a fact that isn't there: a foreign key failure
    # after packs, facts etc. were already written in this transaction.
    broken = dataclasses.replace(
        replace_fact(pack, "lwa-collaboration", text="rewritten"),
        name="Renamed pack",
        questions=pack.questions + (dataclasses.replace(pack.questions[0], id="q-orphan", fact="no-such-fact"),),
    )
    with pytest.raises(sqlite3.IntegrityError):
        ingest(loaded, [broken])
    assert loaded.in_transaction is False
    assert db_dump(path) == before


class _FailOn:
    """A connection wrapper that raises when a statement starting with ``prefix`` runs."""

    def __init__(self, conn: sqlite3.Connection, prefix: str) -> None:
        self.conn, self.prefix = conn, prefix

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def _check(self, sql: str) -> None:
        if sql.startswith(self.prefix):
            raise KeyboardInterrupt  # not even an Exception: still rolled back

    def execute(self, sql, *args):
        self._check(sql)
        return self.conn.execute(sql, *args)

    def executemany(self, sql, *args):
        self._check(sql)
        return self.conn.executemany(sql, *args)


def test_interrupt_after_deletes_rolls_back(loaded, shipped_packs, db_dump):
    (pack,) = shipped_packs
    path = Path(loaded.execute("PRAGMA database_list").fetchone()[2])
    before = db_dump(path)
    smaller = with_facts(pack, [f for f in pack.facts if f.id != unquestioned_fact(pack).id])
    with pytest.raises(KeyboardInterrupt):
        ingest(_FailOn(loaded, "INSERT INTO fact_subjects"), [smaller])  # type: ignore[arg-type]
    assert loaded.in_transaction is False
    assert db_dump(path) == before


def test_cli_ingest_twice(tmp_path, cli, shipped_packs):
    (pack,) = shipped_packs
    database = tmp_path / "cli.sqlite3"
    first = cli("ingest", "--database", str(database))
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].startswith(f"Loaded 1 pack(s) into {database} in ")
    assert lines[0].endswith("s (+added ~updated -removed):")
    assert lines[1:] == [f"  {t:<10} +{n:<7} ~0       -0" for t, n in counts(pack).items()]
    assert first.stderr == ""

    second = cli("ingest", "--database", str(database))
    assert second.returncode == 0
    assert second.stdout.splitlines()[1:] == [f"  {t:<10} +0       ~0       -0" for t in TABLES] + [
        "  Nothing changed: the database already matched the packs."
    ]
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT count(*) FROM facts").fetchone()[0] == len(pack.facts)


class _DiskFullAtCommit:
    """A real connection whose COMMIT fails the way SQLite's does on a full disk: SQLite has already rolled
    the transaction back when the error arrives, so a later ROLLBACK would fail with "no transaction is active"."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def execute(self, sql, *args):
        if sql == "COMMIT":
            self.conn.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
        return self.conn.execute(sql, *args)

    def executemany(self, sql, *args):
        return self.conn.executemany(sql, *args)


def test_disk_full_at_commit_raises_the_real_cause_and_changes_nothing(conn, shipped_packs, db_dump):
    path = Path(conn.execute("PRAGMA database_list").fetchone()[2])
    before = db_dump(path)
    with pytest.raises(sqlite3.OperationalError, match=r"^database or disk is full$"):
        ingest(_DiskFullAtCommit(conn), shipped_packs)  # type: ignore[arg-type]
    assert conn.in_transaction is False
    assert db_dump(path) == before


def test_a_second_ingest_waits_for_the_first(conn, shipped_packs, tmp_path):
    import threading
    import time

    path = Path(conn.execute("PRAGMA database_list").fetchone()[2])
    conn.execute("BEGIN IMMEDIATE")  # another ingest holds the write lock for a moment
    results: list[object] = []

    def second_ingest() -> None:
        second = connect(path)
        try:
            results.append(ingest(second, shipped_packs))
        finally:
            second.close()

    thread = threading.Thread(target=second_ingest)
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive()  # waiting, not failed
    conn.execute("COMMIT")
    thread.join(timeout=30)
    assert len(results) == 1 and results[0].changed  # type: ignore[attr-defined]


# ---------------------------------------------------------------- what the store keeps of a pack


async def test_show_at_the_second_of_a_twice_happening_time_reads_back_as_the_second(
    tmp_path, pack_copy, pack_file, seeds_dir
):
    """01:30 happens twice in Los Angeles on 3 November 2024; the pack's offset "-08:00" picks the second,
    09:30 UTC. Read back from the store, the show is still the second (it used to come back as 08:30 UTC)."""
    from bot.db.store import Store

    f = pack_file("tours.toml")
    f.set_line(f.key_line("her-los-angeles", "date"), 'date = "2024-11-03"')
    f.set_line(f.key_line("her-los-angeles", "milestone"), None)
    f.set_line(f.key_line("her-los-angeles", "source"), 'source = "004_7c4a4874365c364d.txt"')  # no dateline
    f.set_line(f.key_line("her-los-angeles", "quote"), 'quote = "In the end, IU and V couldn’t outrun the cube."')
    f.insert_after(f.key_line("her-los-angeles", "date"), 'time = "01:30"\noffset = "-08:00"')
    packs, problems = load_packs([pack_copy], seeds_dir)
    assert problems == []
    path = tmp_path / "fold.sqlite3"
    conn = connect(path)
    try:
        ingest(conn, packs)
        assert conn.execute("SELECT fold, starts_at FROM shows WHERE id = 'her-los-angeles'").fetchone() == (
            1,
            1730626200,
        )  # 2024-11-03 09:30 UTC
    finally:
        conn.close()
    store = await Store.open(path)
    try:
        show = next(s for s in await store.tours.all_shows() if s.id == "her-los-angeles")
        assert show.fold == 1
        assert show.starts_at == dt.datetime(2024, 11, 3, 9, 30, tzinfo=dt.timezone.utc)
        assert show.starts_at.astimezone(ZoneInfo("America/Los_Angeles")).isoformat() == "2024-11-03T01:30:00-08:00"
        tour_shows = await store.tours.shows(show.tour)
        assert next(s for s in tour_shows if s.id == "her-los-angeles").starts_at == show.starts_at
        others = [s for s in await store.tours.all_shows() if s.id != "her-los-angeles"]
        assert others and all(s.fold == 0 for s in others)
    finally:
        await store.close()


async def test_article_dateline_is_kept_and_read_back(tmp_path, shipped_packs):
    from bot.db.store import Store

    path = tmp_path / "datelines.sqlite3"
    conn = connect(path)
    try:
        ingest(conn, shipped_packs)
    finally:
        conn.close()
    store = await Store.open(path)
    try:
        articles = {a.id: a for a in await store.articles.all()}
    finally:
        await store.close()
    assert articles["000_24b8aacb5478efeb.txt"].dateline == "Last Updated: 07.01 PM, Jan 28, 2024"
    assert articles["004_7c4a4874365c364d.txt"].dateline is None
    # what the store gives back is what the pack said, field for field
    assert sorted(articles.values(), key=lambda a: a.id) == sorted(shipped_packs[0].articles, key=lambda a: a.id)


def test_changed_dateline_is_updated_by_the_next_ingest(loaded, shipped_packs):
    pack = shipped_packs[0]
    article = next(a for a in pack.articles if a.dateline)
    changed = dataclasses.replace(
        pack, articles=tuple(dataclasses.replace(a, dateline=None) if a.id == article.id else a for a in pack.articles)
    )
    report = ingest(loaded, [changed])
    assert report.updated["articles"] == 1
    assert loaded.execute("SELECT dateline FROM articles WHERE id = ?", (article.id,)).fetchone() == (None,)
    ingest(loaded, shipped_packs)
    assert loaded.execute("SELECT dateline FROM articles WHERE id = ?", (article.id,)).fetchone() == (
        "Last Updated: 07.01 PM, Jan 28, 2024",
    )
