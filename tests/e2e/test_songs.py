"""/song: the card, its three buttons, the list, matching of what fans type, and "did you mean"."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.conftest import (
    World,
    assert_choices_ok,
    assert_days,
    assert_embed_within_limits,
    fields,
    labels,
    local_midnight,
    norm,
    public_messages,
)

SONG = "song:love-wins-all"
# How fans see the two seed articles cited, by file (literal, so a citation in the wrong language fails).
CITATIONS = {
    "000_24b8aacb5478efeb.txt": "OTTplay: “What's cooking between IU and BTS’ V? Watch some amusing behind-the-scenes pics”",
    "004_7c4a4874365c364d.txt": "The Mary Sue: “IU Makes History With BTS V in Latest Single ‘Love Wins All’”",
}
# the Sources page shows an article's dateline after its citation, when the pack records one
DATELINES = {"000_24b8aacb5478efeb.txt": " · Last Updated: 07.01 PM, Jan 28, 2024"}
RELEASED = local_midnight(dt.date(2024, 1, 24), "Asia/Seoul")  # 2024-01-24 00:00 KST


async def song_facts(world: World) -> list:
    return await world.bot.store.facts.about(SONG, limit=500)


# ---------------------------------------------------------------- the card


async def test_song_card_shows_titles_artists_release_charts_and_video(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": "Love Wins All"})
    assert r.error is None and not r.ephemeral
    [embed] = r.embeds
    assert embed["title"] == "Love Wins All"
    assert embed["description"] == "*러브 윈즈 올*"
    f = fields(embed)
    # who sings, who appears in the video
    assert f["Artists"] == "**IU**: vocals\n**V**: appears in the music video"
    # the release as a date-only stamp plus how long ago
    assert norm(f["Released"]) == f"<date> (<t:{RELEASED}:R>)"
    assert_days(f["Released"], dt.date(2024, 1, 24))
    assert "debuted at number one on Melon's TOP100 Chart" in f["Chart records"]
    assert "first female artist in South Korean history" in f["Chart records"]
    mv = f["Music video"]
    assert "released on January 24, 2024" in mv and "post-apocalyptic battle scenes" in mv
    assert mv.endswith("…and 7 more in Behind the scenes.")
    facts = await song_facts(world)
    assert len(facts) == 32
    assert embed["footer"]["text"] == "32 sourced facts · tap Sources to check them"
    assert labels(r) == ["Behind the scenes", "Another fact", "Sources"]
    assert_embed_within_limits(embed)
    # posted publicly, once
    posted = public_messages(world.emu, world.general)
    assert [m["id"] for m in posted] == [r.message["id"]]


async def test_behind_the_scenes_button_lists_the_notes_privately(world: World) -> None:
    card = await world.emu.command(world.general, world.fan, "song", {"title": "Love Wins All"})
    r = await world.emu.click(card, world.fan, label="Behind the scenes")
    assert r.ephemeral and r.error is None
    [embed] = r.embeds
    assert embed["title"] == "Behind the scenes: Love Wins All"
    facts = await song_facts(world)
    expected = [f for f in facts if f.kind in ("behind-the-scenes", "music-video")]
    # one bullet per note, each saying which article it comes from (on its line or the next)
    blocks = ("\n" + embed["description"]).split("\n• ")[1:]
    assert len(blocks) == len(expected) == 15
    for fact in expected:
        [block] = [b for b in blocks if b.startswith(fact.text)]
        assert "OTTplay" in block or "The Mary Sue" in block, block
    # behind-the-scenes first, then the music-video notes
    assert "wedding gown" in embed["description"] and "sign language" in embed["description"]
    assert embed["description"].index("wedding gown") < embed["description"].index("sign language")
    assert_embed_within_limits(embed)
    assert len(public_messages(world.emu, world.general)) == 1  # only the card is public


async def test_another_fact_button_posts_a_fact_about_the_song(world: World) -> None:
    card = await world.emu.command(world.general, world.fan, "song", {"title": "Love Wins All"})
    r = await world.emu.click(card, world.fan, label="Another fact")
    assert not r.ephemeral and r.error is None
    [embed] = r.embeds
    assert embed["title"] == "💡 Did you know?"
    assert "Love Wins All" in fields(embed)["About"]
    texts = {f.text for f in await song_facts(world)}
    assert embed["description"] in texts
    assert labels(r) == ["Source", "Another fact"]
    # a second press gives a different fact about the same song
    again = await world.emu.click(card, world.fan, label="Another fact")
    assert again.embeds[0]["description"] in texts
    assert again.embeds[0]["description"] != embed["description"]


async def test_sources_button_pages_every_fact_with_its_quote_and_article(world: World) -> None:
    card = await world.emu.command(world.general, world.fan, "song", {"title": "Love Wins All"})
    r = await world.emu.click(card, world.fan, label="Sources")
    assert r.ephemeral and r.error is None
    facts = await song_facts(world)
    by_text = {f.text: f for f in facts}
    seen: list[str] = []
    pages = []
    while True:
        [embed] = r.embeds
        pages.append(embed)
        assert embed["title"] == "📚 Sources: Love Wins All"
        assert 1 <= len(embed["fields"]) <= 8
        assert_embed_within_limits(embed)
        for field in embed["fields"]:
            fact = by_text[field["name"]]
            assert field["value"].startswith(f"> {fact.quote}\n")  # every quote in this pack fits whole
            assert field["value"].rsplit("\n", 1)[1] == f"— {CITATIONS[fact.source]}{DATELINES.get(fact.source, '')}"
            seen.append(field["name"])
        buttons = {b["label"]: b for b in r.buttons}
        assert set(buttons) == {"First", "Previous", "Next", "Last"}  # 4 pages of sources
        assert buttons["Previous"].get("disabled", False) == (len(pages) == 1)
        if buttons["Next"].get("disabled"):
            break
        r = await world.emu.click(r, world.fan, label="Next")
        assert r.error is None and r.ephemeral
    assert sorted(seen) == sorted(by_text) and len(seen) == len(facts) == 32
    assert [p["footer"]["text"] for p in pages] == [f"{n}/{len(pages)}" for n in range(1, len(pages) + 1)]
    # and back again
    back = await world.emu.click(r, world.fan, label="Previous")
    assert back.embeds[0]["footer"]["text"] == f"{len(pages) - 1}/{len(pages)}"
    assert [m["id"] for m in public_messages(world.emu, world.general)] == [card.message["id"]]


async def test_sources_pages_show_the_articles_dateline_after_its_citation(world: World) -> None:
    """An article's dateline, when the pack records it, follows its citation on the Sources page, verbatim and in
    every language (it is the article's own text); an article without one is cited alone."""
    card = await world.emu.command(world.general, world.fan, "song", {"title": "Love Wins All"})
    for user, next_label, ottplay, mary_sue in (
        (
            world.fan,
            "Next",
            "— OTTplay: “What's cooking between IU and BTS’ V? Watch some amusing behind-the-scenes pics”",
            "— The Mary Sue: “IU Makes History With BTS V in Latest Single ‘Love Wins All’”",
        ),
        (
            world.fan_ko,
            "다음",
            "— OTTplay: “아이유와 방탄소년단 뷔 사이에 무슨 일이? 재미있는 비하인드 사진”",
            "— The Mary Sue: “아이유, 방탄소년단 뷔와 함께한 신곡 ‘Love Wins All’로 역사를 쓰다”",
        ),
    ):
        r = await world.emu.click(card, user, label="Sources")
        citations = set()
        while True:
            citations |= {field["value"].rsplit("\n", 1)[1] for field in r.embeds[0]["fields"]}
            if {b["label"]: b for b in r.buttons}[next_label].get("disabled"):
                break
            r = await world.emu.click(r, user, label=next_label)
        assert citations == {f"{ottplay} · Last Updated: 07.01 PM, Jan 28, 2024", mary_sue}


async def test_sources_pages_hold_the_longest_quote_in_the_pack(world: World) -> None:
    facts = await song_facts(world)
    longest = max(facts, key=lambda f: len(f.quote or ""))
    assert len(longest.quote) > 150  # quotes are the claim's sentences now (issue 9 item 11), none runs to 600
    card = await world.emu.command(world.general, world.fan, "song", {"title": "LWA"})
    r = await world.emu.click(card, world.fan, label="Sources")
    found = False
    while True:
        embed = r.embeds[0]
        assert_embed_within_limits(embed)
        found = found or any(f["value"].startswith(f"> {longest.quote}") for f in embed["fields"])
        if r.buttons[-1].get("disabled"):
            break
        r = await world.emu.click(r, world.fan, label="Next")
    assert found


# ---------------------------------------------------------------- the list


async def test_song_without_title_lists_the_songs_privately(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "song")
    assert r.ephemeral and r.error is None
    [embed] = r.embeds
    assert embed["title"] == "Songs"
    assert norm(embed["description"]) == "`  1` **Love Wins All** · 러브 윈즈 올 · <date>"
    assert_days(embed["description"], dt.date(2024, 1, 24))
    assert embed["footer"]["text"] == "Page 1 of 1 · 1 song"
    assert r.buttons == []  # one page: no pager
    assert public_messages(world.emu, world.general) == []


# ---------------------------------------------------------------- matching

MEANS_LWA = [
    "love win all",
    "LWA",
    "lwa",
    "러브윈즈올",
    "love wins all!!",
    "러브",
    "러브 윈즈",
    "love",
    "Love Wins",
    "ㄹㅂㅇㅈㅇ",
    "러브윈ㅈ",
]


@pytest.mark.parametrize("typed", MEANS_LWA)
async def test_autocomplete_finds_the_song(world: World, typed: str) -> None:
    choices = await world.emu.autocomplete(world.general, world.fan, "song", {"title": typed}, "title")
    assert_choices_ok(choices)
    assert choices and choices[0]["value"] == SONG
    assert choices[0]["name"].startswith("Love Wins All")


async def test_autocomplete_on_empty_input_offers_the_list(world: World) -> None:
    choices = await world.emu.autocomplete(world.general, world.fan, "song", {"title": ""}, "title")
    assert_choices_ok(choices)
    assert choices == [{"name": "Love Wins All", "value": SONG}]


async def test_autocomplete_names_the_song_in_korean_for_korean_users(world: World) -> None:
    choices = await world.emu.autocomplete(world.general, world.fan_ko, "song", {"title": "러브 윈즈"}, "title")
    assert choices[0] == {"name": "러브 윈즈 올", "value": SONG}


@pytest.mark.parametrize(
    "typed",
    [
        "love win all",
        "LWA",
        "러브윈즈올",
        "love wins all!!",
        "러브 윈즈",
        "lovewins",
        "LOVE WINS ALL",
        "  love   wins all  ",
        "lov wins all",
        "song:love-wins-all",
    ],
)
async def test_typed_without_picking_still_finds_the_song(world: World, typed: str) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": typed})
    assert r.error is None and not r.ephemeral, r.text
    assert r.embeds[0]["title"] == "Love Wins All"


async def test_a_prefix_too_short_to_be_sure_gets_did_you_mean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": "러브"})
    assert r.ephemeral and r.embeds == []
    assert r.content == (
        "I couldn't find a song called **러브**.\nDid you mean: **Love Wins All**?\n"
        "Try `/song` with no title to see every song."
    )
    assert public_messages(world.emu, world.general) == []


# ---------------------------------------------------------------- unknown songs


async def test_unknown_song_is_a_kind_private_reply(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": "Blueming"})
    assert r.type == 4 and r.ephemeral and r.error is None
    assert r.content == "I couldn't find a song called **Blueming**.\nTry `/song` with no title to see every song."
    assert "Did you mean" not in r.content  # nothing close in this pack
    assert "Traceback" not in r.text and "error id" not in r.text
    assert public_messages(world.emu, world.general) == []


async def test_a_near_miss_gets_did_you_mean(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": "luv wins all"})
    assert r.ephemeral
    assert "Did you mean: **Love Wins All**?" in r.content
    assert public_messages(world.emu, world.general) == []


@pytest.mark.parametrize("typed", ["love wins everything", "Love Wins All (Remix)"])
async def test_an_overlong_title_gets_did_you_mean(world: World, typed: str) -> None:
    r = await world.emu.command(world.general, world.fan, "song", {"title": typed})
    assert r.ephemeral
    assert "Did you mean: **Love Wins All**?" in r.content
