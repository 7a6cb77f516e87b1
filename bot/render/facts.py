"""Facts: the fact card, where a fact comes from, and the paged list of sources."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.content.catalog import Catalog
from bot.content.model import Fact
from bot.i18n import pick, t
from bot.render.common import COLOUR, md
from bot.render.limits import EMBED_TOTAL, FIELD_VALUE, clip, fit_embed

SOURCES_PER_PAGE = 8


def fact_card(fact: Fact, catalog: Catalog, lang: str, note: str | None = None) -> discord.Embed:
    """A fact with its subjects and kind; ``note`` (plain text) goes before the source in the footer."""
    embed = discord.Embed(
        title=f"💡 {t(lang, 'fact.title')}", description=md(pick(lang, fact.text, fact.text_ko)), colour=COLOUR
    )
    embed.add_field(
        name=t(lang, "fact.about"),
        value=", ".join(md(catalog.label(ref, lang)) for ref in fact.about) or "—",
        inline=True,
    )
    embed.add_field(name=t(lang, "fact.kind"), value=t(lang, f"kind.{fact.kind}"), inline=True)
    footer = t(lang, "fact.source", source=catalog.cite(fact.source, lang))  # footers show no markdown
    embed.set_footer(text=f"{note} · {footer}" if note else footer)
    return fit_embed(embed)


def source_card(fact: Fact, catalog: Catalog, lang: str) -> discord.Embed:
    """A fact, the verbatim quote it rests on and the article the quote is from (its citation, its dateline
    when the pack records one, and its seed file)."""
    embed = discord.Embed(
        title=t(lang, "source.title"), description=md(pick(lang, fact.text, fact.text_ko)), colour=COLOUR
    )
    embed.add_field(
        name=t(lang, "source.quote"), value=f"> {clip(md(fact.quote or ''), FIELD_VALUE - 3)}", inline=False
    )
    dateline = catalog.dateline(fact.source)
    embed.add_field(
        name=t(lang, "source.article"),
        value=f"{md(catalog.cite(fact.source, lang))}\n"
        + (f"{md(dateline)}\n" if dateline else "")
        + f"`seeds/{fact.source}`",
        inline=False,
    )
    return fit_embed(embed)


def sources_title(subject_label: str, lang: str) -> str:
    """The title of a sources list about ``subject_label`` (raw pack text)."""
    return f"📚 {t(lang, 'sources.title')}: {md(subject_label)}"


def sources_pages(facts: Sequence[Fact], catalog: Catalog, lang: str, title: str) -> list[discord.Embed]:
    """Every fact's quote and article, split into pages that each fit one message (at least one page).

    Each field: the quote, then ``— Publisher: “Title”``, followed by `` · <dateline>`` when the pack records
    the article's dateline (a claim's year may rest on it, issue 9 item 11)."""
    pages: list[discord.Embed] = []
    current = discord.Embed(title=title, colour=COLOUR)
    for fact in facts:
        name = clip(md(pick(lang, fact.text, fact.text_ko)), 256)
        dateline = catalog.dateline(fact.source)
        citation = f"\n— {md(catalog.cite(fact.source, lang))}" + (f" · {md(dateline)}" if dateline else "")
        value = clip(f"> {md(fact.quote or '')}", FIELD_VALUE - len(citation)) + citation
        if len(current.fields) >= SOURCES_PER_PAGE or len(current) + len(name) + len(value) > EMBED_TOTAL - 200:
            pages.append(current)
            current = discord.Embed(title=title, colour=COLOUR)
        current.add_field(name=name, value=value, inline=False)
    if current.fields or not pages:
        if not current.fields:
            current.description = t(lang, "sources.none")
        pages.append(current)
    for number, page in enumerate(pages, start=1):
        if len(pages) > 1:
            page.set_footer(text=f"{number}/{len(pages)}")
        fit_embed(page)
    return pages
