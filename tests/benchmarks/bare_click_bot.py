"""The floor for button clicks: a bare discord.py bot whose ``/ping`` posts a message with four buttons
(DynamicItems, as Lightstick's trivia options are) and acknowledges every click with a private "ok".

Used by ``bench_trivia.py`` (``tests.benchmarks.bare_click_bot:make_client``) in a fresh subprocess.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands


class Option(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"bare:(?P<n>\d+):(?P<i>\d)"):
    def __init__(self, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str]) -> Option:
        assert isinstance(item, discord.ui.Button)
        return cls(item)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message("ok", ephemeral=True)


def make_client() -> discord.Client:
    client = discord.Client(intents=discord.Intents.none())
    tree = app_commands.CommandTree(client)
    client.tree = tree  # type: ignore[attr-defined]
    client.add_dynamic_items(Option)

    @tree.command(name="ping", description="Posts four buttons")
    async def ping(interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        for i in range(4):
            view.add_item(Option(discord.ui.Button(custom_id=f"bare:{interaction.id}:{i}", label=f"Option {i}")))
        await interaction.response.send_message("question", view=view)

    return client
