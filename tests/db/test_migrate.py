"""Schema migrations: numbered files, one transaction, version in PRAGMA user_version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.db import migrate
from bot.db.migrate import _statements, connect, migrations

MIGRATIONS_DIR = Path(migrate.__file__).resolve().parent / "migrations"


def schema(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def test_migration_files_are_all_found():
    files = sorted(p.name for p in MIGRATIONS_DIR.glob("*.sql"))
    assert [name for _, name, _ in migrations()] == files
    assert [v for v, _, _ in migrations()] == list(range(1, len(files) + 1))


def test_new_database_is_at_the_latest_version(tmp_path):
    conn = connect(tmp_path / "sub" / "new.sqlite3")  # parent folders are created
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(list(MIGRATIONS_DIR.glob("*.sql")))
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {
            "packs",
            "artists",
            "songs",
            "tours",
            "shows",
            "facts",
            "fact_subjects",
            "facts_fts",
            "questions",
            "guild_settings",
            "fact_history",
            "meta",
        } <= tables
        assert conn.in_transaction is False  # autocommit: transactions are explicit
    finally:
        conn.close()


def test_migrating_twice_is_a_no_op(tmp_path):
    path = tmp_path / "db.sqlite3"
    conn = connect(path)
    try:
        version, before, changes = conn.execute("PRAGMA user_version").fetchone()[0], schema(conn), conn.total_changes
        assert migrate.migrate(conn) == version
        assert schema(conn) == before and conn.total_changes == changes
    finally:
        conn.close()
    again = connect(path)  # and on reopening
    try:
        assert again.execute("PRAGMA user_version").fetchone()[0] == version
        assert schema(again) == before
    finally:
        again.close()


def test_database_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    connect(path).close()
    newer = len(migrations()) + 1
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {newer}")
    raw.close()
    with pytest.raises(RuntimeError, match=rf"schema version {newer}, newer than this Lightstick knows"):
        connect(path).close()


def test_a_failing_migration_changes_nothing(tmp_path, monkeypatch):
    good = migrations()
    bad = (
        len(good) + 1,
        f"{len(good) + 1:03d}-broken.sql",
        "CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n",
    )
    monkeypatch.setattr(migrate, "migrations", lambda: [*good, bad])
    path = tmp_path / "db.sqlite3"
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        connect(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        conn.close()


def test_statement_splitting_keeps_trigger_bodies():
    script = (
        "-- a comment; with a semicolon\n"
        "CREATE TABLE t (a TEXT);\n"
        "CREATE TABLE log (a TEXT);\n"
        "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n"
        "    INSERT INTO log VALUES (new.a);\n"
        "    INSERT INTO log VALUES ('second; statement');\n"
        "END;\n"
        "\n"
        "-- trailing comment\n"
    )
    statements = _statements(script)
    assert len(statements) == 3
    assert statements[2].startswith("CREATE TRIGGER t_ai") and statements[2].endswith("END;")
    assert "second; statement" in statements[2]
    conn = sqlite3.connect(":memory:")
    for statement in statements:
        conn.execute(statement)
    conn.execute("INSERT INTO t VALUES ('x')")
    assert conn.execute("SELECT a FROM log ORDER BY rowid").fetchall() == [("x",), ("second; statement",)]


def test_shipped_migration_keeps_its_triggers_whole():
    for _, _, sql in migrations():
        for statement in _statements(sql):
            assert sqlite3.complete_statement(statement)
    statements = _statements(migrations()[0][2])
    triggers = [s for s in statements if s.startswith("CREATE TRIGGER")]
    assert len(triggers) == 3
    update = next(s for s in triggers if "facts_au" in s)
    assert update.count("INSERT INTO facts_fts") == 2 and update.endswith("END;")


def test_incomplete_statement_is_an_error():
    with pytest.raises(RuntimeError, match="incomplete SQL statement"):
        _statements("CREATE TABLE t (a TEXT);\nCREATE TABLE u (b TEXT)\n")


def test_fts_triggers_follow_the_facts_table(tmp_path):
    conn = connect(tmp_path / "db.sqlite3")
    try:
        conn.execute("INSERT INTO packs (id, name, path, digest) VALUES ('p', 'P', 'x', 'd')")
        conn.execute(
            "INSERT INTO facts (id, pack_id, kind, text, source, quote, digest) "
            "VALUES ('f', 'p', 'fact', 'aardvark', 's', 'q', 'd')"
        )
        match = "SELECT count(*) FROM facts_fts WHERE facts_fts MATCH ?"
        assert conn.execute(match, ("aardvark",)).fetchone()[0] == 1
        conn.execute("UPDATE facts SET text = 'bandicoot' WHERE id = 'f'")
        assert conn.execute(match, ("aardvark",)).fetchone()[0] == 0
        assert conn.execute(match, ("bandicoot",)).fetchone()[0] == 1
        conn.execute("DELETE FROM packs")  # cascades to facts, and the FTS delete trigger fires
        assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == 0
        assert conn.execute(match, ("bandicoot",)).fetchone()[0] == 0
        conn.execute("INSERT INTO facts_fts(facts_fts) VALUES ('integrity-check')")
    finally:
        conn.close()


# ---------------------------------------------------------------- two processes at once (issue 9 item 16)


def _in_thread(work):
    """Start ``work`` in a thread; the returned join() gives its result or raises its exception."""
    import threading

    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()

    def join():
        thread.join(timeout=30)
        assert not thread.is_alive()
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        return outcome["value"]

    return join


def test_connect_waits_for_a_lock_held_while_switching_to_wal(tmp_path):
    """The busy timeout is set before the first statement, so PRAGMA journal_mode = WAL waits for the lock
    instead of failing with "database is locked"."""
    import time

    path = tmp_path / "new.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE other (a)")  # a database file in the default (rollback journal) mode
    holder.execute("BEGIN EXCLUSIVE")  # what another process's first write holds on a database not yet in WAL
    try:
        join = _in_thread(lambda: connect(path).close())
        time.sleep(0.3)
    finally:
        holder.execute("COMMIT")
        holder.close()
    join()
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA user_version").fetchone()[0] == len(migrations())
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        check.close()


def test_migrations_another_process_applies_while_we_wait_are_not_applied_again(tmp_path):
    """The version is read again inside the write transaction: on a new database the second process finds the
    first one's tables instead of failing with "table packs already exists"."""
    import time

    path = tmp_path / "new.sqlite3"
    first = sqlite3.connect(path, isolation_level=None)
    migrate.configure(first)
    first.execute("BEGIN IMMEDIATE")  # the first process is migrating ...
    for _version, _name, sql in migrations():
        for statement in _statements(sql):
            first.execute(statement)
    first.execute(f"PRAGMA user_version = {len(migrations())}")
    try:
        join = _in_thread(lambda: connect(path).close())  # ... when the second one reads version 0 and waits
        time.sleep(0.3)
        first.execute("COMMIT")
    finally:
        first.close()
    join()
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA user_version").fetchone()[0] == len(migrations())
    finally:
        check.close()


def test_many_connections_opening_a_new_database_at_once(tmp_path):
    for attempt in range(5):
        path = tmp_path / f"new-{attempt}.sqlite3"
        joins = [_in_thread(lambda path=path: connect(path).close()) for _ in range(4)]
        for join in joins:
            join()
