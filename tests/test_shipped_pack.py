"""The pack that ships, data/packs/iu, checked independently of the loader where it matters."""

from __future__ import annotations

import re
import tomllib
from collections import Counter

import pytest

from bot.content.model import CREDIT_ROLES, FACT_KINDS

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def collapse(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def raw(shipped_pack) -> dict[str, list[dict]]:
    """Every table entry as written in the TOML files, read without the loader."""
    tables: dict[str, list[dict]] = {}
    for path in sorted(shipped_pack.glob("*.toml")):
        for table, value in tomllib.loads(path.read_text(encoding="utf-8")).items():
            tables.setdefault(table, []).extend(value if isinstance(value, list) else [value])
    return tables


@pytest.fixture(scope="module")
def pack(shipped_packs):
    return shipped_packs[0]


def test_check_passes(cli, pack):
    result = cli("check", "data/packs/iu")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ok  {pack.id} ")
    assert result.stderr == ""


def test_tables_are_known(raw):
    assert set(raw) <= {"pack", "artist", "song", "tour", "show", "fact", "question", "article"}
    assert len(raw["pack"]) == 1


def test_fact_count(raw):
    assert 25 <= len(raw["fact"]) <= 40


def test_ids_unique(raw):
    for table, entries in raw.items():
        if table in ("pack", "article"):  # an article is keyed by its seed file
            continue
        counts = Counter(e["id"] for e in entries)
        assert [i for i, n in counts.items() if n > 1] == [], table
        assert all(re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?", e["id"]) for e in entries)


def test_every_sourced_entry_quotes_its_seed_verbatim(raw, seeds_dir):
    seeds = {p.name: collapse(p.read_text(encoding="utf-8")) for p in seeds_dir.glob("*.txt")}
    checked = 0
    for table, entries in raw.items():
        if table == "article":
            for article in entries:
                assert collapse(article["title"]) in seeds[article["file"]], f"article {article['file']}: title"
            continue
        for entry in entries:
            if "quote" not in entry and "source" not in entry:
                assert table in ("pack", "artist", "question"), f"{table} {entry['id']} has no source"
                continue
            where = f"{table} {entry['id']}"
            assert entry["source"] in seeds, f"{where}: no seed {entry['source']}"
            assert collapse(entry["quote"]) in seeds[entry["source"]], f"{where}: quote not in seed"
            checked += 1
    assert checked >= len(raw["fact"])


def test_every_fact_has_source_and_quote(raw, seeds_dir):
    for fact in raw["fact"]:
        assert (seeds_dir / fact["source"]).is_file()
        assert fact["quote"].strip() and fact["text"].strip()
        assert 1 <= len(fact["text"].strip()) <= 600


def test_kinds_and_roles_are_valid(raw):
    assert {f["kind"] for f in raw["fact"]} <= set(FACT_KINDS)
    assert {c["role"] for s in raw.get("song", []) for c in s["credits"]} <= set(CREDIT_ROLES)


def test_references_resolve(raw):
    ids = {table: {e["id"] for e in entries} for table, entries in raw.items() if table not in ("pack", "article")}
    for question in raw["question"]:
        assert question["fact"] in ids["fact"], question["id"]
    for fact in raw["fact"]:
        for ref in fact["about"]:
            kind, _, ident = ref.partition(":")
            assert ident in ids[kind], f"{fact['id']}: {ref}"
    for show in raw.get("show", []):
        assert show["tour"] in ids["tour"]
    for tour in raw.get("tour", []):
        assert tour["artist"] in ids["artist"]


def test_korean_fields_are_korean(raw):
    seen = 0
    for table, entries in raw.items():
        for entry in entries:
            for key, value in entry.items():
                if key.endswith("_ko"):
                    seen += 1
                    for item in value if isinstance(value, list) else [value]:
                        assert isinstance(item, str) and item.strip(), f"{table} {entry.get('id')}: {key} is empty"
                        assert HANGUL.search(item), f"{table} {entry.get('id')}: {key} has no Hangul"
    assert seen > 0


def test_every_fact_and_question_has_korean(raw):
    assert all(f.get("text_ko", "").strip() for f in raw["fact"])
    assert all(q.get("question_ko", "").strip() and q.get("answer_ko", "").strip() for q in raw["question"])


def test_trivia_options_are_unambiguous(raw):
    # trivia.toml promises that no wrong option collides with the answer or one of its aliases.
    for question in raw["question"]:
        accepted = {a.casefold() for a in [question["answer"], *question.get("aliases", [])]}
        wrong = [w.casefold() for w in question["wrong"]]
        assert len(wrong) == 3 and len(set(wrong)) == 3, question["id"]
        assert not accepted & set(wrong), question["id"]


def test_dated_entries_have_zones(pack):
    assert all(f.zone for f in pack.facts if f.date)
    assert all(s.zone for s in pack.songs if s.released)
    assert [s.milestone for s in sorted(pack.shows, key=lambda s: s.starts_at)] == ["first", "finale"]
