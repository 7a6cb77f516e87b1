"""A bare discord.py bot that sends exactly what a Lightstick button target sent, with no logic at all.

``bench_roundtrip.py`` captures, for each button target, the message the button sits on (a song card: an
embed and three emoji buttons) and the reply to one click (a Sources page, a fact card), and starts this
bot with the capture's path in LIGHTSTICK_BENCH_SHAPE. ``/pingbutton`` then posts the same embed and the
same buttons (label, emoji, style; custom ids ``replay:<n>``), and a click on any of them answers with the
captured reply's embeds and buttons (ephemeral when the reply was), built once at start-up as Lightstick's
cached cards are. No database, no catalogue, no cog:
what is left is discord.py's and the fake Discord's cost of those bytes, so a target's ratio against this
floor is the bot's own overhead on a click.

Used by ``bench_roundtrip.py`` (``tests.benchmarks.replay_bot:make_client``); the benchmark syncs the tree.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, ClassVar

import discord
from discord import app_commands

FLAG_EPHEMERAL = 1 << 6


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in message.get("components") or [] for c in row.get("components") or [] if c.get("type") == 2]


class Replayed(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"replay:(?P<n>\d{1,2})"):
    """Button ``n`` of the captured card or reply; any click answers with the captured reply."""

    shape: ClassVar[dict[str, Any]] = {}
    # The reply, built once (as Lightstick renders a card or page once per catalogue and sends the same finished
    # objects again): rebuilding it from the captured dict on every click would add work Lightstick does not
    # do, and raise the floor a ratio is taken against.
    reply: ClassVar[dict[str, Any]] = {}

    def __init__(self, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)

    @classmethod
    def like(cls, n: int, component: dict[str, Any]) -> Replayed:
        emoji = (component.get("emoji") or {}).get("name")
        style = discord.ButtonStyle(component.get("style", 2))
        return cls(discord.ui.Button(custom_id=f"replay:{n}", label=component.get("label"), emoji=emoji, style=style))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any], match: re.Match[str], /
    ) -> Replayed:
        return cls(item)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(**self.reply)


def view_like(message: dict[str, Any], first: int) -> discord.ui.View:
    """A finished view (never stored by discord.py, as Lightstick's are) with ``message``'s buttons."""
    view = discord.ui.View(timeout=None)
    for n, component in enumerate(_buttons(message), start=first):
        view.add_item(Replayed.like(n, component))
    view.stop()
    return view


def make_client() -> discord.Client:
    Replayed.shape = json.loads(Path(os.environ["LIGHTSTICK_BENCH_SHAPE"]).read_text(encoding="utf-8"))
    card, reply = Replayed.shape["card"], Replayed.shape["reply"]
    card_embeds = [discord.Embed.from_dict(e) for e in card.get("embeds") or []]
    Replayed.reply = {
        "embeds": [discord.Embed.from_dict(e) for e in reply.get("embeds") or []],
        "view": view_like(reply, first=10),
        "ephemeral": bool(reply.get("flags", 0) & FLAG_EPHEMERAL),
    }
    intents = discord.Intents.none()
    intents.guilds = True  # Lightstick's intents: the same gateway traffic reaches both
    client = discord.Client(intents=intents)
    tree = app_commands.CommandTree(client)
    client.tree = tree  # type: ignore[attr-defined]
    client.add_dynamic_items(Replayed)

    @tree.command(name="pingbutton", description="Posts the captured card")
    async def pingbutton(interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_message(embeds=card_embeds, view=view_like(card, first=0))

    return client
