"""Stale pagers (issue 9, item 12): after an ingest shrinks a list, a button from an old message that asks
for a page past the end is answered with the nearest page and fresh buttons (or none, for one page)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bot.content.loader import load_packs
from bot.db.ingest import ingest
from bot.db.migrate import connect
from bot.settings import DEFAULT_PACKS, DEFAULT_SEEDS
from tests.e2e.conftest import World


def pack_with_songs(count: int) -> Any:
    """The shipped pack plus made-up songs, ``count`` songs in all."""
    [pack], problems = load_packs([DEFAULT_PACKS / "iu"], DEFAULT_SEEDS)
    assert not problems
    base = pack.songs[0]
    extra = tuple(
        dataclasses.replace(base, id=f"extra-{n:02d}", title=f"Extra Song {n:02d}", title_ko=None, aliases=())
        for n in range(count - len(pack.songs))
    )
    return dataclasses.replace(pack, songs=pack.songs + extra)


def ingest_songs(path: Path, count: int) -> None:
    conn = connect(path)  # `python -m bot ingest`, from another connection
    try:
        ingest(conn, [pack_with_songs(count)])
    finally:
        conn.close()


@pytest.fixture
def forty_songs(tmp_path: Path) -> None:
    ingest_songs(tmp_path / "lightstick.sqlite3", 40)


def buttons(r: Any) -> list[tuple[str, bool]]:
    return [(b["label"], bool(b.get("disabled"))) for b in r.buttons]


async def shrink(world: World, count: int) -> None:
    ingest_songs(world.bot.store.path, count)
    world.bot._content_checked = float("-inf")  # the 30-second window has passed
    await world.emu.command(world.general, world.fan, "about")  # any command notices the new content
    assert world.bot._rebuild is not None
    await world.bot._rebuild


async def test_a_page_past_the_end_gets_the_last_page_and_fresh_buttons(forty_songs: None, world: World) -> None:
    listing = await world.emu.command(world.general, world.fan, "song")
    assert listing.embeds[0]["footer"]["text"] == "Page 1 of 3 · 40 songs"
    second = await world.emu.click(listing, world.fan, label="Next")
    assert second.embeds[0]["footer"]["text"] == "Page 2 of 3 · 40 songs"
    assert buttons(second) == [("First", False), ("Previous", False), ("Next", False), ("Last", False)]
    await shrink(world, 20)  # two pages now: the old "Last" asks for a third
    r = await world.emu.click(second, world.fan, label="Last")
    assert r.error is None
    assert r.embeds[0]["footer"]["text"] == "Page 2 of 2 · 20 songs"
    assert buttons(r) == [("Previous", False), ("Next", True)]


async def test_a_list_shrunk_to_one_page_loses_its_pager(forty_songs: None, world: World) -> None:
    listing = await world.emu.command(world.general, world.fan, "song")
    last = await world.emu.click(listing, world.fan, label="Last")
    assert last.embeds[0]["footer"]["text"] == "Page 3 of 3 · 40 songs"
    assert buttons(last) == [("First", False), ("Previous", False), ("Next", True), ("Last", True)]
    await shrink(world, 10)
    r = await world.emu.click(last, world.fan, label="Previous")
    assert r.error is None
    assert r.embeds[0]["footer"]["text"] == "Page 1 of 1 · 10 songs"
    assert buttons(r) == []  # no buttons leading nowhere
