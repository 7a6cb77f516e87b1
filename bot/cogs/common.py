"""What every fan cog shares: option transformers with "did you mean", and buttons that survive restarts."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands

from bot.content.catalog import Combined
from bot.content.matching import Matcher
from bot.errors import UserError
from bot.i18n import lang_of
from bot.render.limits import CHOICES, choice_name, echo
from bot.replies import guarded  # noqa: F401 - re-exported for the cogs

if TYPE_CHECKING:
    from bot.app import Lightstick

log = logging.getLogger(__name__)
_ = app_commands.locale_str


def client(interaction: discord.Interaction[Any]) -> Lightstick:
    return cast("Lightstick", interaction.client)


def choices(interaction: discord.Interaction[Any], matcher: Matcher | Combined, value: str) -> list[app_commands.Choice[str]]:
    """Autocomplete choices: the best matches for what is typed so far, named in the user's language."""
    catalog = client(interaction).catalog
    lang = lang_of(interaction)
    out = []
    for match in matcher.complete(value or "", limit=CHOICES):
        shown = catalog.label(match.key, lang)
        name = shown if match.matched in (shown, match.label) else f"{shown} · {match.matched}"
        out.append(app_commands.Choice(name=choice_name(name), value=match.key[:100]))
    return out


def resolve(interaction: discord.Interaction[Any], matcher: Matcher | Combined, value: str, kind: str | None,
            not_found: str, hint: str | None = None, **params: object) -> str:
    """The key a typed value means: an autocomplete pick (an exact key) or text the matcher is sure about."""
    catalog = client(interaction).catalog
    if catalog.knows(value, kind):
        return value
    found = matcher.resolve(value)
    if found is not None:
        return found.key
    lang = lang_of(interaction)
    suggestions = [echo(catalog.label(m.key, lang)) for m in matcher.suggest(value, limit=3)]
    raise UserError(not_found, query=echo(value), suggestions=suggestions, hint=hint, **params)


def button(custom_id: str, label: str, style: discord.ButtonStyle = discord.ButtonStyle.secondary,
           emoji: str | None = None, disabled: bool = False) -> discord.ui.Button[Any]:
    return discord.ui.Button(custom_id=custom_id[:100], label=label[:80], style=style, emoji=emoji,
                             disabled=disabled)


def dynamic_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view of DynamicItems only: discord.py routes clicks by custom_id pattern and keeps nothing per
    message, so public cards cost no memory and their buttons keep working after a restart."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view
