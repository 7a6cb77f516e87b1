"""What every fan cog shares: option transformers with "did you mean", pagers, and restart-proof buttons."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import discord
from discord import app_commands

from bot.content.catalog import Catalog
from bot.content.matching import NameMatcher
from bot.content.model import Song, Tour
from bot.errors import UserError
from bot.i18n import lang_of, t
from bot.render.common import md
from bot.render.limits import CHOICES, choice_name, echo

if TYPE_CHECKING:
    from bot.app import Lightstick

    Interaction = discord.Interaction[Lightstick]
else:
    Interaction = discord.Interaction

log = logging.getLogger(__name__)
_ = app_commands.locale_str
R = TypeVar("R", Song, Tour)


OptionValue = str | int | float  # what discord.py's Transformer.autocomplete is typed with, for every option type


def choices(
    interaction: Interaction, matcher: NameMatcher, value: OptionValue
) -> list[app_commands.Choice[OptionValue]]:
    """Autocomplete choices: the best matches for what is typed so far, named in the user's language.

    ``value`` is what the fan has typed in a string option (discord.py types it for every option type); each
    choice's value is a catalogue key, cut to Discord's 100 characters.
    """
    catalog = interaction.client.catalog
    lang = lang_of(interaction)
    out: list[app_commands.Choice[OptionValue]] = []
    for match in matcher.complete(str(value or ""), limit=CHOICES):
        shown = catalog.label(match.key, lang)
        name = shown if match.matched in (shown, match.label) else f"{shown} · {match.matched}"
        out.append(app_commands.Choice(name=choice_name(name), value=match.key[:100]))
    return out


def resolve(
    interaction: Interaction,
    matcher: NameMatcher,
    value: str,
    kind: str | None,
    not_found: str,
    hint: str | None = None,
    **params: object,
) -> str:
    """The key a typed value means: an autocomplete pick (an exact key) or text the matcher is sure about.

    Raises :class:`UserError` ``not_found`` (with ``query`` and up to three suggestions) otherwise.
    """
    catalog = interaction.client.catalog
    if catalog.knows(value, kind):
        return value
    found = matcher.resolve(value)
    if found is not None:
        return found.key
    lang = lang_of(interaction)
    suggestions = [echo(catalog.label(m.key, lang)) for m in matcher.suggest(value, limit=3)]
    raise UserError(not_found, query=echo(value), suggestions=suggestions, hint=hint, **params)


class RecordParam(app_commands.Transformer["Lightstick"], Generic[R]):
    """Turns what a fan typed (or picked) into a record of the catalogue, or a kind "did you mean".

    Subclasses name the ``kind`` ("song", "tour"), the message keys, the catalogue's matcher and the fetch.
    """

    kind: str
    not_found: str
    hint: str

    def matcher(self, catalog: Catalog) -> NameMatcher:
        raise NotImplementedError

    async def fetch(self, bot: Lightstick, record_id: str) -> R | None:
        raise NotImplementedError

    async def autocomplete(
        self, interaction: Interaction, value: OptionValue, /
    ) -> list[app_commands.Choice[OptionValue]]:
        return choices(interaction, self.matcher(interaction.client.catalog), value)

    async def transform(self, interaction: Interaction, value: str) -> R:
        bot = interaction.client
        key = resolve(interaction, self.matcher(bot.catalog), value, self.kind, self.not_found, hint=self.hint)
        record = await self.fetch(bot, key.partition(":")[2])
        if record is None:  # the catalogue is older than the database
            raise UserError(self.not_found, query=md(bot.catalog.label(key)))
        return record


class SongParam(RecordParam[Song]):
    kind, not_found, hint = "song", "error.not_found.song", "error.try_list"

    def matcher(self, catalog: Catalog) -> NameMatcher:
        return catalog.songs

    async def fetch(self, bot: Lightstick, record_id: str) -> Song | None:
        return await bot.store.songs.get(record_id)


class TourParam(RecordParam[Tour]):
    kind, not_found, hint = "tour", "error.not_found.tour", "error.try_tours"

    def matcher(self, catalog: Catalog) -> NameMatcher:
        return catalog.tours

    async def fetch(self, bot: Lightstick, record_id: str) -> Tour | None:
        return await bot.store.tours.get(record_id)


def button(
    custom_id: str,
    label: str,
    style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    emoji: str | None = None,
    disabled: bool = False,
) -> discord.ui.Button[Any]:
    """A button with its custom id and label cut to Discord's limits (100 and 80 characters)."""
    return discord.ui.Button(custom_id=custom_id[:100], label=label[:80], style=style, emoji=emoji, disabled=disabled)


def dynamic_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view of DynamicItems only: discord.py routes clicks by custom_id pattern (the cogs register the
    classes), so no view is kept per message, replies cost no memory and buttons work after a restart."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    # A finished view is sent as components but never stored: without this discord.py keeps every view in
    # its view store and, for an ephemeral reply, starts a 15-minute timeout task per message.
    view.stop()
    return view


def clamp_page(page: int, pages: int) -> int:
    """The nearest page that exists (0-based; ``pages`` >= 1): a stale button may ask for one past the end."""
    return min(max(page, 0), pages - 1)


def pager_buttons(prefix: str, page: int, pages: int, lang: str) -> tuple[discord.ui.Button[Any], ...]:
    """First/Previous/Next/Last for ``page`` of ``pages`` (First and Last only when there are more than two
    pages). Every custom id is distinct even when two buttons lead to the same page."""
    last = pages - 1
    buttons = [
        button(f"{prefix}:{max(page - 1, 0)}", t(lang, "button.prev"), emoji="◀️", disabled=page <= 0),
        button(f"{prefix}:{min(page + 1, last)}:n", t(lang, "button.next"), emoji="▶️", disabled=page >= last),
    ]
    if pages > 2:
        buttons.insert(0, button(f"{prefix}:0:f", t(lang, "button.first"), emoji="⏮️", disabled=page <= 0))
        buttons.append(button(f"{prefix}:{last}:l", t(lang, "button.last"), emoji="⏭️", disabled=page >= last))
    return tuple(buttons)
