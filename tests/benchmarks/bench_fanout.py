"""Fan-out benchmark (issue 11): one milestone due at the same instant for thousands of servers.

Run by hand:  python tests/benchmarks/bench_fanout.py [--servers 5000] [--rate 46] [--concurrency 16]

The production bot (open_bot, the real scheduler and poster, discord.py's HTTP client) against the loopback
emulator with Discord's global rate limit of 50 requests/s switched on. Every server has an announcement
channel and one date-only event whose ``0`` step is due at the same instant. It prints:

- setup: how long the scheduler took to write every server's due items at start;
- idle: process CPU while the scheduler sleeps until the next due time (and how often it woke: 0 expected);
- fan-out: time from the due instant until every post is recorded, against the floor the global limit sets
  (servers / 50 s), as a ratio (the issue's goal: within 1.2x);
- 429s: how many requests the emulator answered with a global 429 (goal: under 1% of posts);
- exactly once: every channel holds exactly one post and every due item is "delivered" with its message id;
- peak memory (max RSS of the process, bot and emulator together).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.app import ensure_content, open_bot  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.playground.emulator import Emulator, run_client  # noqa: E402
from bot.scheduler.poster import Pacer  # noqa: E402
from tests.e2e.conftest import make_settings  # noqa: E402

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DAY = dt.date(2026, 12, 1)
DUE = dt.datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # the servers' post time (10:00 UTC) on the event's day
GLOBAL_LIMIT = 50


def prepare(database: Path, guild_channels: list[tuple[int, int]]) -> None:
    """Configure every server straight in the database (the slash commands are tested elsewhere)."""
    conn = sqlite3.connect(database)
    with conn:
        conn.executemany(
            "INSERT INTO guild_settings (guild_id, announce_channel_id, milestones, anniversaries, updated_at) "
            "VALUES (?, ?, '0', 0, ?)",
            [(g, c, int(NOW.timestamp())) for g, c in guild_channels],
        )
        start = int(dt.datetime.combine(DAY, dt.time(0), UTC).timestamp())
        conn.executemany(
            "INSERT INTO server_events (guild_id, name, day, zone, starts_at, created_by, updated_at) "
            "VALUES (?, 'Watch party', ?, 'UTC', ?, 1, ?)",
            [(g, DAY.isoformat(), start, int(NOW.timestamp())) for g, _ in guild_channels],
        )
    conn.close()


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def wait_for(predicate, timeout: float, step: float = 0.05) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("gave up waiting")
        await asyncio.sleep(step)


async def bench(servers: int, rate: float, concurrency: int, idle_seconds: float) -> None:
    emu = Emulator()
    world = []
    for n in range(servers):
        guild = emu.add_guild(f"Fan server {n}")
        world.append((guild, emu.add_channel(guild, "announcements")))
    await emu.start()
    with tempfile.TemporaryDirectory() as folder:
        settings = make_settings(Path(folder))
        ensure_content(settings)
        prepare(settings.database_path, [(g.id, c.id) for g, c in world])
        clock = FrozenClock(NOW)
        t0 = time.perf_counter()
        async with open_bot(settings, clock) as bot:
            bot.scheduler.poster.pacer = Pacer(rate)
            bot.scheduler.poster.slots = asyncio.Semaphore(concurrency)
            async with run_client(emu, bot, timeout=600):
                await bot.scheduler.step(timeout=600)
                setup = time.perf_counter() - t0
                open_items = len(await bot.store.due.due(DUE, limit=servers + 10))
                assert open_items == servers, open_items

                runs, c0, w0 = bot.scheduler.runs, cpu(), time.perf_counter()
                await asyncio.sleep(idle_seconds)
                idle_cpu, idle_wall = cpu() - c0, time.perf_counter() - w0
                idle_wakes = bot.scheduler.runs - runs

                emu.global_limit = GLOBAL_LIMIT
                stats = bot.scheduler.poster.stats
                requests_before = len(emu.requests)
                c0, w0 = cpu(), time.perf_counter()
                clock.set(DUE)
                bot.scheduler.wake()
                await wait_for(lambda: stats["delivered"] + stats["reconciled"] >= servers, timeout=servers)
                fanout, fanout_cpu = time.perf_counter() - w0, cpu() - c0
                emu.global_limit = None
                await bot.scheduler.step(timeout=60)

                rows = [r for g, _ in world[:: max(1, servers // 500)] for r in await bot.store.due.history(g.id)]
                sent = emu.requests[requests_before:]
                posts = [s for m, p, s in sent if m == "POST" and p.endswith("/messages")]
                per_channel = [len(emu.channel_messages(c)) for _, c in world]
                statuses: dict[str, int] = {}
                conn = sqlite3.connect(settings.database_path)
                for status, count in conn.execute("SELECT status, count(*) FROM due_items GROUP BY status"):
                    statuses[status] = count
                missing_ids = conn.execute(
                    "SELECT count(*) FROM due_items WHERE status = 'delivered' AND message_id IS NULL"
                ).fetchone()[0]
                conn.close()
    await emu.stop()

    floor = servers / GLOBAL_LIMIT
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"servers: {servers}; poster pace {rate:g}/s, {concurrency} in flight; emulator limit {GLOBAL_LIMIT}/s")
    print(f"setup: due items for every server written in {setup:.1f} s (bot start included)")
    print(
        f"idle: {idle_cpu:.3f} s CPU in {idle_wall:.1f} s ({100 * idle_cpu / idle_wall:.2f}% of a core, bot and "
        f"emulator together); scheduler woke {idle_wakes} times"
    )
    print(
        f"fan-out: {fanout:.1f} s for {servers} posts; floor {floor:.0f} s; ratio {fanout / floor:.3f}x; "
        f"{servers / fanout:.1f} posts/s; CPU {fanout_cpu:.1f} s ({100 * fanout_cpu / fanout:.0f}% of a core)"
    )
    print(
        f"429s: {emu.global_429s} global ({100 * emu.global_429s / servers:.2f}% of posts); "
        f"POST requests {len(posts)} ({sum(1 for s in posts if s == 429)} answered 429)"
    )
    print(
        f"exactly once: channels with 1 post {per_channel.count(1)}/{servers}; with more "
        f"{sum(1 for n in per_channel if n > 1)}; with none {per_channel.count(0)}; due items {statuses}; "
        f"delivered without a message id {missing_ids}; sampled rows all delivered: "
        f"{all(r.status == 'delivered' for r in rows)}"
    )
    print(f"poster: {dict(stats)}")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=46.0, help="the poster's pace, requests/s")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle to measure")
    args = parser.parse_args()
    asyncio.run(bench(args.servers, args.rate, args.concurrency, args.idle))


if __name__ == "__main__":
    main()
