"""A trivia game survives a restart: the open round resumes with the time it had left, or is revealed at
once with the answers it received when its time ran out while the bot was down; its buttons keep working."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.app import open_bot
from bot.clock import FrozenClock
from bot.playground.emulator import Emulator
from bot.trivia.runner import TriviaRunner
from tests.e2e.conftest import NOW, make_settings, populate, running_bot
from tests.e2e.trivia_helpers import embed, next_question, right_option, start, title, until
from tests.e2e.trivia_helpers import only_question as only_question_ids


@pytest_asyncio.fixture
async def stage(tmp_path: Path) -> AsyncIterator[tuple[Emulator, FrozenClock, dict[str, Any], Path]]:
    emu = Emulator()
    await emu.start()
    try:
        yield emu, FrozenClock(NOW), populate(emu), tmp_path
        assert not emu.violations, f"Discord would have rejected: {emu.violations}"
    finally:
        await emu.stop()


def right_line(message: dict[str, Any]) -> tuple[str, str]:
    found = next(f for f in embed(message)["fields"] if f["name"].startswith("Right"))
    return found["name"], found["value"]


async def test_a_restart_in_the_middle_of_a_round_resumes_it(stage) -> None:  # type: ignore[no-untyped-def]
    emu, clock, people, tmp_path = stage
    general, fan, fan_ko = people["general"], people["fan"], people["fan_ko"]
    settings = make_settings(tmp_path)
    async with running_bot(emu, settings, clock) as bot:
        await start(emu, general, fan, rounds=2)
        question = await next_question(emu, clock, general, 1)
        right = await right_option(bot, general)
        await emu.click(question, fan, index=right)
        clock.advance(dt.timedelta(seconds=5))
        await clock.settle()
    assert title(emu._messages[int(question["id"])]) == "Question 1 of 2"  # not revealed by the shutdown
    clock.advance(dt.timedelta(seconds=5))  # down for 5 s: 10 s of the round are left
    async with running_bot(emu, settings, clock) as bot:
        picked = await emu.click(question, fan_ko, index=right)  # the old message's buttons still work
        assert picked.ephemeral and picked.content.startswith("🔒 ")
        clock.advance(dt.timedelta(seconds=9))
        await clock.settle(20)
        assert title(emu._messages[int(question["id"])]) == "Question 1 of 2"  # 1 s left: still open
        clock.advance(dt.timedelta(seconds=1))
        done = await until(clock, lambda: "·" in title(emu._messages[int(question["id"])]))
        assert done
        name, value = right_line(emu._messages[int(question["id"])])
        assert name == "Right · 2 players answered"
        assert [line.split(" +")[0] for line in value.splitlines()] == [f"⚡ <@{fan.id}>", f"<@{fan_ko.id}>"]
        second = await next_question(emu, clock, general, 2)
        assert embed(second)["description"].endswith(f"Time's up <t:{int(clock.now().timestamp()) + 20}:R>.")


async def test_a_restart_longer_than_the_round_reveals_it_at_once(stage) -> None:  # type: ignore[no-untyped-def]
    emu, clock, people, tmp_path = stage
    general, fan, admin = people["general"], people["fan"], people["admin"]
    settings = make_settings(tmp_path)
    async with running_bot(emu, settings, clock) as bot:
        await start(emu, general, fan, rounds=2)
        question = await next_question(emu, clock, general, 1)
        await emu.click(question, fan, index=await right_option(bot, general))
        await emu.click(question, admin, index=(await right_option(bot, general) + 1) % 4)
    clock.advance(dt.timedelta(minutes=10))  # down far longer than the round
    async with running_bot(emu, settings, clock):
        await until(clock, lambda: "·" in title(emu._messages[int(question["id"])]))
        name, value = right_line(emu._messages[int(question["id"])])
        assert name == "Right · 2 players answered"
        assert value.startswith(f"⚡ <@{fan.id}> +")
        second = await next_question(emu, clock, general, 2)  # and the game goes on
        assert embed(second)["description"].endswith(f"Time's up <t:{int(clock.now().timestamp()) + 20}:R>.")
        clock.advance(dt.timedelta(seconds=20))
        end = await until(
            clock, lambda: next((m for m in emu.channel_messages(general) if title(m) == "🏆 Game over"), None)
        )
        assert embed(end)["description"].splitlines()[0].startswith(f"**1.** <@{fan.id}> · ")


async def test_an_answer_form_opened_before_a_restart_is_judged_after_it(stage) -> None:  # type: ignore[no-untyped-def]
    emu, clock, people, tmp_path = stage
    general, fan = people["general"], people["fan"]
    settings = make_settings(tmp_path)
    async with running_bot(emu, settings, clock) as bot:
        await only_question_ids(bot, people["guild"].id, ["q:q-melon-chart"])
        await start(emu, general, fan, rounds=1, mode="typed")
        question = await next_question(emu, clock, general, 1)
        opened = await emu.click(question, fan, label="Answer")
    async with running_bot(emu, settings, clock):
        answered = await emu.submit_modal(opened, fan, {"answer": "Melon"})
        assert answered.ephemeral and answered.content == "✅ Right: **Melon**! Your points come at the reveal."


async def test_games_whose_messages_are_gone_end_without_a_word_to_discord(stage) -> None:  # type: ignore[no-untyped-def]
    """The playground's next session (its loopback Discord keeps no messages): every running game ends
    before the bot starts; its open round is scored with the answers it got, and it counts for the season
    with enough players, as a stop does. Nothing is posted or edited, and nothing is resumed."""
    emu, clock, people, tmp_path = stage
    general, fan, admin = people["general"], people["fan"], people["admin"]
    settings = make_settings(tmp_path)
    async with running_bot(emu, settings, clock) as bot:
        await start(emu, general, fan, rounds=2)
        question = await next_question(emu, clock, general, 1)
        right = await right_option(bot, general)
        await emu.click(question, fan, index=right)
        await emu.click(question, admin, index=(right + 1) % 4)
    clock.advance(dt.timedelta(minutes=10))
    requests, messages = len(emu.requests), len(emu.channel_messages(general))
    async with open_bot(settings, clock) as bot:
        ended = await TriviaRunner(bot).end_without_messages()
        assert [(g.id, g.status) for g in ended] == [(1, "running")]  # as they were when found
        game = await bot.store.trivia.game(1)
        assert game is not None and (game.status, game.counted) == ("stopped", True)
        rnd = await bot.store.trivia.last_round(1)
        assert rnd is not None and rnd.number == 1 and rnd.revealed_at is not None
        scored = {a.user_id: (a.right, a.points > 0) for a in await bot.store.trivia.answers(rnd.id)}
        assert scored == {fan.id: (True, True), admin.id: (False, False)}
        assert await TriviaRunner(bot).end_without_messages() == []  # once
    assert len(emu.requests) == requests
    assert title(emu._messages[int(question["id"])]) == "Question 1 of 2"  # not edited
    async with running_bot(emu, settings, clock) as bot:
        clock.advance(dt.timedelta(minutes=1))
        await clock.settle(20)
        assert len(emu.channel_messages(general)) == messages  # nothing resumed
        again = await start(emu, general, fan, rounds=1)  # the channel is free
        assert title(again.message) == "🎮 Trivia time!"
