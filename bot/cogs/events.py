"""/countdown: upcoming shows and anniversaries, soonest first, in every reader's own time zone."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import Interaction, _
from bot.i18n import lang_of
from bot.render.events import COUNTDOWN_SHOWN, countdown_card, countdown_valid_until

if TYPE_CHECKING:
    from bot.app import Lightstick


class Events(commands.Cog):
    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot

    @app_commands.command(name=_("countdown"), description=_("Upcoming shows and anniversaries, soonest first"))
    async def countdown(self, interaction: Interaction) -> None:
        now = self.bot.clock.now()
        lang = lang_of(interaction)
        catalog, store = self.bot.catalog, self.bot.store
        # the server's own dates change whenever a moderator edits them: read every time (one query)
        events = tuple(
            await store.server_events.upcoming(interaction.guild_id, now, COUNTDOWN_SHOWN)
            if interaction.guild_id
            else ()
        )

        async def render() -> tuple[discord.Embed, dt.datetime]:
            shows = await store.tours.upcoming(now, limit=COUNTDOWN_SHOWN)
            songs = await store.songs.anniversaries_soon(now, limit=COUNTDOWN_SHOWN)
            milestones = await store.tours.milestones_soon(now, limit=COUNTDOWN_SHOWN)
            return (
                countdown_card(shows, songs, milestones, catalog, lang, now, events),
                countdown_valid_until(shows, songs, milestones, now, events),
            )

        # the same for every reader of a language (and the same server dates) until an entry starts, ends
        # or comes round again: no content query and no rendering per command
        embed = await self.bot.cards.get_timed(catalog, ("countdown", lang, events), now, render)
        await interaction.response.send_message(embed=embed)


async def setup(bot: Lightstick) -> None:
    await bot.add_cog(Events(bot))
