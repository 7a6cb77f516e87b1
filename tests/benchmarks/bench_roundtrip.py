"""Round-trip benchmark of bots against the loopback Discord emulator.

Run by hand (not collected by pytest)::

    python tests/benchmarks/bench_roundtrip.py                 # bare bot only
    python tests/benchmarks/bench_roundtrip.py -n 500 --repeat 5

What is measured, per target:

* **latency** -- from the moment the emulator queues INTERACTION_CREATE on the gateway socket to
  the moment the bot's interaction callback (``POST /interactions/{id}/{token}/callback``) has been
  received and accepted; commands are sent one at a time (p50 / p99 over ``n`` commands);
* **throughput** -- commands completed per second with ``inflight`` (32) commands outstanding;
* **bot CPU** -- user+sys CPU seconds the bot process spent per command (from ``getrusage``
  deltas inside the bot process, so the emulator's own work is excluded);
* **peak RSS** -- peak resident memory of the bot process (VmHWM; see ``_peak_rss_kb``).

Honesty notes: the emulator runs in *this* process and every bot runs in *its own subprocess*
(fresh interpreter), so the bot's event loop is not shared with the emulator, peak memory is per
bot, and the same emulator serves every target in the run.  The emulator still costs time on the
latency path (JSON encode + local TCP); it is the same for all targets, which is why the table
also shows ratios against the first target (the bare bot).  Numbers are loopback numbers: no
network RTT, no TLS, no zlib -- compare targets with each other, not with production.

Adding a target (e.g. the Lightstick bot)::

    TARGETS.append(Target("lightstick", "bot.some_module:make_client",
                          [("song", {"title": "love wins all"}), ("tour", {}), ("fact", {})],
                          setup=my_world_setup))

``setup(emu)`` (optional) builds guilds/channels/members and returns ``(channel, member)`` that
issue the commands; the default creates one guild, one channel and one member.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib
import inspect
import json
import logging
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

Command = Tuple[str, Dict[str, Any]]


@dataclasses.dataclass
class Target:
    name: str
    factory: str  # "module:function" returning a discord.Client (or awaitable), with .tree
    commands: List[Command]
    setup: Optional[Callable[[Any], Tuple[Any, Any]]] = None
    subcommands: Dict[str, str] = dataclasses.field(default_factory=dict)  # command name -> "sub" path


TARGETS: List[Target] = [
    Target("bare", "tests.benchmarks.bare_bot:make_client", [("ping", {})]),
]

# The Lightstick bot, one target per fan command, so each gets its own ratio against the bare bot.
LIGHTSTICK = "tests.benchmarks.lightstick_bot:make_client"
FAN_COMMANDS: List[Command] = [
    ("song", {"title": "love wins all"}), ("tour", {}), ("fact", {}), ("onthisday", {"date": "01-24"}),
    ("countdown", {}), ("about", {}),
]
for _name, _options in FAN_COMMANDS:
    TARGETS.append(Target(_name, LIGHTSTICK, [(_name, _options)]))
# /song with a generated pack of 10,000 songs and 100,000 facts (--big): title typed, resolved by the matcher.
BIG = Target("song@10k", LIGHTSTICK, [("song", {"title": "Love Wins All"})])


# ============================================================================ child: runs one bot
def _peak_rss_kb() -> int:
    """Peak RSS of *this* process image.  On Linux ``ru_maxrss`` survives execve, so a bot forked
    from a bigger parent (the emulator) would report the parent's peak; VmHWM belongs to the new
    address space only.  Falls back to ru_maxrss elsewhere."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def _child_main(factory: str, api_base: str, gateway_url: str, token: str) -> None:
    import discord
    import yarl

    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    discord.http.Route.BASE = api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)

    mod_name, fn_name = factory.split(":")
    client = getattr(importlib.import_module(mod_name), fn_name)()
    if inspect.isawaitable(client):
        client = await client
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
    tree = getattr(client, "tree", None)
    if tree is not None:
        await tree.sync()
    print(json.dumps({"event": "ready", "cpu": _cpu(), "maxrss_kb": _peak_rss_kb()}),
          flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line or line.strip() == "stop":
            break
        if line.strip() == "cpu":
            print(json.dumps({"event": "cpu", "cpu": _cpu()}), flush=True)
    print(json.dumps({"event": "done", "cpu": _cpu(), "maxrss_kb": _peak_rss_kb()}), flush=True)
    await client.close()
    with contextlib_suppress():
        await asyncio.wait_for(task, 5)


class contextlib_suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> bool:
        return True


# ============================================================================ parent: emulator + measurement
def _percentile(xs: Sequence[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def _default_setup(emu: Any) -> Tuple[Any, Any]:
    g = emu.add_guild("Bench Guild")
    ch = emu.add_channel(g, "bench")
    member = emu.add_member(g, "Bencher")
    return ch, member


class _Child:
    def __init__(self, proc: asyncio.subprocess.Process):
        self.proc = proc

    async def read_event(self, timeout: float = 30.0) -> dict:
        while True:
            line = await asyncio.wait_for(self.proc.stdout.readline(), timeout)
            if not line:
                err = (await self.proc.stderr.read()).decode(errors="replace")
                raise RuntimeError(f"bot process exited early:\n{err[-3000:]}")
            try:
                return json.loads(line)
            except ValueError:
                continue  # stray prints from the bot

    async def send(self, text: str) -> None:
        self.proc.stdin.write((text + "\n").encode())
        await self.proc.stdin.drain()


async def measure(factory: str, commands: List[Command], *, n: int = 300, inflight: int = 32,
                  throughput_n: int = 1000, warmup: int = 30, setup: Optional[Callable] = None,
                  subcommands: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """Start an emulator here and the bot ``factory`` in a subprocess; return the figures."""
    from bot.playground.emulator import Emulator

    emu = Emulator()
    ch, member = (setup or _default_setup)(emu)
    await emu.start()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--child", factory, emu.api_base, emu.gateway_url, emu.token,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)
    child = _Child(proc)
    subcommands = subcommands or {}
    try:
        ready = await child.read_event(60)
        ready_rss_kb = ready["maxrss_kb"]

        async def one(i: int) -> Tuple[float, float]:
            name, opts = commands[i % len(commands)]
            t0 = time.perf_counter()
            r = await emu.command(ch, member, name, opts, subcommand=subcommands.get(name), timeout=10)
            if r.error or r.type is None:
                raise RuntimeError(f"/{name} failed: {r.error or 'no response'}")
            return r.latency, time.perf_counter() - t0

        for i in range(warmup):
            await one(i)
        await child.send("cpu")
        cpu0 = (await child.read_event())["cpu"]
        lat, full = [], []
        for i in range(n):
            a, b = await one(i)
            lat.append(a)
            full.append(b)
        await child.send("cpu")
        cpu1 = (await child.read_event())["cpu"]

        sem = asyncio.Semaphore(inflight)

        async def bounded(i: int) -> None:
            async with sem:
                await one(i)

        t0 = time.perf_counter()
        await asyncio.gather(*(bounded(i) for i in range(throughput_n)))
        elapsed = time.perf_counter() - t0
        await child.send("stop")
        done = await child.read_event()
        assert not emu.violations, emu.violations
        return {
            "p50_ms": _percentile(lat, 0.5) * 1000, "p99_ms": _percentile(lat, 0.99) * 1000,
            "settled_p50_ms": _percentile(full, 0.5) * 1000,
            "throughput": throughput_n / elapsed, "cpu_ms_per_cmd": (cpu1 - cpu0) / n * 1000,
            "ready_rss_mb": ready_rss_kb / 1024, "peak_rss_mb": done["maxrss_kb"] / 1024,
        }
    finally:
        if proc.returncode is None:
            with contextlib_suppress():
                await asyncio.wait_for(proc.wait(), 10)
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        await emu.stop()


COLUMNS = [("p50_ms", "p50 ms", "{:.2f}"), ("p99_ms", "p99 ms", "{:.2f}"), ("settled_p50_ms", "settled p50", "{:.2f}"),
           ("throughput", "cmd/s @32", "{:.0f}"), ("cpu_ms_per_cmd", "bot CPU ms/cmd", "{:.3f}"),
           ("ready_rss_mb", "RSS ready MB", "{:.1f}"), ("peak_rss_mb", "peak RSS MB", "{:.1f}")]


def print_table(results: Dict[str, List[Dict[str, Any]]]) -> None:
    """Medians over repeats per target, then ratios against the first target."""
    med = {t: {k: statistics.median(r[k] for r in runs) for k, _, _ in COLUMNS} for t, runs in results.items()}
    header = ["target", "runs"] + [h for _, h, _ in COLUMNS]
    rows = [[t, str(len(results[t]))] + [fmt.format(med[t][k]) for k, _, fmt in COLUMNS] for t in med]
    base = next(iter(med))
    for t in list(med)[1:]:
        rows.append([f"{t}/{base}", ""] + [f"{med[t][k] / med[base][k]:.2f}x" if med[base][k] else "-"
                                           for k, _, _ in COLUMNS])
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


async def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=300, help="sequential commands per run")
    ap.add_argument("--throughput-n", type=int, default=1000)
    ap.add_argument("--inflight", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", help="target names to run")
    ap.add_argument("--big", action="store_true", help="add /song on a generated 10,000-song, 100,000-fact pack")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    results: Dict[str, List[Dict[str, Any]]] = {}
    targets = [t for t in TARGETS if not args.only or t.name in args.only]
    import tempfile

    from bot.app import ensure_content
    from tests.benchmarks.lightstick_bot import make_big_pack, settings_for

    work = Path(tempfile.mkdtemp(prefix="lightstick-bench-"))
    databases = {"shipped": work / "shipped.sqlite3"}
    ensure_content(settings_for(databases["shipped"]))
    if args.big:
        packs, seeds = make_big_pack(work / "big")
        databases["big"] = work / "big.sqlite3"
        started = time.perf_counter()
        ensure_content(settings_for(databases["big"], packs, seeds))
        print(f"built the 10,000-song pack database in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        targets.append(BIG)
    for rep in range(args.repeat):
        for t in targets:  # interleave targets so drift hits all of them alike
            os.environ["LIGHTSTICK_BENCH_DB"] = str(databases["big" if t is BIG else "shipped"])
            res = await measure(t.factory, t.commands, n=args.n, inflight=args.inflight,
                                throughput_n=args.throughput_n, setup=t.setup, subcommands=t.subcommands)
            results.setdefault(t.name, []).append(res)
            print(f"[{rep + 1}/{args.repeat}] {t.name}: " + ", ".join(f"{k}={v:.2f}" for k, v in res.items()),
                  file=sys.stderr)
    print_table(results)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        asyncio.run(_child_main(*sys.argv[2:6]))
    else:
        asyncio.run(main())
