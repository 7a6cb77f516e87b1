"""Ingest benchmark: a generated pack of 100,000 facts, timed as a user runs it, against bare executemany.

Run by hand:  python tests/benchmarks/bench_ingest.py [--facts 100000] [--repeat 3]

It prints, as medians over the repeats (and the spread, lowest-highest):
- `python -m bot ingest`, first run: the command a user types, in a fresh process, into an empty database
  (interpreter start, imports, reading and validating every file and quote, loading in one transaction);
- `python -m bot ingest`, again with nothing changed: the same command run a second time, as a user does
  after editing nothing (what the README's "re-ingesting unchanged content" figure is);
- of which validate and of which load: the library steps of the first run, timed in this process;
- floor: the very same rows inserted with bare executemany into a fresh database with the same schema
  (same indexes and FTS triggers), no validation, no diffing;
and the database size. The results are checked, not only timed: the database holds every generated fact
with its text, a second run reports that nothing changed and leaves the content tables byte for byte alike.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_packs  # noqa: E402
from bot.db.ingest import COLUMNS, ORDER, ingest, rows_for  # noqa: E402
from bot.db.migrate import connect  # noqa: E402

SEED_NAME = "bench-seed.txt"
WORDS = (
    "stage light fans chart song tour encore dance video cube wedding gown sign language city night "
    "record melody chorus verse album debut stream concert finale opening"
).split()
KINDS = ("fact", "behind-the-scenes", "chart-record", "music-video", "tour", "reception")


def make_pack(folder: Path, seeds: Path, facts: int) -> None:
    rng = random.Random(20240124)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(2000)]
    (seeds / SEED_NAME).write_text(" ".join(sentences), encoding="utf-8")
    pack = folder / "bench"
    pack.mkdir()
    (pack / "pack.toml").write_text('[pack]\nid = "bench"\nname = "Benchmark"\n', encoding="utf-8")
    (pack / "entities.toml").write_text(
        '[[artist]]\nid = "a1"\nname = "Artist One"\n\n'
        '[[song]]\nid = "s1"\ntitle = "Song One"\ncredits = [{ artist = "a1", role = "vocals" }]\n'
        f'source = "{SEED_NAME}"\nquote = "{sentences[0]}"\n',
        encoding="utf-8",
    )
    parts = []
    for number in range(facts):
        quote = sentences[rng.randrange(len(sentences))]
        about = '["artist:a1", "song:s1"]' if number % 2 else '["song:s1"]'
        parts.append(
            f'[[fact]]\nid = "f{number}"\nkind = "{KINDS[number % len(KINDS)]}"\nabout = {about}\n'
            f'text = "Fact number {number}: {quote}"\ntext_ko = "팩트 {number}번"\n'
            f'source = "{SEED_NAME}"\nquote = "{quote}"\n'
        )
    (pack / "facts.toml").write_text("\n".join(parts), encoding="utf-8")


def floor(db: Path, rows: dict[str, list[tuple[object, ...]]], subjects: list[tuple[str, str]]) -> float:
    conn = connect(db)
    started = time.perf_counter()
    conn.execute("BEGIN")
    for table in ORDER:
        columns = COLUMNS[table] + ("digest",)
        marks = ", ".join("?" for _ in columns)
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", [row + ("x",) for row in rows[table]]
        )
    conn.executemany("INSERT INTO fact_subjects (fact_id, subject) VALUES (?, ?)", subjects)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def cli_ingest(database: Path, packs_dir: Path, seeds: Path) -> tuple[float, str]:
    """Run `python -m bot ingest` as a user does; returns (wall seconds, what it printed)."""
    env = {
        **os.environ,
        "DATABASE_PATH": str(database),
        "LIGHTSTICK_PACKS": str(packs_dir),
        "LIGHTSTICK_SEEDS": str(seeds),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ingest"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"`python -m bot ingest` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


def content_fingerprint(database: Path) -> tuple[int, str]:
    """(facts, a digest of every content row): to show a second ingest changed nothing."""
    conn = sqlite3.connect(database)
    try:
        digest = hashlib.sha256()
        for table in ORDER:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
                digest.update(repr(row).encode())
        count = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        sample = conn.execute("SELECT text FROM facts WHERE id = 'f7'").fetchone()
    finally:
        conn.close()
    assert sample is not None and sample[0].startswith("Fact number 7: "), sample
    return count, digest.hexdigest()


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        seeds = work / "seeds"
        seeds.mkdir()
        packs_dir = work / "packs"
        packs_dir.mkdir()
        started = time.perf_counter()
        make_pack(packs_dir, seeds, args.facts)
        size_toml = sum(p.stat().st_size for p in (packs_dir / "bench").iterdir())
        print(
            f"generated {args.facts:,} facts ({size_toml / 1e6:.1f} MB of TOML) in {time.perf_counter() - started:.1f}s"
        )

        cli_first, cli_again, load_times, floor_times, validate_times = [], [], [], [], []
        db_size = 0
        for run in range(args.repeat):
            # what a user runs: the CLI, twice
            db = work / f"cli-{run}.sqlite3"
            elapsed, out = cli_ingest(db, packs_dir, seeds)
            cli_first.append(elapsed)
            count, before = content_fingerprint(db)
            assert count == args.facts, (count, out)
            elapsed, out = cli_ingest(db, packs_dir, seeds)
            cli_again.append(elapsed)
            assert "Nothing changed" in out, out
            assert content_fingerprint(db) == (count, before), "a second ingest changed the content"
            db_size = db.stat().st_size

            # the library steps, for the breakdown
            started = time.perf_counter()
            packs, problems = load_packs([packs_dir / "bench"], seeds)
            validate_times.append(time.perf_counter() - started)
            assert not problems, problems[:3]
            conn = connect(work / f"lib-{run}.sqlite3")
            started = time.perf_counter()
            report = ingest(conn, packs)
            load_times.append(time.perf_counter() - started)
            assert report.added["facts"] == args.facts
            conn.close()

            rows = rows_for(packs)
            subjects = [(f.id, s) for p in packs for f in p.facts for s in f.about]
            floor_times.append(floor(work / f"floor-{run}.sqlite3", rows, subjects))

        med = statistics.median
        print()
        print(f"{'step':<44}{'median s':>10}{'spread':>14}{'x floor':>10}")
        for name, values in (
            ("python -m bot ingest (first run)", cli_first),
            ("  of which validate (TOML + rules + quotes)", validate_times),
            ("  of which load (diff + write)", load_times),
            ("python -m bot ingest (again, unchanged)", cli_again),
            ("floor: bare executemany", floor_times),
        ):
            print(f"{name:<44}{med(values):>10.2f}{spread(values):>14}{med(values) / med(floor_times):>10.2f}")
        print(f"\ndatabase size: {db_size / 1e6:.1f} MB for {args.facts:,} facts")
        ratio = med(cli_first) / med(floor_times)
        print(f"first ingest / floor = {ratio:.2f} (target <= 3.00): {'OK' if ratio <= 3 else 'OVER'}")


if __name__ == "__main__":
    main()
