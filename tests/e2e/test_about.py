"""/about: the version, what the pack holds and the articles every fact comes from."""

from __future__ import annotations

from bot import __version__
from tests.e2e.conftest import World, assert_embed_within_limits, fields, public_messages

ARTICLES = {
    "en": "OTTplay: “What's cooking between IU and BTS’ V? Watch some amusing behind-the-scenes pics”"
    " · `000_24b8aacb5478efeb.txt` (20 facts)\n"
    "The Mary Sue: “IU Makes History With BTS V in Latest Single ‘Love Wins All’”"
    " · `004_7c4a4874365c364d.txt` (19 facts)",
    "ko": "OTTplay: “아이유와 방탄소년단 뷔 사이에 무슨 일이? 재미있는 비하인드 사진”"
    " · `000_24b8aacb5478efeb.txt` (팩트 20개)\n"
    "The Mary Sue: “아이유, 방탄소년단 뷔와 함께한 신곡 ‘Love Wins All’로 역사를 쓰다”"
    " · `004_7c4a4874365c364d.txt` (팩트 19개)",
}


def articles(world: World, lang: str) -> str:
    return ARTICLES[lang]


async def test_about_shows_version_counts_and_both_articles(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "about")
    assert r.ephemeral and r.error is None
    [embed] = r.embeds
    assert embed["title"] == f"Lightstick {__version__}"
    f = fields(embed)
    assert f["Packs"] == "**IU & V — Love Wins All**\nSongs: 1 · Tours: 1 · Dates: 2 · Facts: 39"
    assert "Facts: 39" in f["Packs"] and "Trivia" not in f["Packs"]  # no /trivia command yet
    assert f["Source articles"] == articles(world, "en")
    assert "OTTplay" in f["Source articles"] and "The Mary Sue" in f["Source articles"]
    assert_embed_within_limits(embed)
    assert public_messages(world.emu, world.general) == []


async def test_about_in_korean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "about")
    f = fields(r.embeds[0])
    assert f["팩"] == "**아이유 & 뷔 — 러브 윈즈 올**\n노래 1곡 · 투어 1개 · 일정 2개 · 팩트 39개"
    assert f["출처 기사"] == articles(world, "ko")
