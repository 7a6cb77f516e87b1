"""`python -m bot ingest` on files unchanged since the last ingest reads none of them (issue 8, item 10).

The skip must never hide a change: an edited pack, an edited seed, a database changed by another ingest
since, a different set of packs; and a file that can't be read (a FIFO) must not hang the digest.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from bot.db.fingerprint import packs_fingerprint

ZEROS = [
    f"  {table:<10} +0       ~0       -0"
    for table in ("packs", "articles", "artists", "songs", "tours", "shows", "facts", "questions")
]
NOTHING = "  Nothing changed: the database already matched the packs."


@pytest.fixture
def setup(tmp_path: Path, shipped_pack: Path, seeds_dir: Path) -> dict[str, str]:
    shutil.copytree(shipped_pack, tmp_path / "packs" / "iu")
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    return {
        "LIGHTSTICK_PACKS": str(tmp_path / "packs"),
        "LIGHTSTICK_SEEDS": str(tmp_path / "seeds"),
        "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
    }


def facts_text(env: dict[str, str], fact_id: str) -> str:
    with sqlite3.connect(env["DATABASE_PATH"]) as conn:
        return conn.execute("SELECT text FROM facts WHERE id = ?", (fact_id,)).fetchone()[0]


def test_a_second_ingest_of_the_same_files_reads_nothing_and_says_so(cli, setup) -> None:
    first = cli("ingest", **setup)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Loaded 1 pack(s) into ")
    second = cli("ingest", **setup)
    assert second.returncode == 0, second.stderr
    lines = second.stdout.splitlines()
    assert lines[0].startswith(f"Checked 1 pack(s) against {setup['DATABASE_PATH']} in ")
    assert lines[0].endswith("s: their files are as at the last ingest (+added ~updated -removed):")
    assert lines[1:] == [*ZEROS, NOTHING]
    # a file touched but not changed is still the same file
    facts = Path(setup["LIGHTSTICK_PACKS"]) / "iu" / "facts.toml"
    os.utime(facts, (time.time() + 60, time.time() + 60))
    assert cli("ingest", **setup).stdout.startswith("Checked 1 pack(s)")


def test_an_edited_pack_is_read_and_loaded(cli, setup) -> None:
    assert cli("ingest", **setup).returncode == 0
    facts = Path(setup["LIGHTSTICK_PACKS"]) / "iu" / "facts.toml"
    text = facts.read_text(encoding="utf-8")
    old = "OTTplay called 'Love Wins All' the anthem fans' hearts needed."
    assert text.count(old) == 1
    facts.write_text(
        text.replace(old, "OTTplay called 'Love Wins All' the anthem fans' hearts needed!"), encoding="utf-8"
    )
    result = cli("ingest", **setup)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Loaded 1 pack(s)")
    assert "  facts      +0       ~1       -0" in result.stdout.splitlines()
    assert facts_text(setup, "lwa-anthem").endswith("needed!")
    assert cli("ingest", **setup).stdout.startswith("Checked 1 pack(s)")


def test_an_edited_seed_is_read_again(cli, setup) -> None:
    assert cli("ingest", **setup).returncode == 0
    seed = Path(setup["LIGHTSTICK_SEEDS"]) / "004_7c4a4874365c364d.txt"
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("star-crossed lovers", "star-crossed friends"), encoding="utf-8"
    )
    result = cli("ingest", **setup)
    assert result.returncode == 2  # a quote no longer in its article: the whole pack is refused
    assert "quote not found in seeds/004_7c4a4874365c364d.txt" in result.stdout + result.stderr


def test_a_database_changed_since_by_another_ingest_is_ingested_again(cli, setup, tmp_path: Path) -> None:
    assert cli("ingest", **setup).returncode == 0
    # another packs folder, with the same pack edited, loaded into the same database
    other = tmp_path / "other"
    shutil.copytree(Path(setup["LIGHTSTICK_PACKS"]), other)
    facts = other / "iu" / "facts.toml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("the anthem fans' hearts needed.", "the anthem fans' hearts needed?"),
        encoding="utf-8",
    )
    assert cli("ingest", **{**setup, "LIGHTSTICK_PACKS": str(other)}).returncode == 0
    assert facts_text(setup, "lwa-anthem").endswith("needed?")
    # back to the first folder, whose files did not change: the database did, so it is loaded again
    result = cli("ingest", **setup)
    assert result.stdout.startswith("Loaded 1 pack(s)"), result.stdout
    assert facts_text(setup, "lwa-anthem").endswith("needed.")


def test_a_fifo_in_a_pack_neither_hangs_the_digest_nor_passes(cli, setup) -> None:
    assert cli("ingest", **setup).returncode == 0
    fifo = Path(setup["LIGHTSTICK_PACKS"]) / "iu" / "p.toml"
    os.mkfifo(fifo)
    started = time.perf_counter()
    fingerprint = packs_fingerprint([fifo.parent], Path(setup["LIGHTSTICK_SEEDS"]), None)
    assert time.perf_counter() - started < 5 and len(fingerprint) == 64
    result = cli("ingest", **setup)
    assert result.returncode == 2, result.stdout
    assert "p.toml" in result.stdout + result.stderr


def test_the_digest_covers_names_bytes_and_the_packs_replaced(
    tmp_path: Path, shipped_pack: Path, seeds_dir: Path
) -> None:
    pack = tmp_path / "iu"
    shutil.copytree(shipped_pack, pack)
    base = packs_fingerprint([pack], seeds_dir, None)
    assert packs_fingerprint([pack], seeds_dir, None) == base
    assert packs_fingerprint([pack], seeds_dir, {"iu"}) != base
    (pack / "notes.txt").write_text("x", encoding="utf-8")
    with_note = packs_fingerprint([pack], seeds_dir, None)
    assert with_note != base
    (pack / "notes.txt").write_text("y", encoding="utf-8")
    assert packs_fingerprint([pack], seeds_dir, None) not in (base, with_note)
