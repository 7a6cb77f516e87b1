"""/config: a moderator's announcement settings, checked on the server side as well as by visibility.

Every command is visible by default only to members with Manage Server (``default_permissions``) and
checks that permission again when it runs, because a server can widen who sees a command (Discord's
Integrations settings) and that must not widen who changes settings. Every answer is private and shows
the new value; bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import TYPE_CHECKING, Any, Literal, Self

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import Interaction, _
from bot.errors import UserError
from bot.i18n import lang_of, t
from bot.render import announcements
from bot.render.common import stamp
from bot.render.limits import CHOICES, echo
from bot.replies import GuardedButton, permission_names, send_ephemeral
from bot.scheduler.due import MAX_STEPS, MilestoneError, format_milestones, gap_days, parse_milestones, server_zones
from bot.scheduler.model import DueRow, GuildConfig
from bot.scheduler.poster import MARKER, MISSED_REASONS

if TYPE_CHECKING:
    from bot.app import Lightstick

ZONES = server_zones()
ZONES_SET = {*ZONES, "UTC"}
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}
NEXT_SHOWN = 5
MISSED_SHOWN = 3  # /config show: the latest posts never made ...
MISSED_SINCE = dt.timedelta(days=7)  # ... in the last week


async def require_manager(interaction: Interaction) -> bool:
    """The server-side check behind every moderator command (a server may widen who sees them). Raises
    discord.py's own check failures, which :mod:`bot.replies` answers privately with the shared texts: the
    guild-only answer, or the member's missing permission by its client name."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage()
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


def parse_zone(text: str) -> str:
    """An IANA zone name as typed (any case); raises UserError when unknown or a fixed offset (Etc/GMT+5
    ignores daylight saving and reads backwards)."""
    wanted = text.strip()
    found = next((z for z in ZONES_SET if z.lower() == wanted.lower()), None)
    if found is None:
        raise UserError("config.zone.unknown", query=echo(text))
    return found


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for a zone: names containing what is typed (spaces as underscores), shortest match first."""
    typed = current.strip().lower().replace(" ", "_")
    hits = (
        [z for z in ZONES if typed in z.lower()]
        if typed
        else [
            "UTC",
            "Asia/Seoul",
            "Asia/Tokyo",
            "America/New_York",
            "America/Los_Angeles",
            "Europe/London",
            "Europe/Paris",
        ]
    )
    hits.sort(key=lambda z: (not z.lower().split("/")[-1].startswith(typed), len(z), z))
    return [app_commands.Choice(name=z, value=z) for z in hits[:CHOICES]]


def parse_hhmm(text: str, key: str) -> dt.time:
    found = _HHMM.match(text.strip())
    if found is None:
        raise UserError(key, query=echo(text))
    return dt.time(int(found.group(1)), int(found.group(2)))


def milestone_error(error: MilestoneError) -> UserError:
    return UserError(f"config.milestones.{error.reason}", token=echo(error.token), limit=MAX_STEPS)


def missing_permissions(channel: discord.abc.GuildChannel, me: discord.Member) -> list[str]:
    """What the bot lacks in ``channel`` to post announcements (overwrites included), as Discord's permission
    flags (``send_messages``); :func:`bot.replies.permission_names` shows them in the reader's language."""
    perms = channel.permissions_for(me)
    return [flag for flag in ("view_channel", "send_messages", "embed_links") if not getattr(perms, flag)]


def item_label(row: DueRow, name: str, lang: str) -> str:
    if row.kind == "anniversary":
        return t(lang, "config.item.anniversary", count=int(row.step), name=name)
    return t(lang, "config.item.countdown", step=row.step, name=name)


async def describe_rows(interaction: Interaction, rows: list[DueRow], lang: str) -> list[str]:
    """One line per due item: when (in every reader's zone) and what."""
    bot = interaction.client
    lines = []
    for row in rows:
        subject = await bot.scheduler.subject(row.guild_id, row.ref)
        if subject is None:
            continue
        name = announcements.subject_name(subject, bot.catalog, lang)
        lines.append(f"{stamp(row.due_at, 'f')} ({stamp(row.due_at, 'R')}) · {item_label(row, name, lang)}")
    return lines


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class ConfigGroup(
    app_commands.Group, name=_("config"), description=_("Announcement settings for this server (Manage Server)")
):
    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await require_manager(interaction)

    async def _save(
        self, interaction: Interaction, text: str, *, retry_failed: bool = False, **changes: Any
    ) -> GuildConfig:
        bot = interaction.client
        assert interaction.guild_id is not None
        config = await bot.store.guild_settings.update(interaction.guild_id, bot.clock.now(), **changes)
        await bot.scheduler.recompute(interaction.guild_id, retry_failed=retry_failed)
        await send_ephemeral(interaction, text)
        return config

    @app_commands.command(name=_("channel"), description=_("Where announcements go"))
    @app_commands.describe(channel=_("Where announcements go"))
    async def channel(self, interaction: Interaction, channel: discord.TextChannel | None = None) -> None:
        lang = lang_of(interaction)
        if channel is None:
            await self._save(interaction, t(lang, "config.channel.off"), channel_id=None)
            return
        guild = interaction.guild
        assert guild is not None and guild.me is not None
        missing = missing_permissions(channel, guild.me)
        if missing:
            raise UserError("config.channel.missing", channel=channel.mention, missing=permission_names(missing, lang))
        text = t(lang, "config.channel.done", channel=channel.mention)
        if not channel.permissions_for(guild.me).read_message_history:
            text += "\n" + t(lang, "config.channel.no_history", channel=channel.mention)
        await self._save(interaction, text, retry_failed=True, channel_id=channel.id)

    @app_commands.command(name=_("role"), description=_("The role announcements ping (leave empty for none)"))
    @app_commands.describe(role=_("The role announcements ping (leave empty for none)"))
    async def role(self, interaction: Interaction, role: discord.Role | None = None) -> None:
        lang = lang_of(interaction)
        if role is None:
            await self._save(interaction, t(lang, "config.role.cleared"), role_id=None)
            return
        guild = interaction.guild
        assert guild is not None and guild.me is not None
        if role.is_default():
            raise UserError("config.role.everyone")
        if role.managed:
            raise UserError("config.role.managed", role=role.mention)
        if not role.mentionable and not guild.me.guild_permissions.mention_everyone:
            raise UserError("config.role.unmentionable", role=role.mention)
        await self._save(interaction, t(lang, "config.role.done", role=role.mention), role_id=role.id)

    @app_commands.command(name=_("milestones"), description=_("Which countdown steps post, e.g. 30d,7d,1d,3h,0"))
    @app_commands.describe(steps=_("Which countdown steps post, e.g. 30d,7d,1d,3h,0"))
    async def milestones(self, interaction: Interaction, steps: app_commands.Range[str, 1, 100]) -> None:
        try:
            canonical = format_milestones(parse_milestones(steps))
        except MilestoneError as error:
            raise milestone_error(error) from None
        await self._save(
            interaction, t(lang_of(interaction), "config.milestones.done", steps=canonical), milestones=canonical
        )

    @app_commands.command(name=_("timezone"), description=_("The server's time zone (IANA name)"))
    @app_commands.describe(zone=_("The server's time zone (IANA name)"))
    async def timezone(self, interaction: Interaction, zone: app_commands.Range[str, 1, 64]) -> None:
        name = parse_zone(zone)
        bot, lang = interaction.client, lang_of(interaction)
        assert interaction.guild_id is not None
        config = await bot.store.guild_settings.get(interaction.guild_id)
        local = bot.clock.now().astimezone(zoneinfo.ZoneInfo(name))
        text = t(lang, "config.zone.done", zone=name, local=f"{local:%Y-%m-%d %H:%M}", post_time=config.post_time)
        text += self._gap_note(config.post_time, name, local.date(), lang)
        await self._save(interaction, text, zone=name)

    @app_commands.command(
        name=_("post-time"), description=_("When date-only announcements post, in the server's time zone")
    )
    @app_commands.describe(time=_("When date-only announcements post, in the server's time zone"))
    async def post_time(self, interaction: Interaction, time: app_commands.Range[str, 1, 10]) -> None:
        parsed = parse_hhmm(time, "config.post_time.bad")
        bot, lang = interaction.client, lang_of(interaction)
        assert interaction.guild_id is not None
        config = await bot.store.guild_settings.get(interaction.guild_id)
        value = parsed.strftime("%H:%M")
        text = t(lang, "config.post_time.done", post_time=value, zone=config.zone)
        text += self._gap_note(
            value, config.zone, bot.clock.now().astimezone(zoneinfo.ZoneInfo(config.zone)).date(), lang
        )
        await self._save(interaction, text, post_time=value)

    @staticmethod
    def _gap_note(post_time: str, zone: str, today: dt.date, lang: str) -> str:
        """A note listing the coming days (this year and next) on which the post time doesn't exist."""
        days = [
            d
            for y in (today.year, today.year + 1)
            for d in gap_days(dt.time.fromisoformat(post_time), zone, y)
            if d >= today
        ]
        if not days:
            return ""
        return "\n" + t(
            lang, "config.post_time.gap", post_time=post_time, zone=zone, days=", ".join(d.isoformat() for d in days)
        )

    @app_commands.command(name=_("language"), description=_("The language announcements are written in"))
    @app_commands.describe(language=_("The language announcements are written in"))
    async def language(self, interaction: Interaction, language: Literal["en", "ko"]) -> None:
        text = t(lang_of(interaction), "config.language.done", language=LANGUAGE_NAMES[language])
        await self._save(interaction, text, language=language)

    @app_commands.command(name=_("anniversaries"), description=_("Remember releases and tour milestones once a year"))
    @app_commands.describe(state=_("Remember releases and tour milestones once a year"))
    async def anniversaries(self, interaction: Interaction, state: Literal["on", "off"]) -> None:
        text = t(lang_of(interaction), f"config.anniversaries.{state}")
        await self._save(interaction, text, anniversaries=state == "on")

    @timezone.autocomplete("zone")
    async def _zone_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    @app_commands.command(name=_("show"), description=_("Every setting, the next posts and any delivery problem"))
    async def show(self, interaction: Interaction) -> None:
        bot, lang = interaction.client, lang_of(interaction)
        assert interaction.guild_id is not None
        config = await bot.store.guild_settings.get(interaction.guild_id)
        none = t(lang, "config.show.none")
        settings = [
            ("channel", f"<#{config.channel_id}>" if config.channel_id else t(lang, "config.channel.off")),
            ("role", f"<@&{config.role_id}>" if config.role_id else none),
            ("milestones", f"`{config.milestones}`"),
            ("zone", config.zone),
            ("post_time", config.post_time),
            ("language", LANGUAGE_NAMES.get(config.language, config.language)),
            ("anniversaries", t(lang, "config.show.on" if config.anniversaries else "config.show.off")),
        ]
        upcoming = await describe_rows(
            interaction, await bot.store.due.upcoming(interaction.guild_id, NEXT_SHOWN), lang
        )
        problems = []
        for row in await bot.store.due.problems(interaction.guild_id):
            what = (await describe_rows(interaction, [row], lang) or [row.key])[0].split(" · ", 1)[-1]
            assert row.done_at is not None
            problems.append(
                t(
                    lang,
                    "config.problem",
                    when=stamp(row.done_at, "R"),
                    what=what,
                    reason=t(lang, f"config.reason.{row.error}"),
                )
            )
        missed = []
        since = bot.clock.now() - MISSED_SINCE
        for row in await bot.store.due.missed(interaction.guild_id, since, MISSED_SHOWN):
            what = (await describe_rows(interaction, [row], lang) or [row.key])[0].split(" · ", 1)[-1]
            reason = t(
                lang,
                f"config.missed.{MISSED_REASONS.get(row.error or '', 'offline')}",
                hours=round(bot.scheduler.grace.total_seconds() / 3600),
            )
            missed.append(t(lang, "config.problem", when=stamp(row.due_at, "f"), what=what, reason=reason))
        embed = announcements.settings_card(settings, upcoming, problems, lang, missed)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name=_("test"), description=_("Post a sample announcement now (pings nobody)"))
    async def test(self, interaction: Interaction) -> None:
        bot, lang = interaction.client, lang_of(interaction)
        assert interaction.guild_id is not None
        config = await bot.store.guild_settings.get(interaction.guild_id)
        if config.channel_id is None:
            raise UserError("config.test.no_channel")
        await interaction.response.defer(ephemeral=True, thinking=True)
        mention = f"<#{config.channel_id}>"
        channel = bot.get_partial_messageable(config.channel_id, guild_id=interaction.guild_id)
        try:
            message = await channel.send(
                embed=announcements.sample(mention, config.language), allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException as error:
            reason = (
                "channel_gone"
                if isinstance(error, discord.NotFound)
                else ("no_access" if error.code == 50001 else "no_permission")
            )
            text = t(lang, "config.test.failed", channel=mention, reason=t(lang, f"config.reason.{reason}"))
        else:
            text = t(lang, "config.test.sent", channel=mention, link=message.jump_url)
        await send_ephemeral(interaction, text)


class UpcomingButton(GuardedButton, template=MARKER + r"(?P<item>\d{1,19})"):
    """The button under every announcement: shows the server's next announcements, privately. Its custom id
    carries the due item's id, which is how the poster recognises its own post (bot/scheduler/poster.py)."""

    def __init__(self, item_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=f"{MARKER}{item_id}", label="…"))
        self.item_id = item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["item"]))

    async def run(self, interaction: Interaction) -> None:
        bot, lang = interaction.client, lang_of(interaction)
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        rows = await bot.store.due.upcoming(interaction.guild_id, NEXT_SHOWN)
        lines = await describe_rows(interaction, rows, lang)
        await interaction.response.send_message(embed=announcements.upcoming_card(lines, lang), ephemeral=True)


class Config(commands.Cog):
    """Registers /config and the announcements' button; removes them when unloaded."""

    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.tree.add_command(ConfigGroup())
        self.bot.add_dynamic_items(UpcomingButton)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command("config")
        self.bot.remove_dynamic_items(UpcomingButton)


async def setup(bot: Lightstick) -> None:
    await bot.add_cog(Config(bot))
