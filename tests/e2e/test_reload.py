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
    songs.write_text(songs.read_text(encoding="utf-8").replace('"Love Wins"]', '"Love Wins", "Uaena Anthem"]'),
                     encoding="utf-8")
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
    after = await world.emu.command(world.general, world.fan, "song", {"title": "Uaena Anthem"})
    assert not after.ephemeral and after.embeds[0]["title"] == "Love Wins All"
