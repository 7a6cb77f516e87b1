"""Pack text is never read as markdown (issue 9, item 3): a pack whose every name and fact is
``*Star* ~ _Light_ (Remix)`` shows exactly that, in every message, title and field of every command and
button. Discord renders markdown in titles, descriptions, field names and values and message text (escaped
there); footers and author names are shown as they are (not escaped, or fans would see the backslashes)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bot.content.loader import load_packs
from bot.db.ingest import ingest
from bot.db.migrate import connect
from bot.settings import DEFAULT_PACKS, DEFAULT_SEEDS
from tests.e2e.conftest import World, message_payloads

RAW = "*Star* ~ _Light_ (Remix)"
ESCAPED = r"\*Star\* \~ \_Light\_ (Remix)"  # what the bot must send; Discord shows it as RAW


def marked_pack() -> Any:
    """The shipped pack with every name and fact text starting with RAW."""
    [pack], problems = load_packs([DEFAULT_PACKS / "iu"], DEFAULT_SEEDS)
    assert not problems
    mark = f"{RAW} "
    return dataclasses.replace(
        pack,
        name=f"{mark}Pack",
        artists=tuple(
            dataclasses.replace(a, name=f"{mark}{a.name}", name_ko=f"{mark}{a.name_ko}") for a in pack.artists
        ),
        songs=tuple(dataclasses.replace(s, title=RAW, title_ko=f"{mark}별") for s in pack.songs),
        tours=tuple(
            dataclasses.replace(
                tr, name=f"{mark}Tour", name_ko=f"{mark}투어", regions=tuple(f"{mark}{r}" for r in tr.regions)
            )
            for tr in pack.tours
        ),
        shows=tuple(
            dataclasses.replace(sh, city=f"{mark}{sh.city}", country=f"{mark}{sh.country}") for sh in pack.shows
        ),
        facts=tuple(dataclasses.replace(f, text=f"{mark}{f.text}") for f in pack.facts),
        articles=tuple(dataclasses.replace(a, publisher=f"{mark}{a.publisher}") for a in pack.articles),
    )


@pytest.fixture
def marked_db(tmp_path: Path) -> None:
    """The marked pack, ingested where the world's bot finds its database (so it loads nothing else)."""
    conn = connect(tmp_path / "lightstick.sqlite3")
    try:
        ingest(conn, [marked_pack()])
    finally:
        conn.close()


@pytest.fixture
def marked(marked_db: None, world: World) -> World:
    return world


def markdown_parts(payload: dict[str, Any]) -> list[str]:
    parts = [payload.get("content") or ""]
    for embed in payload.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for field in embed.get("fields") or []:
            parts += [field["name"], field["value"]]
    return parts


def plain_parts(payload: dict[str, Any]) -> list[str]:
    return [
        part
        for embed in payload.get("embeds") or []
        for part in ((embed.get("footer") or {}).get("text") or "", (embed.get("author") or {}).get("name") or "")
    ]


async def test_every_command_and_button_escapes_pack_text(marked: World) -> None:
    w, emu = marked, marked.emu
    marked.clock.set(dt.datetime(2024, 2, 1, tzinfo=dt.timezone.utc))  # the tour is ahead: /countdown lists it
    song = await emu.command(w.general, w.fan, "song", {"title": "song:love-wins-all"})
    results = [
        song,
        await emu.command(w.general, w.fan, "song"),
        await emu.command(w.general, w.fan, "tour"),
        await emu.command(w.general, w.fan, "fact"),
        await emu.command(w.general, w.fan, "fact", {"about": "song:love-wins-all"}),
        await emu.command(w.general, w.fan, "onthisday", {"date": "01-24"}),
        await emu.command(w.general, w.fan, "onthisday", {"date": "03-02"}),
        await emu.command(w.general, w.fan, "countdown"),
        await emu.command(w.general, w.fan, "about"),
        await emu.command(w.general, w.fan, "tour", {"name": "tour:her-world-tour", "city": "Busan"}),  # an error
        await emu.command(w.general, w.fan_ko, "song", {"title": "song:love-wins-all"}),
        await emu.command(w.general, w.fan_ko, "countdown"),
    ]
    for label in ("Behind the scenes", "Another fact", "Sources"):
        results.append(await emu.click(song, w.fan, label=label))
    fact = results[3]
    for label in ("Source", "Another fact"):
        results.append(await emu.click(fact, w.fan, label=label))
    for r in results:
        assert r.error is None, r.text
    payloads = message_payloads(w.bodies)
    shown = 0
    for payload in payloads:
        for part in markdown_parts(payload):
            assert part.count("Star") == part.count(ESCAPED), part  # every mark escaped, whole
            shown += part.count(ESCAPED)
        for part in plain_parts(payload):
            assert part.count("Star") == part.count(RAW), part  # shown as it is, no backslashes
    assert shown >= 40, shown


async def test_the_song_card_and_list_show_the_title_as_written(marked: World) -> None:
    r = await marked.emu.command(marked.general, marked.fan, "song", {"title": "song:love-wins-all"})
    assert r.embeds[0]["title"] == r"\*Star\* \~ \_Light\_ (Remix)"
    assert r.embeds[0]["description"] == r"*\*Star\* \~ \_Light\_ (Remix) 별*"
    r = await marked.emu.command(marked.general, marked.fan, "song")
    assert r.embeds[0]["description"] == (
        r"`  1` **\*Star\* \~ \_Light\_ (Remix)** · \*Star\* \~ \_Light\_ (Remix) 별"
        " · January 24, 2024"
    )


async def test_onthisday_and_countdown_show_the_title_as_written(marked: World) -> None:
    r = await marked.emu.command(marked.general, marked.fan, "onthisday", {"date": "01-24"})
    assert r.embeds[0]["description"].splitlines()[0] == (
        r"🎵 **\*Star\* \~ \_Light\_ (Remix)** was released · 2024 (2 years ago)"
    )
    marked.clock.set(dt.datetime(2024, 2, 1, tzinfo=dt.timezone.utc))
    r = await marked.emu.command(marked.general, marked.fan, "countdown")
    assert r.embeds[0]["description"].splitlines()[0] == (
        r"🎤 **\*Star\* \~ \_Light\_ (Remix) Tour**: \*Star\* \~ \_Light\_ (Remix) Seoul"
    )
