"""Messages, embeds, components and forms as a reader takes them in, for a terminal or for a pipe.

:func:`message_parts` turns one Discord message into parts (content, embeds, component rows, files);
:func:`render_rich` draws them with rich (embeds as panels in their colour, numbered buttons and menus), and
:func:`render` writes the same parts as plain lines for scripts (an embed's lines behind a ``|`` bar).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from rich.color import Color
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.text import Text

from bot.playground.emulator import walk_components

from .markdown import ACCENT, BOLD, DIM, MarkdownContext, markdown_text
from .timefmt import format_stamp

FLAG_EPHEMERAL, FLAG_LOADING = 1 << 6, 1 << 7
SELECT_TYPES = (3, 5, 6, 7, 8)
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
_SENTENCE_END = (".", "!", "?", ":", "。", "…")


@dataclasses.dataclass
class RenderContext:
    """What the renderer needs from the world: the clock, the reader's zone and language, names for ids."""

    now: dt.datetime
    tz: dt.tzinfo | None = None
    names: Callable[[str, int], str | None] = lambda _kind, _id: None  # kind: user, role, channel
    lang: str = "en"  # the reader's Discord language: timestamps are drawn by their client
    plain: bool = True  # for a pipe: no styles, spoilers marked

    def markdown(self, source: str | None, base: Style | None = None) -> Text:
        md = MarkdownContext(now=self.now, tz=self.tz, lang=self.lang, names=self.names, plain=self.plain)
        return markdown_text(source or "", md, base)


@dataclasses.dataclass
class EmbedPart:
    color: int | None
    lines: list[Text]


@dataclasses.dataclass
class MessageParts:
    notes: list[Text]  # "(only you can see this)", "(thinking...)"
    body: list[Text]  # content and v2 text displays, in order
    embeds: list[EmbedPart]
    rows: list[Text]  # numbered buttons and menus, one row each
    files: list[Text]


def buttons_of(message: dict | None) -> list[dict]:
    """Every button of a message, numbered from 1 in this order."""
    return [c for c in walk_components((message or {}).get("components")) if c.get("type") == 2]


def selects_of(message: dict | None) -> list[dict]:
    """Every select menu of a message, numbered from 1 in this order."""
    return [c for c in walk_components((message or {}).get("components")) if c.get("type") in SELECT_TYPES]


def message_parts(message: dict, ctx: RenderContext) -> MessageParts:
    flags = message.get("flags") or 0
    notes = []
    if flags & FLAG_EPHEMERAL:
        notes.append(Text("(only you can see this)", style=DIM))
    if flags & FLAG_LOADING:
        notes.append(Text("(Lightstick is thinking...)", style=DIM))
    body = [ctx.markdown(message["content"])] if message.get("content") else []
    embeds = [EmbedPart(e.get("color"), _embed_lines(e, ctx)) for e in message.get("embeds") or []]
    rows = _component_rows(message, ctx, body)
    files = [Text(f"[file] {a.get('filename')}", style=DIM) for a in message.get("attachments") or []]
    return MessageParts(notes, body, embeds, rows, files)


def _embed_lines(embed: dict, ctx: RenderContext) -> list[Text]:
    block: list[Text] = []
    if (embed.get("author") or {}).get("name"):  # Discord draws no markdown in an author name or a footer
        block.append(Text(embed["author"]["name"], style=DIM))
    if embed.get("title"):
        title = ctx.markdown(embed["title"], BOLD)
        if embed.get("url"):
            title.append(f"  <{embed['url']}>", style=DIM)
        block.append(title)
    if embed.get("description"):
        block.extend(ctx.markdown(embed["description"]).split("\n"))
    for field in embed.get("fields") or []:
        block.extend(_field_lines(field, ctx))
    if (embed.get("image") or {}).get("url"):
        block.append(Text(f"[image] {embed['image']['url']}", style=DIM))
    footer = (embed.get("footer") or {}).get("text")
    if footer or embed.get("timestamp"):
        stamp = ""
        if embed.get("timestamp"):
            with contextlib.suppress(ValueError):
                when = dt.datetime.fromisoformat(str(embed["timestamp"]).replace("Z", "+00:00"))
                stamp = format_stamp(when, "f", ctx.now, ctx.tz, ctx.lang)
        line = Text("-- ", style=DIM)
        line.append(footer or "", style=DIM)
        if stamp:
            line.append((" · " if footer else "") + stamp, style=DIM)
        block.append(line)
    return block


def _field_lines(field: dict, ctx: RenderContext) -> list[Text]:
    name = ctx.markdown(_INVISIBLE.sub("", field.get("name") or ""), BOLD)
    name.rstrip()
    value = ctx.markdown(field.get("value") or "").split("\n")
    if len(name.plain) > 40 or name.plain.rstrip().endswith(_SENTENCE_END):  # a sentence: its own line
        return [name] + [Text("  ").append_text(v) for v in value]
    if not name.plain.strip():
        return list(value)
    first = name.copy()
    first.append(": ")
    first.append_text(value[0])
    return [first] + [Text("  ").append_text(v) for v in value[1:]]


def _component_rows(message: dict, ctx: RenderContext, body: list[Text]) -> list[Text]:
    rows: list[Text] = []
    numbers = {"button": 0, "select": 0}
    for row in message.get("components") or []:
        parts: list[Text] = []
        for c in walk_components([row]):
            kind = c.get("type")
            if kind == 10:
                body.append(ctx.markdown(c.get("content", "")))
            elif kind == 2:
                numbers["button"] += 1
                parts.append(_button(c, numbers["button"]))
            elif kind in SELECT_TYPES:
                numbers["select"] += 1
                parts.append(_select(c, numbers["select"]))
        if parts:
            rows.append(Text("  ").join(parts))
    return rows


def _button(c: dict, number: int) -> Text:
    label = c.get("label") or (c.get("emoji") or {}).get("name") or "?"
    text = f"[{number}] {label}"
    if c.get("style") == 5:
        text += f" <{c.get('url')}>"
    return Text(text + " (disabled)", style=DIM) if c.get("disabled") else Text(text, style=ACCENT)


def _select(c: dict, number: int) -> Text:
    kind = c.get("type", 0)
    what = c.get("placeholder") or {5: "pick a member", 6: "pick a role", 7: "pick someone", 8: "pick a channel"}.get(
        kind, "choose"
    )
    text = Text(f"<menu {number}: {what}>", style=DIM if c.get("disabled") else ACCENT)
    options = c.get("options") or []
    if options:
        text.append(" " + " / ".join(f"{o.get('label')}" for o in options))
    return text


def render(message: dict | None, ctx: RenderContext) -> str:
    """A message as plain lines: content, embeds behind a ``|`` bar, numbered buttons and menus, files."""
    if not message:
        return ""
    parts = message_parts(message, ctx)
    lines = [t.plain for t in parts.notes]
    for text in parts.body:
        lines.extend(text.plain.split("\n"))
    for embed in parts.embeds:
        lines.extend(f"| {line.plain}".rstrip() for line in embed.lines)
    lines.extend(t.plain for t in parts.rows)
    lines.extend(t.plain for t in parts.files)
    return "\n".join(lines)


def render_rich(message: dict | None, ctx: RenderContext) -> RenderableType:
    """A message for a colour terminal: embeds as panels bordered in the embed's colour."""
    if not message:
        return Text()
    parts = message_parts(message, ctx)
    items: list[RenderableType] = [*parts.notes, *parts.body]
    for embed in parts.embeds:
        colour = Color.from_rgb(*_rgb(embed.color)) if embed.color else Color.parse("grey50")
        body = Text("\n").join(embed.lines)
        items.append(Panel(body, border_style=Style(color=colour), expand=False, padding=(0, 1)))
    items.extend(parts.rows)
    items.extend(parts.files)
    return Group(*items)


def _rgb(value: int) -> tuple[int, int, int]:
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def modal_fields(modal: dict) -> list[dict[str, Any]]:
    """The text inputs of a modal, in order: id (custom id), label, required, placeholder, value (default)."""
    out = []
    for row in modal.get("components") or []:
        for c in walk_components([row]):
            if c.get("type") == 4:
                out.append(
                    {
                        "id": c.get("custom_id"),
                        "label": c.get("label") or row.get("label") or c.get("custom_id"),
                        "required": c.get("required", True),
                        "value": c.get("value") or "",
                        "placeholder": c.get("placeholder") or "",
                    }
                )
    return out


def render_form(modal: dict) -> Text:
    """A modal as a numbered form: ``[form] Title`` then ``  1. Label (optional)``."""
    text = Text(f"[form] {modal.get('title', '')}", style=BOLD)
    for n, field in enumerate(modal_fields(modal), 1):
        required = "" if field["required"] else " (optional)"
        text.append(f"\n  {n}. {field['label']}{required}")
    return text
