"""Trivia's community tables (migration 003): every SQL statement of the game lives here.

Reads use the store's read connection; every write goes through ``store.write()`` (one transaction,
``BEGIN IMMEDIATE``). Answers arriving together (a busy round: many players clicking in the same second)
are group-committed: each caller waits for its own row, and a batch of rows shares one transaction.
Times are UTC: seconds for games and seasons, milliseconds for rounds (their timers), as the columns say.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.trivia.game import DEFAULT_MIN_PLAYERS, DEFAULT_SECONDS, Scored

if TYPE_CHECKING:
    from bot.db.store import Store, Transaction


@dataclasses.dataclass(frozen=True)
class Game:
    id: int
    guild_id: int
    channel_id: int
    season_id: int
    starter_id: int
    lang: str
    mode: str
    rounds: int
    seconds: int
    about: str | None
    seed: int
    min_players: int
    status: str
    counted: bool
    started_at: int
    ended_at: int | None


@dataclasses.dataclass(frozen=True)
class Round:
    id: int
    game_id: int
    number: int
    question_id: str
    mode: str
    options: tuple[int, ...]
    right_index: int
    started_at: int  # ms
    ends_at: int  # ms
    message_id: int | None
    revealed_at: int | None


@dataclasses.dataclass(frozen=True)
class Answer:
    user_id: int
    choice: int | None
    typed: str | None
    tries: int
    hints: int
    right: bool
    interaction_id: int | None
    elapsed_ms: int | None
    points: int
    streak: int


@dataclasses.dataclass(frozen=True)
class Stats:
    games: int
    answers: int
    right: int
    best_streak: int
    points: int
    rank: int | None  # None when the member has no points this season


def _game(r: sqlite3.Row) -> Game:
    return Game(
        **{k: r[k] for k in r.keys()}  # noqa: SIM118 - a Row iterates its values
        | {"counted": bool(r["counted"])}
    )


def _round(r: sqlite3.Row) -> Round:
    return Round(
        **{k: r[k] for k in r.keys()}  # noqa: SIM118
        | {"options": tuple(json.loads(r["options"]))}
    )


def _answer(r: sqlite3.Row) -> Answer:
    return Answer(
        **{k: r[k] for k in r.keys() if k != "round_id"}  # noqa: SIM118
        | {"right": bool(r["right"])}
    )


class GameRunning(Exception):
    """``start_game`` found a running game in the channel (the partial unique index said so)."""

    def __init__(self, game: Game | None) -> None:
        super().__init__("a game is already running in this channel")
        self.game = game


_PICK = (
    "INSERT INTO trivia_answers (round_id, user_id, choice, tries, right, interaction_id, elapsed_ms) "
    "SELECT ?1, ?2, ?3, 1, ?4, ?5, ?6 WHERE EXISTS "
    "(SELECT 1 FROM trivia_rounds WHERE id = ?1 AND revealed_at IS NULL) "
    "ON CONFLICT (round_id, user_id) DO NOTHING"
)
# The same as _PICK for many rows at once: constant text, only "?" placeholders, one statement per size
# (a batch is cut greedily into these sizes).
_PICK_SIZES = (256, 32, 4, 1)
_MANY_PICKS = {
    n: "INSERT INTO trivia_answers (round_id, user_id, choice, tries, right, interaction_id, elapsed_ms) "  # noqa: S608
    "SELECT v.column1, v.column2, v.column3, 1, v.column4, v.column5, v.column6 FROM (VALUES "
    + ", ".join(["(?, ?, ?, ?, ?, ?)"] * n)
    + ") AS v WHERE EXISTS (SELECT 1 FROM trivia_rounds r WHERE r.id = v.column1 AND r.revealed_at IS NULL) "
    "ON CONFLICT (round_id, user_id) DO NOTHING RETURNING round_id, user_id"
    for n in _PICK_SIZES
}
_TRY = (
    "INSERT INTO trivia_answers (round_id, user_id, typed, tries, right, interaction_id, elapsed_ms) "
    "SELECT ?1, ?2, ?3, 1, ?4, ?5, ?6 WHERE EXISTS "
    "(SELECT 1 FROM trivia_rounds WHERE id = ?1 AND revealed_at IS NULL) "
    "ON CONFLICT (round_id, user_id) DO UPDATE SET typed = excluded.typed, tries = tries + 1, "
    "right = excluded.right, interaction_id = excluded.interaction_id, elapsed_ms = excluded.elapsed_ms "
    "WHERE right = 0 AND tries < ?7"
)
_HINT = (
    "INSERT INTO trivia_answers (round_id, user_id, hints) SELECT ?1, ?2, 1 WHERE EXISTS "
    "(SELECT 1 FROM trivia_rounds WHERE id = ?1 AND revealed_at IS NULL) "
    "ON CONFLICT (round_id, user_id) DO UPDATE SET hints = hints + 1 WHERE right = 0 AND hints < ?3"
)


class TriviaRepo:
    """``store.trivia``: games, rounds, answers, seasons, settings and seen questions."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: list[tuple[str, tuple[object, ...], asyncio.Future[int]]] = []  # (sql, params, waiter)
        self._flusher: asyncio.Task[None] | None = None

    async def _all(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        return list(await self.store.conn.execute_fetchall(sql, params))

    async def _one(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        return next(iter(await self.store.conn.execute_fetchall(sql, params)), None)

    # ------------------------------------------------------------ group commit for answers

    def _queue(self, sql: str, params: tuple[object, ...]) -> asyncio.Future[int]:
        """Queue one write for the next shared transaction (no await: the order of calls is the order of
        writes); the future gives the rows it changed (0 or 1)."""
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._pending.append((sql, params, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return future

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                async with self.store.write() as tx:
                    changed = await self._write_batch(tx, batch)
            except Exception as error:  # noqa: BLE001 - every waiter gets the failure
                for _sql, _params, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_sql, _params, future), rows in zip(batch, changed, strict=True):
                if not future.done():
                    future.set_result(rows)

    @staticmethod
    async def _write_batch(tx: Transaction, batch: Sequence[tuple[str, tuple[object, ...], object]]) -> list[int]:
        """Rows changed by each write of ``batch``, in order. Button picks (the many) go in as multi-row
        INSERTs, a few hundred per statement, so a burst of clicks costs a few statements, not one each."""
        changed = [0] * len(batch)
        picks = [i for i, (sql, _params, _f) in enumerate(batch) if sql is _PICK]
        while picks:
            size = next(n for n in _PICK_SIZES if n <= len(picks))
            chunk, picks = picks[:size], picks[size:]
            params = tuple(value for i in chunk for value in batch[i][1])
            inserted = {(r[0], r[1]) for r in await tx.fetchall(_MANY_PICKS[len(chunk)], params)}
            for i in chunk:  # a player's first pick in the batch is the one that went in
                key = (batch[i][1][0], batch[i][1][1])
                if key in inserted:
                    changed[i] = 1
                    inserted.discard(key)
        for i, (sql, params, _future) in enumerate(batch):
            if sql is not _PICK:
                changed[i] = await tx.execute(sql, params)
        return changed

    async def flush(self) -> None:
        """Wait until every answer handed to the group commit is written."""
        while self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)

    def queue_pick(
        self, round_id: int, user_id: int, choice: int, right: bool, interaction_id: int, elapsed_ms: int
    ) -> asyncio.Future[int]:
        """Queue a button pick now (synchronously, so a reveal's :meth:`flush` includes it); the future
        gives 1 if it went in, 0 if the player had already picked or the round was revealed."""
        return self._queue(_PICK, (round_id, user_id, choice, int(right), interaction_id, elapsed_ms))

    async def add_try(
        self, round_id: int, user_id: int, typed: str, right: bool, interaction_id: int, elapsed_ms: int, max_tries: int
    ) -> bool:
        """Record a typed try. False when the round is revealed, the player was right or is out of tries."""
        params = (round_id, user_id, typed, int(right), interaction_id, elapsed_ms, max_tries)
        return await self._queue(_TRY, params) == 1

    async def add_hint(self, round_id: int, user_id: int, max_hints: int) -> bool:
        """Count a hint. False when the round is revealed, the player was right or took every hint."""
        return await self._queue(_HINT, (round_id, user_id, max_hints)) == 1

    # ------------------------------------------------------------ settings and seasons

    async def settings(self, guild_id: int) -> tuple[int, int]:
        """(min players, default seconds) for a guild."""
        row = await self._one("SELECT min_players, seconds FROM trivia_settings WHERE guild_id = ?", (guild_id,))
        return (row[0], row[1]) if row else (DEFAULT_MIN_PLAYERS, DEFAULT_SECONDS)

    async def set_settings(self, guild_id: int, min_players: int | None, seconds: int | None, now: int) -> None:
        async with self.store.write() as tx:
            await tx.execute(
                "INSERT INTO trivia_settings (guild_id, min_players, seconds, updated_at) "
                "VALUES (?1, coalesce(?2, ?4), coalesce(?3, ?5), ?6) ON CONFLICT (guild_id) DO UPDATE SET "
                "min_players = coalesce(?2, min_players), seconds = coalesce(?3, seconds), updated_at = ?6",
                (guild_id, min_players, seconds, DEFAULT_MIN_PLAYERS, DEFAULT_SECONDS, now),
            )

    @staticmethod
    async def _open_season(tx: Transaction, guild_id: int, now: int) -> tuple[int, int]:
        row = await tx.fetchone(
            "SELECT id, number FROM trivia_seasons WHERE guild_id = ? AND ended_at IS NULL", (guild_id,)
        )
        if row:
            return row[0], row[1]
        last = await tx.fetchone("SELECT max(number) FROM trivia_seasons WHERE guild_id = ?", (guild_id,))
        number = (last[0] or 0) + 1 if last else 1
        await tx.execute(
            "INSERT INTO trivia_seasons (guild_id, number, started_at) VALUES (?, ?, ?)", (guild_id, number, now)
        )
        return int(tx.lastrowid or 0), number

    async def season(self, guild_id: int, now: int) -> tuple[int, int, int]:
        """The open season (id, number, started_at), opened now if the guild has none."""
        row = await self._one(
            "SELECT id, number, started_at FROM trivia_seasons WHERE guild_id = ? AND ended_at IS NULL", (guild_id,)
        )
        if row:
            return row[0], row[1], row[2]
        async with self.store.write() as tx:
            season_id, number = await self._open_season(tx, guild_id, now)
        return season_id, number, now

    async def end_season(self, guild_id: int, now: int) -> tuple[int, list[tuple[int, int]], int]:
        """Archive the open season (kept, with its top three) and open the next.
        Returns (ended season number, [(user_id, points)] top three, new season number)."""
        async with self.store.write() as tx:
            season_id, number = await self._open_season(tx, guild_id, now)
            rows = await tx.fetchall(_BOARDS["season"] + " LIMIT 3", (guild_id, season_id))
            top = [(r[0], r[1]) for r in rows]
            await tx.execute(
                "UPDATE trivia_seasons SET ended_at = ?, top = ? WHERE id = ?", (now, json.dumps(top), season_id)
            )
            _new_id, new_number = await self._open_season(tx, guild_id, now)
        return number, top, new_number

    # ------------------------------------------------------------ games and rounds

    async def start_game(
        self,
        *,
        guild_id: int,
        channel_id: int,
        starter_id: int,
        lang: str,
        mode: str,
        rounds: int,
        seconds: int,
        about: str | None,
        seed: int,
        min_players: int,
        now: int,
    ) -> Game:
        """Create a running game. Raises :class:`GameRunning` when the channel has one (the database's
        partial unique index decides, so two starts at once cannot both win)."""
        try:
            async with self.store.write() as tx:
                season_id, _number = await self._open_season(tx, guild_id, now)
                await tx.execute(
                    "INSERT INTO trivia_games (guild_id, channel_id, season_id, starter_id, lang, mode, rounds, "
                    "seconds, about, seed, min_players, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        guild_id,
                        channel_id,
                        season_id,
                        starter_id,
                        lang,
                        mode,
                        rounds,
                        seconds,
                        about,
                        seed,
                        min_players,
                        now,
                    ),
                )
                game_id = tx.lastrowid
        except sqlite3.IntegrityError:
            raise GameRunning(await self.running_in(channel_id)) from None
        game = await self.game(int(game_id or 0))
        assert game is not None
        return game

    async def game(self, game_id: int) -> Game | None:
        row = await self._one("SELECT * FROM trivia_games WHERE id = ?", (game_id,))
        return _game(row) if row else None

    async def running_in(self, channel_id: int) -> Game | None:
        row = await self._one("SELECT * FROM trivia_games WHERE channel_id = ? AND status = 'running'", (channel_id,))
        return _game(row) if row else None

    async def running(self) -> list[Game]:
        """Every running game, oldest first (resumed when the bot starts)."""
        return [_game(r) for r in await self._all("SELECT * FROM trivia_games WHERE status = 'running' ORDER BY id")]

    async def end_game(self, game_id: int, status: str, counted: bool, now: int) -> bool:
        """Finish or stop a running game; False if it had already ended. The game counts toward the season
        open when it ends: a season ended meanwhile keeps the results it announced."""
        async with self.store.write() as tx:
            return (
                await tx.execute(
                    "UPDATE trivia_games SET status = ?, counted = ?, ended_at = ?, season_id = coalesce("
                    "(SELECT s.id FROM trivia_seasons s WHERE s.guild_id = trivia_games.guild_id "
                    "AND s.ended_at IS NULL), season_id) WHERE id = ? AND status = 'running'",
                    (status, int(counted), now, game_id),
                )
                == 1
            )

    async def add_round(
        self,
        game: Game,
        number: int,
        question_id: str,
        mode: str,
        options: Sequence[int],
        right_index: int,
        started_ms: int,
        ends_ms: int,
    ) -> Round:
        async with self.store.write() as tx:
            await tx.execute(
                "INSERT INTO trivia_rounds (game_id, number, question_id, mode, options, right_index, started_at, "
                "ends_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (game.id, number, question_id, mode, json.dumps(list(options)), right_index, started_ms, ends_ms),
            )
            await tx.execute(
                "INSERT INTO trivia_seen (guild_id, question_id, seen_at) VALUES (?, ?, ?) "
                "ON CONFLICT (guild_id, question_id) DO UPDATE SET seen_at = excluded.seen_at",
                (game.guild_id, question_id, started_ms // 1000),
            )
        found = await self.round(game.id, number)
        assert found is not None
        return found

    async def set_message(self, round_id: int, message_id: int) -> None:
        async with self.store.write() as tx:
            await tx.execute("UPDATE trivia_rounds SET message_id = ? WHERE id = ?", (message_id, round_id))

    async def round(self, game_id: int, number: int) -> Round | None:
        row = await self._one("SELECT * FROM trivia_rounds WHERE game_id = ? AND number = ?", (game_id, number))
        return _round(row) if row else None

    async def last_round(self, game_id: int) -> Round | None:
        row = await self._one("SELECT * FROM trivia_rounds WHERE game_id = ? ORDER BY number DESC LIMIT 1", (game_id,))
        return _round(row) if row else None

    async def used_questions(self, game_id: int) -> list[str]:
        return [r[0] for r in await self._all("SELECT question_id FROM trivia_rounds WHERE game_id = ?", (game_id,))]

    async def seen(self, guild_id: int) -> dict[str, bool]:
        """Question id -> whether anyone in the guild ever got it right."""
        rows = await self._all("SELECT question_id, answered FROM trivia_seen WHERE guild_id = ?", (guild_id,))
        return {r[0]: bool(r[1]) for r in rows}

    async def answers(self, round_id: int) -> list[Answer]:
        """A round's answers, earliest interaction first."""
        rows = await self._all(
            "SELECT * FROM trivia_answers WHERE round_id = ? ORDER BY interaction_id, user_id", (round_id,)
        )
        return [_answer(r) for r in rows]

    async def answer(self, round_id: int, user_id: int) -> Answer | None:
        row = await self._one("SELECT * FROM trivia_answers WHERE round_id = ? AND user_id = ?", (round_id, user_id))
        return _answer(row) if row else None

    async def streaks(self, game_id: int, number: int) -> dict[int, int]:
        """Each player's right answers in a row before round ``number`` (from the round before it)."""
        rows = await self._all(
            "SELECT a.user_id, a.streak FROM trivia_answers a JOIN trivia_rounds r ON r.id = a.round_id "
            "WHERE r.game_id = ? AND r.number = ? AND a.right = 1",
            (game_id, number - 1),
        )
        return {r[0]: r[1] for r in rows}

    async def reveal(self, rnd: Round, guild_id: int, scored: Sequence[Scored], now_ms: int) -> bool:
        """Close a round and store its points. False (and nothing changed) if it was already revealed."""
        async with self.store.write() as tx:
            if (
                await tx.execute(
                    "UPDATE trivia_rounds SET revealed_at = ? WHERE id = ? AND revealed_at IS NULL", (now_ms, rnd.id)
                )
                != 1
            ):
                return False
            await tx.executemany(
                "UPDATE trivia_answers SET points = ?, streak = ? WHERE round_id = ? AND user_id = ?",
                [(s.points.total, s.streak, rnd.id, s.user_id) for s in scored],
            )
            if any(s.right for s in scored):
                await tx.execute(
                    "UPDATE trivia_seen SET answered = 1 WHERE guild_id = ? AND question_id = ?",
                    (guild_id, rnd.question_id),
                )
        return True

    async def standings(self, game_id: int) -> list[tuple[int, int, int]]:
        """(user_id, points, right answers) of a game's players, best first, then by who answered first."""
        rows = await self._all(
            "SELECT a.user_id, sum(a.points), sum(a.right), min(a.interaction_id) FROM trivia_answers a "
            "JOIN trivia_rounds r ON r.id = a.round_id WHERE r.game_id = ? AND (a.tries > 0 OR a.choice IS NOT NULL) "
            "GROUP BY a.user_id ORDER BY sum(a.points) DESC, min(a.interaction_id)",
            (game_id,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    # ------------------------------------------------------------ leaderboard and stats

    async def leaderboard(
        self, guild_id: int, *, season_id: int | None = None, since: int | None = None, offset: int = 0, limit: int = 10
    ) -> tuple[list[tuple[int, int]], int]:
        """One page of (user_id, points), best first (ties: who reached the total first), and how many
        players there are. Only counted games; ``since`` filters rounds revealed after a UTC ms instant."""
        period, param = _period(season_id, since)
        rows = await self._all(_PAGES[period], (guild_id, param, limit, offset))
        total = await self._one(_COUNTS[period], (guild_id, param))
        return [(r[0], r[1]) for r in rows], int(total[0]) if total else 0

    async def stats(self, guild_id: int, user_id: int, season_id: int) -> Stats:
        row = await self._one(
            "SELECT count(DISTINCT r.game_id), sum(a.tries > 0 OR a.choice IS NOT NULL), sum(a.right), max(a.streak), "
            "sum(CASE WHEN g.season_id = ?3 AND g.counted = 1 THEN a.points ELSE 0 END) FROM trivia_answers a "
            "JOIN trivia_rounds r ON r.id = a.round_id JOIN trivia_games g ON g.id = r.game_id "
            "WHERE g.guild_id = ?1 AND a.user_id = ?2 AND g.counted = 1",
            (guild_id, user_id, season_id),
        )
        games, answers, right, best, points = tuple(row) if row else (0, 0, 0, 0, 0)
        rank = None
        if points:
            ahead = await self._one(_AHEAD, (guild_id, season_id, points))
            rank = int(ahead[0]) + 1 if ahead else 1
        return Stats(int(games or 0), int(answers or 0), int(right or 0), int(best or 0), int(points or 0), rank)


_BOARD = (
    "SELECT a.user_id AS user_id, sum(a.points) AS points FROM trivia_answers a "
    "JOIN trivia_rounds r ON r.id = a.round_id JOIN trivia_games g ON g.id = r.game_id "
    "WHERE g.guild_id = ?1 AND g.counted = 1 AND {where} GROUP BY a.user_id HAVING sum(a.points) > 0 "
    "ORDER BY sum(a.points) DESC, max(r.revealed_at), a.user_id"
)


# The leaderboard for a season, since an instant, or of all time: constant SQL, the period a ?2 parameter.
_BOARDS = {
    "season": _BOARD.format(where="g.season_id = ?2"),
    "since": _BOARD.format(where="r.revealed_at >= ?2"),
    "all": _BOARD.format(where="?2 IS NULL"),
}


_PAGES = {period: sql + " LIMIT ?3 OFFSET ?4" for period, sql in _BOARDS.items()}
_COUNTS = {period: f"SELECT count(*) FROM ({sql})" for period, sql in _BOARDS.items()}  # noqa: S608 - constants
_AHEAD = f"SELECT count(*) FROM ({_BOARDS['season']}) WHERE points > ?3"  # noqa: S608 - constants


def _period(season_id: int | None, since: int | None) -> tuple[str, Any]:
    if season_id is not None:
        return "season", season_id
    if since is not None:
        return "since", since
    return "all", None
