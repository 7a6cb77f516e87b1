"""``python -m bot run`` freezes the heap (gc.freeze, issue 8 item 8): it really does, in ``run_bot`` itself; a
catalogue rebuild freezes the new catalogue; a new gateway session frees the guild cache it replaced, frozen
or not; ``python -m bot sync`` leaves the collector alone."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest

import bot.app as app_module
from bot.clock import FrozenClock
from bot.content.loader import load_packs
from bot.db.ingest import ingest
from bot.db.migrate import connect
from bot.playground.emulator import Emulator, run_client
from bot.playground.emulator.runner import BotHandle
from bot.settings import DEFAULT_PACKS, DEFAULT_SEEDS
from tests.e2e.conftest import NOW, make_settings, populate


@pytest.fixture
def emu(emulator: Emulator) -> Emulator:
    """The shared started emulator (tests/conftest.py), under the short name these tests use."""
    return emulator


def spy_on_open_bot(monkeypatch: pytest.MonkeyPatch) -> list[tuple[app_module.Lightstick, dict[str, Any]]]:
    """Every bot ``open_bot`` makes, with the options it was given (the real open_bot still runs)."""
    made: list[tuple[app_module.Lightstick, dict[str, Any]]] = []
    real = app_module.open_bot

    @contextlib.asynccontextmanager
    async def spied(settings: Any, clock: Any = None, **options: Any) -> AsyncIterator[app_module.Lightstick]:
        async with real(settings, clock, **options) as bot:
            bot._connection.guild_ready_timeout = 0.005  # the emulator sends every guild right behind READY
            made.append((bot, options))
            yield bot

    monkeypatch.setattr(app_module, "open_bot", spied)
    return made


def frozen_heap_holds(thing: object) -> bool:
    """Whether ``thing`` (an object the collector tracks) is frozen: gc.get_objects() leaves frozen ones out."""
    assert gc.is_tracked(thing)
    return not any(o is thing for o in gc.get_objects())


async def test_run_serves_from_a_frozen_heap_and_unfreezes_when_it_stops(
    tmp_path: Path, emu: Emulator, content_database: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path)
    settings.database_path.write_bytes(content_database)
    people = populate(emu)
    made = spy_on_open_bot(monkeypatch)
    emu.install()
    task = asyncio.create_task(app_module.run_bot(settings, emu.token))  # what `python -m bot run` runs
    try:
        async with asyncio.timeout(60):
            while not made or not made[0][0].is_ready():
                await asyncio.sleep(0.01)
        bot = made[0][0]
        assert gc.get_freeze_count() > 10_000
        assert frozen_heap_holds(bot.catalog)
        card = await emu.command(people["general"], people["fan"], "song", {"title": "lwa"})  # type: ignore[arg-type]
        assert card.embeds[0]["title"] == "Love Wins All"
        sources = await emu.click(card, people["fan"], label="Sources")  # type: ignore[arg-type]
        assert sources.embeds[0]["title"] == "📚 Sources: Love Wins All"
    finally:
        if made:
            await BotHandle(emu, made[0][0], task).stop()
        else:
            task.cancel()
            emu.uninstall()
    assert task.done() and task.exception() is None
    assert gc.get_freeze_count() == 0


async def test_sync_leaves_the_collector_alone(
    tmp_path: Path, emu: Emulator, content_database: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path)
    settings.database_path.write_bytes(content_database)
    populate(emu)
    made = spy_on_open_bot(monkeypatch)
    emu.install()
    try:
        assert await app_module.sync_commands(settings, emu.token, None) > 5
    finally:
        emu.uninstall()
    assert [options.get("freeze_heap", False) for _, options in made] == [False]
    assert made[0][0].freeze_heap is False and gc.get_freeze_count() == 0


def ingest_a_new_song(database: Path, tmp_path: Path) -> None:
    pack = tmp_path / "iu"
    shutil.copytree(DEFAULT_PACKS / "iu", pack)
    songs = pack / "songs.toml"
    songs.write_text(
        songs.read_text(encoding="utf-8").replace('"Love Wins"]', '"Love Wins", "Uaena Anthem"]'), encoding="utf-8"
    )
    packs, problems = load_packs([pack], DEFAULT_SEEDS)
    assert not problems
    conn = connect(database)  # `python -m bot ingest`, from another connection
    try:
        assert ingest(conn, packs).updated["songs"] == 1
    finally:
        conn.close()


def stale_guilds(guild_id: int, current: discord.Guild) -> int:
    """Guild objects for ``guild_id`` other than ``current`` that are still in memory, frozen ones included."""
    gc.disable()  # nothing is collected while we look
    gc.unfreeze()
    try:
        return sum(
            1 for o in gc.get_objects() if isinstance(o, discord.Guild) and o.id == guild_id and o is not current
        )
    finally:
        gc.enable()


async def test_a_frozen_bot_freezes_each_new_catalogue_and_frees_a_replaced_guild_cache(
    tmp_path: Path, emu: Emulator, content_database: bytes
) -> None:
    settings = make_settings(tmp_path)
    settings.database_path.write_bytes(content_database)
    people = populate(emu)
    guild_id = people["guild"].id  # type: ignore[attr-defined]
    async with app_module.open_bot(settings, FrozenClock(NOW), freeze_heap=True) as bot, run_client(emu, bot):
        ingest_a_new_song(settings.database_path, tmp_path)
        bot._content_checked = float("-inf")  # the 30-second window has passed
        await emu.command(people["general"], people["fan"], "about")  # type: ignore[arg-type]
        assert bot._rebuild is not None
        await bot._rebuild
        assert frozen_heap_holds(bot.catalog)  # the new catalogue is out of the collector's sight too
        # the guild cache is frozen now (READY and the rebuild settled the heap); a new session replaces it
        # (guild <-> channels: a cycle, which only the collector can free)
        old = bot.get_guild(guild_id)
        assert old is not None and frozen_heap_holds(old)
        del old  # (holding it here would keep it alive)
        ready = asyncio.ensure_future(bot.wait_for("ready", timeout=10))
        await emu.invalidate_session(resumable=False)
        await ready
        await asyncio.sleep(0.2)  # on_ready (which settles the heap) runs in its own task
        new = bot.get_guild(guild_id)
        assert new is not None
        assert stale_guilds(guild_id, new) == 0
        anthem = await emu.command(people["general"], people["fan"], "song", {"title": "Uaena Anthem"})  # type: ignore[arg-type]
        assert anthem.embeds[0]["title"] == "Love Wins All"
