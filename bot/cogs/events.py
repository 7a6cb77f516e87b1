"""/countdown: upcoming shows and anniversaries, soonest first, in every reader's own time zone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands
from discord.ext import commands

from bot.cogs.common import Interaction, _
from bot.i18n import lang_of
from bot.render.events import COUNTDOWN_SHOWN, countdown_card

if TYPE_CHECKING:
    from bot.app import Lightstick


class Events(commands.Cog):
    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot

    @app_commands.command(name=_("countdown"), description=_("Upcoming shows and anniversaries, soonest first"))
    async def countdown(self, interaction: Interaction) -> None:
        now = self.bot.clock.now()
        store = self.bot.store
        embed = countdown_card(await store.tours.upcoming(now, limit=COUNTDOWN_SHOWN),
                               await store.songs.anniversaries_soon(now, limit=COUNTDOWN_SHOWN),
                               await store.tours.milestones_soon(now, limit=COUNTDOWN_SHOWN),
                               self.bot.catalog, lang_of(interaction), now,
                               await store.server_events.upcoming(interaction.guild_id, now, COUNTDOWN_SHOWN)
                               if interaction.guild_id else ())
        await interaction.response.send_message(embed=embed)


async def setup(bot: Lightstick) -> None:
    await bot.add_cog(Events(bot))
