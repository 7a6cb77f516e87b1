"""Fault injection: REST 429/5xx and gateway drops, RECONNECT, INVALID_SESSION and stalls."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord import app_commands

from bot.playground.emulator import Emulator, run_client


def make_bot(**client_kwargs) -> discord.Client:
    client = discord.Client(intents=discord.Intents.default(), **client_kwargs)
    tree = app_commands.CommandTree(client)
    client.tree = tree  # type: ignore[attr-defined]

    @tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @tree.command(description="Announce in this channel")
    async def announce(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.channel.send(text)
        await interaction.followup.send("announced", ephemeral=True)

    return client


async def _world(emu: Emulator, **client_kwargs):
    g = emu.add_guild("Fan Club")
    ch = emu.add_channel(g, "general")
    fan = emu.add_member(g, "Fan")
    await emu.start()
    return ch, fan, make_bot(**client_kwargs)


@pytest.fixture
async def setup():
    emu = Emulator(heartbeat_interval=0.25)
    ch, fan, client = await _world(emu, heartbeat_timeout=1.0)
    async with run_client(emu, client):
        await client.tree.sync()
        yield emu, ch, fan, client
    await emu.stop()


# ----------------------------------------------------------------------------- REST
async def test_429_on_callback_is_retried(setup):
    emu, ch, fan, _ = setup
    emu.fail_next("POST", r"/interactions/\d+/[^/]+/callback$", status=429, retry_after=0.2)
    r = await emu.command(ch, fan, "ping")
    assert r.content == "pong" and r.error is None
    assert len(emu.faults_served) == 1
    callbacks = [x for x in emu.requests if x[1].endswith("/callback")]
    assert [s for _, _, s in callbacks] == [429, 200]


async def test_429_on_channel_messages_is_retried_once(setup):
    emu, ch, fan, _ = setup
    emu.fail_next("POST", r"/channels/\d+/messages$", status=429, retry_after=0.2)
    r = await emu.command(ch, fan, "announce", {"text": "3 days to go"})
    assert r.content == "announced"
    assert [m["content"] for m in emu.channel_messages(ch)] == ["3 days to go"]
    assert emu.faults_served[0][2] == 429


async def test_global_429_is_retried(setup):
    emu, ch, _fan, client = setup
    emu.fail_next("POST", r"/channels/\d+/messages$", status=429, retry_after=0.1, is_global=True)
    await client.get_channel(ch.id).send("global")
    assert [m["content"] for m in emu.channel_messages(ch)] == ["global"]


@pytest.mark.parametrize("status", [500, 502])
async def test_5xx_is_retried_and_nothing_lost(setup, status):
    emu, ch, fan, _ = setup
    emu.fail_next("POST", r"/channels/\d+/messages$", status=status)
    emu.fail_next("POST", r"/webhooks/\d+/[^/]+$", status=status)  # the followup too
    r = await emu.command(ch, fan, "announce", {"text": "tour day"})
    assert r.content == "announced"
    assert [m["content"] for m in emu.channel_messages(ch)] == ["tour day"]
    assert len(emu.faults_served) == 2


async def test_lost_response_does_not_double_post(setup):
    """The message is created but the 502 hides it; discord.py retries with the same nonce +
    enforce_nonce, so Discord answers with the existing message."""
    emu, ch, _fan, client = setup
    emu.fail_next("POST", r"/channels/\d+/messages$", status=502, after_processing=True)
    await client.get_channel(ch.id).send("1 day to go")
    assert [m["content"] for m in emu.channel_messages(ch)] == ["1 day to go"]


# ----------------------------------------------------------------------------- gateway
async def _still_answers(emu, ch, fan):
    await emu.wait_ready(timeout=10)
    r = await emu.command(ch, fan, "ping")
    assert r.content == "pong", r


@pytest.mark.parametrize("code", [4000, None])
async def test_drop_gateway_resumes(setup, code):
    emu, ch, fan, _ = setup
    await emu.drop_gateway(code=code)
    await emu.wait_resumed(timeout=10)
    assert emu.resume_count == 1 and emu.identify_count == 1
    await _still_answers(emu, ch, fan)


async def test_events_while_disconnected_are_replayed(setup):
    emu, _ch, _fan, client = setup
    await emu.drop_gateway()
    g = next(iter(emu.guilds.values()))
    new = emu.add_channel(g, "added-while-offline")  # CHANNEL_CREATE lands in the session log only
    await emu.wait_resumed(timeout=10)
    await asyncio.sleep(0.05)
    assert client.get_channel(new.id) is not None


async def test_reconnect_opcode_resumes(setup):
    emu, ch, fan, _ = setup
    await emu.send_reconnect()
    await emu.wait_resumed(timeout=10)
    assert emu.resume_count == 1
    await _still_answers(emu, ch, fan)


async def test_invalid_session_resumable(setup):
    emu, ch, fan, _ = setup
    await emu.invalidate_session(resumable=True)
    await emu.wait_resumed(timeout=10)
    assert emu.identify_count == 1
    await _still_answers(emu, ch, fan)


async def test_invalid_session_not_resumable_reidentifies(setup):
    emu, ch, fan, _client = setup
    await emu.invalidate_session(resumable=False)
    await emu.wait_ready(timeout=10)
    assert emu.identify_count == 2 and emu.resume_count == 0
    await _still_answers(emu, ch, fan)


async def test_stalled_gateway_is_detected(setup):
    emu, ch, fan, _ = setup
    emu.stall_gateway()
    await emu.wait_ready(timeout=10)  # heartbeat_timeout=1.0 -> close 4000 -> RESUME
    assert emu.resume_count == 1
    await _still_answers(emu, ch, fan)


async def test_command_during_outage_is_delivered_after_resume(setup):
    emu, ch, fan, _ = setup
    await emu.drop_gateway()
    r = await emu.command(ch, fan, "ping")  # waits for the bot to come back, like a user would
    assert r.content == "pong"
