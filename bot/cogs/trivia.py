"""/trivia (start, stop, leaderboard, stats) and the moderators' /trivia-admin (season-end, settings). Thin: the
rules are in bot.trivia, the SQL in bot.db.trivia, the embeds in bot.render.trivia and the buttons in
bot.trivia.views."""

from __future__ import annotations

import asyncio
import calendar
import contextlib
import datetime as dt
import random
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import Interaction, _
from bot.cogs.config import require_manager
from bot.cogs.facts import SubjectParam
from bot.db.trivia import GameRunning
from bot.errors import UserError
from bot.i18n import lang_of, t
from bot.render import trivia as render
from bot.render.limits import echo
from bot.trivia import game as rules
from bot.trivia.runner import TriviaRunner
from bot.trivia.views import MODAL_ID, BoardPage, TriviaButton, TriviaSource, board_view, judge_typed

if TYPE_CHECKING:
    from bot.app import Lightstick

PAGE_SIZE = 10
MODES = {mode: t("en", f"trivia.mode.{mode}") for mode in rules.MODES}
PERIODS = {period: t("en", f"trivia.period.{period}") for period in ("season", "week", "month", "all")}


def _guild_only(interaction: Interaction) -> int:
    if interaction.guild_id is None or interaction.channel_id is None:
        raise app_commands.NoPrivateMessage()  # answered like every guild-only command (bot.replies)
    return interaction.guild_id


def period_bounds(period: str, now: dt.datetime) -> tuple[int | None, int | None]:
    """(start, reset) of a leaderboard period as UTC unix seconds: weeks start on Monday 00:00 UTC,
    months on the 1st at 00:00 UTC; seasons and all time have no fixed reset (None)."""
    today = now.astimezone(dt.timezone.utc).date()
    if period == "week":
        start = today - dt.timedelta(days=today.weekday())
        end = start + dt.timedelta(days=7)
    elif period == "month":
        start = today.replace(day=1)
        end = start + dt.timedelta(days=calendar.monthrange(start.year, start.month)[1])
    else:
        return None, None

    def stamp(day: dt.date) -> int:
        return int(dt.datetime.combine(day, dt.time(0), dt.timezone.utc).timestamp())

    return stamp(start), stamp(end)


class Trivia(commands.GroupCog, group_name=_("trivia"), group_description=_("Trivia games with sourced answers")):
    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot
        self.runner = TriviaRunner(bot)
        self._resume: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self.bot.tree.add_command(TriviaAdmin(self.runner))
        self.bot.add_dynamic_items(TriviaButton, TriviaSource, BoardPage)
        self.bot.route_modal(MODAL_ID, self._judge_typed)
        self._resume = asyncio.create_task(self._resume_games())

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command("trivia-admin")
        self.bot.remove_dynamic_items(TriviaButton, TriviaSource, BoardPage)
        self.bot.unroute_modal(MODAL_ID)
        if self._resume is not None:
            self._resume.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._resume
        await self.runner.close()

    async def _resume_games(self) -> None:
        await self.bot.wait_until_ready()
        await self.runner.pool()  # built once now, so the first /trivia start answers at once
        await self.runner.resume()

    @staticmethod
    async def _judge_typed(interaction: Interaction, found: re.Match[str]) -> None:
        """Typed answers: every modal submit with a trivia id is judged here, before or after a restart (the bot
        routes them: Lightstick.route_modal)."""
        await judge_typed(interaction, int(found["game"]), int(found["round"]))

    # ------------------------------------------------------------ /trivia start

    @app_commands.command(name=_("start"), description=_("Start a trivia game in this channel"))
    @app_commands.describe(
        rounds=_("How many questions (1-20, default 5)"),
        mode=_("How to answer (default: buttons)"),
        about=_("Only questions about an artist, song or tour"),
        seconds=_("Seconds per question (10-60)"),
    )
    @app_commands.choices(mode=[app_commands.Choice(name=_(name), value=mode) for mode, name in MODES.items()])
    @app_commands.guild_only()
    async def start(
        self,
        interaction: Interaction,
        rounds: app_commands.Range[int, 1, 20] = 5,
        mode: app_commands.Choice[str] | None = None,
        about: app_commands.Transform[str, SubjectParam] | None = None,
        seconds: app_commands.Range[int, 10, 60] | None = None,
    ) -> None:
        guild_id = _guild_only(interaction)
        lang = lang_of(interaction)
        perms = interaction.app_permissions
        missing = [name for name in ("view_channel", "send_messages", "embed_links") if not getattr(perms, name)]
        if missing:
            raise app_commands.BotMissingPermissions(missing)  # the shared answer, saying which are missing
        chosen = mode.value if mode else "buttons"
        if not await self.runner.has_questions(chosen, about):
            raise UserError("trivia.error.no_questions")
        min_players, default_seconds = await self.runner.repo.settings(guild_id)
        length = seconds or default_seconds
        try:
            game = await self.runner.repo.start_game(
                guild_id=guild_id,
                channel_id=interaction.channel_id or 0,
                starter_id=interaction.user.id,
                lang=lang,
                mode=chosen,
                rounds=rounds,
                seconds=length,
                about=about,
                seed=random.SystemRandom().randrange(1 << 30),
                min_players=min_players,
                now=int(interaction.client.clock.now().timestamp()),
            )
        except GameRunning as running:
            raise UserError("trivia.error.running", link=await self._jump(running, guild_id)) from None
        embed = render.start_embed(interaction.user.mention, rounds, chosen, length, min_players, lang)
        await interaction.response.send_message(embed=embed)
        self.runner.start(game)

    async def _jump(self, running: GameRunning, guild_id: int) -> str:
        game = running.game
        if game is None:
            return "https://discord.com/channels/@me"
        rnd = await self.runner.repo.last_round(game.id)
        tail = f"/{rnd.message_id}" if rnd and rnd.message_id else ""
        return f"https://discord.com/channels/{guild_id}/{game.channel_id}{tail}"

    # ------------------------------------------------------------ /trivia stop

    @app_commands.command(name=_("stop"), description=_("Stop the game in this channel (its starter or Manage Server)"))
    @app_commands.guild_only()
    async def stop(self, interaction: Interaction) -> None:
        _guild_only(interaction)
        game = await self.runner.repo.running_in(interaction.channel_id or 0)
        if game is None:
            raise UserError("trivia.error.no_game")
        if interaction.user.id != game.starter_id and not interaction.permissions.manage_guild:
            raise UserError("trivia.error.not_starter")
        await interaction.response.defer()  # revealing the open round and scoring may take a moment
        embed = await self.runner.stop(game, interaction.user.id)
        if embed is None:  # it ended on its own meanwhile
            embed = render.notice_embed(t(lang_of(interaction), "trivia.error.no_game"))
        await interaction.followup.send(embed=embed)

    # ------------------------------------------------------------ /trivia leaderboard

    @app_commands.command(name=_("leaderboard"), description=_("The server's best players"))
    @app_commands.describe(period=_("Which period (default: this season)"))
    @app_commands.choices(period=[app_commands.Choice(name=_(name), value=key) for key, name in PERIODS.items()])
    @app_commands.guild_only()
    async def leaderboard(self, interaction: Interaction, period: app_commands.Choice[str] | None = None) -> None:
        await self.show_board(interaction, period.value if period else "season", 1, edit=False)

    async def show_board(
        self, interaction: Interaction, period: str, page: int, edit: bool, lang: str | None = None
    ) -> None:
        """One leaderboard page, sent (``edit=False``) or edited into the message whose button was pressed."""
        guild_id = _guild_only(interaction)
        lang = lang or lang_of(interaction)
        repo = self.runner.repo
        now = interaction.client.clock.now()
        start, reset = period_bounds(period, now)
        season_id, number, _started = await repo.season(guild_id, int(now.timestamp()))
        page = max(1, page)
        rows, total = await repo.leaderboard(
            guild_id,
            season_id=season_id if period == "season" else None,
            since=start * 1000 if start is not None else None,
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        pages = max(1, -(-total // PAGE_SIZE))
        if reset is not None:
            resets = t(lang, "trivia.board.resets", at=reset)
        elif period == "season":
            resets = t(lang, "trivia.board.season_resets", season=number)
        else:
            resets = t(lang, "trivia.board.never")
        embed = render.board_embed(rows, (page - 1) * PAGE_SIZE, page, pages, period, resets, lang)
        view = board_view(period, page, pages, lang)
        if edit:
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            await interaction.response.send_message(embed=embed, view=view or discord.utils.MISSING)

    # ------------------------------------------------------------ /trivia stats

    @app_commands.command(name=_("stats"), description=_("Games, accuracy, streak, points and rank"))
    @app_commands.describe(member=_("Whose stats (default: yours)"))
    @app_commands.guild_only()
    async def stats(self, interaction: Interaction, member: discord.Member | None = None) -> None:
        guild_id = _guild_only(interaction)
        lang = lang_of(interaction)
        who = member or interaction.user
        now = int(interaction.client.clock.now().timestamp())
        season_id, _number, _started = await self.runner.repo.season(guild_id, now)
        found = await self.runner.repo.stats(guild_id, who.id, season_id)
        embed = render.stats_embed(
            echo(who.display_name, 64),
            found.games,
            found.answers,
            found.right,
            found.best_streak,
            found.points,
            found.rank,
            lang,
        )
        await interaction.response.send_message(embed=embed)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class TriviaAdmin(
    app_commands.Group,
    name=_("trivia-admin"),
    description=_("Trivia for moderators: end a season, change the settings (Manage Server)"),
):
    """/trivia-admin: the moderators' trivia commands, a top-level command of their own because Discord lets
    only a top-level command be hidden by default permissions (a /trivia subcommand is shown to every fan).
    Manage Server is checked again on the server side, since a server may widen who sees the command."""

    def __init__(self, runner: TriviaRunner) -> None:
        super().__init__()
        self.runner = runner

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await require_manager(interaction)

    @app_commands.command(
        name=_("season-end"),
        description=_("Archive this season, show its top three and start the next (Manage Server)"),
    )
    async def season_end(self, interaction: Interaction) -> None:
        guild_id = _guild_only(interaction)
        now = int(interaction.client.clock.now().timestamp())
        number, top, new = await self.runner.repo.end_season(guild_id, now)
        await interaction.response.send_message(embed=render.season_embed(number, top, new, lang_of(interaction)))

    @app_commands.command(name=_("settings"), description=_("The server's trivia settings (Manage Server)"))
    @app_commands.describe(
        min_players=_("Fewest players for a game to count toward the season"), seconds=_("Default seconds per question")
    )
    @app_commands.rename(min_players=_("min-players"))
    async def settings(
        self,
        interaction: Interaction,
        min_players: app_commands.Range[int, 1, 25] | None = None,
        seconds: app_commands.Range[int, 10, 60] | None = None,
    ) -> None:
        guild_id = _guild_only(interaction)
        repo = self.runner.repo
        if min_players is not None or seconds is not None:
            await repo.set_settings(guild_id, min_players, seconds, int(interaction.client.clock.now().timestamp()))
        current_min, current_seconds = await repo.settings(guild_id)
        await interaction.response.send_message(
            t(lang_of(interaction), "trivia.settings.saved", count=current_min, seconds=current_seconds),
            ephemeral=True,
        )


async def setup(bot: Lightstick) -> None:
    await bot.add_cog(Trivia(bot))
