"""A made-up pack big enough to show an order: 17 songs over two pages, two tours with shows in four
zones, facts on one day in three years, and a second pack that refers into the first.

Everything a test expects from this world is written out as literal text in the tests, so a bot that
sorts backwards, swaps a plural or picks the wrong zone fails them. The titles are chosen so that
alphabetical order (ignoring case) differs from file order, id order, release order and case-sensitive
order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from bot.clock import FrozenClock
from bot.playground.emulator import Emulator
from tests.e2e.conftest import World, make_settings, populate, record_bodies, running_bot

# 2026-06-15 12:00 UTC is 21:00 in Seoul, 08:00 in New York, 00:00 (the 16th) in Auckland.
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.timezone.utc)

SEED = "orchard-gazette.txt"
SEED_TEXT = """\
The Orchard Gazette
Songs of the Orchard, Ranked
Everything in this article is made up for a test of the bot.
Cherry topped the Orchard Chart in its first week.
Plum Rain was recorded in one take on a rainy night.
The Plum Rain video was shot among the plum trees.
Zinnia opened the orchard festival with a new song.
Apricot planted a quince tree at the festival.
The first tree of the orchard was planted on a June morning.
The Zest Tour visits Seoul, Auckland, New York and Paris.
"""
ANY = "Everything in this article is made up for a test of the bot."

# (id, title, released or None), in file order: deliberately neither alphabetical nor reversed.
SONGS = [
    ("plum-rain", "Plum Rain", "2024-07-04"),
    ("apple-blossom", "apple Blossom", None),
    ("cherry", "Cherry", "2025-06-20"),
    ("quince", "Quince", None),
    ("banana-boat", "banana Boat", None),
    ("elderberry-wine", "Elderberry Wine", None),
    ("date-night", "date Night", None),
    ("fig-tree", "Fig Tree", "2024-06-15"),
    ("grape-vine", "Grape Vine", None),
    ("honeydew", "honeydew", None),
    ("ice-apple", "Ice Apple", None),
    ("jackfruit-jam", "Jackfruit Jam", None),
    ("kiwi-kiss", "Kiwi Kiss", None),
    ("lemon-drop", "Lemon Drop", None),
    ("mango-tango", "mango Tango", None),
    ("nectarine", "Nectarine", None),
    ("orange-sky", "Orange Sky", None),
]

PACK_TOML = """\
[pack]
id = "orchard"
name = "Orchard Songs"
name_ko = "과수원의 노래"

[[article]]
file = "orchard-gazette.txt"
title = "Songs of the Orchard, Ranked"
title_ko = "과수원의 노래 순위"
publisher = "The Orchard Gazette"

[[artist]]
id = "zinnia"
name = "Zinnia"
name_ko = "지니아"

[[artist]]
id = "apricot"
name = "apricot"
name_ko = "에이프리콧"
"""

TOURS_TOML = f"""\
[[tour]]
id = "zest-tour"
name = "Zest Tour"
name_ko = "제스트 투어"
artist = "zinnia"
source = "{SEED}"
quote = "The Zest Tour visits Seoul, Auckland, New York and Paris."

[[tour]]
id = "acorn-tour"
name = "acorn Tour"
artist = "apricot"
source = "{SEED}"
quote = "{ANY}"

# shows in file order: Paris, Auckland, New York, Seoul (their dates run Seoul, Auckland, New York, Paris)
[[show]]
id = "zest-paris"
tour = "zest-tour"
date = "2026-09-10"
time = "20:00"
zone = "Europe/Paris"
city = "Paris"
city_ko = "파리"
country = "France"
venue = "Accor Arena"
source = "{SEED}"
quote = "The Zest Tour visits Seoul, Auckland, New York and Paris."

[[show]]
id = "zest-auckland"
tour = "zest-tour"
date = "2026-07-01"
zone = "Pacific/Auckland"
city = "Auckland"
city_ko = "오클랜드"
country = "New Zealand"
source = "{SEED}"
quote = "The Zest Tour visits Seoul, Auckland, New York and Paris."

[[show]]
id = "zest-new-york"
tour = "zest-tour"
date = "2026-08-05"
time = "19:30"
zone = "America/New_York"
city = "New York"
city_ko = "뉴욕"
country = "United States"
source = "{SEED}"
quote = "The Zest Tour visits Seoul, Auckland, New York and Paris."

[[show]]
id = "zest-seoul"
tour = "zest-tour"
date = "2025-06-21"
zone = "Asia/Seoul"
city = "Seoul"
city_ko = "서울"
country = "South Korea"
milestone = "first"
source = "{SEED}"
quote = "The Zest Tour visits Seoul, Auckland, New York and Paris."

[[show]]
id = "acorn-london"
tour = "acorn-tour"
date = "2025-01-10"
zone = "Europe/London"
city = "London"
milestone = "finale"
source = "{SEED}"
quote = "{ANY}"
"""

FACTS_TOML = f"""\
[[fact]]
id = "cherry-chart"
kind = "chart-record"
about = ["song:cherry"]
text = "Cherry topped the Orchard Chart in its first week."
source = "{SEED}"
quote = "Cherry topped the Orchard Chart in its first week."

# the video note comes first in the file; Behind the scenes lists behind-the-scenes notes first
[[fact]]
id = "plum-video"
kind = "music-video"
about = ["song:plum-rain"]
text = "The Plum Rain video was shot among the plum trees."
source = "{SEED}"
quote = "The Plum Rain video was shot among the plum trees."

[[fact]]
id = "plum-one-take"
kind = "behind-the-scenes"
about = ["song:plum-rain"]
text = "Plum Rain was recorded in one take on a rainy night."
source = "{SEED}"
quote = "Plum Rain was recorded in one take on a rainy night."

[[fact]]
id = "apricot-tree"
kind = "fact"
about = ["artist:apricot"]
text = "Apricot planted a quince tree at the festival."
date = "2026-06-15"
zone = "Asia/Seoul"
source = "{SEED}"
quote = "Apricot planted a quince tree at the festival."

# dated before Fig Tree's release on the same day: /onthisday must sort, not list songs first
[[fact]]
id = "first-tree"
kind = "fact"
about = ["artist:zinnia"]
text = "The first tree of the orchard was planted on a June morning."
date = "2023-06-15"
zone = "Asia/Seoul"
source = "{SEED}"
quote = "The first tree of the orchard was planted on a June morning."

[[fact]]
id = "zinnia-festival"
kind = "fact"
about = ["artist:zinnia"]
text = "Zinnia opened the orchard festival with a new song."
date = "2025-06-15"
zone = "Asia/Seoul"
source = "{SEED}"
quote = "Zinnia opened the orchard festival with a new song."
"""

BERRY_SEED = "berry-notes.txt"
BERRY_SEED_TEXT = """\
Berry Notes
Quince, live
Quince was played on the festival's last night, and everyone sang along.
"""

BERRY_TOML = f"""\
[pack]
id = "berry"
name = "Berry Extras"

[[article]]
file = "{BERRY_SEED}"
title = "Quince, live"
publisher = "Berry Notes"

[[fact]]
id = "quince-last-night"
kind = "tour"
about = ["song:quince", "tour:zest-tour"]
text = "Quince was played on the festival's last night."
source = "{BERRY_SEED}"
quote = "Quince was played on the festival's last night, and everyone sang along."
"""


def songs_toml() -> str:
    parts = []
    for song_id, title, released in SONGS:
        when = f'released = "{released}"\nzone = "Asia/Seoul"\n' if released else ""
        parts.append(
            f'[[song]]\nid = "{song_id}"\ntitle = "{title}"\n{when}'
            f'credits = [{{ artist = "zinnia", role = "vocals" }}]\nsource = "{SEED}"\nquote = "{ANY}"\n'
        )
    return "\n".join(parts)


def write_packs(root: Path) -> tuple[Path, Path]:
    """Write the orchard and berry packs and their seed under ``root``; returns (packs dir, seeds dir)."""
    packs, seeds = root / "packs", root / "seeds"
    orchard, berry = packs / "orchard", packs / "berry"
    for folder in (orchard, berry, seeds):
        folder.mkdir(parents=True)
    (seeds / SEED).write_text(SEED_TEXT, encoding="utf-8")
    (seeds / BERRY_SEED).write_text(BERRY_SEED_TEXT, encoding="utf-8")
    (orchard / "pack.toml").write_text(PACK_TOML, encoding="utf-8")
    (orchard / "songs.toml").write_text(songs_toml(), encoding="utf-8")
    (orchard / "tours.toml").write_text(TOURS_TOML, encoding="utf-8")
    (orchard / "facts.toml").write_text(FACTS_TOML, encoding="utf-8")
    (berry / "pack.toml").write_text(BERRY_TOML, encoding="utf-8")
    return packs, seeds


@contextlib.asynccontextmanager
async def orchard_world(
    tmp_path: Path, now: dt.datetime = NOW, change: Callable[[Path], None] | None = None
) -> AsyncIterator[World]:
    """The production bot serving the orchard packs through the emulator, at ``now``; ``change`` may edit the
    orchard pack's folder first (one test's variation of the world)."""
    packs, seeds = write_packs(tmp_path / "content")
    if change is not None:
        change(packs / "orchard")
    emu = Emulator()
    await emu.start()
    people: dict[str, Any] = populate(emu)
    clock = FrozenClock(now)
    bodies = record_bodies(emu)
    try:
        async with running_bot(emu, make_settings(tmp_path, packs_dir=packs, seeds_dir=seeds), clock) as bot:
            yield World(emu=emu, bot=bot, clock=clock, bodies=bodies, **people)
            assert not emu.violations, f"Discord would have rejected: {emu.violations}"
            assert not emu.unhandled, f"routes the emulator doesn't serve: {emu.unhandled}"
    finally:
        await emu.stop()
