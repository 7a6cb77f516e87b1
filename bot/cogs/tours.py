"""/tour: every date of a tour, what's next, the first show and the finale."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import Interaction, TourParam, _, resolve
from bot.content.model import Tour
from bot.i18n import lang_of
from bot.render import tours as render
from bot.render.common import md
from bot.render.events import countdown_valid_until
from bot.render.limits import CHOICES, choice_name

if TYPE_CHECKING:
    from bot.app import Lightstick


def _chosen_tour(interaction: Interaction) -> str | None:
    """The tour already picked in the same command, so city choices can be narrowed to it."""
    picked = getattr(interaction.namespace, "name", None)
    catalog = interaction.client.catalog
    if isinstance(picked, str) and picked:
        if catalog.knows(picked, "tour"):
            return picked.partition(":")[2]
        found = catalog.tours.resolve(picked)
        return found.key.partition(":")[2] if found else None
    return None


class Tours(commands.Cog):
    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot

    @app_commands.command(name=_("tour"), description=_("A tour's dates, what's next, first show and finale"))
    @app_commands.describe(name=_("Tour name; leave empty to see them all"), city=_("Only the shows in this city"))
    async def tour(
        self,
        interaction: Interaction,
        name: app_commands.Transform[Tour, TourParam] | None = None,
        city: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        catalog, store = self.bot.catalog, self.bot.store
        lang = lang_of(interaction)
        tour = name
        if tour is None and city is not None:
            key = resolve(
                interaction, catalog.all_cities, city, "show", "error.not_found.city_any", hint="error.try_tours"
            )
            tour = await store.tours.get(catalog.show_tour[key])
        if tour is None:
            tours = await store.tours.all()
            if len(tours) != 1:
                await interaction.response.send_message(embed=render.tour_list(tours, catalog, lang), ephemeral=True)
                return
            tour = tours[0]
        city_name = None
        if city is not None:
            key = resolve(
                interaction,
                catalog.city_matcher(tour.id),
                city,
                "show",
                "error.not_found.city",
                hint="error.try_tours",
                tour=md(catalog.label(f"tour:{tour.id}", lang)),
            )
            city_name = catalog.label(key)
        now = self.bot.clock.now()
        chosen = tour

        async def build() -> tuple[discord.Embed, dt.datetime]:
            shows = await store.tours.shows(chosen.id)
            # right until one of its shows starts or its own day ends (played / next / upcoming move on)
            return (
                render.tour_card(chosen, shows, catalog, lang, now, city=city_name),
                countdown_valid_until(shows, (), (), now),
            )

        embed = await self.bot.cards.get_timed(catalog, ("tour", tour.id, city_name, lang), now, build)
        await interaction.response.send_message(embed=embed)

    @tour.autocomplete("city")
    async def city_autocomplete(self, interaction: Interaction, value: str) -> list[app_commands.Choice[str]]:
        catalog = self.bot.catalog
        lang = lang_of(interaction)
        matcher = catalog.city_matcher(_chosen_tour(interaction))
        # Several shows can share a city, so cities are answered by (English) name, once each.
        seen: dict[str, app_commands.Choice[str]] = {}
        for match in matcher.complete(value or "", limit=50):
            english = catalog.label(match.key)
            if english not in seen:
                seen[english] = app_commands.Choice(
                    name=choice_name(catalog.label(match.key, lang)), value=english[:100]
                )
        return list(seen.values())[:CHOICES]


async def setup(bot: Lightstick) -> None:
    await bot.add_cog(Tours(bot))
