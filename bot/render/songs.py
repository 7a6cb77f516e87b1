"""Songs: the song card, the song list and behind the scenes."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.content.catalog import Catalog
from bot.content.model import Fact, Song
from bot.i18n import pick, t
from bot.render.common import COLOUR, day_text, join_lines, md, stamp
from bot.render.limits import FIELD_VALUE, clip, fit_embed


def fact_line(fact: Fact, lang: str) -> str:
    """A fact as a bullet line (escaped)."""
    return f"• {md(pick(lang, fact.text, fact.text_ko))}"


def song_card(song: Song, facts: Sequence[Fact], tally: tuple[int, int], catalog: Catalog, lang: str) -> discord.Embed:
    """The song card; ``facts`` are the highlights shown (chart records, music video), ``tally`` is
    (facts about the song, source articles they come from)."""
    embed = discord.Embed(title=md(pick(lang, song.title, song.title_ko)), colour=COLOUR)
    other = song.title if lang == "ko" and song.title_ko else song.title_ko
    if other:
        embed.description = f"*{md(other)}*"
    artists = "\n".join(
        f"**{md(catalog.label(f'artist:{c.artist}', lang))}**: {t(lang, f'role.{c.role}')}" for c in song.credits
    )
    if artists:
        embed.add_field(name=t(lang, "song.artists"), value=artists, inline=True)
    if song.released is not None and song.released_at is not None:
        embed.add_field(
            name=t(lang, "song.released"),
            value=f"{day_text(song.released, lang)} ({stamp(song.released_at, 'R')})",
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
    embed.set_footer(text=t(lang, "song.footer", count=count) if count else t(lang, "song.no_facts"))
    return fit_embed(embed)


def song_list(songs: Sequence[Song], page: int, pages: int, total: int, lang: str, offset: int) -> discord.Embed:
    """One page of the song list: ``page`` counts from 0, ``offset`` is the number of songs before it."""
    if not songs:
        return discord.Embed(title=t(lang, "songs.title"), description=t(lang, "songs.empty"), colour=COLOUR)
    lines = []
    for number, song in enumerate(songs, start=offset + 1):
        extra = f" · {md(song.title_ko)}" if song.title_ko else ""
        when = f" · {day_text(song.released, lang)}" if song.released else ""
        lines.append(f"`{number:>3}` **{md(song.title)}**{extra}{when}")
    embed = discord.Embed(title=t(lang, "songs.title"), description="\n".join(lines), colour=COLOUR)
    embed.set_footer(text=t(lang, "songs.page", page=page + 1, pages=pages, count=total))
    return fit_embed(embed)


def behind_card(title: str, facts: Sequence[Fact], catalog: Catalog, lang: str) -> discord.Embed:
    """Behind-the-scenes notes about the song called ``title`` (raw pack text; escaped here)."""
    embed = discord.Embed(title=t(lang, "behind.title", title=md(title)), colour=COLOUR)
    if not facts:
        embed.description = t(lang, "behind.none")
    else:
        lines = [f"{fact_line(f, lang)} *({md(catalog.cite(f.source, lang, short=True))})*" for f in facts]
        embed.description = join_lines(lines, 4000, "…")
    return fit_embed(embed)
