"""Discord's documented payload limits, and the helpers that keep every message inside them."""

from __future__ import annotations

import re
import unicodedata

import discord

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000
CUSTOM_ID = 100
BUTTON_LABEL = 80
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
ECHO = 100  # how much of a user's own text we ever repeat back

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clip(text: str, limit: int) -> str:
    """Cut to at most ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def clean(text: str) -> str:
    """Drop control and bidi-override characters, fold whitespace runs."""
    return " ".join(_CONTROL.sub("", unicodedata.normalize("NFC", text)).split())


def echo(text: str, limit: int = ECHO) -> str:
    """A user's own text, safe to show back: no control characters, markdown or mentions, and short."""
    shown = clip(clean(text), limit) or "…"
    shown = discord.utils.escape_markdown(shown)
    shown = discord.utils.escape_mentions(shown)
    # escape_markdown already escapes backticks that pair up; escape the rest, never twice
    return re.sub(r"(?<!\\)`", r"\\`", shown.replace("<", "\\<"))


def choice_name(text: str) -> str:
    return clip(clean(text), CHOICE_NAME) or "…"


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Clip every part of an embed to its limit and drop trailing fields past the total."""
    if embed.title:
        embed.title = clip(embed.title, EMBED_TITLE)
    if embed.description:
        embed.description = clip(embed.description, EMBED_DESCRIPTION)
    if embed.footer and embed.footer.text:
        embed.set_footer(text=clip(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    fields = [
        (clip(f.name or "\u200b", FIELD_NAME), clip(f.value or "\u200b", FIELD_VALUE), f.inline) for f in embed.fields
    ][:EMBED_FIELDS]
    embed.clear_fields()
    for name, value, inline in fields:
        embed.add_field(name=name, value=value, inline=inline)
    while len(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > EMBED_TOTAL and embed.description:
        embed.description = clip(embed.description, max(1, len(embed.description) - (len(embed) - EMBED_TOTAL)))
    return embed
