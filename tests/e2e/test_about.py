"""/about: the version, what the pack holds and the articles every fact comes from."""

from __future__ import annotations

from bot import __version__
from bot.i18n import t
from tests.e2e.conftest import World, assert_embed_within_limits, cite, fields, public_messages

SEEDS = [("000_24b8aacb5478efeb.txt", 20), ("004_7c4a4874365c364d.txt", 19)]


def articles(world: World, lang: str) -> str:
    return "\n".join(t(lang, "about.source_line", source=cite(world, s, lang), file=s, count=n, facts=n)
                     for s, n in SEEDS)


async def test_about_shows_version_counts_and_both_articles(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "about")
    assert r.ephemeral and r.error is None
    [embed] = r.embeds
    assert embed["title"] == f"Lightstick {__version__}"
    f = fields(embed)
    assert f["Packs"] == t("en", "about.pack_line", name="IU & V — Love Wins All", songs=1, tours=1, shows=2,
                           facts=39, questions=20)
    assert "Facts: 39" in f["Packs"] and "Trivia" not in f["Packs"]  # no /trivia command yet
    assert f["Source articles"] == articles(world, "en")
    assert "OTTplay" in f["Source articles"] and "The Mary Sue" in f["Source articles"]
    assert_embed_within_limits(embed)
    assert public_messages(world.emu, world.general) == []


async def test_about_in_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "about")
    f = fields(r.embeds[0])
    assert f["팩"] == t("ko", "about.pack_line", name="아이유 & 뷔 — 러브 윈즈 올", songs=1, tours=1, shows=2,
                        facts=39, questions=20)
    assert f["출처 기사"] == articles(world, "ko")
