"""Several servers at once: each is answered in its own channels, in each member's language, and the
no-repeat fact pool belongs to each channel, not to the bot."""

from __future__ import annotations

from tests.e2e.conftest import World


async def test_two_servers_are_served_independently(world: World) -> None:
    emu = world.emu
    second = emu.add_guild("유애나 모임", locale="ko")
    lounge = emu.add_channel(second, "라운지")
    member = emu.add_member(second, "지은", locale="ko")

    here = await emu.command(world.general, world.fan, "song", {"title": "lwa"})
    there = await emu.command(lounge, member, "song", {"title": "lwa"})
    assert here.embeds[0]["title"] == "Love Wins All"
    assert there.embeds[0]["title"] == "러브 윈즈 올"
    assert here.message["channel_id"] == str(world.general.id)
    assert there.message["channel_id"] == str(lounge.id)

    # 39 facts: drawing all of them in one server doesn't use up the other's pool
    seen_here = {(await emu.command(world.general, world.fan, "fact")).embeds[0]["description"] for _ in range(39)}
    assert len(seen_here) == 39
    first_there = await emu.command(lounge, member, "fact")
    assert "footer" in first_there.embeds[0]
    assert not first_there.embeds[0]["footer"]["text"].startswith("여기 있는 팩트를 모두 보셔서")


async def test_admin_moderator_and_member_all_use_fan_commands(world: World) -> None:
    for person in (world.admin, world.mod, world.fan, world.fan_ko):
        r = await world.emu.command(world.general, person, "tour")
        assert r.error is None and not r.ephemeral, (person.name, r.text)
