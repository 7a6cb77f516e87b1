"""Trivia's tables against a real SQLite file: the database enforces one running game per channel, one
answer per player per round, nothing after the reveal, and seasons that are archived, never deleted."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.db.store import Store
from bot.db.trivia import GameRunning
from bot.trivia.game import Points, Scored

NOW = 1_790_000_000  # UTC seconds


@pytest.fixture
async def store(tmp_path):
    store = await Store.open(tmp_path / "t.sqlite3")
    yield store
    await store.close()


async def start(store: Store, channel: int = 10, guild: int = 1, starter: int = 100):
    return await store.trivia.start_game(
        guild_id=guild,
        channel_id=channel,
        starter_id=starter,
        lang="en",
        mode="buttons",
        rounds=3,
        seconds=20,
        about=None,
        seed=7,
        min_players=2,
        now=NOW,
    )


async def test_one_running_game_per_channel_is_the_databases_rule(store: Store) -> None:
    first = await start(store)
    with pytest.raises(GameRunning) as raised:
        await start(store, starter=200)
    assert raised.value.game == first
    other = await start(store, channel=11)  # another channel is free
    assert other.id != first.id
    with pytest.raises(sqlite3.IntegrityError):  # even bypassing the repository
        async with store.write() as tx:
            await tx.execute("UPDATE trivia_games SET status = 'running', channel_id = 10 WHERE id = ?", (other.id,))
    assert await store.trivia.end_game(first.id, "stopped", False, NOW + 5)
    assert not await store.trivia.end_game(first.id, "finished", True, NOW + 6)  # already over
    again = await start(store)
    assert again.id not in (first.id, other.id)
    assert [g.id for g in await store.trivia.running()] == [other.id, again.id]


async def test_one_answer_per_player_and_none_after_the_reveal(store: Store) -> None:
    game = await start(store)
    rnd = await store.trivia.add_round(game, 1, "q:a", "buttons", [2, 0, 1, 3], 1, NOW * 1000, NOW * 1000 + 20000)
    results = await asyncio.gather(
        *(store.trivia.queue_pick(rnd.id, 500, choice, choice == 1, 1000 + choice, 10) for choice in range(4))
    )
    assert results == [1, 0, 0, 0]  # spamming every option: the first pick queued is the one that counts
    assert [(a.user_id, a.choice) for a in await store.trivia.answers(rnd.id)] == [(500, 0)]
    with pytest.raises(sqlite3.IntegrityError):
        async with store.write() as tx:
            await tx.execute("INSERT INTO trivia_answers (round_id, user_id) VALUES (?, ?)", (rnd.id, 500))
    scored = [Scored(500, False, Points(0, 0, 0), 0, 1000)]
    assert await store.trivia.reveal(rnd, game.guild_id, scored, NOW * 1000 + 20000)
    assert not await store.trivia.reveal(rnd, game.guild_id, scored, NOW * 1000 + 20001)
    assert await store.trivia.queue_pick(rnd.id, 501, 1, True, 2000, 10) == 0  # after the reveal: nothing
    assert not await store.trivia.add_try(rnd.id, 502, "x", True, 2001, 10, 3)
    assert not await store.trivia.add_hint(rnd.id, 503, 2)
    assert [a.user_id for a in await store.trivia.answers(rnd.id)] == [500]


async def test_typed_tries_stop_at_three_and_at_the_right_one(store: Store) -> None:
    game = await start(store)
    rnd = await store.trivia.add_round(game, 1, "q:a", "typed", [], -1, NOW * 1000, NOW * 1000 + 20000)
    assert [await store.trivia.add_try(rnd.id, 7, f"try {i}", False, 10 + i, 5, 3) for i in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert await store.trivia.add_try(rnd.id, 8, "nope", False, 20, 5, 3)
    assert await store.trivia.add_try(rnd.id, 8, "yes", True, 21, 6, 3)
    assert not await store.trivia.add_try(rnd.id, 8, "again", False, 22, 7, 3)  # a right answer stands
    assert [await store.trivia.add_hint(rnd.id, 9, 2) for _ in range(3)] == [True, True, False]
    by_user = {a.user_id: a for a in await store.trivia.answers(rnd.id)}
    assert (by_user[7].tries, by_user[7].typed, by_user[7].right) == (3, "try 2", False)
    assert (by_user[8].tries, by_user[8].typed, by_user[8].right, by_user[8].interaction_id) == (2, "yes", True, 21)
    assert (by_user[9].tries, by_user[9].hints) == (0, 2)


async def test_seasons_are_archived_never_deleted(store: Store) -> None:
    game = await start(store)
    rnd = await store.trivia.add_round(game, 1, "q:a", "buttons", [0, 1, 2, 3], 0, NOW * 1000, NOW * 1000 + 20000)
    for user in (1, 2, 3, 4):
        await store.trivia.queue_pick(rnd.id, user, 0, True, user, 1)
    await store.trivia.reveal(
        rnd,
        1,
        [Scored(u, True, Points(p, 0, 0), 1, u) for u, p in ((1, 150), (2, 120), (3, 100), (4, 90))],
        NOW * 1000 + 1,
    )
    await store.trivia.end_game(game.id, "finished", True, NOW + 30)
    number, top, new = await store.trivia.end_season(1, NOW + 60)
    assert (number, top, new) == (1, [(1, 150), (2, 120), (3, 100)], 2)
    with pytest.raises(sqlite3.IntegrityError):
        async with store.write() as tx:
            await tx.execute("DELETE FROM trivia_seasons")
    season_id, number, _ = await store.trivia.season(1, NOW + 61)
    assert number == 2
    assert (await store.trivia.leaderboard(1, season_id=season_id))[0] == []
    assert (await store.trivia.leaderboard(1))[0] == [(1, 150), (2, 120), (3, 100), (4, 90)]


async def test_settings_default_and_partial_update(store: Store) -> None:
    assert await store.trivia.settings(5) == (2, 20)
    await store.trivia.set_settings(5, None, 30, NOW)
    assert await store.trivia.settings(5) == (2, 30)
    await store.trivia.set_settings(5, 4, None, NOW)
    assert await store.trivia.settings(5) == (4, 30)
