"""Errors are answered privately whatever state the interaction is in: before any reply, after a private
deferral, and after a public "thinking" deferral (where Discord turns the first follow-up into the public
loading message, so an "ephemeral" follow-up alone would post the error for everyone)."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.errors import UserError
from tests.e2e.conftest import World, public_messages

NO_FACTS = "I have no facts matching that yet."


def add_command(world: World, defer: str) -> str:
    """A command that fails with a UserError after ``defer`` ("none", "private", "public")."""
    name = f"fail-{defer}"

    @app_commands.command(name=name, description="fails on purpose")
    async def fail(interaction: discord.Interaction[Any]) -> None:
        if defer != "none":
            await interaction.response.defer(ephemeral=defer == "private", thinking=True)
        raise UserError("error.no_facts")

    world.bot.tree.add_command(fail)
    return name


@pytest.mark.parametrize("defer", ["none", "private", "public"])
async def test_an_error_is_private_whenever_it_happens(world: World, defer: str) -> None:
    name = add_command(world, defer)
    r = await world.emu.command(world.general, world.fan, name)
    texts = [m.get("content") for m in [r.message, *r.followups] if m]
    assert NO_FACTS in texts, r.text
    assert public_messages(world.emu, world.general) == [] or all(
        NO_FACTS not in (m.get("content") or "") for m in public_messages(world.emu, world.general)
    ), public_messages(world.emu, world.general)
    for message in [r.message, *r.followups]:
        if message and message.get("content") == NO_FACTS:
            assert message["flags"] & 64, message


async def test_an_error_after_the_answer_was_posted_leaves_the_answer(world: World) -> None:
    @app_commands.command(name="answer-then-fail", description="answers, then fails on purpose")
    async def answer_then_fail(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="Here is your answer.")
        raise UserError("error.no_facts")

    world.bot.tree.add_command(answer_then_fail)
    r = await world.emu.command(world.general, world.fan, "answer-then-fail")
    for _ in range(200):  # the error follows the edit the emulator already returned on
        if r.followups:
            break
        await asyncio.sleep(0.01)
    assert r.message["content"] == "Here is your answer." and not r.ephemeral
    assert [(m["content"], bool(m["flags"] & 64)) for m in r.followups] == [(NO_FACTS, True)]
    assert [m["content"] for m in public_messages(world.emu, world.general)] == ["Here is your answer."]
