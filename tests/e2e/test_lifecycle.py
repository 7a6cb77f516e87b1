"""The bot's life cycle: the sync fingerprint is of what Discord receives, start-up work never blocks the
event loop, and close() ends every task the bot started."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import bot.app as app_module
from bot.clock import FrozenClock
from bot.content.catalog import Catalog
from bot.db import migrate
from bot.db.store import Store
from bot.playground.emulator import Emulator, run_client
from tests.e2e.conftest import NOW, World, make_settings, populate, record_bodies, running_bot


async def test_the_sync_fingerprint_is_of_the_payload_discord_received(world: World) -> None:
    [body] = [
        body
        for method, path, body in world.bodies
        if method == "PUT" and path == f"/applications/{world.emu.application_id}/commands"
    ]
    pushed = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    stored = await world.bot.store.meta.get(f"tree_digest:{world.emu.application_id}:global")
    assert stored == pushed
    assert await world.bot.tree_digest(None) == pushed


async def test_close_cancels_a_catalogue_rebuild_in_flight(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    started = asyncio.Event()

    async def never_ending_records(store: Any) -> Any:
        started.set()
        await asyncio.Event().wait()

    async def changed() -> bool:
        return True

    monkeypatch.setattr(Catalog, "records", staticmethod(never_ending_records))
    monkeypatch.setattr(world.bot.store, "content_changed", changed)
    world.bot._content_checked = float("-inf")
    await world.bot.refresh_content()
    rebuild = world.bot._rebuild
    assert rebuild is not None
    await asyncio.wait_for(started.wait(), 5)
    await world.bot.close()
    assert rebuild.cancelled()


class Ticker:
    """Wakes every 10 ms and keeps the longest gap between wake-ups: how long the event loop was blocked."""

    def __init__(self) -> None:
        self.longest_gap = 0.0
        self.task: asyncio.Task[None] | None = None

    async def _run(self, last: float) -> None:
        while True:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            self.longest_gap = max(self.longest_gap, now - last)
            last = now

    async def __aenter__(self) -> Ticker:
        self.task = asyncio.create_task(self._run(time.monotonic()))  # measured from now, not its first turn
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.task is not None
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


def on_event_loop() -> bool:
    """Whether the calling thread is running an asyncio event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def slowed(real: Callable[..., Any], seconds: float, calls: list[str], name: str) -> Callable[..., Any]:
    """``real``, after a blocking sleep: on the event loop it would stall every other task. Each call is
    recorded as ``name``, or as ``name + " ON THE LOOP"`` when it runs on the event loop's thread."""

    def slow(*args: Any, **kwargs: Any) -> Any:
        if any(args):  # not Catalog.empty(), which the bot builds in __init__ (and costs nothing)
            calls.append(f"{name} ON THE LOOP" if on_event_loop() else name)
            time.sleep(seconds)
        return real(*args, **kwargs)

    return slow


async def test_start_up_work_runs_off_the_event_loop(
    tmp_path: Path, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    step = 0.6  # seconds each step blocks its thread
    monkeypatch.setattr(app_module, "ensure_content", slowed(app_module.ensure_content, step, calls, "content"))
    monkeypatch.setattr(migrate, "connect", slowed(migrate.connect, step, calls, "migrations"))
    monkeypatch.setattr(Catalog, "build", staticmethod(slowed(Catalog.build, step, calls, "catalogue")))
    populate(emulator)
    record_bodies(emulator)
    async with Ticker() as ticker, running_bot(emulator, make_settings(tmp_path), FrozenClock(NOW)):
        pass
    assert {"content", "migrations", "catalogue"} == set(calls)  # each ran, and none on the event loop
    # and so the loop kept turning: a step run on it would have stalled every task for the whole step (the
    # bound is the step itself, not a fraction of it, so a machine busy with other tests cannot fail this)
    assert ticker.longest_gap < step, ticker.longest_gap


async def test_run_freezes_the_heap_once_started_and_close_unfreezes_it(
    tmp_path: Path, emulator: Emulator, content_database: bytes
) -> None:
    settings = make_settings(tmp_path)
    settings.database_path.write_bytes(content_database)
    populate(emulator)
    assert gc.get_freeze_count() == 0
    async with app_module.open_bot(settings, FrozenClock(NOW), freeze_heap=True) as bot:
        async with run_client(emulator, bot):
            frozen = gc.get_freeze_count()
            assert frozen > 10_000  # the catalogue, the cogs and discord.py's state: out of the collector's sight
            guild = emulator.guilds[next(iter(emulator.guilds))]
            channel = next(iter(guild.channels.values()))
            fan = next(m for m in guild.members.values() if m.name == "Uaena")
            card = await emulator.command(channel, fan, "song", {"title": "lwa"})
            assert card.embeds[0]["title"] == "Love Wins All"
            sources = await emulator.click(card, fan, label="Sources")
            assert sources.embeds[0]["title"] == "📚 Sources: Love Wins All"
        assert gc.get_freeze_count() == 0  # a test process (or anything after the bot) collects as before


async def test_by_default_the_bot_leaves_the_collector_alone(world: World) -> None:
    assert world.bot.freeze_heap is False
    assert gc.get_freeze_count() == 0


def test_a_replaced_catalogue_is_freed_without_the_cycle_collector(ingested_db: Path) -> None:
    """gc.freeze() relies on this: a frozen object is only ever freed by reference counting, so a catalogue
    with reference cycles would leak at every rebuild of a frozen bot."""

    async def records() -> Any:
        store = await Store.open(ingested_db)
        try:
            return await Catalog.records(store)
        finally:
            await store.close()

    built = asyncio.run(records())
    gc.collect()
    gc.disable()
    try:
        catalog = Catalog.build(*built)
        assert catalog.songs.resolve("lwa") is not None  # the matchers' remembered answers too
        assert catalog.tours.resolve("her") is not None
        gone = weakref.ref(catalog)
        del catalog
        assert gone() is None
        assert gc.collect() == 0
    finally:
        gc.enable()
