"""/fact: a sourced fact, no repeats in a channel until the pool is used up, Source and Another fact."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import (
    World,
    assert_choices_ok,
    assert_embed_within_limits,
    fields,
    labels,
    public_messages,
)

KINDS = {
    "fact": "Fact",
    "behind-the-scenes": "Behind the scenes",
    "chart-record": "Chart record",
    "music-video": "Music video",
    "tour": "Tour",
    "reception": "Reception",
}
# How fans see the two seed articles cited, by file (literal, so a citation in the wrong language fails).
# the Source card gives an article's dateline on its own line, when the pack records one
DATELINES = {"000_24b8aacb5478efeb.txt": "Last Updated: 07.01 PM, Jan 28, 2024\n"}
CITATIONS = {
    "000_24b8aacb5478efeb.txt": "OTTplay: “What's cooking between IU and BTS’ V? Watch some amusing behind-the-scenes pics”",
    "004_7c4a4874365c364d.txt": "The Mary Sue: “IU Makes History With BTS V in Latest Single ‘Love Wins All’”",
}
RESET = "You've seen every fact here, so I'm starting over."


def fact_id(r) -> str:
    """The fact a card shows, read from its Source button (``ls:fact:src:<id>``)."""
    [source] = [b for b in r.buttons if b["custom_id"].startswith("ls:fact:src:")]
    return source["custom_id"].rpartition(":")[2]


async def all_facts(world: World) -> dict:
    store = world.bot.store.facts
    ids = {
        fid
        for subject in ("artist:iu", "artist:v", "song:love-wins-all", "tour:her-world-tour")
        for fid in [f.id for f in await store.about(subject, limit=500)]
    }
    return {fid: await store.get(fid) for fid in ids}


async def test_a_fact_card_shows_the_fact_and_its_source(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "fact")
    assert r.error is None and not r.ephemeral
    [embed] = r.embeds
    fact = (await all_facts(world))[fact_id(r)]
    assert embed["title"] == "💡 Did you know?"
    assert embed["description"] == fact.text
    assert embed["footer"]["text"] == f"Source: {CITATIONS[fact.source]}"
    assert KINDS[fact.kind] in [f["value"] for f in embed["fields"]]
    assert fields(embed)["About"]
    assert labels(r) == ["Source", "Another fact"]
    assert_embed_within_limits(embed)


async def test_the_pool_is_used_up_before_any_fact_repeats(world: World) -> None:
    facts = await all_facts(world)
    assert len(facts) == 39
    seen = []
    for _ in range(39):
        r = await world.emu.command(world.general, world.fan, "fact")
        assert not r.ephemeral and RESET not in r.embeds[0]["footer"]["text"]
        seen.append(fact_id(r))
    assert len(set(seen)) == 39 and set(seen) == set(facts)
    r = await world.emu.command(world.general, world.fan, "fact")
    assert r.embeds[0]["footer"]["text"].startswith(f"{RESET} · Source: ")
    # the next one after the restart is a normal draw again
    r = await world.emu.command(world.general, world.fan, "fact")
    assert RESET not in r.embeds[0]["footer"]["text"]
    # other channels keep their own pool
    other = await world.emu.command(world.announcements, world.fan, "fact")
    assert RESET not in other.embeds[0]["footer"]["text"]


async def test_source_button_quotes_the_article_privately(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "fact")
    fact = (await all_facts(world))[fact_id(r)]
    src = await world.emu.click(r, world.fan, label="Source")
    assert src.ephemeral and src.error is None
    [embed] = src.embeds
    assert embed["title"] == "Where this comes from"
    assert embed["description"] == fact.text
    f = fields(embed)
    assert set(f) == {"Quote", "Article"}
    assert f["Quote"] == f"> {fact.quote}"
    assert f["Article"] == f"{CITATIONS[fact.source]}\n{DATELINES.get(fact.source, '')}`seeds/{fact.source}`"
    assert len(public_messages(world.emu, world.general)) == 1


async def test_source_card_gives_the_articles_dateline_when_the_pack_records_one(world: World) -> None:
    dated = await world.emu.command(world.general, world.fan, "fact", {"kind": "tour"})  # OTTplay only
    src = await world.emu.click(dated, world.fan, label="Source")
    assert fields(src.embeds[0])["Article"] == (
        "OTTplay: “What's cooking between IU and BTS’ V? Watch some amusing behind-the-scenes pics”\n"
        "Last Updated: 07.01 PM, Jan 28, 2024\n`seeds/000_24b8aacb5478efeb.txt`"
    )
    undated = await world.emu.command(world.general, world.fan_ko, "fact", {"kind": "chart-record"})  # The Mary Sue
    src = await world.emu.click(undated, world.fan_ko, label="출처")
    assert fields(src.embeds[0])["기사"] == (
        "The Mary Sue: “아이유, 방탄소년단 뷔와 함께한 신곡 ‘Love Wins All’로 역사를 쓰다”\n"
        "`seeds/004_7c4a4874365c364d.txt`"
    )


async def test_another_fact_button_posts_a_new_fact(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "fact")
    again = await world.emu.click(r, world.fan, label="Another fact")
    assert not again.ephemeral and again.error is None
    assert fact_id(again) != fact_id(r)
    assert len(public_messages(world.emu, world.general)) == 2


@pytest.mark.parametrize(
    "typed, key",
    [
        ("iu", "artist:iu"),
        ("뷔", "artist:v"),
        ("lwa", "song:love-wins-all"),
        ("HER", "tour:her-world-tour"),
        ("아이유", "artist:iu"),
    ],
)
async def test_about_autocomplete(world: World, typed: str, key: str) -> None:
    choices = await world.emu.autocomplete(world.general, world.fan, "fact", {"about": typed}, "about")
    assert_choices_ok(choices)
    assert choices[0]["value"] == key


@pytest.mark.parametrize(
    "typed, key, label",
    [("뷔", "artist:v", "V"), ("lwa", "song:love-wins-all", "Love Wins All"), ("artist:iu", "artist:iu", "IU")],
)
async def test_about_narrows_the_facts(world: World, typed: str, key: str, label: str) -> None:
    facts = await world.bot.store.facts.about(key, limit=500)
    ids = {f.id for f in facts}
    for _ in range(min(len(facts), 6)):
        r = await world.emu.command(world.general, world.fan, "fact", {"about": typed})
        assert r.error is None and not r.ephemeral, r.text
        assert fact_id(r) in ids
        assert label in fields(r.embeds[0])["About"].split(", ")
        # "Another fact" keeps to the same subject
        again = await world.emu.click(r, world.fan, label="Another fact")
        assert fact_id(again) in ids


async def test_kind_choices_are_registered_and_narrow_the_facts(world: World) -> None:
    [cmd] = [c for c in world.emu.registered_commands() if c["name"] == "fact"]
    [kind] = [o for o in cmd["options"] if o["name"] == "kind"]
    assert {c["value"]: c["name"] for c in kind["choices"]} == KINDS
    facts = await all_facts(world)
    charts = {f.id for f in facts.values() if f.kind == "chart-record"}
    assert len(charts) == 2
    drawn = []
    for _ in range(2):
        r = await world.emu.command(world.general, world.fan, "fact", {"kind": "chart-record"})
        assert [f["value"] for f in r.embeds[0]["fields"]][-1] == "Chart record"
        drawn.append(fact_id(r))
    assert set(drawn) == charts
    r = await world.emu.command(world.general, world.fan, "fact", {"kind": "chart-record"})
    assert r.embeds[0]["footer"]["text"].startswith(RESET)
    # Another fact under a kind-narrowed card stays in that kind
    again = await world.emu.click(r, world.fan, label="Another fact")
    assert fact_id(again) in charts


async def test_an_unknown_subject_is_a_private_kind_reply(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "fact", {"about": "xyzzy"})
    assert r.ephemeral and r.error is None and r.embeds == []
    assert r.content == "I don't know anything about **xyzzy** yet."
    r = await world.emu.command(world.general, world.fan, "fact", {"about": "iu h.e.r"})
    assert r.content == "I don't know anything about **iu h.e.r** yet.\nDid you mean: **IU H.E.R. World Tour**?"
    assert public_messages(world.emu, world.general) == []


async def test_no_matching_facts_is_a_private_kind_reply(world: World) -> None:
    r = await world.emu.command(world.general, world.fan, "fact", {"about": "V", "kind": "chart-record"})
    assert r.ephemeral and r.content == "I have no facts matching that yet."
    assert public_messages(world.emu, world.general) == []
