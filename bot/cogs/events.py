"""/countdown: upcoming shows and anniversaries, soonest first, in every reader's own time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import _, client
from bot.content.dates import next_anniversary
from bot.i18n import lang_of, pick, t
from bot.render import cards
from bot.render.limits import fit_embed

SHOWN = 10


class Events(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name=_("countdown"), description=_("Upcoming shows and anniversaries, soonest first"))
    async def countdown(self, interaction: discord.Interaction[Any]) -> None:
        bot = client(interaction)
        lang = lang_of(interaction)
        now = bot.clock.now()
        items: list[tuple[dt.datetime, str, str]] = []  # (instant, what, the date as shown)
        for show in await bot.store.tours.upcoming(now, limit=SHOWN):
            if show.starts_at > now:
                label = t(lang, "countdown.show", tour=bot.catalog.label(f"tour:{show.tour}", lang),
                          city=pick(lang, show.city, show.city_ko))
                items.append((show.starts_at, label, cards.show_when(show)))
        for song in await bot.store.songs.anniversaries_soon(now, limit=SHOWN):
            assert song.released is not None and song.zone is not None
            when, years = next_anniversary(song.released, song.zone, now)
            items.append((when, t(lang, "countdown.release_anniversary", title=pick(lang, song.title, song.title_ko),
                                  count=years), cards.day_stamp(when.astimezone(ZoneInfo(song.zone)).date())))
        for show in await bot.store.tours.milestones_soon(now, limit=SHOWN):
            when, years = next_anniversary(show.date, show.zone, now)
            items.append((when, t(lang, "countdown.show_anniversary", count=years,
                                  tour=bot.catalog.label(f"tour:{show.tour}", lang),
                                  city=pick(lang, show.city, show.city_ko)),
                          cards.day_stamp(when.astimezone(ZoneInfo(show.zone)).date())))
        items.sort(key=lambda item: item[0])
        lines = [f"{label}\n  {shown} · **{cards.stamp(when, 'R')}**" for when, label, shown in items[:SHOWN]]
        embed = discord.Embed(title=f"⏳ {t(lang, 'countdown.title')}",
                              description="\n".join(lines) if lines else t(lang, "countdown.none"),
                              colour=cards.COLOUR)
        embed.set_footer(text=t(lang, "countdown.footer"))
        await interaction.response.send_message(embed=fit_embed(embed))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Events(bot))
