"""The smallest useful discord.py bot: one slash command, ``/ping``, answering a constant string.

Used as the baseline target by ``bench_roundtrip.py`` (``tests.benchmarks.bare_bot:make_client``).
A benchmark target is any ``module:function`` returning a ``discord.Client`` (or an awaitable of
one) whose ``.tree`` holds the app commands; the benchmark syncs that tree itself.
"""

from __future__ import annotations

import discord
from discord import app_commands

PONG = "pong"


def make_client() -> discord.Client:
    client = discord.Client(intents=discord.Intents.default())
    tree = app_commands.CommandTree(client)
    client.tree = tree  # type: ignore[attr-defined]

    @tree.command(name="ping", description="Answers pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(PONG)

    return client
