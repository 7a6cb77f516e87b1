"""A question's Korean wrong options (`wrong_ko`) in the store: migration 006 adds the column, ingest writes
it (and notices when only it changed), the store reads it back."""

from __future__ import annotations

import dataclasses
import json

import pytest

from bot.db import migrate
from bot.db.ingest import ingest
from bot.db.migrate import connect, migrations


def with_wrong_ko(packs, question_id, wrong_ko):  # type: ignore[no-untyped-def]
    pack = packs[0]
    questions = tuple(dataclasses.replace(q, wrong_ko=wrong_ko) if q.id == question_id else q for q in pack.questions)
    return [dataclasses.replace(pack, questions=questions)]


def stored(conn, question_id):  # type: ignore[no-untyped-def]
    return conn.execute("SELECT wrong_ko FROM questions WHERE id = ?", (question_id,)).fetchone()[0]


@pytest.fixture
def conn(tmp_path, shipped_packs):  # type: ignore[no-untyped-def]
    conn = connect(tmp_path / "db.sqlite3")
    ingest(conn, shipped_packs)
    yield conn
    conn.close()


def test_ingest_keeps_wrong_ko_as_a_list_or_null(conn):
    assert json.loads(stored(conn, "q-melon-chart")) == ["지니", "벅스", "플로"]
    assert stored(conn, "q-tour-name") is None
    assert json.loads(stored(conn, "q-iu-gown-colour")) == ["흰색", "분홍색", "하늘색"]


def test_a_change_to_wrong_ko_alone_is_noticed(conn, shipped_packs):
    changed = with_wrong_ko(shipped_packs, "q-melon-chart", ("지니뮤직", "벅스", "플로"))
    report = ingest(conn, changed)
    assert (report.added["questions"], report.updated["questions"], report.removed["questions"]) == (0, 1, 0)
    assert json.loads(stored(conn, "q-melon-chart")) == ["지니뮤직", "벅스", "플로"]
    assert not ingest(conn, changed).changed  # the same again: nothing to write
    dropped = ingest(conn, with_wrong_ko(shipped_packs, "q-melon-chart", ()))
    assert dropped.updated["questions"] == 1 and stored(conn, "q-melon-chart") is None
    forms = ("러브 포엠 투어", "더 골든 아워 투어", "팔레트 월드 투어")  # made up for the test: the pack gives none
    added = ingest(conn, with_wrong_ko(shipped_packs, "q-tour-name", forms))
    assert added.updated["questions"] == 2  # melon's back, and the tour name's new
    assert json.loads(stored(conn, "q-tour-name")) == list(forms)


async def test_the_store_reads_wrong_ko_back(ingested_db, shipped_packs):
    from bot.db.store import Store

    store = await Store.open(ingested_db)
    try:
        questions = await store.questions.all()
    finally:
        await store.close()
    assert questions == list(shipped_packs[0].questions)  # field for field, what the pack said
    assert next(q for q in questions if q.id == "q-tour-finale-city").wrong_ko == ("뉴욕", "런던", "서울")


def test_a_database_from_before_wrong_ko_is_upgraded_and_filled_by_the_next_ingest(
    tmp_path, monkeypatch, shipped_packs
):
    path = tmp_path / "old.sqlite3"
    known = migrations()
    before = [m for m in known if m[1] < "006"]
    monkeypatch.setattr(migrate, "migrations", lambda: before)
    old = connect(path)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == len(before)
        old.execute("INSERT INTO packs (id, name, path, digest) VALUES ('iu', 'IU', 'iu', 'old')")
        old.execute(
            "INSERT INTO facts (id, pack_id, kind, text, source, quote, digest) "
            "VALUES ('melon-debut-number-one', 'iu', 'fact', 'text', 'a.txt', 'a quote', 'old')"
        )
        old.execute(
            "INSERT INTO questions (id, pack_id, question, answer, wrong, fact_id, digest) VALUES "
            "('q-melon-chart', 'iu', 'Q?', 'Melon', '[\"Genie\",\"Bugs\",\"FLO\"]', 'melon-debut-number-one', 'old')"
        )
    finally:
        old.close()
    monkeypatch.setattr(migrate, "migrations", lambda: known)
    conn = connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(known)
        assert stored(conn, "q-melon-chart") is None  # the row is kept; its Korean options are not known yet
        report = ingest(conn, shipped_packs)
        assert report.updated["questions"] == 1
        assert json.loads(stored(conn, "q-melon-chart")) == ["지니", "벅스", "플로"]
    finally:
        conn.close()
