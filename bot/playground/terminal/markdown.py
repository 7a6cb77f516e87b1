"""Discord's markdown as a terminal shows it: a :class:`rich.text.Text` with styles, or plain text for pipes.

The rules follow Discord's client (https://support.discord.com/hc/en-us/articles/210298617):

* a backslash before ASCII punctuation makes that character literal, and this comes before everything
  else, so ``\\*\\*bold\\*\\*`` reads ``**bold**`` and is not bold;
* inline: ``**bold**``, ``*italic*`` / ``_italic_`` (underscores only at word edges), ``__underline__``,
  ``~~strike~~``, ``||spoiler||``, ```code``` (nothing inside is formatted), ``[text](url)`` links;
* line starts: ``# ``/``## ``/``### `` headings, ``-# `` subtext, ``> `` and ``>>> `` quotes, and fenced
  code blocks;
* ``<@id>``, ``<@&id>``, ``<#id>``, ``</name:id>``, ``<:emoji:id>`` and ``<t:unix:style>`` are drawn as the
  reader's client would (names, local times).

Plain output (a pipe or a file) keeps the words and drops the emphasis; a spoiler reads ``[spoiler: …]``
so a script can still see that it was hidden.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import string
from collections.abc import Callable

from rich.style import Style
from rich.text import Text

from .timefmt import render_timestamps

ESCAPABLE = frozenset(string.punctuation)

BOLD = Style(bold=True)
ITALIC = Style(italic=True)
UNDERLINE = Style(underline=True)
STRIKE = Style(strike=True)
SPOILER = Style(color="grey70", bgcolor="grey23")
CODE = Style(color="cyan")
ACCENT = Style(color="cyan")
DIM = Style(dim=True)
HEADING = Style(bold=True)
QUOTE_BAR = "▎ "

# inline delimiters in the order they are tried at one position (longest first)
_DELIMITERS: tuple[tuple[str, Style], ...] = (
    ("**", BOLD),
    ("__", UNDERLINE),
    ("~~", STRIKE),
    ("||", SPOILER),
    ("*", ITALIC),
    ("_", ITALIC),
)
_ANGLE = re.compile(
    r"<(@[!&]?|#)(\d{1,20})>|</([\w\- ]{1,100}):\d{1,20}>|<a?:(\w{1,32}):\d{1,20}>|<t:-?\d{1,13}(?::[tTdDfFsSR])?>"
)
_LINK = re.compile(r"\[([^\]\n]+)\]\(<?(https?://[^)\s>]+)>?\)")


@dataclasses.dataclass
class MarkdownContext:
    """What drawing markdown needs from the world: the time, the reader's zone and language, names for ids."""

    now: dt.datetime
    tz: dt.tzinfo | None = None
    lang: str = "en"
    names: Callable[[str, int], str | None] = lambda _kind, _id: None  # kind: user, role, channel
    plain: bool = True  # no styles: spoilers get a visible marker


def markdown_text(source: str, ctx: MarkdownContext, base: Style | None = None) -> Text:
    """``source`` (Discord markdown) as a styled :class:`Text`; ``Text.plain`` is what a pipe shows."""
    out = Text(style=base or "")
    lines = source.split("\n")
    i = 0
    in_quote_block = False
    while i < len(lines):
        line = lines[i]
        if i:
            out.append("\n")
        if line.lstrip().startswith("```"):
            i = _code_block(lines, i, out)
            continue
        if line.startswith(">>> "):
            in_quote_block, line = True, line[4:]
        if in_quote_block or line.startswith("> "):
            out.append(QUOTE_BAR if not ctx.plain else "» ", style=DIM)
            line = line[2:] if line.startswith("> ") and not in_quote_block else line
        _line(line, ctx, out)
        i += 1
    return out


def _code_block(lines: list[str], start: int, out: Text) -> int:
    """A fenced block from ``lines[start]``: its body verbatim in the code style; returns the next index."""
    first = lines[start].lstrip()[3:]
    if first.rstrip().endswith("```") and len(first.rstrip()) >= 3:  # ```one line```
        out.append(first.rstrip()[:-3], style=CODE)
        return start + 1
    body: list[str] = [] if re.fullmatch(r"\w*", first.strip()) else [first]
    i = start + 1
    while i < len(lines):
        if lines[i].rstrip().endswith("```"):
            body.append(lines[i].rstrip()[:-3])
            i += 1
            break
        body.append(lines[i])
        i += 1
    out.append("\n".join(line for line in body), style=CODE)
    return i


def _line(line: str, ctx: MarkdownContext, out: Text) -> None:
    heading = re.match(r"(#{1,3}) (?=\S)", line)
    if heading:
        out.append_text(_inline(line[heading.end() :], ctx, HEADING))
        return
    if line.startswith("-# "):
        out.append_text(_inline(line[3:], ctx, DIM))
        return
    bullet = re.match(r"(\s*)[-*] (?=\S)", line)
    if bullet:
        out.append(bullet[1] + "• ")
        line = line[bullet.end() :]
    out.append_text(_inline(line, ctx, None))


def _inline(text: str, ctx: MarkdownContext, style: Style | None) -> Text:
    out = Text()
    plain_run: list[str] = []

    def flush() -> None:
        if plain_run:
            out.append("".join(plain_run), style=style or "")
            plain_run.clear()

    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPABLE:
            plain_run.append(text[i + 1])
            i += 2
            continue
        taken = _special(text, i, ctx, style)
        if taken is not None:
            flush()
            piece, i = taken
            out.append_text(piece)
            continue
        plain_run.append(char)
        i += 1
    flush()
    return out


def _special(text: str, i: int, ctx: MarkdownContext, style: Style | None) -> tuple[Text, int] | None:
    """A code span, mention, timestamp, link or emphasis starting at ``i``: (drawn, index after), or None."""
    char = text[i]
    if char == "`":
        return _code_span(text, i, style)
    if char == "<":
        match = _ANGLE.match(text, i)
        if match:
            return _angle(match, ctx, style), match.end()
    if char == "[":
        match = _LINK.match(text, i)
        if match:
            drawn = _inline(match[1], ctx, _combine(style, UNDERLINE))
            drawn.append(f" <{match[2]}>", style=_combine(style, DIM))
            return drawn, match.end()
    for delimiter, added in _DELIMITERS:
        if text.startswith(delimiter, i):
            end = _closing(text, i + len(delimiter), delimiter)
            if end is None or not _opens(text, i, delimiter):
                continue
            inner = _inline(text[i + len(delimiter) : end], ctx, _combine(style, added))
            if delimiter == "||" and ctx.plain:
                inner = Text.assemble("[spoiler: ", inner, "]")
            return inner, end + len(delimiter)
    return None


def _opens(text: str, i: int, delimiter: str) -> bool:
    """Single ``*``/``_`` must be followed by a non-space; ``_`` must not sit inside a word (snake_case)."""
    after = text[i + len(delimiter) : i + len(delimiter) + 1]
    if not after or after.isspace():
        return delimiter not in ("*", "_")
    return not (delimiter == "_" and i > 0 and text[i - 1].isalnum())


def _closing(text: str, start: int, delimiter: str) -> int | None:
    """Index of the delimiter that closes one opened before ``start``; escapes and code spans are skipped."""
    j = start
    while j < len(text):
        if text[j] == "\\" and j + 1 < len(text) and text[j + 1] in ESCAPABLE:
            j += 2
            continue
        if text[j] == "`":
            span = _code_span(text, j, None)
            if span is not None:
                j = span[1]
                continue
        if text.startswith(delimiter, j) and j > start:
            if delimiter in ("*", "_"):
                if text[j - 1].isspace():
                    j += 1
                    continue
                if text.startswith(delimiter * 2, j):  # part of ** or __ inside: skip the pair
                    j += 2
                    continue
                if delimiter == "_" and j + 1 < len(text) and text[j + 1].isalnum():
                    j += 1
                    continue
            while text.startswith(delimiter[0], j + len(delimiter)):  # ***x***: ** closes at the end of the run
                j += 1
            return j
        j += 1
    return None


def _code_span(text: str, i: int, style: Style | None) -> tuple[Text, int] | None:
    run = len(text[i:]) - len(text[i:].lstrip("`"))
    end = text.find("`" * run, i + run)
    if end <= i + run - 1 or end == -1:
        return None
    body = text[i + run : end]
    if run > 1:
        body = body.strip(" ")
    return Text(body, style=_combine(style, CODE)), end + run


def _angle(match: re.Match[str], ctx: MarkdownContext, style: Style | None) -> Text:
    accent = _combine(style, ACCENT)
    if match[0].startswith("<t:"):
        return Text(render_timestamps(match[0], ctx.now, ctx.tz, ctx.lang), style=style or "")
    if match[3]:
        return Text("/" + match[3], style=accent)
    if match[4]:
        return Text(f":{match[4]}:", style=style or "")
    kind = {"@": "user", "@!": "user", "@&": "role", "#": "channel"}[match[1]]
    name = ctx.names(kind, int(match[2]))
    prefix = "#" if kind == "channel" else "@"
    return Text(prefix + (name or f"unknown-{kind}"), style=accent)


def _combine(style: Style | None, added: Style) -> Style:
    return added if style is None else style + added
