"""Restarts: old buttons keep working (DynamicItems), the fact pool is remembered, and the command tree
is pushed to Discord only when it changed."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.clock import FrozenClock
from bot.playground.emulator import Emulator
from tests.e2e.conftest import NOW, make_settings, populate, public_messages, running_bot

BULK = re.compile(r"/applications/\d+(?:/guilds/(\d+))?/commands")


@dataclasses.dataclass
class Stage:
    emu: Emulator
    clock: FrozenClock
    people: dict[str, Any]
    tmp_path: Path


@pytest_asyncio.fixture
async def stage(tmp_path: Path) -> AsyncIterator[Stage]:
    """An emulated Discord with the e2e guild, but no bot: each test starts (and restarts) its own."""
    emu = Emulator()
    await emu.start()
    try:
        yield Stage(emu, FrozenClock(NOW), populate(emu), tmp_path)
        assert not emu.violations, f"Discord would have rejected: {emu.violations}"
        assert not emu.unhandled, f"routes the emulator doesn't serve: {emu.unhandled}"
    finally:
        await emu.stop()


def bulk_overwrites(emu: Emulator) -> list[str | None]:
    """Each PUT of the whole command list: None for global, else the guild id."""
    out = []
    for method, path, status in emu.requests:
        found = BULK.fullmatch(path)
        if method == "PUT" and found and status == 200:
            out.append(found.group(1))
    return out


async def test_buttons_on_old_messages_work_after_a_restart(stage: Stage) -> None:
    emu, p = stage.emu, stage.people
    general, fan = p["general"], p["fan"]
    settings = make_settings(stage.tmp_path)
    async with running_bot(emu, settings, stage.clock):
        card = await emu.command(general, fan, "song", {"title": "love wins all"})
        fact = await emu.command(general, fan, "fact")
        sources = await emu.click(card, fan, label="Sources")
        assert card.embeds[0]["title"] == "Love Wins All"
        for n in range(11):
            await emu.command(
                general, p["admin"], "event", {"name": f"Party {n}", "date": "2027-01-01"}, subcommand="add"
            )
        dates = await emu.command(general, p["admin"], "event", {}, subcommand="list", locale="en-US")
        assert dates.embeds[0]["footer"]["text"] == "Page 1 of 2 · 11 dates"
    async with running_bot(emu, settings, stage.clock) as bot:
        assert bot.is_ready()
        r = await emu.click(card, fan, label="Sources")
        assert r.error is None and r.ephemeral
        assert r.embeds[0]["title"] == "📚 Sources: Love Wins All"
        assert r.embeds[0]["footer"]["text"] == "1/4"
        r = await emu.click(card, fan, label="Behind the scenes")
        assert r.ephemeral and r.embeds[0]["title"] == "Behind the scenes: Love Wins All"
        r = await emu.click(card, fan, label="Another fact")
        assert not r.ephemeral and r.embeds[0]["title"] == "💡 Did you know?"
        r = await emu.click(fact, fan, label="Source")
        assert r.ephemeral and r.embeds[0]["title"] == "Where this comes from"
        r = await emu.click(fact, fan, label="Another fact")
        assert not r.ephemeral and r.embeds[0]["title"] == "💡 Did you know?"
        # the pager on a Sources page opened before the restart
        r = await emu.click(sources, fan, label="Next")
        assert r.error is None and r.embeds[0]["footer"]["text"] == "2/4"
        r = await emu.click(dates, p["admin"], label="Next")  # /event list's pager, opened before the restart
        assert r.error is None and r.embeds[0]["description"] == "**Party 10** · January 1, 2027"
    assert all("error id" not in (m.get("content") or "") for m in public_messages(emu, general))


async def test_the_fact_pool_survives_a_restart(stage: Stage) -> None:
    emu, p = stage.emu, stage.people
    general, fan = p["general"], p["fan"]
    settings = make_settings(stage.tmp_path)
    seen = []
    async with running_bot(emu, settings, stage.clock):
        for _ in range(20):
            r = await emu.command(general, fan, "fact")
            seen.append(r.buttons[0]["custom_id"])
    async with running_bot(emu, settings, stage.clock):
        for _ in range(19):
            r = await emu.command(general, fan, "fact")
            assert "starting over" not in r.embeds[0]["footer"]["text"]
            seen.append(r.buttons[0]["custom_id"])
        assert len(set(seen)) == 39
        r = await emu.command(general, fan, "fact")
        assert r.embeds[0]["footer"]["text"].startswith("You've seen every fact here, so I'm starting over.")


async def test_commands_are_synced_only_when_the_tree_changed(stage: Stage) -> None:
    emu = stage.emu
    guild = stage.people["guild"]
    settings = make_settings(stage.tmp_path)
    async with running_bot(emu, settings, stage.clock):
        pass
    assert bulk_overwrites(emu) == [None]  # first start: the global commands are pushed
    async with running_bot(emu, settings, stage.clock):
        r = await emu.command(stage.people["general"], stage.people["fan"], "song", {"title": "LWA"})
        assert r.embeds[0]["title"] == "Love Wins All"
    assert bulk_overwrites(emu) == [None]  # unchanged: no PUT
    dev = dataclasses.replace(settings, dev_guild_id=guild.id)
    async with running_bot(emu, dev, stage.clock):
        pass
    assert bulk_overwrites(emu) == [None, str(guild.id)]  # a different tree (the dev guild's): pushed
    assert {c["name"] for c in emu.registered_commands(guild)} >= {"song", "tour", "fact", "about"}
    async with running_bot(emu, dev, stage.clock):
        pass
    assert bulk_overwrites(emu) == [None, str(guild.id)]
