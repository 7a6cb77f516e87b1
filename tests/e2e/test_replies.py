"""One reply path: the member's missing permission, the bot's (named), a cooldown and a guild-only command
each get their own private, translated answer, from a slash command and from a guarded button alike."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.replies import GuardedButton, failure_text
from tests.e2e.conftest import World


class ModButton(GuardedButton, template=r"test:mod"):
    """A guarded button only moderators may use (what the scheduler's settings buttons will do)."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Button(custom_id="test:mod", label="Moderate"))

    @classmethod
    async def from_custom_id(cls, interaction: Any, item: Any, match: re.Match[str]) -> ModButton:
        return cls()

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        await interaction.response.send_message("done", ephemeral=True)


@app_commands.command(name="modtool", description="test: moderators only")
@app_commands.checks.has_permissions(manage_guild=True)
async def modtool(interaction: discord.Interaction[Any]) -> None:
    await interaction.response.send_message("moderated", ephemeral=True, view=_mod_view())


@app_commands.command(name="post", description="test: needs the bot to post here")
@app_commands.checks.bot_has_permissions(send_messages=True)
async def post(interaction: discord.Interaction[Any]) -> None:
    await interaction.response.send_message("posted")


@app_commands.command(name="often", description="test: once a minute")
@app_commands.checks.cooldown(1, 60.0)
async def often(interaction: discord.Interaction[Any]) -> None:
    await interaction.response.send_message("once", ephemeral=True)


@app_commands.command(name="panel", description="test: a button for everyone")
async def panel(interaction: discord.Interaction[Any]) -> None:
    await interaction.response.send_message("panel", view=_mod_view())


def _mod_view() -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ModButton())
    return view


@pytest.fixture
def checked(world: World) -> Iterator[World]:
    """The world's bot with four test commands and the guarded button added (not synced: the emulator
    dispatches by name, as Discord does for a command it knows)."""
    for command in (modtool, post, often, panel):
        world.bot.tree.add_command(command)
    world.bot.add_dynamic_items(ModButton)
    yield world
    world.bot.remove_dynamic_items(ModButton)
    for command in (modtool, post, often, panel):
        world.bot.tree.remove_command(command.name)


async def test_a_member_without_the_permission_is_told_which(checked: World) -> None:
    r = await checked.emu.command(checked.general, checked.fan, "modtool")
    assert r.ephemeral
    assert r.content == "You need the **Manage Server** permission to use this."
    r = await checked.emu.command(checked.general, checked.fan_ko, "modtool")
    assert r.ephemeral and r.content == "이 명령을 쓰려면 **서버 관리하기** 권한이 필요해요."
    allowed = await checked.emu.command(checked.general, checked.mod, "modtool")
    assert allowed.content == "moderated"


async def test_the_bot_missing_a_permission_says_which(checked: World) -> None:
    r = await checked.emu.command(checked.read_only, checked.fan, "post")
    assert r.ephemeral
    assert r.content == (
        "I need the **Send Messages** permission here to do that. "
        "A moderator can give it to me in the channel or role settings."
    )
    r = await checked.emu.command(checked.read_only, checked.fan_ko, "post")
    assert r.content == (
        "그 작업을 하려면 제게 여기서 **메시지 보내기** 권한이 필요해요. "
        "모더레이터가 채널이나 역할 설정에서 줄 수 있어요."
    )
    assert (await checked.emu.command(checked.general, checked.fan, "post")).content == "posted"


async def test_a_cooldown_says_when_to_try_again(checked: World) -> None:
    first = await checked.emu.command(checked.general, checked.fan, "often")
    assert first.content == "once"
    asked = time.time()
    r = await checked.emu.command(checked.general, checked.fan, "often")
    assert r.ephemeral
    found = re.fullmatch(r"Slow down a little: you can use this again <t:(\d+):R>\.", r.content or "")
    assert found, r.content
    assert asked + 58 <= int(found[1]) <= asked + 62  # about a minute from now
    r = await checked.emu.command(checked.general, checked.fan_ko, "often")  # someone else: their own cooldown
    assert r.content == "once"
    r = await checked.emu.command(checked.general, checked.fan_ko, "often")
    assert re.fullmatch(r"조금만 천천히요! <t:\d+:R> 다시 쓸 수 있어요\.", r.content or ""), r.content


async def test_a_guarded_button_answers_like_a_command(checked: World) -> None:
    panel_message = await checked.emu.command(checked.general, checked.fan, "panel")
    r = await checked.emu.click(panel_message, checked.fan, custom_id="test:mod")
    assert r.ephemeral and r.content == "You need the **Manage Server** permission to use this."
    r = await checked.emu.click(panel_message, checked.fan_ko, custom_id="test:mod")
    assert r.ephemeral and r.content == "이 명령을 쓰려면 **서버 관리하기** 권한이 필요해요."
    r = await checked.emu.click(panel_message, checked.mod, custom_id="test:mod")
    assert r.content == "done"


def test_a_guild_only_command_in_a_direct_message() -> None:
    # The emulator has no direct messages; the text is the reply path's, whatever raised it.
    assert failure_text(app_commands.NoPrivateMessage(), "en") == (
        "This command only works in a server, not in direct messages."
    )
    assert failure_text(app_commands.NoPrivateMessage(), "ko") == "이 명령은 서버에서만 쓸 수 있어요. DM에서는 안 돼요."


def test_several_missing_permissions_are_all_named() -> None:
    error = app_commands.BotMissingPermissions(["send_messages", "embed_links"])
    assert failure_text(error, "en") == (
        "I need these permissions here to do that: **Send Messages**, **Embed Links**. "
        "A moderator can give them to me in the channel or role settings."
    )
    assert failure_text(app_commands.MissingPermissions(["manage_events"]), "en") == (
        "You need the **Manage Events** permission to use this."
    )


def test_an_unexpected_error_is_not_explained() -> None:
    assert failure_text(RuntimeError("boom"), "en") is None  # logged with an error id instead
