"""/about: the version, the packs loaded and the articles every fact comes from."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.content.catalog import Catalog
from bot.i18n import pick, t
from bot.records import PackSummary
from bot.render.common import COLOUR, join_lines, md
from bot.render.limits import FIELD_VALUE, fit_embed


def about_card(
    version: str, packs: Sequence[PackSummary], sources: Sequence[tuple[str, int]], catalog: Catalog, lang: str
) -> discord.Embed:
    """``sources`` are (seed file, how many facts cite it), in the order to list them."""
    embed = discord.Embed(
        title=t(lang, "about.title", version=version), description=t(lang, "about.description"), colour=COLOUR
    )
    pack_lines = [
        t(
            lang,
            "about.pack_line",
            name=md(pick(lang, p.name, p.name_ko)),
            songs=p.songs,
            tours=p.tours,
            shows=p.shows,
            facts=p.facts,
            questions=p.questions,
        )
        for p in packs
    ]
    embed.add_field(
        name=t(lang, "about.packs"),
        value=join_lines(pack_lines, FIELD_VALUE, "…") or t(lang, "about.none"),
        inline=False,
    )
    if sources:
        source_lines = [
            t(lang, "about.source_line", source=md(catalog.cite(s, lang)), file=s, count=n) for s, n in sources
        ]
        embed.add_field(name=t(lang, "about.sources"), value=join_lines(source_lines, FIELD_VALUE, "…"), inline=False)
    return fit_embed(embed)
