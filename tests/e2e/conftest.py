"""End-to-end fixtures: the production bot (bot.app.open_bot) against the loopback Discord emulator."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import pytest_asyncio

from bot.app import Lightstick, open_bot
from bot.clock import FrozenClock
from bot.playground.emulator import Channel, Emulator, Guild, Member, run_client
from bot.settings import DEFAULT_PACKS, DEFAULT_SEEDS, Secret, Settings

# The day the e2e world stands on: after every shipped tour date, so the tour is over.
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)


@dataclasses.dataclass
class World:
    emu: Emulator
    bot: Lightstick
    clock: FrozenClock
    guild: Guild
    general: Channel
    announcements: Channel
    read_only: Channel
    admin: Member
    mod: Member
    fan: Member
    fan_ko: Member


def make_settings(tmp_path: Path, **changes: object) -> Settings:
    base = Settings(
        token=Secret(""), database_path=tmp_path / "lightstick.sqlite3", log_level="INFO", dev_guild_id=None,
        packs_dir=DEFAULT_PACKS, seeds_dir=DEFAULT_SEEDS,
    )
    return dataclasses.replace(base, **changes)


def populate(emu: Emulator) -> dict[str, object]:
    guild = emu.add_guild("IU Fan Club", locale="en-US")
    mods = emu.add_role(guild, "Moderators", permissions=discord.Permissions(manage_guild=True).value)
    return {
        "guild": guild,
        "general": emu.add_channel(guild, "general"),
        "announcements": emu.add_channel(guild, "announcements"),
        "read_only": emu.add_channel(guild, "read-only", bot_can_send=False),
        "admin": emu.add_member(guild, "Ada", administrator=True, locale="en-US"),
        "mod": emu.add_member(guild, "Min", roles=[mods], locale="ko"),
        "fan": emu.add_member(guild, "Uaena", locale="en-US"),
        "fan_ko": emu.add_member(guild, "유애나", locale="ko"),
    }


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    emu = Emulator()
    await emu.start()
    people = populate(emu)
    clock = FrozenClock(NOW)
    try:
        async with open_bot(make_settings(tmp_path), clock) as bot, run_client(emu, bot):
            yield World(emu=emu, bot=bot, clock=clock, **people)  # type: ignore[arg-type]
            assert not emu.violations, f"Discord would have rejected: {emu.violations}"
            assert not emu.unhandled, f"routes the emulator doesn't serve: {emu.unhandled}"
    finally:
        await emu.stop()


@pytest.fixture
def now() -> dt.datetime:
    return NOW
