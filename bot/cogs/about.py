"""/about: version, the packs loaded and the articles every fact comes from."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import _, client
from bot.i18n import lang_of
from bot.render import cards


class About(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name=_("about"), description=_("Version, loaded packs and the articles the facts come from"))
    async def about(self, interaction: discord.Interaction[Any]) -> None:
        bot = client(interaction)
        embed = cards.about_card(bot.version, await bot.store.packs.summary(), await bot.store.packs.sources(),
                                 bot.catalog, lang_of(interaction))
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(About(bot))
