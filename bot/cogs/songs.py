"""/song: the song card, its buttons, and the paginated song list."""

from __future__ import annotations

import math
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import _, button, choices, client, dynamic_view, guarded, resolve
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
    return dynamic_view(
        SongAction("bts", song.id, t(lang, "button.behind"), "🎬"),
        SongAction("fact", song.id, t(lang, "button.another"), "💡"),
        SongAction("src", song.id, t(lang, "button.sources"), "📚"),
    )


def pager_buttons(prefix: str, page: int, pages: int, lang: str) -> tuple[discord.ui.Button[Any], ...]:
    """First/Previous/Next/Last (First and Last only when there are more than two pages). Every custom
    id is distinct even when two buttons lead to the same page."""
    last = pages - 1
    buttons = [
        button(f"{prefix}:{max(page - 1, 0)}", t(lang, "button.prev"), emoji="◀️", disabled=page <= 0),
        button(f"{prefix}:{min(page + 1, last)}:n", t(lang, "button.next"), emoji="▶️", disabled=page >= last),
    ]
    if pages > 2:
        buttons.insert(0, button(f"{prefix}:0:f", t(lang, "button.first"), emoji="⏮️", disabled=page <= 0))
        buttons.append(button(f"{prefix}:{last}:l", t(lang, "button.last"), emoji="⏭️", disabled=page >= last))
    return tuple(buttons)


async def song_list_message(interaction: discord.Interaction[Any], page: int) -> dict[str, Any]:
    bot = client(interaction)
    lang = lang_of(interaction)
    pages = max(1, math.ceil(await bot.store.songs.count() / PAGE))
    page = min(max(page, 0), pages - 1)
    songs, total = await bot.store.songs.page(page * PAGE, PAGE)
    embed = cards.song_list(songs, page, pages, total, lang, page * PAGE)
    if pages <= 1:
        return {"embed": embed}
    return {"embed": embed, "view": dynamic_view(*(SongPager(b) for b in pager_buttons("ls:songs", page, pages, lang)))}


async def sources_message(interaction: discord.Interaction[Any], subject: str, page: int) -> dict[str, Any]:
    bot = client(interaction)
    lang = lang_of(interaction)
    facts = await bot.store.facts.about(subject, limit=500)
    title = f"📚 {t(lang, 'sources.title')}: {bot.catalog.label(subject, lang)}"
    pages = cards.sources_pages(facts, bot.catalog, lang, title)
    page = min(max(page, 0), len(pages) - 1)
    if len(pages) <= 1:
        return {"embed": pages[page]}
    buttons = pager_buttons(f"ls:src:{subject}", page, len(pages), lang)
    return {"embed": pages[page], "view": dynamic_view(*(SourcesPager(b) for b in buttons))}


class SongAction(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"ls:song:(?P<action>bts|fact|src):(?P<id>[a-z0-9-]{1,64})"):
    """The buttons under a song card; they keep working after the bot restarts."""

    def __init__(self, action: str, song_id: str, label: str = "", emoji: str | None = None) -> None:
        super().__init__(button(f"ls:song:{action}:{song_id}", label or action, emoji=emoji))
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
            notes = sorted(await bot.store.facts.about(subject, kinds=("behind-the-scenes", "music-video"), limit=200),
                           key=lambda f: f.kind != "behind-the-scenes")
            embed = cards.behind_card(pick(lang, song.title, song.title_ko), notes, bot.catalog, lang)
            await interaction.response.send_message(embed=embed, ephemeral=True)
        elif self.action == "fact":
            await post_fact(interaction, subject=subject, kind=None)
        else:
            await interaction.response.send_message(**await sources_message(interaction, subject, 0), ephemeral=True)


class SongPager(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"ls:songs:(?P<page>\d{1,6})(?::[fnl])?"):
    def __init__(self, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        self.page = int((item.custom_id or "ls:songs:0").split(":")[2])

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any],
                             match: re.Match[str]) -> SongPager:
        return cls(item)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            await interaction.response.edit_message(**await song_list_message(interaction, self.page))

        await guarded(interaction, run)


class SourcesPager(discord.ui.DynamicItem[discord.ui.Button[Any]],
                   template=r"ls:src:(?P<subject>(?:artist|song|tour):[a-z0-9-]{1,64}):(?P<page>\d{1,4})(?::[fnl])?"):
    def __init__(self, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        match = self.__discord_ui_compiled_template__.fullmatch(item.custom_id or "")
        self.subject = match["subject"] if match else ""
        self.page = int(match["page"]) if match else 0

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any],
                             match: re.Match[str]) -> SourcesPager:
        return cls(item)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            await interaction.response.edit_message(**await sources_message(interaction, self.subject, self.page))

        await guarded(interaction, run)


class Songs(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def card(self, interaction: discord.Interaction[Any], song: Song, lang: str) -> discord.Embed:
        bot = client(interaction)

        async def render() -> discord.Embed:
            subject = f"song:{song.id}"
            highlights = await bot.store.facts.about(subject, kinds=("chart-record", "music-video"), limit=30)
            return cards.song_card(song, highlights, await bot.store.facts.tally(subject), bot.catalog, lang)

        return await bot.cards.get(bot.catalog, ("song", song.id, lang), render)

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
        await interaction.response.send_message(embed=await self.card(interaction, title, lang),
                                                view=song_view(title, lang))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Songs(bot))

