"""The floor for button clicks: a bare discord.py bot whose ``/ping`` posts a message shaped like a trivia
question (an embed of about the same size, four DynamicItem buttons with option-sized labels: every click's
INTERACTION_CREATE carries that message, so both bots parse the same payload) and acknowledges every click
with a private "ok".

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
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Option:
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
        options = ("Hwarang", "Mr. Sunshine", "Descendants of the Sun", "Goblin")
        for i, option in enumerate(options):
            label = f"{'ABCD'[i]} · {option}"
            view.add_item(Option(discord.ui.Button(custom_id=f"bare:{interaction.id}:{i}", label=label)))
        lines = ["**The Mary Sue says no K-drama fan could forget V's tragic sacrifice in which drama?**", ""]
        lines += [f"{'ABCD'[i]} · {option}" for i, option in enumerate(options)] + ["", "Time's up <t:1795348820:R>."]
        embed = discord.Embed(title="Question 1 of 5", description="\n".join(lines), colour=0xF5C542)
        await interaction.response.send_message(embed=embed, view=view)

    return client
