"""What every topic's rendering shares: colours, Discord's time markup, dates as text, escaping, line lists."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import discord

from bot.content.model import Show
from bot.i18n import t

COLOUR = discord.Colour.from_rgb(255, 196, 64)  # a warm lightstick yellow
ENDED = discord.Colour.from_rgb(150, 150, 170)

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_NUMBERED = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)


def md(text: str) -> str:
    """Pack or user text made inert inside Discord markdown (titles, descriptions, field names and values).

    Escapes emphasis, strikes, spoilers, code, quotes, headings, list markers and masked links
    (``discord.utils.escape_markdown``), plus ``<`` (mentions, timestamps, custom emoji) and numbered-list
    markers. Footers, author names, button labels and choice names are not markdown: don't use it there.
    """
    escaped = discord.utils.escape_markdown(text).replace("<", "\\<")
    return _NUMBERED.sub(r"\1\\.", escaped)


def stamp(instant: dt.datetime, style: str) -> str:
    """Discord's timestamp markup (``<t:UNIX:style>``): every reader sees it in their own zone and language."""
    return f"<t:{int(instant.timestamp())}:{style}>"


def day_text(day: dt.date, lang: str) -> str:
    """A calendar date with no time, as plain text in the reader's language ("January 24, 2024",
    "2024년 1월 24일").

    A date-only event happens on its own calendar date wherever the reader lives, so it is never a
    ``<t:...:D>`` (that shows the date of one instant in the reader's zone; issue 9, item 4).
    """
    if lang == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def show_when(show: Show, lang: str) -> str:
    """The full date and time in the reader's zone when the source gives a time; else the show's own date."""
    return stamp(show.starts_at, "F") if show.time else day_text(show.date, lang)


def until(show: Show, now: dt.datetime, lang: str) -> str:
    """How far away a show that isn't over is: ``<t:..:R>`` until it starts, then "today" until its own
    local day ends (issue 9, item 5: on its day a show is today, not "19 hours ago")."""
    return stamp(show.starts_at, "R") if show.starts_at > now else t(lang, "when.today")


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
