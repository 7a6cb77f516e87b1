"""Tours: the tour card with every date and its state, and the list of tours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import discord

from bot.content.catalog import Catalog
from bot.content.model import Show, Tour
from bot.i18n import pick, t
from bot.render.common import COLOUR, ENDED, join_lines, md, show_when, stamp, until
from bot.render.limits import fit_embed


def show_state(show: Show, now: dt.datetime, next_id: str | None) -> str:
    """ "next", "played" (its local day is over) or "upcoming"."""
    if show.id == next_id:
        return "next"
    return "played" if show.is_over(now) else "upcoming"


def show_line(show: Show, state: str, lang: str) -> str:
    place = pick(lang, show.city, show.city_ko)
    country = pick(lang, show.country, show.country_ko) if show.country else None
    venue = pick(lang, show.venue, show.venue_ko) if show.venue else None
    parts = [md(p) for p in (place, country, venue) if p]
    return f"`{t(lang, f'tour.state.{state}')}` {show_when(show, lang)} · {', '.join(parts)}"


def next_show(shows: Sequence[Show], now: dt.datetime) -> Show | None:
    """The first show (in start order) that isn't over: today's show until its local day ends."""
    return next((s for s in shows if not s.is_over(now)), None)


def tour_card(
    tour: Tour, shows: Sequence[Show], catalog: Catalog, lang: str, now: dt.datetime, city: str | None = None
) -> discord.Embed:
    """A tour and its ``shows`` (in start order); ``city`` (English name) lists only the shows there."""
    upcoming = next_show(shows, now)
    embed = discord.Embed(title=md(pick(lang, tour.name, tour.name_ko)), colour=COLOUR if upcoming else ENDED)
    embed.set_author(name=catalog.label(f"artist:{tour.artist}", lang))  # author names show no markdown
    regions = tour.regions_ko if lang == "ko" and tour.regions_ko else tour.regions
    if regions:
        embed.add_field(name=t(lang, "tour.regions"), value=", ".join(md(r) for r in regions), inline=False)
    if upcoming is not None:
        embed.add_field(
            name=t(lang, "tour.next"),
            value=f"{md(pick(lang, upcoming.city, upcoming.city_ko))}: {show_when(upcoming, lang)} "
            f"({until(upcoming, now, lang)})",
            inline=False,
        )
    for milestone, key in (("first", "tour.first"), ("finale", "tour.finale")):
        found = next((s for s in shows if s.milestone == milestone), None)
        if found:
            embed.add_field(
                name=t(lang, key),
                value=f"{md(pick(lang, found.city, found.city_ko))}: {show_when(found, lang)}",
                inline=True,
            )
    listed = [s for s in shows if city is None or s.city == city]
    lines = [show_line(s, show_state(s, now, upcoming.id if upcoming else None), lang) for s in listed]
    shown_city = pick(lang, listed[0].city, listed[0].city_ko) if city and listed else city
    heading = t(lang, "tour.in_city", city=md(shown_city)) if shown_city else t(lang, "tour.dates")
    description = f"**{heading}**\n" + join_lines(lines, 3000, t(lang, "tour.more_dates", count="{count}"))
    if upcoming is None and shows:
        description = t(lang, "tour.ended", ago=stamp(shows[-1].starts_at, "R")) + "\n\n" + description
    embed.description = description
    return fit_embed(embed)


def tour_list(tours: Sequence[Tour], catalog: Catalog, lang: str) -> discord.Embed:
    """Every tour with its artist, and how to pick one."""
    if not tours:
        return discord.Embed(title=t(lang, "tours.title"), description=t(lang, "tours.empty"), colour=COLOUR)
    lines = [
        f"• **{md(pick(lang, tour.name, tour.name_ko))}** ({md(catalog.label(f'artist:{tour.artist}', lang))})"
        for tour in tours
    ]
    embed = discord.Embed(
        title=t(lang, "tours.title"),
        description=join_lines(lines, 3500, "…") + "\n\n" + t(lang, "tours.pick"),
        colour=COLOUR,
    )
    return fit_embed(embed)
