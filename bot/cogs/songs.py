"""/song: the song card, its buttons, and the paginated song list."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Self

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import (
    Interaction,
    SongParam,
    _,
    button,
    clamp_page,
    dynamic_view,
    pager_buttons,
)
from bot.cogs.facts import post_fact
from bot.content.model import Song
from bot.errors import UserError
from bot.i18n import lang_of, pick, t
from bot.render import facts as facts_render
from bot.render import songs as render
from bot.render.limits import echo
from bot.replies import GuardedButton

if TYPE_CHECKING:
    from bot.app import Lightstick

PAGE = 15


def song_view(song: Song, lang: str) -> discord.ui.View:
    return dynamic_view(
        SongAction.make("bts", song.id, t(lang, "button.behind"), "🎬"),
        SongAction.make("fact", song.id, t(lang, "button.another"), "💡"),
        SongAction.make("src", song.id, t(lang, "button.sources"), "📚"),
    )


async def song_list_message(interaction: Interaction, page: int) -> dict[str, Any]:
    """Page ``page`` (0-based; the nearest existing one if the list has shrunk) of the song list, with its
    pager, as keyword arguments for send_message/edit_message (``view`` is None for a single page, so an
    edit removes a stale pager)."""
    bot = interaction.client
    lang = lang_of(interaction)
    total = await bot.store.songs.count()
    pages = max(1, math.ceil(total / PAGE))
    page = clamp_page(page, pages)

    async def build() -> discord.Embed:
        return render.song_list(await bot.store.songs.page(page * PAGE, PAGE), page, pages, total, lang, page * PAGE)

    embed = await bot.cards.get(bot.catalog, ("songs", page, pages, total, lang), build)
    if pages <= 1:
        return {"embed": embed, "view": None}

    async def pager() -> discord.ui.View:  # a finished view: safe to send again and again
        return dynamic_view(*(SongPager(b) for b in pager_buttons("ls:songs", page, pages, lang)))

    return {"embed": embed, "view": await bot.cards.get(bot.catalog, ("songs-pager", page, pages, lang), pager)}


async def sources_message(interaction: Interaction, subject: str, page: int) -> dict[str, Any]:
    """Page ``page`` of the sources about ``subject`` ("song:<id>", ...), like :func:`song_list_message`."""
    bot = interaction.client
    lang = lang_of(interaction)
    catalog = bot.catalog

    async def build() -> list[discord.Embed]:
        facts = await bot.store.facts.about(subject, limit=500)
        return facts_render.sources_pages(
            facts, catalog, lang, facts_render.sources_title(catalog.label(subject, lang), lang)
        )

    pages = await bot.cards.get(catalog, ("sources", subject, lang), build)
    page = clamp_page(page, len(pages))
    if len(pages) <= 1:
        return {"embed": pages[page], "view": None}

    async def pager() -> discord.ui.View:  # a finished view: safe to send again and again
        return dynamic_view(*(SourcesPager(b) for b in pager_buttons(f"ls:src:{subject}", page, len(pages), lang)))

    view = await bot.cards.get(catalog, ("sources-pager", subject, page, len(pages), lang), pager)
    return {"embed": pages[page], "view": view}


def _sendable(message: dict[str, Any]) -> dict[str, Any]:
    """send_message wants no ``view`` key rather than None."""
    return {key: value for key, value in message.items() if value is not None}


class SongAction(GuardedButton, template=r"ls:song:(?P<action>bts|fact|src):(?P<id>[a-z0-9-]{1,64})"):
    """The buttons under a song card; they keep working after the bot restarts.

    A click is handled by the button discord.py has just parsed from the message (the default
    ``from_custom_id``): building a fresh one per click cost more than the rest of the bot's own work on a
    Sources click (issue 8, item 8). :meth:`make` builds one for a card.
    """

    def __init__(self, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        found = self.fields()
        self.action: str = found["action"]
        self.song_id: str = found["id"]

    @classmethod
    def make(cls, action: str, song_id: str, label: str, emoji: str) -> Self:
        """The ``action`` ("bts", "fact" or "src") button for song ``song_id``."""
        return cls(button(f"ls:song:{action}:{song_id}", label, emoji=emoji))

    async def run(self, interaction: Interaction) -> None:
        bot = interaction.client
        lang = lang_of(interaction)
        song = await bot.store.songs.get(self.song_id)
        if song is None:
            raise UserError("error.not_found.song", query=echo(self.song_id))
        subject = f"song:{song.id}"
        if self.action == "bts":
            notes = sorted(
                await bot.store.facts.about(subject, kinds=("behind-the-scenes", "music-video"), limit=200),
                key=lambda f: f.kind != "behind-the-scenes",
            )
            embed = render.behind_card(pick(lang, song.title, song.title_ko), notes, bot.catalog, lang)
            await interaction.response.send_message(embed=embed, ephemeral=True)
        elif self.action == "fact":
            await post_fact(interaction, subject=subject, kind=None)
        else:
            message = await sources_message(interaction, subject, 0)
            await interaction.response.send_message(**_sendable(message), ephemeral=True)


class SongPager(GuardedButton, template=r"ls:songs:(?P<page>\d{1,6})(?::[fnl])?"):
    """A button of the song list's pager: its custom id holds the page it leads to."""

    def __init__(self, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        self.page = int((item.custom_id or "ls:songs:0").split(":")[2])

    async def run(self, interaction: Interaction) -> None:
        await interaction.response.edit_message(**await song_list_message(interaction, self.page))


class SourcesPager(
    GuardedButton, template=r"ls:src:(?P<subject>(?:artist|song|tour):[a-z0-9-]{1,64}):(?P<page>\d{1,4})(?::[fnl])?"
):
    """A button of a sources list's pager: its custom id holds the subject and the page it leads to."""

    def __init__(self, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        match = self.__discord_ui_compiled_template__.fullmatch(item.custom_id or "")
        self.subject = match["subject"] if match else ""
        self.page = int(match["page"]) if match else 0

    async def run(self, interaction: Interaction) -> None:
        await interaction.response.edit_message(**await sources_message(interaction, self.subject, self.page))


class Songs(commands.Cog):
    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot

    async def card(self, song: Song, lang: str) -> discord.Embed:
        """The song card, rendered once per catalogue and language."""

        async def build() -> discord.Embed:
            subject = f"song:{song.id}"
            highlights = await self.bot.store.facts.about(subject, kinds=("chart-record", "music-video"), limit=30)
            return render.song_card(song, highlights, await self.bot.store.facts.tally(subject), self.bot.catalog, lang)

        return await self.bot.cards.get(self.bot.catalog, ("song", song.id, lang), build)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(SongAction, SongPager, SourcesPager)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(SongAction, SongPager, SourcesPager)

    @app_commands.command(
        name=_("song"), description=_("Look up a song: its card, behind the scenes, facts and sources")
    )
    @app_commands.describe(title=_("Song title (English, Korean or an alias); leave empty for the list"))
    async def song(
        self, interaction: Interaction, title: app_commands.Transform[Song, SongParam] | None = None
    ) -> None:
        lang = lang_of(interaction)
        if title is None:
            message = await song_list_message(interaction, 0)
            await interaction.response.send_message(**_sendable(message), ephemeral=True)
            return

        async def buttons() -> discord.ui.View:  # a finished view: safe to send again and again
            return song_view(title, lang)

        view = await self.bot.cards.get(self.bot.catalog, ("song-view", title.id, lang), buttons)
        await interaction.response.send_message(embed=await self.card(title, lang), view=view)


async def setup(bot: Lightstick) -> None:
    await bot.add_cog(Songs(bot))
