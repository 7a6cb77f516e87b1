"""/tour: every date of a tour, what's next, the first show and the finale."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import _, choices, client, resolve
from bot.content.model import Tour
from bot.errors import UserError
from bot.i18n import lang_of
from bot.render import cards
from bot.render.limits import CHOICES, choice_name


class TourParam(app_commands.Transformer):
    async def autocomplete(self, interaction: discord.Interaction[Any], value: str) -> list[app_commands.Choice[str]]:
        return choices(interaction, client(interaction).catalog.tours, value)

    async def transform(self, interaction: discord.Interaction[Any], value: str) -> Tour:
        bot = client(interaction)
        key = resolve(interaction, bot.catalog.tours, value, "tour", "error.not_found.tour", hint="error.try_tours")
        tour = await bot.store.tours.get(key.partition(":")[2])
        if tour is None:
            raise UserError("error.not_found.tour", query=bot.catalog.label(key))
        return tour


def _chosen_tour(interaction: discord.Interaction[Any]) -> str | None:
    """The tour already picked in the same command, so city choices can be narrowed to it."""
    picked = getattr(interaction.namespace, "name", None)
    catalog = client(interaction).catalog
    if isinstance(picked, str) and picked:
        if catalog.knows(picked, "tour"):
            return picked.partition(":")[2]
        found = catalog.tours.resolve(picked)
        return found.key.partition(":")[2] if found else None
    return None


class Tours(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name=_("tour"), description=_("A tour's dates, what's next, first show and finale"))
    @app_commands.describe(name=_("Tour name; leave empty to see them all"), city=_("Only the shows in this city"))
    async def tour(self, interaction: discord.Interaction[Any],
                   name: app_commands.Transform[Tour, TourParam] | None = None,
                   city: app_commands.Range[str, 1, 100] | None = None) -> None:
        bot = client(interaction)
        lang = lang_of(interaction)
        tour = name
        if tour is None and city is not None:
            key = resolve(interaction, bot.catalog.all_cities, city, "show", "error.not_found.city_any",
                          hint="error.try_tours")
            tour = await bot.store.tours.get(bot.catalog.show_tour[key])
        if tour is None:
            tours = await bot.store.tours.all()
            if len(tours) != 1:
                await interaction.response.send_message(embed=cards.tour_list(tours, bot.catalog, lang),
                                                        ephemeral=True)
                return
            tour = tours[0]
        city_name = None
        if city is not None:
            key = resolve(interaction, bot.catalog.city_matcher(tour.id), city, "show", "error.not_found.city",
                          hint="error.try_tours", tour=bot.catalog.label(f"tour:{tour.id}", lang))
            city_name = bot.catalog.label(key)
        shows = await bot.store.tours.shows(tour.id)
        embed = cards.tour_card(tour, shows, bot.catalog, lang, bot.clock.now(), city=city_name)
        await interaction.response.send_message(embed=embed)

    @tour.autocomplete("city")
    async def city_autocomplete(self, interaction: discord.Interaction[Any],
                                value: str) -> list[app_commands.Choice[str]]:
        catalog = client(interaction).catalog
        lang = lang_of(interaction)
        matcher = catalog.city_matcher(_chosen_tour(interaction))
        # Several shows can share a city, so cities are answered by (English) name, once each.
        seen: dict[str, app_commands.Choice[str]] = {}
        for match in matcher.complete(value or "", limit=50):
            english = catalog.label(match.key)
            if english not in seen:
                seen[english] = app_commands.Choice(name=choice_name(catalog.label(match.key, lang)), value=english[:100])
        return list(seen.values())[:CHOICES]


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Tours(bot))
