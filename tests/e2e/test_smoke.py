"""The production bot starts against the emulator, syncs its commands and answers /song."""

from __future__ import annotations

from tests.e2e.conftest import World


async def test_commands_synced_with_korean_localisations(world: World) -> None:
    commands = {c["name"]: c for c in world.emu.registered_commands()}
    assert {"song", "tour", "fact", "onthisday", "countdown", "about"} <= set(commands)
    assert commands["song"]["name_localizations"]["ko"] == "노래"


async def test_song_card(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": "love wins all"})
    assert not r.ephemeral
    assert r.embeds[0]["title"] == "Love Wins All"
    assert [b["label"] for b in r.buttons] == ["Behind the scenes", "Another fact", "Sources"]
