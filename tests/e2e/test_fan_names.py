"""What fans type, through the emulator (issue 9 items 7 and 9): a song with its artist in front or behind,
in English or Hangul, and an artist by their given name."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import World, assert_choices_ok, fields


@pytest.mark.parametrize(
    "typed", ["IU - Love Wins All", "아이유 러브윈즈올", "IU love wins all", "Love Wins All by IU", "V - LWA"]
)
async def test_song_typed_with_its_artist_shows_the_card(world: World, typed: str) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": typed})
    assert r.error is None and not r.ephemeral, r.text
    assert r.embeds[0]["title"] == "Love Wins All"


@pytest.mark.parametrize("typed", ["IU - Love Wins All", "아이유 러브윈즈올", "IU love wins al", "아이유 러브"])
async def test_song_autocomplete_with_its_artist_offers_the_song_first(world: World, typed: str) -> None:
    choices = await world.emu.autocomplete(world.general, world.fan, "song", {"title": typed}, "title")
    assert_choices_ok(choices)
    assert [c["value"] for c in choices] == ["song:love-wins-all"]
    assert choices[0]["name"].startswith("Love Wins All")


@pytest.mark.parametrize(
    ("typed", "label"),
    [("taehyung", "V"), ("Kim Taehyung", "V"), ("김태형", "V"), ("태형", "V"), ("Lee Ji-eun", "IU"), ("이지은", "IU")],
)
async def test_fact_about_a_given_name_is_about_the_artist(world: World, typed: str, label: str) -> None:
    # before issue 9 item 9: "I don't know anything about **taehyung** yet."
    r = await world.emu.command(world.general, world.fan, "fact", {"about": typed})
    assert r.error is None and not r.ephemeral, r.text
    assert label in fields(r.embeds[0])["About"].split(", ")
    choices = await world.emu.autocomplete(world.general, world.fan, "fact", {"about": typed}, "about")
    assert choices[0]["value"] == {"V": "artist:v", "IU": "artist:iu"}[label]
