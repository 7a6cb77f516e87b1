"""Runs the games: one task per running game that posts a round, sleeps until it ends on the bot's
injectable clock (``await clock.sleep_until``, never a polling loop), reveals it and goes on.

The database holds the state (bot/db/trivia.py); this module only keeps caches it can rebuild, so a
restart resumes every running game: a round with time left keeps its deadline, a round whose time ran
out while the bot was down is revealed at once with the answers it received. ``close()`` (called when the
cog unloads, which ``Bot.close()`` does) cancels every task.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import random
from collections import OrderedDict
from typing import TYPE_CHECKING

import discord

from bot.content.answers import AnswerKey
from bot.db.trivia import Answer, Game, Round, TriviaRepo
from bot.trivia import game as rules
from bot.trivia.questions import TriviaQuestion, build_pool

if TYPE_CHECKING:
    from bot.app import Lightstick

log = logging.getLogger(__name__)
UTC = dt.timezone.utc


def to_ms(instant: dt.datetime) -> int:
    return int(instant.timestamp() * 1000)


def from_ms(ms: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, UTC)


@dataclasses.dataclass
class LiveRound:
    """What a click needs to be judged without touching the database: rebuilt from it on a cache miss."""

    game: Game
    round: Round
    question: TriviaQuestion
    key: AnswerKey | None
    revealed: bool = False
    picks: dict[int, int] = dataclasses.field(default_factory=dict)  # user id -> display option, first pick

    @property
    def opened_ms(self) -> int:
        """When Discord created the round's message (its snowflake), else the round's start on the bot clock."""
        if self.round.message_id:
            return rules.snowflake_ms(self.round.message_id)
        return self.round.started_at


class TriviaRunner:
    """Every running game of one bot. Create once (the trivia cog does), :meth:`resume` after login."""

    LIVE_ROUNDS = 4096

    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self.locks: dict[int, asyncio.Lock] = {}
        self._live: OrderedDict[tuple[int, int], LiveRound] = OrderedDict()
        self._loading: dict[tuple[int, int], asyncio.Future[LiveRound | None]] = {}
        self._pool: tuple[object, dict[str, TriviaQuestion]] | None = None
        self._pool_lock = asyncio.Lock()

    @property
    def repo(self) -> TriviaRepo:
        return self.bot.store.trivia

    def now_ms(self) -> int:
        return to_ms(self.bot.clock.now())

    # ------------------------------------------------------------ questions

    async def pool(self) -> dict[str, TriviaQuestion]:
        """Every question by id, rebuilt when the content (the bot's catalogue) changes."""
        catalog = self.bot.catalog
        if self._pool is not None and self._pool[0] is catalog:
            return self._pool[1]
        async with self._pool_lock:
            if self._pool is None or self._pool[0] is not catalog:
                store = self.bot.store
                questions = await store.questions.all()
                facts = [
                    f
                    for f in [await store.facts.get(fid) for fid in dict.fromkeys(q.fact for q in questions)]
                    if f is not None
                ]
                records = (
                    questions,
                    facts,
                    await store.artists.all(),
                    await store.songs.all(),
                    await store.tours.all(),
                    await store.tours.all_shows(),
                )
                built = await asyncio.to_thread(build_pool, *records)  # thousands of songs: off the event loop
                self._pool = (catalog, {q.id: q for q in built})
        return self._pool[1]

    async def has_questions(self, mode: str, about: str | None) -> bool:
        pool = list((await self.pool()).values())
        modes = rules.ROUND_MODES if mode == "mixed" else (mode,)
        return any(rules.pick_question(pool, m, about, {}, (), random.Random(0)) for m in modes)

    # ------------------------------------------------------------ lifecycle

    def start(self, game: Game) -> None:
        """Run (or resume) a game in its own task."""
        task = self.tasks.get(game.id)
        if task is None or task.done():
            self.tasks[game.id] = asyncio.create_task(self._run(game.id), name=f"trivia-game-{game.id}")

    async def resume(self) -> int:
        """Resume every game the database says is running; returns how many."""
        games = await self.repo.running()
        for game in games:
            self.start(game)
        if games:
            log.info("resumed %s trivia game(s)", len(games))
        return len(games)

    async def close(self) -> None:
        """Cancel every game task (their state stays in the database for the next start)."""
        tasks = list(self.tasks.values())
        self.tasks.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def lock(self, game_id: int) -> asyncio.Lock:
        return self.locks.setdefault(game_id, asyncio.Lock())

    async def _run(self, game_id: int) -> None:
        try:
            while await self._step(game_id):
                pass
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the game stays running in the database and resumes on restart
            log.exception("trivia game %s stopped unexpectedly", game_id)
        finally:
            if self.tasks.get(game_id) is asyncio.current_task():
                del self.tasks[game_id]

    async def _step(self, game_id: int) -> bool:
        """Play one round (open or resume it, wait, reveal). False when the game is over."""
        game = await self.repo.game(game_id)
        if game is None or game.status != "running":
            return False
        rnd = await self.repo.last_round(game_id)
        if rnd is None or rnd.revealed_at is not None:
            number = rnd.number + 1 if rnd else 1
            new = await self._new_round(game, number) if number <= game.rounds else None
            if new is None:
                await self.finish(game, None, post=True)
                return False
            rnd = new
        if rnd.message_id is None:
            posted = await self._post(game, rnd)
            if posted is None:  # skipped (its question left the packs) or the channel is gone
                again = await self.repo.game(game_id)
                return again is not None and again.status == "running"
            rnd = posted
        await self.bot.clock.sleep_until(from_ms(rnd.ends_at))
        async with self.lock(game_id):
            # shielded: a stop that cancels this task waits for the lock and finds the round revealed whole
            await asyncio.shield(self.reveal(game, rnd))
        return True

    async def _new_round(self, game: Game, number: int) -> Round | None:
        pool = await self.pool()
        mode = rules.round_modes(game.mode, game.rounds, random.Random(game.seed))[number - 1]
        rng = random.Random(game.seed * 1000 + number)
        seen, used = await self.repo.seen(game.guild_id), await self.repo.used_questions(game.id)
        question = None
        for candidate in [mode] + [m for m in rules.ROUND_MODES if m != mode] * (game.mode == "mixed"):
            question = rules.pick_question(list(pool.values()), candidate, game.about, seen, used, rng)
            if question is not None:
                mode = candidate
                break
        if question is None:
            return None
        order, right = rules.options(question, mode, rng)
        now = self.now_ms()
        return await self.repo.add_round(game, number, question.id, mode, order, right, now, now + game.seconds * 1000)

    # ------------------------------------------------------------ Discord side

    def channel(self, game: Game) -> discord.PartialMessageable:
        return self.bot.get_partial_messageable(game.channel_id, guild_id=game.guild_id)

    async def _post(self, game: Game, rnd: Round) -> Round | None:
        from bot.render import trivia as render
        from bot.trivia.views import round_view

        question = (await self.pool()).get(rnd.question_id)
        if question is None:  # content changed under a running game: skip the round
            await self.repo.reveal(rnd, game.guild_id, [], self.now_ms())
            return None
        embed = render.question_embed(
            question, rnd.mode, rnd.options, rnd.number, game.rounds, rnd.ends_at // 1000, game.lang
        )
        try:
            message = await self.channel(game).send(embed=embed, view=round_view(game, rnd, question, game.lang))
        except (discord.Forbidden, discord.NotFound):
            log.warning("trivia game %s can't post in channel %s any more; stopping it", game.id, game.channel_id)
            await self.repo.end_game(game.id, "stopped", False, self.now_ms() // 1000)
            return None
        await self.repo.set_message(rnd.id, message.id)
        posted = dataclasses.replace(rnd, message_id=message.id)
        self._remember(game, posted, question)  # clicks on it are judged from memory
        return posted

    async def live(self, game_id: int, number: int) -> LiveRound | None:
        """The open round ``number`` of a running game, or None (no such game or round, or revealed).

        Kept in memory from the moment the round is posted; after a restart the first click loads it, and
        clicks arriving meanwhile wait for that one load instead of each reading the database."""
        key = (game_id, number)
        found = self._live.get(key)
        if found is None:
            loading = self._loading.get(key)
            if loading is None:
                loading = self._loading[key] = asyncio.ensure_future(self._load_live(game_id, number))
                loading.add_done_callback(lambda _done: self._loading.pop(key, None))
            found = await asyncio.shield(loading)
            if found is None:
                return None
        if found.revealed or self.now_ms() >= found.round.ends_at:
            return None
        return found

    async def _load_live(self, game_id: int, number: int) -> LiveRound | None:
        game = await self.repo.game(game_id)
        rnd = await self.repo.round(game_id, number) if game else None
        question = (await self.pool()).get(rnd.question_id) if rnd else None
        if game is None or rnd is None or question is None:
            return None
        await self.repo.flush()  # picks still queued (a round evicted from memory) are read back too
        found = self._remember(game, rnd, question)
        found.picks.update({a.user_id: a.choice for a in await self.repo.answers(rnd.id) if a.choice is not None})
        return found

    def _remember(self, game: Game, rnd: Round, question: TriviaQuestion) -> LiveRound:
        wrong = [form for w in question.wrong for form in (w.en, w.ko) if form]  # typed exactly: always wrong
        key = AnswerKey(question.accepted, wrong) if rnd.mode == "typed" else None
        found = LiveRound(game, rnd, question, key, revealed=rnd.revealed_at is not None or game.status != "running")
        self._live[(game.id, rnd.number)] = found
        if len(self._live) > self.LIVE_ROUNDS:
            self._live.popitem(last=False)
        return found

    async def reveal(self, game: Game, rnd: Round) -> None:
        """Score and close a round, then edit its message to show the answer. Does nothing twice."""
        from bot.render import trivia as render
        from bot.trivia.views import revealed_view

        closed = await self._close_round(game, rnd)
        if closed is None:
            return
        answers, scored = closed
        question = (await self.pool()).get(rnd.question_id)
        if question is None or rnd.message_id is None:
            return
        counts = [sum(1 for a in answers if a.choice == i) for i in range(len(rnd.options))]
        right = [(s.user_id, s.points.total) for s in scored if s.right]
        citation = self.bot.catalog.cite(question.source, game.lang)
        embed = render.reveal_embed(
            question,
            rnd.mode,
            rnd.options,
            rnd.right_index,
            rnd.number,
            game.rounds,
            counts,
            right,
            len(answers),
            citation,
            game.lang,
        )
        try:
            await (
                self.channel(game)
                .get_partial_message(rnd.message_id)
                .edit(embed=embed, view=revealed_view(game, rnd, question, game.lang))
            )
        except discord.HTTPException:
            log.warning("could not edit the reveal of game %s round %s", game.id, rnd.number)

    async def _close_round(self, game: Game, rnd: Round) -> tuple[list[Answer], list[rules.Scored]] | None:
        """Score a round with the answers it got and close it in the database (no Discord): its answers and
        scores, or None if it was closed already."""
        live = self._live.get((game.id, rnd.number))
        if live is not None:
            live.revealed = True  # no new pick from here on (this runs before any await)
        await self.repo.flush()  # every pick acknowledged so far is in the database
        answers = [a for a in await self.repo.answers(rnd.id) if a.tries or a.choice is not None]
        streaks = await self.repo.streaks(game.id, rnd.number)
        scored = rules.score_round(
            [(a.user_id, a.right, a.elapsed_ms or 0, a.hints, a.interaction_id or 0) for a in answers],
            game.seconds,
            streaks,
        )
        if not await self.repo.reveal(rnd, game.guild_id, scored, self.now_ms()):
            return None
        self._live.pop((game.id, rnd.number), None)
        return answers, scored

    async def end_without_messages(self) -> list[Game]:
        """End every running game without posting or editing anything; returns them as found, oldest first.

        For games whose channel messages are gone: the playground's previous session, whose loopback Discord
        kept no messages (resuming would edit a reveal into a message that no longer exists). Call before
        :meth:`resume`. Each open round is scored with the answers it got, and the game ends as a stop does:
        ``stopped``, counted for the season when it had enough players."""
        games = await self.repo.running()
        for game in games:
            async with self.lock(game.id):
                rnd = await self.repo.last_round(game.id)
                if rnd is not None and rnd.revealed_at is None:
                    await self._close_round(game, rnd)
                standings = await self.repo.standings(game.id)
                counted = not rules.is_practice(len(standings), game.min_players)
                await self.repo.end_game(game.id, "stopped", counted, self.now_ms() // 1000)
        return games

    async def finish(self, game: Game, stopped_by: int | None, post: bool) -> discord.Embed | None:
        """End a game (finished, or stopped by ``stopped_by``): count it if it had enough players, and
        post its standings (``post``) or return them. None if the game had already ended."""
        from bot.render import trivia as render

        standings = await self.repo.standings(game.id)
        practice = rules.is_practice(len(standings), game.min_players)
        status = "stopped" if stopped_by else "finished"
        if not await self.repo.end_game(game.id, status, not practice, self.now_ms() // 1000):
            return None
        _id, season, _started = await self.repo.season(game.guild_id, self.now_ms() // 1000)  # where it counted
        embed = render.end_embed(standings, practice, game.min_players, season, stopped_by, game.lang)
        if post:
            try:
                await self.channel(game).send(embed=embed)
            except discord.HTTPException:
                log.warning("could not post the end of trivia game %s", game.id)
        return embed

    async def stop(self, game: Game, by: int) -> discord.Embed | None:
        """Stop a game now: its open round is revealed with the answers so far, then it ends."""
        task = self.tasks.pop(game.id, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        async with self.lock(game.id):
            rnd = await self.repo.last_round(game.id)
            if rnd is not None and rnd.revealed_at is None:
                await self.reveal(game, rnd)
            return await self.finish(game, by, post=False)
