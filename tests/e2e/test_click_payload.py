"""The emulator hands the bot a clicked message without copying it (issue 8, item 8), yet what a click sent stays
what it sent: a later edit of the message, or a test changing what it read, never rewrites an earlier click."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import World
from tests.e2e.test_stale_pager import ingest_songs


@pytest.fixture
def forty_songs(tmp_path: Path) -> None:
    ingest_songs(tmp_path / "lightstick.sqlite3", 40)


def footer(message: dict) -> str:
    return message["embeds"][0]["footer"]["text"]


async def test_a_click_keeps_the_message_as_it_was_when_clicked(forty_songs: None, world: World) -> None:
    listing = await world.emu.command(world.general, world.fan, "song")
    first = await world.emu.click(listing, world.fan, label="Next")  # the list is edited in place: page 2
    second = await world.emu.click(listing, world.fan, label="Next")  # page 3
    assert footer(listing.message) == "Page 3 of 3 · 40 songs"
    assert footer(first.interaction["message"]) == "Page 1 of 3 · 40 songs"
    assert footer(second.interaction["message"]) == "Page 2 of 3 · 40 songs"
    assert [first.interaction["data"]["custom_id"], second.interaction["data"]["custom_id"]] == [
        "ls:songs:1:n",
        "ls:songs:2:n",
    ]


async def test_changing_what_a_click_returned_changes_nothing_else(forty_songs: None, world: World) -> None:
    listing = await world.emu.command(world.general, world.fan, "song")
    click = await world.emu.click(listing, world.fan, label="Next")
    read = click.interaction
    read["message"]["embeds"][0]["footer"]["text"] = "tampered"
    assert footer(click.interaction["message"]) == "Page 1 of 3 · 40 songs"
    assert footer(listing.message) == "Page 2 of 3 · 40 songs"
