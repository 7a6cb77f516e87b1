"""Benchmark targets: the production Lightstick bot, on the shipped pack or on a generated big one.

``make_client`` is used by ``bench_roundtrip.py`` in a fresh subprocess. It reads
LIGHTSTICK_BENCH_DB (a database already built by the parent) and builds the bot exactly as
``python -m bot run`` does, minus the token and the automatic sync (the benchmark syncs itself).
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from bot.app import Lightstick
from bot.db.store import Store
from bot.settings import DEFAULT_PACKS, DEFAULT_SEEDS, Secret, Settings

WORDS = (
    "love wins all blue night star moon letter spring palette strawberry moon through the night "
    "eight lilac coin celebrity sleepless rain winter flower dream ocean city light shadow"
).split()
HANGUL = "가나다라마바사아자차카타파하러브윈즈올밤편지봄"


def settings_for(database: Path, packs: Path | None = None, seeds: Path | None = None) -> Settings:
    return Settings(
        token=Secret(""),
        database_path=database,
        log_level="ERROR",
        dev_guild_id=None,
        packs_dir=packs or DEFAULT_PACKS,
        seeds_dir=seeds or DEFAULT_SEEDS,
    )


async def make_client() -> Lightstick:
    settings = settings_for(Path(os.environ["LIGHTSTICK_BENCH_DB"]))
    store = await Store.open(settings.database_path)
    return Lightstick(settings, store, sync_on_start=False, freeze_heap=True)


def make_big_pack(root: Path, songs: int = 10_000, facts: int = 100_000) -> tuple[Path, Path]:
    """A pack of ``songs`` songs and ``facts`` facts, beside a copy of the shipped pack and its seed
    articles (so "Love Wins All" is one title among 10,001). Returns (packs, seeds)."""
    rng = random.Random(10_000)
    packs, seeds = root / "packs", root / "seeds"
    (packs / "big").mkdir(parents=True)
    shutil.copytree(DEFAULT_PACKS / "iu", packs / "iu")
    shutil.copytree(DEFAULT_SEEDS, seeds)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(10)).capitalize() + "." for _ in range(500)]
    (seeds / "big.txt").write_text(" ".join(sentences), encoding="utf-8")
    (packs / "big" / "pack.toml").write_text('[pack]\nid = "big"\nname = "Big pack"\n', encoding="utf-8")
    lines = ['[[artist]]\nid = "a1"\nname = "Artist"\n']
    titles = {"Love Wins All"}  # the shipped song's title stays unique
    for number in range(songs):
        while True:
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5))).title()
            if title not in titles:
                titles.add(title)
                break
        korean = "".join(rng.choice(HANGUL) for _ in range(rng.randint(2, 6)))
        lines.append(
            f'[[song]]\nid = "s{number}"\ntitle = "{title}"\ntitle_ko = "{korean}"\n'
            f'released = "20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"\n'
            f'zone = "Asia/Seoul"\ncredits = [{{ artist = "a1", role = "vocals" }}]\n'
            f'source = "big.txt"\nquote = "{sentences[number % len(sentences)]}"\n'
        )
    (packs / "big" / "songs.toml").write_text("\n".join(lines), encoding="utf-8")
    kinds = ("fact", "behind-the-scenes", "chart-record", "music-video", "reception")
    parts = []
    for number in range(facts):
        quote = sentences[rng.randrange(len(sentences))]
        parts.append(
            f'[[fact]]\nid = "f{number}"\nkind = "{kinds[number % len(kinds)]}"\n'
            f'about = ["song:s{number % songs}"]\ntext = "Fact {number}: {quote}"\n'
            f'source = "big.txt"\nquote = "{quote}"\n'
        )
    (packs / "big" / "facts.toml").write_text("\n".join(parts), encoding="utf-8")
    return packs, seeds
