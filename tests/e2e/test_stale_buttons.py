"""A button sent by an older version of the bot, whose custom id no current button claims, gets a kind private
answer instead of Discord's "This interaction failed"; buttons the bot does not own are left alone."""

from __future__ import annotations

import pytest

from bot.playground.emulator import Member
from bot.replies import GuardedButton
from tests.e2e.conftest import World


async def old_card(world: World, custom_id: str) -> dict:
    """A song card in #general whose first button carries ``custom_id`` (as an older version sent it)."""
    card = await world.emu.command(world.general, world.fan, "song", {"title": "lwa"})
    message = card.message
    assert message is not None
    message["components"][0]["components"][0]["custom_id"] = custom_id
    return message


@pytest.mark.parametrize(
    "custom_id", ["ls:song:lyrics:love-wins-all", "ls:song:bts:Love-Wins-All", "ls:fact:next:12:-", "ls:poll:3"]
)
@pytest.mark.parametrize(
    ("who", "text"),
    [
        (
            "fan",
            "That button is from an older version of me and no longer works. Run the command again for a fresh one.",
        ),
        ("fan_ko", "예전 버전의 버튼이라 더 이상 작동하지 않아요. 명령을 다시 실행해 새 버튼을 받아 주세요."),
    ],
)
async def test_an_old_button_is_answered_privately(world: World, custom_id: str, who: str, text: str) -> None:
    member: Member = getattr(world, who)
    reply = await world.emu.click(await old_card(world, custom_id), member, index=0)
    assert reply.ephemeral
    assert reply.content == text


async def test_a_current_button_gets_only_its_own_answer(world: World) -> None:
    reply = await world.emu.click(await old_card(world, "ls:song:bts:no-such-song"), world.fan, index=0)
    assert reply.ephemeral
    assert reply.content == "I couldn't find a song called **no-such-song**."
    assert reply.followups == []


async def test_a_button_the_bot_does_not_own_is_left_alone(world: World) -> None:
    message = await old_card(world, "someone-else:1")
    reply = await world.emu.click(message, world.fan, index=0, timeout=1.0)
    assert reply.type is None  # nobody answered: not this bot's to answer


async def test_every_component_the_bot_routes_is_a_guarded_button(world: World) -> None:
    """The stale-button answer relies on it: an ``ls:`` component that is not a GuardedButton would be answered
    twice (by its own handler and as stale)."""
    routed = world.bot._connection._view_store._dynamic_items.values()
    assert sorted(item.__name__ for item in routed) == [
        "BoardPage",
        "EventsPager",
        "FactActions",
        "SongAction",
        "SongPager",
        "SourcesPager",
        "TriviaButton",
        "TriviaSource",
        "UpcomingButton",
    ]
    assert all(issubclass(item, GuardedButton) for item in routed)
    assert all(item.__discord_ui_compiled_template__ in GuardedButton.templates for item in routed)
