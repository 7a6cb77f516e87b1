"""/countdown and /onthisday: what is coming up, and what happened on a day of the year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import discord

from bot.content.catalog import Catalog
from bot.content.dates import MonthDay, next_anniversary
from bot.content.model import Fact, Show, Song, local_day_end
from bot.i18n import pick, t
from bot.render.common import COLOUR, ENDED, day_text, join_lines, md, show_when, stamp, until
from bot.render.limits import echo, fit_embed
from bot.scheduler.model import ServerEvent

COUNTDOWN_SHOWN = 10  # entries in /countdown


def _tour(catalog: Catalog, show: Show, lang: str) -> str:
    return md(catalog.label(f"tour:{show.tour}", lang))


def countdown_card(
    shows: Sequence[Show],
    songs: Sequence[Song],
    milestones: Sequence[Show],
    catalog: Catalog,
    lang: str,
    now: dt.datetime,
    events: Sequence[ServerEvent] = (),
) -> discord.Embed:
    """Soonest first, at most :data:`COUNTDOWN_SHOWN` entries: ``shows`` that are not over (from
    ``store.tours.upcoming``), the next release anniversaries of ``songs`` and of first shows and finales
    (``milestones``), each at the start of its day in its own zone, and the server's own ``events`` that
    are not over (from ``store.server_events.upcoming``; names escaped)."""
    items: list[tuple[dt.datetime, str, str, str]] = []  # (instant, what, its date as shown, how far)
    for event in events:
        label = t(lang, "countdown.server_event", name=echo(event.name))
        shown = stamp(event.starts_at, "F") if event.time else day_text(event.day, lang)
        away = stamp(event.starts_at, "R") if event.starts_at > now else t(lang, "when.today")
        items.append((event.starts_at, label, shown, away))
    for show in shows:
        label = t(lang, "countdown.show", tour=_tour(catalog, show, lang), city=md(pick(lang, show.city, show.city_ko)))
        items.append((show.starts_at, label, show_when(show, lang), until(show, now, lang)))
    for song in songs:
        if song.released is None or song.zone is None:
            continue
        when, years = next_anniversary(song.released, song.zone, now)
        label = t(lang, "countdown.release_anniversary", title=md(pick(lang, song.title, song.title_ko)), count=years)
        items.append((when, label, day_text(when.astimezone(ZoneInfo(song.zone)).date(), lang), stamp(when, "R")))
    for show in milestones:
        when, years = next_anniversary(show.date, show.zone, now)
        label = t(
            lang,
            "countdown.show_anniversary",
            count=years,
            tour=_tour(catalog, show, lang),
            city=md(pick(lang, show.city, show.city_ko)),
        )
        items.append((when, label, day_text(when.astimezone(ZoneInfo(show.zone)).date(), lang), stamp(when, "R")))
    items.sort(key=lambda item: item[0])
    lines = [f"{label}\n  {shown} · **{away}**" for _when, label, shown, away in items[:COUNTDOWN_SHOWN]]
    embed = discord.Embed(
        title=f"⏳ {t(lang, 'countdown.title')}",
        description="\n".join(lines) if lines else t(lang, "countdown.none"),
        colour=COLOUR,
    )
    embed.set_footer(text=t(lang, "countdown.footer"))
    return fit_embed(embed)


def countdown_valid_until(
    shows: Sequence[Show],
    songs: Sequence[Song],
    milestones: Sequence[Show],
    now: dt.datetime,
    events: Sequence[ServerEvent] = (),
) -> dt.datetime:
    """The first instant after ``now`` at which :func:`countdown_card` of the same inputs could read
    differently: a show or server event starts (it becomes "today") or its own day ends (it leaves), an
    anniversary begins (the next one, a year on, takes its place), and at the latest an hour from now.
    Entries beyond the first ten only move up when one of these happens, so a card built at ``now`` is
    right until then."""
    moments = [now + dt.timedelta(hours=1)]
    for show in shows:
        moments += [show.starts_at, local_day_end(show.date, show.zone)]
    for song in songs:
        if song.released is not None and song.zone is not None:
            moments.append(next_anniversary(song.released, song.zone, now)[0])
    moments += [next_anniversary(show.date, show.zone, now)[0] for show in milestones]
    for event in events:
        moments += [event.starts_at, local_day_end(event.day, event.zone)]
    return min(moment for moment in moments if moment > now)


def onthisday_card(
    day: MonthDay,
    songs: Sequence[Song],
    shows: Sequence[Show],
    facts: Sequence[Fact],
    catalog: Catalog,
    lang: str,
    this_year: int,
    zone: str | None,
) -> tuple[discord.Embed, bool]:
    """What happened on ``day`` (of any year; of ``day.year`` only when it has one), oldest first.

    ``this_year`` is the reader's current year (for "2 years ago"); ``zone`` is named in the footer when
    the day is today's there (None when the reader picked a date). Returns the embed and whether anything
    happened (a quiet day is answered privately).
    """

    def ago(year: int) -> str:
        years = this_year - year
        return t(lang, "onthisday.years_ago", count=years) if years > 0 else t(lang, "onthisday.this_year")

    lines: list[tuple[dt.date, str]] = []  # (the date it happened, line)
    for song in songs:
        if song.released is not None:
            title = md(pick(lang, song.title, song.title_ko))
            lines.append(
                (
                    song.released,
                    f"{t(lang, 'onthisday.release', title=title)} · {song.released.year} ({ago(song.released.year)})",
                )
            )
    for show in shows:
        what = t(lang, "onthisday.show", tour=_tour(catalog, show, lang), city=md(pick(lang, show.city, show.city_ko)))
        lines.append((show.date, f"{what} · {show.date.year} ({ago(show.date.year)})"))
    for fact in facts:
        if fact.date is not None:
            lines.append(
                (
                    fact.date,
                    f"💡 {md(pick(lang, fact.text, fact.text_ko))} · {fact.date.year} "
                    f"({ago(fact.date.year)}) *({md(catalog.cite(fact.source, lang, short=True))})*",
                )
            )
    if day.year is not None:  # a full date asks about that very day
        lines = [(when, line) for when, line in lines if when.year == day.year]
    lines.sort()  # by date, then by line
    title = t(lang, "onthisday.title", day=day.label(lang))
    if lines:
        embed = discord.Embed(
            title=title, description=join_lines([line for _day, line in lines], 4000, "…"), colour=COLOUR
        )
    else:  # nothing to share
        embed = discord.Embed(title=title, description=t(lang, "onthisday.none", day=day.label(lang)), colour=ENDED)
    if zone is not None:
        # Korean readers default to Seoul's today; any other zone is one their server chose (/config timezone)
        key = "onthisday.today_in_zone" if lang == "ko" and zone != "Asia/Seoul" else "onthisday.today_in"
        embed.set_footer(text=t(lang, key, day=day.label(lang), zone=zone))
    return fit_embed(embed), bool(lines)
