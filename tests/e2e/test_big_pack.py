"""A pack of 10,000 songs with titles near Discord's 100-character limits: everything still fits."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.playground.emulator import Emulator
from tests.e2e.conftest import (
    NOW,
    assert_choices_ok,
    assert_embed_within_limits,
    fields,
    make_settings,
    populate,
    running_bot,
)

SONGS = 10_000
PER_PAGE = 15
PAGES = -(-SONGS // PER_PAGE)
SEED = "big-seed.txt"
QUOTE = "every song in this pack is made up for a test"
WORDS = {
    "love": "러브",
    "wins": "윈즈",
    "all": "올",
    "blue": "블루",
    "night": "나이트",
    "star": "스타",
    "light": "라이트",
    "dream": "드림",
    "spring": "스프링",
    "winter": "윈터",
    "moon": "문",
    "river": "리버",
    "ocean": "오션",
    "heart": "하트",
    "flower": "플라워",
    "letter": "레터",
    "palette": "팔레트",
    "lilac": "라일락",
}
TAILS = ["", " (feat. Someone Special)", " - Acoustic Version", " (English Ver.)", " & Friends 'Remix'"]


def page(number: int) -> str:
    return f"Page {number} of {PAGES} · 10000 songs"


def title_of(rng: random.Random, number: int) -> tuple[str, str, list[str]]:
    words = rng.sample(list(WORDS), rng.randint(2, 5))
    title = " ".join(w.capitalize() for w in words) + f" No. {number}{rng.choice(TAILS)} "
    title = (title + "Lalala " * 20)[: rng.randint(92, 100)].rstrip()
    korean = " ".join(WORDS[w] for w in words) + f" {number}"
    return title, korean, [f"alias {number}", f"{words[0]}{number}"]


def make_pack(root: Path) -> tuple[Path, Path, list[str]]:
    rng = random.Random(20240124)
    seeds, packs = root / "seeds", root / "packs"
    pack = packs / "big"
    pack.mkdir(parents=True)
    seeds.mkdir()
    (seeds / SEED).write_text(f"An article. Note that {QUOTE}, and nothing else.", encoding="utf-8")
    (pack / "pack.toml").write_text('[pack]\nid = "big"\nname = "Big Pack"\nname_ko = "큰 팩"\n', encoding="utf-8")
    parts = ['[[artist]]\nid = "a1"\nname = "Artist One"\nname_ko = "아티스트 원"\naliases = ["A1"]\n']
    titles = []
    for number in range(SONGS):
        title, korean, aliases = title_of(rng, number)
        titles.append(title)
        released = dt.date(2000, 1, 1) + dt.timedelta(days=number % 9000)
        alias_list = ", ".join(f'"{a}"' for a in aliases)
        parts.append(
            f'[[song]]\nid = "s{number}"\ntitle = "{title}"\ntitle_ko = "{korean}"\naliases = [{alias_list}]\n'
            f'released = "{released.isoformat()}"\nzone = "Asia/Seoul"\n'
            f'credits = [{{ artist = "a1", role = "vocals" }}]\nsource = "{SEED}"\nquote = "{QUOTE}"\n'
        )
    (pack / "songs.toml").write_text("\n".join(parts), encoding="utf-8")
    facts = [
        f'[[fact]]\nid = "f{n}"\nkind = "{kind}"\nabout = ["song:s{n}", "artist:a1"]\n'
        f'text = "Fact {n}: {"a long sentence about a made-up song " * 12}"\nsource = "{SEED}"\nquote = "{QUOTE}"\n'
        for n, kind in enumerate(["fact", "chart-record", "music-video", "behind-the-scenes", "reception"])
    ]
    (pack / "facts.toml").write_text("\n".join(facts), encoding="utf-8")
    return packs, seeds, titles


@pytest.mark.slow
async def test_ten_thousand_songs(tmp_path: Path) -> None:
    packs, seeds, titles = make_pack(tmp_path)
    assert max(len(t) for t in titles) == 100
    emu = Emulator()
    await emu.start()
    people = populate(emu)
    general, fan, fan_ko = people["general"], people["fan"], people["fan_ko"]
    settings = make_settings(tmp_path, packs_dir=packs, seeds_dir=seeds)
    try:
        # Indexing 10,000 names takes about a second alone and ten when other jobs share the two cores:
        # the bot is ready only once it can answer, so the wait allows for a busy machine.
        async with running_bot(emu, settings, FrozenClock(NOW), ready_timeout=60.0):
            # autocomplete: never more than 25, names within 1-100 characters
            for typed in [
                "",
                "l",
                "love",
                "Love Wins",
                "러브",
                "러브 윈즈",
                "alias 12",
                "lalala",
                "No. 99",
                titles[4242],
                "x" * 300,
            ]:
                for user in (fan, fan_ko):
                    choices = await emu.autocomplete(general, user, "song", {"title": typed}, "title")
                    assert_choices_ok(choices)
                    if typed in ("love", "러브", "alias 12"):
                        assert len(choices) == 25
            choices = await emu.autocomplete(general, fan, "song", {"title": titles[4242]}, "title")
            assert choices[0]["value"] == "song:s4242"

            # the song list: first page, next, and through to the last
            r = await emu.command(general, fan, "song")
            assert r.ephemeral and r.error is None
            embed = r.embeds[0]
            assert_embed_within_limits(embed)
            assert len(embed["description"].splitlines()) == PER_PAGE
            assert embed["description"].startswith("`  1` **")
            assert embed["footer"]["text"] == page(1)
            assert [b["label"] for b in r.buttons] == ["First", "Previous", "Next", "Last"]
            assert [b.get("disabled", False) for b in r.buttons] == [True, True, False, False]
            jumped = await emu.click(r, fan, label="Last")  # one tap to the end of 10,000 songs
            assert jumped.embeds[0]["footer"]["text"] == page(PAGES)
            r = await emu.click(jumped, fan, label="First")
            assert r.embeds[0]["footer"]["text"] == page(1)
            # Next from the start and Previous from the end, a few pages each way (every page is the same
            # code with other rows; walking all 667 cost 8 s of CPU and proved nothing more)
            for number in range(2, 6):
                r = await emu.click(r, fan, label="Next")
                assert r.embeds[0]["footer"]["text"] == page(number)
                assert r.embeds[0]["description"].startswith(f"`{(number - 1) * PER_PAGE + 1:>3}` **")
                assert_embed_within_limits(r.embeds[0])
            r = await emu.click(r, fan, label="Last")
            last = r.embeds[0]
            assert_embed_within_limits(last)
            assert last["footer"]["text"] == page(PAGES)
            assert len(last["description"].splitlines()) == SONGS - (PAGES - 1) * PER_PAGE
            assert last["description"].splitlines()[-1].startswith(f"`{SONGS}` **")
            assert [b.get("disabled", False) for b in r.buttons] == [False, False, True, True]
            for number in range(PAGES - 1, PAGES - 5, -1):
                r = await emu.click(r, fan, label="Previous")
                assert r.embeds[0]["footer"]["text"] == page(number)
                assert r.embeds[0]["description"].startswith(f"`{(number - 1) * PER_PAGE + 1}` **")
                assert_embed_within_limits(r.embeds[0])

            # a card for a 100-character title, in both languages, with its buttons
            longest = titles.index(max(titles, key=len))
            for user in (fan, fan_ko):
                r = await emu.command(general, user, "song", {"title": titles[longest]})
                assert r.error is None and not r.ephemeral, r.text
                assert_embed_within_limits(r.embeds[0])
                assert all(len(b["custom_id"]) <= 100 for b in r.buttons)
            assert r.embeds[0]["title"].endswith(f" {longest}")  # the Korean title for fan_ko
            src = await emu.click(r, fan, label="출처")  # the card fan_ko asked for
            assert_embed_within_limits(src.embeds[0])
            # a card with every kind of highlight: a long chart record and video note
            r = await emu.command(general, fan, "song", {"title": "alias 1"})
            assert "Chart records" in fields(r.embeds[0])
            assert_embed_within_limits(r.embeds[0])

            # "did you mean" stays short
            r = await emu.command(general, fan, "song", {"title": "Love Wins Lalala"})
            assert r.ephemeral
            if "Did you mean" in r.content:
                assert r.content.split("Did you mean: ", 1)[1].split("\n")[0].count("**") <= 6

            # /about counts, /countdown picks the ten soonest anniversaries
            r = await emu.command(general, fan, "about")
            assert fields(r.embeds[0])["Packs"] == ("**Big Pack**\nSongs: 10000 · Tours: 0 · Dates: 0 · Facts: 5")
            r = await emu.command(general, fan, "countdown")
            assert_embed_within_limits(r.embeds[0])
            assert len(r.embeds[0]["description"].splitlines()) == 20
            r = await emu.command(general, fan, "tour")
            assert r.ephemeral and r.embeds[0]["description"] == "No tours are loaded yet."
        assert not emu.violations, emu.violations
        assert not emu.unhandled
    finally:
        await emu.stop()
