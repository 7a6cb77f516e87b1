"""Trivia under load, through the loopback emulator, against a bare discord.py bot in the same run.

Run by hand (not collected by pytest)::

    python tests/benchmarks/bench_trivia.py                 # 50 games x 20 players x 5 rounds, 3 runs each
    python tests/benchmarks/bench_trivia.py --games 10 --players 5 --rounds 2 --runs 1   # a quick look

Per run (issue 10, "Done when"): ``games`` games at once in as many channels, ``players`` members each
clicking an option of every game's question in the same burst, every round, for ``rounds`` rounds
(50 x 20 x 5 = 5,000 timed clicks), after one untimed warm-up round (the first burst opens the bot's HTTP
connections to the emulator; its answers are stored and counted all the same). The bot runs in its own process with a frozen clock that the benchmark
advances between rounds (a round's end, reveals and the next questions then happen at once, as they
would for 50 games started together). The floor is a bare discord.py bot acknowledging clicks on a
message with four DynamicItem buttons, measured the same way in the same run, runs interleaved.

Reported: click-to-ack latency (from INTERACTION_CREATE queued on the gateway to the accepted callback)
p50 and p99 over every click of a target's runs pooled, and as ratios to the floor; the spread of
per-run p99; interactions not acknowledged within Discord's 3 seconds (the emulator answers 10062); every
reply checked ("🔒 Locked in: ..." / "ok", private); answers in the database against clicks; the bot
process's peak RSS (VmHWM); the bot process's CPU per click (user + system, median of runs; for trivia it
includes the game's own work: starts, reveals and the next questions).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_roundtrip import _Child, _cpu, _peak_rss_kb, _percentile  # noqa: E402

BARE = "bare"
LATE = float("inf")  # a click not acknowledged within 3 s
TRIVIA = "trivia"


# ============================================================================ child: runs one bot
async def _child_main(kind: str, api_base: str, gateway_url: str, token: str, database: str) -> None:
    import discord
    import yarl

    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    discord.http.Route.BASE = api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    clock = None
    if kind == TRIVIA:
        from bot.app import Lightstick
        from bot.clock import FrozenClock
        from bot.db.store import Store
        from tests.benchmarks.lightstick_bot import settings_for

        clock = FrozenClock(dt.datetime.now(dt.timezone.utc))
        settings = settings_for(Path(database))
        client: Any = Lightstick(settings, await Store.open(settings.database_path), clock, sync_on_start=False)
    else:
        from tests.benchmarks.bare_click_bot import make_client

        client = make_client()
    client._connection.guild_ready_timeout = 0.05

    async def no_wait(shard_id: Any, *, initial: bool = False) -> None:
        return None

    client.before_identify_hook = no_wait
    task = asyncio.create_task(client.start(token))
    while not client.is_ready():
        if task.done():
            task.result()
            return
        await asyncio.sleep(0.01)
    await client.tree.sync()
    print(json.dumps({"event": "ready", "cpu": _cpu(), "maxrss_kb": _peak_rss_kb()}), flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if not line or line == "stop":
            break
        if line.startswith("advance ") and clock is not None:
            clock.advance(dt.timedelta(seconds=float(line.split()[1])))
            print(json.dumps({"event": "advanced"}), flush=True)
    print(json.dumps({"event": "done", "cpu": _cpu(), "maxrss_kb": _peak_rss_kb()}), flush=True)
    await client.close()
    if kind == TRIVIA:
        await client.store.close()
    with contextlib.suppress(BaseException):  # shutting down
        await asyncio.wait_for(task, 5)


# ============================================================================ parent
async def _wait(check: Any, timeout: float = 120.0) -> Any:
    deadline = time.perf_counter() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.perf_counter() > deadline:
            raise TimeoutError("the bot did not get there in time")
        await asyncio.sleep(0.02)


def _questions(emu: Any, channels: list[Any], number: int) -> list[dict[str, Any]] | None:
    """The open question of round ``number`` in every channel, or None while any is missing."""
    found = []
    for channel in channels:
        match = [
            m
            for m in emu.channel_messages(channel)
            if str((m.get("embeds") or [{}])[0].get("title", "")) == f"Question {number} of {ROUNDS[0]}"
        ]
        if not match:
            return None
        found.append(match[-1])
    return found


ROUNDS = [5]


async def _drain(proc: asyncio.subprocess.Process) -> None:
    """Keep reading the bot's stderr (kept in BENCH_LOG if set) so a chatty bot never blocks on a full pipe."""
    assert proc.stderr is not None
    log = open(os.environ["BENCH_LOG"], "ab") if os.environ.get("BENCH_LOG") else None  # noqa: SIM115
    try:
        while line := await proc.stderr.readline():
            if log is not None:
                log.write(line)
    finally:
        if log is not None:
            log.close()


async def _ping(emu: Any, channel: Any, member: Any) -> Any:
    """The bare bot's question message in ``channel`` (asked again if a busy machine made it time out)."""
    r = None
    for _ in range(3):
        r = await emu.command(channel, member, "ping", timeout=30)
        if r.message is not None:
            return r
    raise RuntimeError(f"the bare bot did not post its buttons: {r.type if r else None} {r.error if r else None}")


async def run(kind: str, games: int, players: int, rounds: int, database: Path, warmup: int = 1) -> dict[str, Any]:
    """One run of one target: returns its latencies (seconds), failures, clicks, answers stored, peak RSS."""
    from bot.playground.emulator import Emulator

    ROUNDS[0] = rounds + warmup
    emu = Emulator()
    guild = emu.add_guild("Bench Guild")
    channels = [emu.add_channel(guild, f"game-{i}") for i in range(games)]
    members = [emu.add_member(guild, f"player{i}", locale="en-US") for i in range(players)]
    await emu.start()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--child",
        kind,
        emu.api_base,
        emu.gateway_url,
        emu.token,
        str(database),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    child = _Child(proc)
    stderr_drain = asyncio.ensure_future(_drain(proc))  # a full stderr pipe would stall the bot
    latencies: list[float] = []
    late = wrong = 0
    try:
        ready = await child.read_event(120)
        if kind == TRIVIA:
            starts = await asyncio.gather(
                *(
                    emu.command(ch, members[0], "trivia", {"rounds": rounds + warmup}, subcommand="start", timeout=30)
                    for ch in channels
                )
            )
            assert all(s.embeds and s.embeds[0]["title"] == "🎮 Trivia time!" for s in starts), starts[0].text
        for number in range(1, rounds + warmup + 1):
            if kind == TRIVIA:
                targets = await _wait(lambda n=number: _questions(emu, channels, n))
            elif number == 1:  # the bare bot's buttons answer any number of clicks: one message per channel
                targets = [await _ping(emu, ch, members[0]) for ch in channels]
            clicks = [
                emu.click(target, member, index=(i + j) % 4, timeout=30)
                for i, target in enumerate(targets)
                for j, member in enumerate(members)
            ]
            for r in await asyncio.gather(*clicks):
                if number <= warmup:  # not timed: the first burst opens the bot's HTTP connections
                    continue
                if r.error is not None or r.latency is None or r.latency > 3.0:
                    late += 1  # Discord would have said 10062; counted in the percentiles as "over 3 s"
                    latencies.append(LATE)
                    continue
                expected = "🔒 Locked in: " if kind == TRIVIA else "ok"
                if not (r.ephemeral and (r.content or "").startswith(expected)):
                    wrong += 1
                latencies.append(r.latency)
            print(f"  {kind} round {number}: {late} late so far", file=sys.stderr)
            if kind == TRIVIA:
                await child.send("advance 21")
                await child.read_event()
        answers = None
        if kind == TRIVIA:
            await _wait(
                lambda: all(
                    any((m.get("embeds") or [{}])[0].get("title") == "🏆 Game over" for m in emu.channel_messages(ch))
                    for ch in channels
                )
            )
        await child.send("stop")
        done = await child.read_event()
        await proc.wait()
        if kind == TRIVIA:
            with sqlite3.connect(database) as conn:
                answers = conn.execute("SELECT count(*) FROM trivia_answers").fetchone()[0]
                conn.execute("DELETE FROM trivia_answers")
                conn.execute("DELETE FROM trivia_rounds")
                conn.execute("DELETE FROM trivia_games")
                conn.execute("DELETE FROM trivia_seen")
        rejected = [v for v in emu.violations if (v.error or {}).get("code") != 10062]
        if rejected:  # a late callback is counted above; anything else Discord refuses is a bug
            raise AssertionError(f"Discord would have rejected: {rejected[:3]}")
        return {
            "latencies": latencies,
            "late": late,
            "wrong": wrong,
            "clicks": games * players * (rounds + warmup),
            "answers": answers,
            "rss_mb": done["maxrss_kb"] / 1024,
            "cpu_ms_per_click": (done["cpu"] - ready["cpu"]) * 1000 / (games * players * (rounds + warmup)),
        }
    finally:
        if proc.returncode is None:
            proc.kill()
        stderr_drain.cancel()
        await emu.stop()


def _row(name: str, runs: list[dict[str, Any]], floor: tuple[float, float] | None) -> str:
    pooled = [x for r in runs for x in r["latencies"]]
    p50, p99 = _percentile(pooled, 0.5) * 1000, _percentile(pooled, 0.99) * 1000
    per_run_p99 = [_percentile(r["latencies"], 0.99) * 1000 for r in runs]
    ratio = "1.00x / 1.00x"
    if floor:
        ratio = f"{p50 / floor[0]:.2f}x / " + (f"{p99 / floor[1]:.2f}x" if p99 < LATE and floor[1] < LATE else "n/a")
    answers = (
        "—" if runs[0]["answers"] is None else f"{sum(r['answers'] for r in runs)}/{sum(r['clicks'] for r in runs)}"
    )

    def ms(x: float) -> str:
        return f"{x:.1f}" if x < LATE else ">3000"

    spread = f"{ms(min(per_run_p99))}–{ms(max(per_run_p99))}"
    return (
        f"{name:<24} {ms(p50):>8} {ms(p99):>8}  {spread:<15} {ratio:>17}  "
        f"{sum(r['late'] for r in runs):>5} {sum(r['wrong'] for r in runs):>5}  {answers:>11}  "
        f"{max(r['rss_mb'] for r in runs):7.1f}  {statistics.median(r['cpu_ms_per_click'] for r in runs):6.2f}"
    )


async def main(args: argparse.Namespace) -> int:
    from bot.app import ensure_content
    from tests.benchmarks.lightstick_bot import settings_for

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        ensure_content(settings_for(database))
        results: dict[str, list[dict[str, Any]]] = {BARE: [], TRIVIA: []}
        for number in range(args.runs):
            for kind in (BARE, TRIVIA):
                started = time.perf_counter()
                results[kind].append(await run(kind, args.games, args.players, args.rounds, database, args.warmup))
                print(f"run {number + 1} {kind}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    bare = [x for r in results[BARE] for x in r["latencies"]]
    floor = (_percentile(bare, 0.5) * 1000, _percentile(bare, 0.99) * 1000)
    clicks = args.games * args.players * args.rounds
    print(
        f"\n{args.games} games x {args.players} players x {args.rounds} timed rounds (+{args.warmup} warm-up) "
        f"= {clicks} timed clicks per run, "
        f"{args.runs} run(s); click-to-ack in ms (p99 spread across runs)\n"
    )
    print(
        f"{'target':<24} {'p50':>8} {'p99':>8}  {'p99 runs':<15} {'ratio p50 / p99':>17}  {'>3s':>5} "
        f"{'wrong':>5}  {'answers/db':>11}  {'RSS MB':>7}  {'CPU ms':>6}"
    )
    print(_row("bare discord.py click", results[BARE], None))
    print(_row("/trivia option click", results[TRIVIA], floor))
    ok = all(r["late"] == 0 and r["wrong"] == 0 for rs in results.values() for r in rs)
    ok = ok and all(r["answers"] == r["clicks"] for r in results[TRIVIA])
    print("\nall clicks acknowledged within 3 s, every reply right, every answer stored" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        if os.environ.get("BENCH_PROFILE") == sys.argv[2]:  # e.g. BENCH_PROFILE=trivia: where the bot's time goes
            import cProfile

            cProfile.run("asyncio.run(_child_main(*sys.argv[2:7]))", f"/tmp/bench_{sys.argv[2]}.prof")
        else:
            asyncio.run(_child_main(*sys.argv[2:7]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", type=int, default=50)
    parser.add_argument("--players", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (answers still stored)")
    sys.exit(asyncio.run(main(parser.parse_args())))
