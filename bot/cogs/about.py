"""/about: version, the packs loaded and the articles every fact comes from."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import Interaction, _
from bot.i18n import lang_of
from bot.render.about import about_card

if TYPE_CHECKING:
    from bot.app import Lightstick


class About(commands.Cog):
    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot

    @app_commands.command(name=_("about"), description=_("Version, loaded packs and the articles the facts come from"))
    async def about(self, interaction: Interaction) -> None:
        store, catalog, lang = self.bot.store, self.bot.catalog, lang_of(interaction)

        async def build() -> discord.Embed:
            return about_card(self.bot.version, await store.packs.summary(), await store.packs.sources(), catalog, lang)

        embed = await self.bot.cards.get(catalog, ("about", lang), build)  # packs change only with the catalogue
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: Lightstick) -> None:
    await bot.add_cog(About(bot))
