"""Ingest benchmark: a generated pack of 100,000 facts, against bare sqlite3.executemany as the floor.

Run by hand:  python tests/benchmarks/bench_ingest.py [--facts 100000] [--repeat 3]

It prints, as medians over the repeats:
- ingest: validate the pack (TOML, every rule, every quote) and load it in one transaction, as
  `python -m bot ingest` does;
- load only: the same minus parsing and validation (the database part of ingest);
- floor: the very same rows inserted with bare executemany into a fresh database with the same schema
  (same indexes and FTS triggers), no validation, no diffing;
- re-ingest: the second run over an unchanged database (should write nothing);
and the database size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.content.loader import load_packs  # noqa: E402
from bot.db.ingest import COLUMNS, ORDER, _digest, ingest, rows_for  # noqa: E402
from bot.db.migrate import connect  # noqa: E402

SEED_NAME = "bench-seed.txt"
WORDS = ("stage light fans chart song tour encore dance video cube wedding gown sign language city night "
         "record melody chorus verse album debut stream concert finale opening").split()
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
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                         [row + ("x",) for row in rows[table]])
    conn.executemany("INSERT INTO fact_subjects (fact_id, subject) VALUES (?, ?)", subjects)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


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
        print(f"generated {args.facts:,} facts ({size_toml / 1e6:.1f} MB of TOML) in "
              f"{time.perf_counter() - started:.1f}s")

        ingest_times, load_times, floor_times, again_times, validate_times = [], [], [], [], []
        db_size = 0
        for run in range(args.repeat):
            db = work / f"ingest-{run}.sqlite3"
            started = time.perf_counter()
            packs, problems = load_packs([packs_dir / "bench"], seeds)
            validated = time.perf_counter()
            assert not problems, problems[:3]
            conn = connect(db)
            load_started = time.perf_counter()
            report = ingest(conn, packs)
            finished = time.perf_counter()
            assert report.added["facts"] == args.facts
            validate_times.append(validated - started)
            ingest_times.append(finished - started)
            load_times.append(finished - load_started)
            again = time.perf_counter()
            report = ingest(conn, packs)
            again_times.append(time.perf_counter() - again)
            assert not report.changed
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            db_size = db.stat().st_size

            rows = rows_for(packs)
            subjects = [(f.id, s) for p in packs for f in p.facts for s in f.about]
            floor_times.append(floor(work / f"floor-{run}.sqlite3", rows, subjects))
            _digest(rows["facts"][0])

        med = statistics.median
        print()
        print(f"{'step':<34}{'median s':>10}{'x floor':>10}")
        for name, values in (
            ("ingest (validate + load)", ingest_times),
            ("  of which validate (TOML+rules)", validate_times),
            ("  of which load (diff + write)", load_times),
            ("re-ingest, nothing changed", again_times),
            ("floor: bare executemany", floor_times),
        ):
            print(f"{name:<34}{med(values):>10.2f}{med(values) / med(floor_times):>10.2f}")
        print(f"\ndatabase size: {db_size / 1e6:.1f} MB for {args.facts:,} facts")
        ratio = med(ingest_times) / med(floor_times)
        print(f"ingest / floor = {ratio:.2f} (target <= 3.00): {'OK' if ratio <= 3 else 'OVER'}")


if __name__ == "__main__":
    main()
