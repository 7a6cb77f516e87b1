"""/fact's no-repeat pool belongs to each channel: what one channel has seen never shortens another's.

A bot with one pool for every channel passes a test that only looks at the first draw after a reset; here
each channel draws part of the pool, then another channel must still get every fact before it repeats.
"""

from __future__ import annotations

import sqlite3

from tests.e2e.conftest import World

RESET_EN = "You've seen every fact here, so I'm starting over."
FACTS = 39  # in the shipped pack


def fact_id(r) -> str:
    [source] = [b for b in r.buttons if b["custom_id"].startswith("ls:fact:src:")]
    return source["custom_id"].rpartition(":")[2]


def footer(r) -> str:
    return r.embeds[0]["footer"]["text"]


async def draw(world: World, channel, n: int, member=None) -> list[str]:
    """``n`` facts drawn in ``channel``; none of them may announce a reset."""
    ids = []
    for _ in range(n):
        r = await world.emu.command(channel, member or world.fan, "fact")
        assert r.error is None and not r.ephemeral
        assert RESET_EN not in footer(r), (len(ids), footer(r))
        ids.append(fact_id(r))
    return ids


async def test_a_second_channel_gets_the_whole_pool_after_the_first_saw_half(world: World) -> None:
    general = await draw(world, world.general, 20)
    announcements = await draw(world, world.announcements, FACTS)
    assert len(set(announcements)) == FACTS
    # and #general goes on where it was: the 19 it hasn't seen, then a reset
    rest = await draw(world, world.general, FACTS - 20)
    assert len(set(general + rest)) == FACTS
    r = await world.emu.command(world.general, world.fan, "fact")
    assert footer(r).startswith(f"{RESET_EN} · Source: ")


async def test_channels_in_two_servers_and_two_members_share_nothing(world: World) -> None:
    emu = world.emu
    second = emu.add_guild("Second Server", locale="en-US")
    lounge = emu.add_channel(second, "lounge")
    member = emu.add_member(second, "Jieun", locale="en-US")
    await draw(world, world.general, 30)
    # another member in the same channel shares the channel's pool: 9 left, then a reset
    await draw(world, world.general, FACTS - 30, member=world.admin)
    r = await world.emu.command(world.general, world.fan, "fact")
    assert footer(r).startswith(RESET_EN)
    there = await draw(world, lounge, FACTS, member=member)
    assert len(set(there)) == FACTS


async def test_the_history_is_stored_per_channel(world: World) -> None:
    general = await draw(world, world.general, 5)
    announcements = await draw(world, world.announcements, 3)
    await world.bot.store.history.flush()
    conn = sqlite3.connect(world.bot.settings.database_path)
    try:
        rows = conn.execute("SELECT channel_id, fact_id FROM fact_history ORDER BY channel_id").fetchall()
    finally:
        conn.close()
    stored: dict[int, set[str]] = {}
    for channel_id, fid in rows:
        stored.setdefault(channel_id, set()).add(fid)
    assert stored == {world.general.id: set(general), world.announcements.id: set(announcements)}
