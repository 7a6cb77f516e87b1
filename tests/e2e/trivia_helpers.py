"""Helpers for the /trivia end-to-end tests: start a game, wait for its messages, steer which question comes."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any

from bot.app import Lightstick
from bot.clock import FrozenClock
from bot.playground.emulator import Channel, Emulator, Member
from bot.trivia.game import snowflake_ms


async def until(clock: FrozenClock, check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Let the bot work (real event-loop time; the frozen clock does not move) until ``check()`` is truthy."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await clock.settle()
        found = check()
        if found:
            return found
        if loop.time() > deadline:
            raise TimeoutError("the bot did not get there in time")
        await asyncio.sleep(0.01)


def posts(emu: Emulator, channel: Channel) -> list[dict[str, Any]]:
    """The bot's channel posts (round questions and game ends), oldest first, as they look now (edits applied)."""
    return emu.channel_messages(channel)


def title(message: dict[str, Any]) -> str:
    return str((message.get("embeds") or [{}])[0].get("title") or "")


def embed(message: dict[str, Any]) -> dict[str, Any]:
    return (message.get("embeds") or [{}])[0]


def labels(message: dict[str, Any]) -> list[str]:
    return [c.get("label") for row in message.get("components") or [] for c in row.get("components") or []]


async def next_question(emu: Emulator, clock: FrozenClock, channel: Channel, number: int) -> dict[str, Any]:
    """Wait for the open round ``number`` question to be posted (title "Question N of ..." or "...중 N번",
    not yet revealed)."""

    def find() -> dict[str, Any] | None:
        for message in reversed(posts(emu, channel)):
            heading = title(message)
            if (
                heading.startswith(f"Question {number} of") or heading.endswith(f"중 {number}번")
            ) and "·" not in heading:
                return message
        return None

    return await until(clock, find)


async def reveal(emu: Emulator, clock: FrozenClock, message: dict[str, Any], seconds: float = 20) -> dict[str, Any]:
    """Move the clock past the round's end and wait for its message to be edited into the reveal."""
    clock.advance(dt.timedelta(seconds=seconds))
    mid = int(message["id"])
    return await until(clock, lambda: emu._messages[mid] if "·" in title(emu._messages[mid]) else None)


async def game_end(emu: Emulator, clock: FrozenClock, channel: Channel) -> dict[str, Any]:
    """Wait until the channel's newest post is a game's end, and return it."""

    def newest_end() -> dict[str, Any] | None:
        found = posts(emu, channel)
        return found[-1] if found and title(found[-1]) in ("🏆 Game over", "🏆 게임 끝") else None

    return await until(clock, newest_end)


async def only_question(bot: Lightstick, guild_id: int, question_ids: list[str]) -> None:
    """Make ``question_ids`` the only questions this guild hasn't seen, so they come next (in some order)."""
    pool = await bot.get_cog("Trivia").runner.pool()  # type: ignore[union-attr]
    async with bot.store.write() as tx:
        await tx.executemany(
            "INSERT OR REPLACE INTO trivia_seen (guild_id, question_id, seen_at, answered) VALUES (?, ?, 0, 1)",
            [(guild_id, qid) for qid in pool if qid not in question_ids],
        )
        await tx.executemany(
            "DELETE FROM trivia_seen WHERE guild_id = ? AND question_id = ?", [(guild_id, qid) for qid in question_ids]
        )


def at(message: dict[str, Any], seconds: float) -> float:
    """The Unix time ``seconds`` after Discord created ``message`` (for an interaction's created_at)."""
    return snowflake_ms(int(message["id"])) / 1000 + seconds


async def start(emu: Emulator, channel: Channel, member: Member, **options: Any) -> Any:
    return await emu.command(channel, member, "trivia", options, subcommand="start")


async def right_option(bot: Lightstick, channel: Channel) -> int:
    """The display index of the open round's right option (what a test player "knows")."""
    game = await bot.store.trivia.running_in(channel.id)
    assert game is not None
    rnd = await bot.store.trivia.last_round(game.id)
    assert rnd is not None
    return rnd.right_index
