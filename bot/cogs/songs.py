"""/song: the song card, its buttons, and the paginated song list."""

from __future__ import annotations

import math
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import _, button, choices, client, guarded, resolve
from bot.cogs.facts import post_fact
from bot.content.model import Song
from bot.errors import UserError
from bot.i18n import lang_of, pick, t
from bot.render import cards

PAGE = 15


class SongParam(app_commands.Transformer):
    """Turns what a fan typed (or picked) into a :class:`Song`, or a kind "did you mean"."""

    async def autocomplete(self, interaction: discord.Interaction[Any], value: str) -> list[app_commands.Choice[str]]:
        return choices(interaction, client(interaction).catalog.songs, value)

    async def transform(self, interaction: discord.Interaction[Any], value: str) -> Song:
        bot = client(interaction)
        key = resolve(interaction, bot.catalog.songs, value, "song", "error.not_found.song", hint="error.try_list")
        song = await bot.store.songs.get(key.partition(":")[2])
        if song is None:  # the catalogue is older than the database
            raise UserError("error.not_found.song", query=bot.catalog.label(key))
        return song


def song_view(song: Song, lang: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(button(f"ls:song:bts:{song.id}", t(lang, "button.behind"), emoji="🎬"))
    view.add_item(button(f"ls:song:fact:{song.id}", t(lang, "button.another"), emoji="💡"))
    view.add_item(button(f"ls:song:src:{song.id}", t(lang, "button.sources"), emoji="📚"))
    return view


def pager_view(prefix: str, page: int, pages: int, lang: str) -> discord.ui.View | None:
    if pages <= 1:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(button(f"{prefix}:{max(page - 1, 0)}", t(lang, "button.prev"), emoji="◀️", disabled=page <= 0))
    view.add_item(button(f"{prefix}:{min(page + 1, pages - 1)}:n", t(lang, "button.next"), emoji="▶️",
                         disabled=page >= pages - 1))
    return view


async def song_list_message(interaction: discord.Interaction[Any], page: int) -> dict[str, Any]:
    bot = client(interaction)
    lang = lang_of(interaction)
    _songs, total = await bot.store.songs.page(0, 0)
    pages = max(1, math.ceil(total / PAGE))
    page = min(max(page, 0), pages - 1)
    songs, total = await bot.store.songs.page(page * PAGE, PAGE)
    embed = cards.song_list(songs, page, pages, total, lang, page * PAGE)
    view = pager_view("ls:songs", page, pages, lang)
    return {"embed": embed, "view": view or discord.utils.MISSING}


async def sources_message(interaction: discord.Interaction[Any], subject: str, page: int) -> dict[str, Any]:
    bot = client(interaction)
    lang = lang_of(interaction)
    facts = await bot.store.facts.about(subject, limit=500)
    title = f"📚 {t(lang, 'sources.title')}: {bot.catalog.label(subject, lang)}"
    pages = cards.sources_pages(facts, lang, title)
    page = min(max(page, 0), len(pages) - 1)
    view = pager_view(f"ls:src:{subject}", page, len(pages), lang)
    return {"embed": pages[page], "view": view or discord.utils.MISSING}


class SongAction(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"ls:song:(?P<action>bts|fact|src):(?P<id>[a-z0-9-]{1,64})"):
    """The buttons under a song card; they keep working after the bot restarts."""

    def __init__(self, action: str, song_id: str) -> None:
        super().__init__(button(f"ls:song:{action}:{song_id}", action))
        self.action = action
        self.song_id = song_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any],
                             match: re.Match[str]) -> SongAction:
        return cls(match["action"], match["id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, lambda: self._run(interaction))

    async def _run(self, interaction: discord.Interaction[Any]) -> None:
        bot = client(interaction)
        lang = lang_of(interaction)
        song = await bot.store.songs.get(self.song_id)
        if song is None:
            raise UserError("error.not_found.song", query=self.song_id)
        subject = f"song:{song.id}"
        if self.action == "bts":
            notes = [f for f in await bot.store.facts.about(subject, limit=200)
                     if f.kind in ("behind-the-scenes", "music-video")]
            notes.sort(key=lambda f: f.kind != "behind-the-scenes")
            embed = cards.behind_card(pick(lang, song.title, song.title_ko), notes, lang)
            await interaction.response.send_message(embed=embed, ephemeral=True)
        elif self.action == "fact":
            await post_fact(interaction, subject=subject, kind=None)
        else:
            await interaction.response.send_message(**await sources_message(interaction, subject, 0), ephemeral=True)


class SongPager(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"ls:songs:(?P<page>\d{1,6})(?::n)?"):
    def __init__(self, page: int) -> None:
        super().__init__(button(f"ls:songs:{page}", "page"))
        self.page = page

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any],
                             match: re.Match[str]) -> SongPager:
        return cls(int(match["page"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            await interaction.response.edit_message(**await song_list_message(interaction, self.page))

        await guarded(interaction, run)


class SourcesPager(discord.ui.DynamicItem[discord.ui.Button[Any]],
                   template=r"ls:src:(?P<subject>(?:artist|song|tour):[a-z0-9-]{1,64}):(?P<page>\d{1,4})(?::n)?"):
    def __init__(self, subject: str, page: int) -> None:
        super().__init__(button(f"ls:src:{subject}:{page}", "page"))
        self.subject = subject
        self.page = page

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any],
                             match: re.Match[str]) -> SourcesPager:
        return cls(match["subject"], int(match["page"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            await interaction.response.edit_message(**await sources_message(interaction, self.subject, self.page))

        await guarded(interaction, run)


class Songs(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(SongAction, SongPager, SourcesPager)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(SongAction, SongPager, SourcesPager)

    @app_commands.command(name=_("song"), description=_("Look up a song: its card, behind the scenes, facts and sources"))
    @app_commands.describe(title=_("Song title (English, Korean or an alias); leave empty for the list"))
    async def song(self, interaction: discord.Interaction[Any],
                   title: app_commands.Transform[Song, SongParam] | None = None) -> None:
        lang = lang_of(interaction)
        if title is None:
            await interaction.response.send_message(**await song_list_message(interaction, 0), ephemeral=True)
            return
        facts = await client(interaction).store.facts.about(f"song:{title.id}", limit=200)
        embed = cards.song_card(title, facts, client(interaction).catalog, lang)
        await interaction.response.send_message(embed=embed, view=song_view(title, lang))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Songs(bot))

