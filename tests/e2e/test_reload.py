"""A running bot picks up a new `ingest` without a restart (checked lazily, at most every 30 seconds)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.content.loader import load_packs
from bot.db.ingest import ingest
from bot.db.migrate import connect
from bot.settings import DEFAULT_PACKS, DEFAULT_SEEDS
from tests.e2e.conftest import World


async def test_new_content_is_served_after_ingest(world: World, tmp_path: Path) -> None:
    pack = tmp_path / "iu"
    shutil.copytree(DEFAULT_PACKS / "iu", pack)
    songs = pack / "songs.toml"
    songs.write_text(
        songs.read_text(encoding="utf-8").replace('"Love Wins"]', '"Love Wins", "Uaena Anthem"]'), encoding="utf-8"
    )
    before = await world.emu.command(world.general, world.fan, "song", {"title": "Uaena Anthem"})
    assert before.ephemeral  # not known yet

    packs, problems = load_packs([pack], DEFAULT_SEEDS)
    assert not problems
    conn = connect(world.bot.store.path)  # `python -m bot ingest`, from another connection
    try:
        assert ingest(conn, packs).updated["songs"] == 1
    finally:
        conn.close()

    still_cached = await world.emu.command(world.general, world.fan, "song", {"title": "Uaena Anthem"})
    assert still_cached.ephemeral  # within the 30-second window nothing is re-read
    world.bot._content_checked = float("-inf")  # the window has passed
    await world.emu.command(world.general, world.fan, "song", {"title": "lwa"})  # notices; rebuilds behind
    assert world.bot._rebuild is not None
    await world.bot._rebuild
    after = await world.emu.command(world.general, world.fan, "song", {"title": "Uaena Anthem"})
    assert not after.ephemeral and after.embeds[0]["title"] == "Love Wins All"


async def test_an_empty_start_picks_up_the_first_ingest(tmp_path: Path) -> None:
    from bot.db.store import Store

    store = await Store.open(tmp_path / "empty.sqlite3")
    try:
        assert await store.content_changed() is False  # first look: nothing to compare with
        packs, _problems = load_packs([DEFAULT_PACKS / "iu"], DEFAULT_SEEDS)
        conn = connect(store.path)
        try:
            ingest(conn, packs)
        finally:
            conn.close()
        assert await store.content_changed() is True
    finally:
        await store.close()
