"""Records -> embeds. Every embed passes through :func:`fit_embed`, so nothing here can break a payload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import discord

from bot.content.catalog import Catalog
from bot.content.model import Fact, Show, Song, Tour
from bot.db.store import PackSummary
from bot.i18n import pick, t
from bot.render.limits import EMBED_TOTAL, FIELD_VALUE, clip, fit_embed

COLOUR = discord.Colour.from_rgb(255, 196, 64)  # a warm lightstick yellow
ENDED = discord.Colour.from_rgb(150, 150, 170)


def stamp(instant: dt.datetime, style: str) -> str:
    """Discord's timestamp markup: every reader sees it in their own time zone and language."""
    return f"<t:{int(instant.timestamp())}:{style}>"


def day_stamp(day: dt.date) -> str:
    """A calendar date (no time known) as a timestamp that shows that same date from UTC-11 to UTC+11.

    Local midnight in Seoul is still the day before for every reader west of Korea, so a date-only
    event is anchored at midday UTC instead.
    """
    return stamp(dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc), "D")


def show_when(show: Show) -> str:
    """The full local date and time when the source gives a time; the calendar date when it doesn't."""
    return stamp(show.starts_at, "F") if show.time else day_stamp(show.date)


def fact_line(fact: Fact, lang: str) -> str:
    return f"• {pick(lang, fact.text, fact.text_ko)}"


def join_lines(lines: Sequence[str], limit: int, more: str) -> str:
    """Join lines within ``limit`` characters; ``more`` (with {count}) says how many were left out."""
    out: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        reserve = len(more) + 8 if index < len(lines) - 1 else 0
        if used + len(line) + 1 + reserve > limit:
            out.append(more.format(count=len(lines) - index))
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out)


def song_card(song: Song, facts: Sequence[Fact], tally: tuple[int, int], catalog: Catalog,
              lang: str) -> discord.Embed:
    """The song card; ``facts`` are the highlights shown (chart records, music video), ``tally`` is
    (facts about the song, source articles they come from)."""
    embed = discord.Embed(title=pick(lang, song.title, song.title_ko), colour=COLOUR)
    other = song.title if lang == "ko" and song.title_ko else song.title_ko
    if other:
        embed.description = f"*{discord.utils.escape_markdown(other)}*"
    artists = "\n".join(
        f"**{catalog.label(f'artist:{c.artist}', lang)}**: {t(lang, f'role.{c.role}')}" for c in song.credits
    )
    if artists:
        embed.add_field(name=t(lang, "song.artists"), value=artists, inline=True)
    if song.released_at is not None:
        embed.add_field(
            name=t(lang, "song.released"),
            value=f"{day_stamp(song.released) if song.released else ''} ({stamp(song.released_at, 'R')})",
            inline=True,
        )
    charts = [fact_line(f, lang) for f in facts if f.kind == "chart-record"]
    if charts:
        embed.add_field(name=t(lang, "song.charts"), value=join_lines(charts, FIELD_VALUE, "…"), inline=False)
    video = [fact_line(f, lang) for f in facts if f.kind == "music-video"]
    if video:
        shown, rest = video[:3], len(video) - 3
        value = "\n".join(shown) + (f"\n{t(lang, 'song.more_mv', count=rest)}" if rest > 0 else "")
        embed.add_field(name=t(lang, "song.mv"), value=clip(value, FIELD_VALUE), inline=False)
    count, _sources = tally
    embed.set_footer(text=t(lang, "song.footer", count=count) if count
                     else t(lang, "song.no_facts"))
    return fit_embed(embed)


def song_list(songs: Sequence[Song], page: int, pages: int, total: int, lang: str, offset: int) -> discord.Embed:
    if not songs:
        return discord.Embed(title=t(lang, "songs.title"), description=t(lang, "songs.empty"), colour=COLOUR)
    lines = []
    for number, song in enumerate(songs, start=offset + 1):
        extra = f" · {discord.utils.escape_markdown(song.title_ko)}" if song.title_ko else ""
        when = f" · {day_stamp(song.released)}" if song.released else ""
        lines.append(f"`{number:>3}` **{discord.utils.escape_markdown(song.title)}**{extra}{when}")
    embed = discord.Embed(title=t(lang, "songs.title"), description="\n".join(lines), colour=COLOUR)
    embed.set_footer(text=t(lang, "songs.page", page=page + 1, pages=pages, count=total))
    return fit_embed(embed)


def show_state(show: Show, now: dt.datetime, next_id: str | None) -> str:
    if show.id == next_id:
        return "next"
    return "played" if show.is_over(now) else "upcoming"


def show_line(show: Show, state: str, lang: str) -> str:
    when = show_when(show)
    place = pick(lang, show.city, show.city_ko)
    country = pick(lang, show.country, show.country_ko) if show.country else None
    venue = pick(lang, show.venue, show.venue_ko) if show.venue else None
    parts = [p for p in (place, country, venue) if p]
    return f"`{t(lang, f'tour.state.{state}')}` {when} · {', '.join(parts)}"


def next_show(shows: Sequence[Show], now: dt.datetime) -> Show | None:
    return next((s for s in shows if not s.is_over(now)), None)


def tour_card(tour: Tour, shows: Sequence[Show], catalog: Catalog, lang: str, now: dt.datetime,
              city: str | None = None) -> discord.Embed:
    upcoming = next_show(shows, now)
    embed = discord.Embed(title=pick(lang, tour.name, tour.name_ko), colour=COLOUR if upcoming else ENDED)
    embed.set_author(name=catalog.label(f"artist:{tour.artist}", lang))
    regions = tour.regions_ko if lang == "ko" and tour.regions_ko else tour.regions
    if regions:
        embed.add_field(name=t(lang, "tour.regions"), value=", ".join(regions), inline=False)
    if upcoming is not None:
        embed.add_field(
            name=t(lang, "tour.next"),
            value=f"{pick(lang, upcoming.city, upcoming.city_ko)}: {show_when(upcoming)} "
                  f"({stamp(upcoming.starts_at, 'R')})",
            inline=False,
        )
    for milestone, key in (("first", "tour.first"), ("finale", "tour.finale")):
        found = next((s for s in shows if s.milestone == milestone), None)
        if found:
            embed.add_field(name=t(lang, key), value=f"{pick(lang, found.city, found.city_ko)}: {show_when(found)}",
                            inline=True)
    listed = [s for s in shows if city is None or s.city == city]
    lines = [show_line(s, show_state(s, now, upcoming.id if upcoming else None), lang) for s in listed]
    shown_city = pick(lang, listed[0].city, listed[0].city_ko) if city and listed else city
    heading = t(lang, "tour.in_city", city=shown_city) if city else t(lang, "tour.dates")
    description = f"**{heading}**\n" + join_lines(lines, 3000, t(lang, "tour.more_dates", count="{count}"))
    if upcoming is None and shows:
        description = t(lang, "tour.ended", ago=stamp(shows[-1].starts_at, "R")) + "\n\n" + description
    embed.description = description
    return fit_embed(embed)


def tour_list(tours: Sequence[Tour], catalog: Catalog, lang: str) -> discord.Embed:
    if not tours:
        return discord.Embed(title=t(lang, "tours.title"), description=t(lang, "tours.empty"), colour=COLOUR)
    lines = [f"• **{pick(lang, tr.name, tr.name_ko)}** ({catalog.label(f'artist:{tr.artist}', lang)})"
             for tr in tours]
    embed = discord.Embed(title=t(lang, "tours.title"), description=join_lines(lines, 3500, "…") + "\n\n"
                          + t(lang, "tours.pick"), colour=COLOUR)
    return fit_embed(embed)


def fact_card(fact: Fact, catalog: Catalog, lang: str, note: str | None = None) -> discord.Embed:
    embed = discord.Embed(title=f"💡 {t(lang, 'fact.title')}", description=pick(lang, fact.text, fact.text_ko),
                          colour=COLOUR)
    embed.add_field(name=t(lang, "fact.about"),
                    value=", ".join(catalog.label(ref, lang) for ref in fact.about) or "—", inline=True)
    embed.add_field(name=t(lang, "fact.kind"), value=t(lang, f"kind.{fact.kind}"), inline=True)
    footer = t(lang, "fact.source", source=catalog.cite(fact.source, lang))
    embed.set_footer(text=f"{note} · {footer}" if note else footer)
    return fit_embed(embed)


def source_card(fact: Fact, catalog: Catalog, lang: str) -> discord.Embed:
    embed = discord.Embed(title=t(lang, "source.title"), description=pick(lang, fact.text, fact.text_ko),
                          colour=COLOUR)
    embed.add_field(name=t(lang, "source.quote"), value=f"> {clip(fact.quote or '', FIELD_VALUE - 3)}", inline=False)
    embed.add_field(name=t(lang, "source.article"),
                    value=f"{catalog.cite(fact.source, lang)}\n`seeds/{fact.source}`", inline=False)
    return fit_embed(embed)


def sources_pages(facts: Sequence[Fact], catalog: Catalog, lang: str, title: str) -> list[discord.Embed]:
    """Every fact's quote and article, split into pages that each fit one message."""
    pages: list[discord.Embed] = []
    current = discord.Embed(title=title, colour=COLOUR)
    for fact in facts:
        name = clip(pick(lang, fact.text, fact.text_ko), 256)
        citation = f"\n— {catalog.cite(fact.source, lang)}"
        value = clip(f"> {fact.quote}", FIELD_VALUE - len(citation)) + citation
        if len(current.fields) >= 8 or len(current) + len(name) + len(value) > EMBED_TOTAL - 200:
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


def behind_card(title: str, facts: Sequence[Fact], catalog: Catalog, lang: str) -> discord.Embed:
    embed = discord.Embed(title=t(lang, "behind.title", title=title), colour=COLOUR)
    if not facts:
        embed.description = t(lang, "behind.none")
    else:
        lines = [f"{fact_line(f, lang)} *({catalog.cite(f.source, lang, short=True)})*" for f in facts]
        embed.description = join_lines(lines, 4000, "…")
    return fit_embed(embed)


def about_card(version: str, packs: Sequence[PackSummary], sources: Sequence[tuple[str, int]], catalog: Catalog,
               lang: str) -> discord.Embed:
    embed = discord.Embed(title=t(lang, "about.title", version=version), description=t(lang, "about.description"),
                          colour=COLOUR)
    pack_lines = [
        t(lang, "about.pack_line", name=pick(lang, p.name, p.name_ko), songs=p.songs, tours=p.tours, shows=p.shows,
          facts=p.facts, questions=p.questions)
        for p in packs
    ]
    embed.add_field(name=t(lang, "about.packs"), value=join_lines(pack_lines, FIELD_VALUE, "…") or t(lang, "about.none"),
                    inline=False)
    if sources:
        source_lines = [t(lang, "about.source_line", source=catalog.cite(s, lang), file=s, count=n) for s, n in sources]
        embed.add_field(name=t(lang, "about.sources"), value=join_lines(source_lines, FIELD_VALUE, "…"), inline=False)
    return fit_embed(embed)
