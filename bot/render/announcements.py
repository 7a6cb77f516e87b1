"""Announcement embeds: countdowns, anniversaries and the /config test sample, in the server's language.

Times use Discord's markup so every reader sees their own time zone: a timed date as ``<t:…:F>`` and
``<t:…:R>``; a date-only one as its calendar date (:func:`bot.render.common.day_text`), never a
midnight-UTC instant that would show the day before west of UTC. Text typed by a moderator (an event's
name, city, venue) is escaped, so mentions and markdown in it stay inert.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import discord

from bot.content.catalog import Catalog
from bot.content.model import Show, Song
from bot.i18n import pick, t
from bot.render.common import COLOUR, day_text, join_lines, stamp
from bot.render.limits import EMBED_DESCRIPTION, FIELD_VALUE, clip, echo, fit_embed
from bot.scheduler.due import parse_milestones
from bot.scheduler.model import ServerEvent

QUOTE = 300  # characters of a source quote shown under an announcement
EVENTS_PER_PAGE = 10  # /event list: dates a page at most (fewer when long names would pass the limit)


@dataclasses.dataclass(frozen=True)
class Subject:
    """What an announcement is about: a pack show, a server event or a song (exactly one is set)."""

    show: Show | None = None
    event: ServerEvent | None = None
    song: Song | None = None


@dataclasses.dataclass(frozen=True)
class Late:
    """Why a post goes out more than 15 minutes after ``due`` (UTC): the bot was down (``retried`` False) or
    it was online and Discord didn't take the post earlier (a 429, a 5xx, a channel since fixed)."""

    due: dt.datetime
    retried: bool = False

    def line(self, lang: str) -> str:
        return t(lang, "ann.late.retried" if self.retried else "ann.late", when=stamp(self.due, "f"))


def subject_name(subject: Subject, catalog: Catalog, lang: str) -> str:
    """What an announcement is about, as one line (moderator-typed names escaped)."""
    if subject.show is not None:
        show = subject.show
        return t(
            lang,
            "ann.show_name",
            tour=catalog.label(f"tour:{show.tour}", lang),
            city=pick(lang, show.city, show.city_ko),
        )
    if subject.event is not None:
        return echo(subject.event.name, 200)
    assert subject.song is not None
    return pick(lang, subject.song.title, subject.song.title_ko)


def _when(day: dt.date, start: dt.datetime | None, lang: str) -> str:
    if start is None:
        return day_text(day, lang)
    return f"{stamp(start, 'F')} · {stamp(start, 'R')}"


def _countdown_title(step_text: str, name: str, timed: bool, lang: str) -> str:
    step = parse_milestones(step_text)[0]
    if step.amount == 0:
        return t(lang, "ann.title.now" if timed else "ann.title.today", name=name)
    unit = {"d": "days", "h": "hours", "m": "minutes"}[step.unit]
    return t(lang, f"ann.title.{unit}", count=step.amount, name=name)


def _place_fields(embed: discord.Embed, subject: Subject, lang: str) -> None:
    if subject.show is not None:
        show = subject.show
        city = pick(lang, show.city, show.city_ko)
        country = pick(lang, show.country or "", show.country_ko) if show.country else ""
        embed.add_field(name=t(lang, "ann.where"), value=f"{city}, {country}" if country else city)
        if show.venue:
            embed.add_field(name=t(lang, "ann.venue"), value=pick(lang, show.venue, show.venue_ko))
    elif subject.event is not None:
        if subject.event.city:
            embed.add_field(name=t(lang, "ann.where"), value=echo(subject.event.city, 200))
        if subject.event.venue:
            embed.add_field(name=t(lang, "ann.venue"), value=echo(subject.event.venue, 200))


def _source(embed: discord.Embed, subject: Subject, catalog: Catalog, lang: str) -> None:
    record = subject.show or subject.song
    if record is not None and record.source and record.quote:
        embed.add_field(
            name=t(lang, "ann.source"),
            value=f"“{clip(record.quote, QUOTE)}”\n— {catalog.cite(record.source, lang)}",
            inline=False,
        )
    elif subject.event is not None:
        embed.set_footer(text=t(lang, "ann.footer.event"))


def countdown(step_text: str, subject: Subject, catalog: Catalog, lang: str, late: Late | None = None) -> discord.Embed:
    """A countdown post: "⏳ 7 days to go: …" with when, where, venue and the source of the date.
    ``late`` adds a line saying when it was due and why it is posted late."""
    if subject.show is not None:
        day, start = subject.show.date, subject.show.starts_at if subject.show.time else None
    else:
        assert subject.event is not None
        day, start = subject.event.day, subject.event.starts_at if subject.event.time else None
    name = subject_name(subject, catalog, lang)
    embed = discord.Embed(title=_countdown_title(step_text, name, start is not None, lang), colour=COLOUR)
    lines = [f"**{t(lang, 'ann.when')}:** {_when(day, start, lang)}"]
    if late is not None:
        lines.append(late.line(lang))
    embed.description = "\n".join(lines)
    _place_fields(embed, subject, lang)
    _source(embed, subject, catalog, lang)
    return fit_embed(embed)


def anniversary(
    years: int, kind: str, subject: Subject, catalog: Catalog, lang: str, late: Late | None = None
) -> discord.Embed:
    """An anniversary post: a release (``kind`` "release") or a tour's first show / finale."""
    if subject.song is not None:
        song = subject.song
        title = t(lang, "ann.anniv.release", title=subject_name(subject, catalog, lang), count=years)
        assert song.released is not None
        day = song.released
    else:
        assert subject.show is not None
        show = subject.show
        title = t(
            lang,
            f"ann.anniv.{kind}",
            count=years,
            tour=catalog.label(f"tour:{show.tour}", lang),
            city=pick(lang, show.city, show.city_ko),
        )
        day = show.date
    embed = discord.Embed(title=title, colour=COLOUR)
    lines = [f"**{t(lang, 'ann.on')}:** {day_text(day, lang)}"]
    if late is not None:
        lines.append(late.line(lang))
    embed.description = "\n".join(lines)
    if subject.show is not None:
        _place_fields(embed, subject, lang)
    _source(embed, subject, catalog, lang)
    return fit_embed(embed)


def sample(channel_mention: str, lang: str) -> discord.Embed:
    """/config test: what an announcement looks like, saying that nobody was pinged."""
    embed = discord.Embed(
        title=t(lang, "ann.test.title"), description=t(lang, "ann.test.body", channel=channel_mention), colour=COLOUR
    )
    return fit_embed(embed)


def settings_card(
    settings: list[tuple[str, str]],
    upcoming: list[str],
    problems: list[str],
    lang: str,
    missed: list[str] | None = None,
) -> discord.Embed:
    """/config show: each setting as (message key suffix, value shown), the next posts, delivery problems and,
    when there are any, the posts recently missed (one line each, already rendered). Lines that would pass a
    field's 1,024 characters are left out whole and counted ("…and 2 more."), never cut in the middle."""
    embed = discord.Embed(title=t(lang, "config.show.title"), colour=COLOUR)
    for key, value in settings:
        embed.add_field(name=t(lang, f"config.show.{key}"), value=value)
    more = t(lang, "config.show.more", count="{count}")
    embed.add_field(
        name=t(lang, "config.show.next"),
        value=join_lines(upcoming, FIELD_VALUE, more) or t(lang, "config.show.nothing"),
        inline=False,
    )
    embed.add_field(
        name=t(lang, "config.show.problems"),
        value=join_lines(problems, FIELD_VALUE, more) or t(lang, "config.show.ok"),
        inline=False,
    )
    if missed:
        embed.add_field(name=t(lang, "config.show.missed"), value=join_lines(missed, FIELD_VALUE, more), inline=False)
    return fit_embed(embed)


def upcoming_card(lines: list[str], lang: str) -> discord.Embed:
    """The server's next announcements (the "Upcoming" button), one rendered line each."""
    embed = discord.Embed(
        title=t(lang, "ann.upcoming.title"), description="\n".join(lines) or t(lang, "ann.upcoming.none"), colour=COLOUR
    )
    return fit_embed(embed)


def events_pages(lines: list[str], lang: str) -> list[discord.Embed]:
    """/event list: the server's dates, one rendered line each, soonest first, in pages of at most
    :data:`EVENTS_PER_PAGE` lines that each fit an embed description (4,096 characters), so no date is ever
    cut off; at least one page. Footer: "Page 2 of 7 · 64 dates"."""
    chunks: list[list[str]] = []
    for line in lines:
        last = chunks[-1] if chunks else []
        if chunks and len(last) < EVENTS_PER_PAGE and len("\n".join([*last, line])) <= EMBED_DESCRIPTION:
            last.append(line)
        else:
            chunks.append([line])
    if not chunks:
        return [discord.Embed(title=t(lang, "event.list.title"), description=t(lang, "event.list.none"), colour=COLOUR)]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        embed = discord.Embed(title=t(lang, "event.list.title"), description="\n".join(chunk), colour=COLOUR)
        embed.set_footer(text=t(lang, "event.list.page", page=number, pages=len(chunks), count=len(lines)))
        pages.append(fit_embed(embed))
    return pages
