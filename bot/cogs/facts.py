"""/fact and /onthisday: sourced facts, never repeated in a channel until the pool is used up."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import _, button, choices, client, dynamic_view, guarded, resolve
from bot.content.dates import MonthDay, parse_day
from bot.content.model import FACT_KINDS
from bot.errors import UserError
from bot.i18n import lang_of, pick, t
from bot.render import cards
from bot.render.limits import echo, fit_embed

KIND_NAMES = {kind: t("en", f"kind.{kind}") for kind in FACT_KINDS}  # translated by the tree's Translator
KIND_CODES = {kind: str(number) for number, kind in enumerate(FACT_KINDS)}


class SubjectParam(app_commands.Transformer):
    """An artist, song or tour, as a subject key like ``song:love-wins-all``."""

    async def autocomplete(self, interaction: discord.Interaction[Any], value: str) -> list[app_commands.Choice[str]]:
        return choices(interaction, client(interaction).catalog.subjects, value)

    async def transform(self, interaction: discord.Interaction[Any], value: str) -> str:
        key = resolve(interaction, client(interaction).catalog.subjects, value, None, "error.not_found.about")
        if key.partition(":")[0] not in ("artist", "song", "tour"):  # e.g. a show key typed by hand
            raise UserError("error.not_found.about", query=echo(value))
        return key


def fact_view(fact_id: str, subject: str | None, kind: str | None, lang: str) -> discord.ui.View:
    return dynamic_view(
        FactActions(fact_id, None, None, t(lang, "button.source"), "📚"),
        FactActions(None, kind, subject, t(lang, "button.another"), "💡"),
    )


async def post_fact(interaction: discord.Interaction[Any], subject: str | None, kind: str | None) -> None:
    """Post a fact this channel hasn't seen yet (publicly: facts are for sharing)."""
    bot = client(interaction)
    lang = lang_of(interaction)
    channel_id = interaction.channel_id or interaction.user.id
    fact, reset = await bot.store.facts.next_unseen(channel_id, subject, kind, bot.clock.now())
    if fact is None:
        raise UserError("error.no_facts")

    async def render() -> discord.Embed:
        return cards.fact_card(fact, bot.catalog, lang, t(lang, "fact.pool_reset") if reset else None)

    embed = await bot.cards.get(bot.catalog, ("fact", fact.id, lang, reset), render)
    await interaction.response.send_message(embed=embed, view=fact_view(fact.id, subject, kind, lang))


class FactActions(discord.ui.DynamicItem[discord.ui.Button[Any]],
                  template=r"ls:fact:(?:src:(?P<fact>[a-z0-9-]{1,64})|next:(?P<kind>\d|-):(?P<subject>[a-z]+:[a-z0-9-]{1,64}|-))"):
    """"Source" and "Another fact" under a fact; they keep working after the bot restarts."""

    def __init__(self, fact_id: str | None, kind: str | None, subject: str | None, label: str = "",
                 emoji: str | None = None) -> None:
        if fact_id:
            custom_id = f"ls:fact:src:{fact_id}"
        else:
            custom_id = f"ls:fact:next:{KIND_CODES.get(kind or '', '-')}:{subject or '-'}"
            if len(custom_id) > 100:  # a very long subject id: "another fact" about anything
                custom_id, subject = f"ls:fact:next:{KIND_CODES.get(kind or '', '-')}:-", None
        super().__init__(button(custom_id, label or "fact", emoji=emoji))
        self.fact_id, self.kind, self.subject = fact_id, kind, subject

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any],
                             match: re.Match[str]) -> FactActions:
        code = match["kind"]
        kind = FACT_KINDS[int(code)] if code and code != "-" and int(code) < len(FACT_KINDS) else None
        subject = match["subject"] if match["subject"] and match["subject"] != "-" else None
        return cls(match["fact"], kind, subject)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, lambda: self._run(interaction))

    async def _run(self, interaction: discord.Interaction[Any]) -> None:
        if self.fact_id is None:
            await post_fact(interaction, self.subject, self.kind)
            return
        fact = await client(interaction).store.facts.get(self.fact_id)
        if fact is None:
            raise UserError("error.no_facts")
        embed = cards.source_card(fact, client(interaction).catalog, lang_of(interaction))
        await interaction.response.send_message(embed=embed, ephemeral=True)


class Facts(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(FactActions)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(FactActions)

    @app_commands.command(name=_("fact"), description=_("A random fact or behind-the-scenes note, with its source"))
    @app_commands.describe(about=_("An artist, song or tour"), kind=_("What sort of fact"))
    @app_commands.choices(kind=[app_commands.Choice(name=_(name), value=kind) for kind, name in KIND_NAMES.items()])
    async def fact(self, interaction: discord.Interaction[Any],
                   about: app_commands.Transform[str, SubjectParam] | None = None,
                   kind: app_commands.Choice[str] | None = None) -> None:
        await post_fact(interaction, about, kind.value if kind else None)

    @app_commands.command(name=_("onthisday"), description=_("Releases, shows and moments that happened on this day"))
    @app_commands.describe(date=_("A day like 03-02, 2024-03-02 or March 2 (default: today)"))
    async def onthisday(self, interaction: discord.Interaction[Any],
                        date: app_commands.Range[str, 1, 40] | None = None) -> None:
        bot = client(interaction)
        lang = lang_of(interaction)
        now = bot.clock.now()
        # Discord doesn't tell a bot the reader's time zone; Korean readers get Seoul's today, others UTC's.
        zone = "Asia/Seoul" if lang == "ko" else "UTC"
        if date is None:
            local = now.astimezone(ZoneInfo(zone))
            day = MonthDay(local.month, local.day)
        else:
            parsed = parse_day(date)
            if parsed is None:
                raise UserError("error.bad_date", query=echo(date, 40))
            day = parsed
        lines: list[tuple[str, str]] = []  # (the date it happened, line)

        this_year = now.astimezone(ZoneInfo(zone)).year

        def ago(year: int) -> str:
            years = this_year - year
            return t(lang, "onthisday.years_ago", count=years) if years > 0 else t(lang, "onthisday.this_year")

        for song in await bot.store.songs.released_on(day.key):
            assert song.released is not None
            lines.append((song.released.isoformat(),
                          f"{t(lang, 'onthisday.release', title=pick(lang, song.title, song.title_ko))} · "
                          f"{song.released.year} ({ago(song.released.year)})"))
        for show in await bot.store.tours.shows_on(day.key):
            tour = bot.catalog.label(f"tour:{show.tour}", lang)
            lines.append((show.date.isoformat(),
                          f"{t(lang, 'onthisday.show', tour=tour, city=pick(lang, show.city, show.city_ko))} · "
                          f"{show.date.year} ({ago(show.date.year)})"))
        for fact in await bot.store.facts.on(day.key):
            assert fact.date is not None
            lines.append((fact.date.isoformat(),
                          f"💡 {pick(lang, fact.text, fact.text_ko)} · {fact.date.year} ({ago(fact.date.year)}) "
                          f"*({bot.catalog.cite(fact.source, lang, short=True)})*"))
        if day.year is not None:  # a full date asks about that very day
            lines = [(when, line) for when, line in lines if when.startswith(f"{day.year:04d}-")]
        title = t(lang, "onthisday.title", day=day.label(lang))
        footer = t(lang, "onthisday.today_in", day=day.label(lang), zone=zone) if date is None else None
        if not lines:  # nothing to share: say so privately, don't add noise to the channel
            embed = discord.Embed(title=title, description=t(lang, "onthisday.none", day=day.label(lang)),
                                  colour=cards.ENDED)
            if footer:
                embed.set_footer(text=footer)
            await interaction.response.send_message(embed=embed, ephemeral=True)
            return
        lines.sort()
        embed = discord.Embed(title=title, description=cards.join_lines([line for _key, line in lines], 4000, "…"),
                              colour=cards.COLOUR)
        if footer:
            embed.set_footer(text=footer)
        await interaction.response.send_message(embed=fit_embed(embed))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Facts(bot))
