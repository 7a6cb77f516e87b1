"""/fact and /onthisday: sourced facts, never repeated in a channel until the pool is used up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import Interaction, OptionValue, _, button, choices, dynamic_view, resolve
from bot.content.dates import MonthDay, parse_day
from bot.content.model import FACT_KINDS
from bot.errors import UserError
from bot.i18n import lang_of, t
from bot.render import events as events_render
from bot.render import facts as render
from bot.render.limits import echo
from bot.replies import GuardedButton

if TYPE_CHECKING:
    from bot.app import Lightstick

KIND_NAMES = {kind: t("en", f"kind.{kind}") for kind in FACT_KINDS}  # translated by the tree's Translator
KIND_CODES = {kind: str(number) for number, kind in enumerate(FACT_KINDS)}


class SubjectParam(app_commands.Transformer["Lightstick"]):
    """An artist, song or tour, as a subject key like ``song:love-wins-all``."""

    async def autocomplete(
        self, interaction: Interaction, value: OptionValue, /
    ) -> list[app_commands.Choice[OptionValue]]:
        return choices(interaction, interaction.client.catalog.subjects, value)

    async def transform(self, interaction: Interaction, value: str) -> str:
        key = resolve(interaction, interaction.client.catalog.subjects, value, None, "error.not_found.about")
        if key.partition(":")[0] not in ("artist", "song", "tour"):  # e.g. a show key typed by hand
            raise UserError("error.not_found.about", query=echo(value))
        return key


def fact_view(fact_id: str, subject: str | None, kind: str | None, lang: str) -> discord.ui.View:
    return dynamic_view(
        FactActions.make(fact_id, None, None, t(lang, "button.source"), "📚"),
        FactActions.make(None, kind, subject, t(lang, "button.another"), "💡"),
    )


async def post_fact(interaction: Interaction, subject: str | None, kind: str | None) -> None:
    """Post a fact this channel hasn't seen yet (publicly: facts are for sharing)."""
    bot = interaction.client
    lang = lang_of(interaction)
    channel_id = interaction.channel_id or interaction.user.id
    fact, reset = await bot.store.history.next_unseen(channel_id, subject, kind, bot.clock.now())
    if fact is None:
        raise UserError("error.no_facts")

    async def build() -> discord.Embed:
        return render.fact_card(fact, bot.catalog, lang, t(lang, "fact.pool_reset") if reset else None)

    embed = await bot.cards.get(bot.catalog, ("fact", fact.id, lang, reset), build)

    async def buttons() -> discord.ui.View:  # a finished view: safe to send again and again
        return fact_view(fact.id, subject, kind, lang)

    view = await bot.cards.get(bot.catalog, ("fact-view", fact.id, subject, kind, lang), buttons)
    await interaction.response.send_message(embed=embed, view=view)


class FactActions(
    GuardedButton,
    template=r"ls:fact:(?:src:(?P<fact>[a-z0-9-]{1,64})|next:(?P<kind>\d|-):(?P<subject>[a-z]+:[a-z0-9-]{1,64}|-))",
):
    """ "Source" and "Another fact" under a fact; they keep working after the bot restarts."""

    def __init__(self, item: discord.ui.Button[Any]) -> None:
        """Wrap ``item`` (built by :meth:`make`, or parsed by discord.py from a clicked message)."""
        super().__init__(item)
        found = self.fields()
        code = found["kind"]
        self.fact_id: str | None = found["fact"]
        self.kind = FACT_KINDS[int(code)] if code and code != "-" and int(code) < len(FACT_KINDS) else None
        self.subject = found["subject"] if found["subject"] and found["subject"] != "-" else None

    @classmethod
    def make(cls, fact_id: str | None, kind: str | None, subject: str | None, label: str, emoji: str) -> Self:
        """ "Source" of ``fact_id``, or (``fact_id`` None) "Another fact" of ``kind`` about ``subject``."""
        if fact_id:
            custom_id = f"ls:fact:src:{fact_id}"
        else:
            custom_id = f"ls:fact:next:{KIND_CODES.get(kind or '', '-')}:{subject or '-'}"
            if len(custom_id) > 100:  # a very long subject id: "another fact" about anything
                custom_id = f"ls:fact:next:{KIND_CODES.get(kind or '', '-')}:-"
        return cls(button(custom_id, label, emoji=emoji))

    async def run(self, interaction: Interaction) -> None:
        if self.fact_id is None:
            await post_fact(interaction, self.subject, self.kind)
            return
        fact = await interaction.client.store.facts.get(self.fact_id)
        if fact is None:
            raise UserError("error.no_facts")
        embed = render.source_card(fact, interaction.client.catalog, lang_of(interaction))
        await interaction.response.send_message(embed=embed, ephemeral=True)


class Facts(commands.Cog):
    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(FactActions)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(FactActions)

    @app_commands.command(name=_("fact"), description=_("A random fact or behind-the-scenes note, with its source"))
    @app_commands.describe(about=_("An artist, song or tour"), kind=_("What sort of fact"))
    @app_commands.choices(kind=[app_commands.Choice(name=_(name), value=kind) for kind, name in KIND_NAMES.items()])
    async def fact(
        self,
        interaction: Interaction,
        about: app_commands.Transform[str, SubjectParam] | None = None,
        kind: app_commands.Choice[str] | None = None,
    ) -> None:
        await post_fact(interaction, about, kind.value if kind else None)

    @app_commands.command(name=_("onthisday"), description=_("Releases, shows and moments that happened on this day"))
    @app_commands.describe(date=_("A day like 03-02, 2024-03-02 or March 2 (default: today)"))
    async def onthisday(self, interaction: Interaction, date: app_commands.Range[str, 1, 40] | None = None) -> None:
        lang = lang_of(interaction)
        # Discord doesn't tell a bot the reader's time zone: a server's own zone (/config timezone) when it set
        # one; else Korean readers get Seoul's today, others UTC's.
        zone = (
            await self.bot.store.guild_settings.zone_of(interaction.guild_id) if interaction.guild_id else None
        ) or ("Asia/Seoul" if lang == "ko" else "UTC")
        local_now = self.bot.clock.now().astimezone(ZoneInfo(zone))
        if date is None:
            day = MonthDay(local_now.month, local_now.day)
        else:
            parsed = parse_day(date)
            if parsed is None:
                raise UserError("error.bad_date", query=echo(date, 40))
            day = parsed
        store, catalog = self.bot.store, self.bot.catalog
        shown_zone = zone if date is None else None

        async def build() -> tuple[discord.Embed, bool]:
            return events_render.onthisday_card(
                day,
                await store.songs.released_on(day.key),
                await store.tours.shows_on(day.key),
                await store.facts.on(day.key),
                catalog,
                lang,
                local_now.year,
                shown_zone,
            )

        # the same day, year and zone read the same until the content changes
        embed, found = await self.bot.cards.get(
            catalog, ("onthisday", lang, day.month, day.day, day.year, local_now.year, shown_zone), build
        )
        # nothing to share: say so privately, don't add noise to the channel
        await interaction.response.send_message(embed=embed, ephemeral=not found)


async def setup(bot: Lightstick) -> None:
    await bot.add_cog(Facts(bot))
