"""The smallest useful discord.py bot: the floor every Lightstick target is measured against.

``/ping`` answers a constant string. ``/pingbutton`` answers the same with one button, **Again**, a
DynamicItem (as Lightstick's buttons are) whose click answers "pong" again: the floor for button targets,
since a click carries the whole message it was made on and costs discord.py more than a slash command.

Used by ``bench_roundtrip.py`` (``tests.benchmarks.bare_bot:make_client``); the benchmark syncs the tree.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands

PONG = "pong"


class Again(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"bare:again"):
    def __init__(self) -> None:
        super().__init__(discord.ui.Button(custom_id="bare:again", label="Again"))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> Again:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(PONG)


def make_client() -> discord.Client:
    client = discord.Client(intents=discord.Intents.default())
    tree = app_commands.CommandTree(client)
    client.tree = tree  # type: ignore[attr-defined]
    client.add_dynamic_items(Again)

    @tree.command(name="ping", description="Answers pong")
    async def ping(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(PONG)

    @tree.command(name="pingbutton", description="Answers pong with a button")
    async def pingbutton(interaction: discord.Interaction[Any]) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(Again())
        await interaction.response.send_message(PONG, view=view)

    return client
