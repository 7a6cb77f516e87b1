"""The production bot survives what Discord does to bots: gateway drops, reconnect requests, invalidated and
stalled sessions, 429s and 5xx errors. After each, the next command is answered, exactly once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.app import open_bot, sync_commands
from bot.clock import FrozenClock
from bot.playground.emulator import Emulator, run_client
from tests.e2e.conftest import NOW, World, make_settings, populate


@pytest_asyncio.fixture
async def fragile(tmp_path: Path) -> AsyncIterator[World]:
    """Like `world`, with a fast heartbeat so a stalled gateway is noticed within a second."""
    emu = Emulator(heartbeat_interval=0.25)
    await emu.start()
    people = populate(emu)
    clock = FrozenClock(NOW)
    try:
        async with open_bot(make_settings(tmp_path), clock, heartbeat_timeout=1.0) as bot, run_client(emu, bot):
            yield World(emu=emu, bot=bot, clock=clock, **people)  # type: ignore[arg-type]
            assert not emu.violations
    finally:
        await emu.stop()


async def song_still_works(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": "lwa"}, timeout=15)
    assert r.error is None
    assert r.embeds[0]["title"] == "Love Wins All"


async def test_resumes_after_a_dropped_connection(fragile: World) -> None:
    resumes = fragile.emu.resume_count
    await fragile.emu.drop_gateway()
    await fragile.emu.wait_resumed(timeout=15)
    assert fragile.emu.resume_count == resumes + 1
    await song_still_works(fragile)


async def test_resumes_after_reconnect_request(fragile: World) -> None:
    resumes = fragile.emu.resume_count
    await fragile.emu.send_reconnect()
    await fragile.emu.wait_resumed(timeout=15)
    assert fragile.emu.resume_count == resumes + 1
    await song_still_works(fragile)


@pytest.mark.parametrize("resumable", [True, False])
async def test_recovers_from_an_invalidated_session(fragile: World, resumable: bool) -> None:
    identifies, resumes = fragile.emu.identify_count, fragile.emu.resume_count
    await fragile.emu.invalidate_session(resumable=resumable)
    await song_still_works(fragile)
    assert fragile.emu.identify_count + fragile.emu.resume_count > identifies + resumes


async def test_recovers_from_a_stalled_gateway(fragile: World) -> None:
    before = fragile.emu.identify_count + fragile.emu.resume_count
    fragile.emu.stall_gateway()
    await song_still_works(fragile)
    assert fragile.emu.identify_count + fragile.emu.resume_count > before


@pytest.mark.parametrize("status", [429, 500, 502])
async def test_a_failed_callback_is_retried_and_answered_once(world: World, status: int) -> None:
    world.emu.fail_next("POST", r"/interactions/\d+/[^/]+/callback", status=status, retry_after=0.1)
    r = await world.emu.command(world.general, world.fan, "song", {"title": "love wins all"}, timeout=15)
    assert r.error is None
    assert r.embeds[0]["title"] == "Love Wins All"
    assert r.followups == []
    assert world.emu.faults_served


async def test_a_global_rate_limit_loses_nothing(world: World) -> None:
    world.emu.fail_next("POST", r"/callback", status=429, retry_after=0.2, is_global=True)
    first = await world.emu.command(world.general, world.fan, "fact", {}, timeout=15)
    second = await world.emu.command(world.general, world.fan, "fact", {}, timeout=15)
    assert first.error is None and second.error is None
    assert first.embeds[0]["description"] != second.embeds[0]["description"]  # and still no repeats


async def test_sync_command_pushes_the_tree(tmp_path: Path, emulator: Emulator) -> None:
    """`python -m bot sync --guild ID` registers every command in that guild (and logs out)."""
    guild = emulator.add_guild("Dev")
    emulator.install()
    try:
        count = await sync_commands(make_settings(tmp_path), emulator.token, guild.id)
    finally:
        emulator.uninstall()
    names = {c["name"] for c in emulator.registered_commands(guild)}
    assert count == len(names) >= 6
    assert {"song", "tour", "fact", "onthisday", "countdown", "about"} <= names
