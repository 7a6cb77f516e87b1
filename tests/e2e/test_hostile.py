"""Hostile input: mentions, markdown, huge and control-character strings, SQL-looking text.

Every such input gets a kind private reply that repeats the text back escaped and short; nothing is
posted publicly, nothing pings, Discord accepts every payload, and the bot keeps working afterwards.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import World, assert_choices_ok, message_payloads, public_messages

HOSTILE = {
    "everyone": "@everyone",
    "here": "@here look",
    "role": "<@&123>",
    "user": "<@123456789012345678>",
    "bold": "**bold**",
    "long": "x" * 5000,
    "long-mentions": "@everyone " * 500,
    "control": "a\x00b\u202ec\u200bd",
    "sql": "'; DROP TABLE songs; --",
    "markdown": "`code` ||spoiler|| ~~gone~~ __u__ <#1> [link](https://evil.example)",
    "newlines": "line1\n# heading\n> quote",
}

# command, option, what the reply says around the echoed text
TARGETS = {
    ("song", "title"): ("I couldn't find a song called **", "**."),
    ("tour", "city"): ("I don't know of a show in **", "**."),
    ("tour", "name"): ("I couldn't find a tour called **", "**."),
    ("fact", "about"): ("I don't know anything about **", "** yet."),
    ("onthisday", "date"): ("I couldn't read **", "** as a date. Try `03-02`, `2024-03-02`, `March 2` or `3월 2일`."),
}
MARKDOWN = set("*`|~_<")


def unescaped_markdown(text: str) -> list[str]:
    """Markdown characters Discord would act on (a backslash escapes the next character, itself included)."""
    found, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            i += 2
            continue
        if text[i] in MARKDOWN:
            found.append(text[i])
        i += 1
    return found


def visible(echoed: str) -> str:
    """What a reader sees of the echoed text: escapes and zero-width spaces gone."""
    return re.sub(r"\\(.)", r"\1", echoed).replace("\u200b", "")


def option_max_length(world: World, command: str, option: str) -> int | None:
    [cmd] = [c for c in world.emu.registered_commands() if c["name"] == command]
    [opt] = [o for o in cmd["options"] if o["name"] == option]
    return opt.get("max_length")


def assert_kind_private_echo(world: World, r, before: str, after: str) -> str:
    assert r.type == 4 and r.error is None, r.text
    assert r.ephemeral and r.embeds == [] and r.components == []
    content = r.content
    first = content.split("\n", 1)[0] if "\n" not in before + after else content
    assert first.startswith(before) and after in first, content
    echoed = first[len(before) : first.rindex(after)]
    assert unescaped_markdown(echoed) == [], (echoed, unescaped_markdown(echoed))
    assert "@everyone" not in content and "@here" not in content
    assert re.search(r"(?<!\\)<[@#]", content) is None
    assert not re.search(r"[\x00-\x08\x0b-\x1f\u202a-\u202e]", content)
    assert len(visible(echoed)) <= 100
    assert "Traceback" not in r.text and "error id" not in r.text and "Something went wrong" not in r.text
    return echoed


@pytest.mark.parametrize("target", list(TARGETS), ids=lambda t: f"{t[0]}-{t[1]}")
async def test_hostile_text_gets_an_escaped_private_reply(world: World, target: tuple[str, str]) -> None:
    command, option = target
    before, after = TARGETS[target]
    longest = option_max_length(world, command, option)
    for name, text in HOSTILE.items():
        if longest is not None and len(text) > longest:
            # Discord's client won't send more than the option's max_length; send what it would allow
            with pytest.raises(ValueError, match="length out of range"):
                await world.emu.command(world.general, world.fan, command, {option: text})
            text = text[:longest]
        r = await world.emu.command(world.general, world.fan, command, {option: text})
        echoed = assert_kind_private_echo(world, r, before, after)
        if name == "everyone":
            assert echoed == "@\u200beveryone"
        if name == "long":
            assert visible(echoed) == (text if len(text) <= 100 else "x" * 99 + "…")
        if name == "sql":
            assert visible(echoed) == "'; DROP TABLE songs; --"
        if name == "control":
            assert visible(echoed) == "abcd"
    assert public_messages(world.emu, world.general) == []
    assert not world.emu.violations
    # the tables are intact and the bot still answers
    assert len(await world.bot.store.songs.all()) == 1
    r = await world.emu.command(world.general, world.fan, "song", {"title": "Love Wins All"})
    assert r.embeds[0]["title"] == "Love Wins All" and not r.ephemeral
    r = await world.emu.command(world.general, world.fan, "fact")
    assert not r.ephemeral and r.embeds[0]["title"] == "💡 Did you know?"


async def test_the_length_limits_are_registered(world: World) -> None:
    assert option_max_length(world, "tour", "city") == 100
    assert option_max_length(world, "onthisday", "date") == 40


@pytest.mark.parametrize(
    "target", [("song", "title"), ("tour", "name"), ("tour", "city"), ("fact", "about")], ids=lambda t: f"{t[0]}-{t[1]}"
)
async def test_hostile_text_in_autocomplete(world: World, target: tuple[str, str]) -> None:
    command, option = target
    for text in HOSTILE.values():
        r = await world.emu.autocomplete(world.general, world.fan, command, {option: text}, option, result=True)
        assert r.error is None and r.type == 8
        assert_choices_ok(r.choices)
    assert not world.emu.violations


async def test_korean_error_echo_is_escaped_too(world: World) -> None:
    r = await world.emu.command(world.general, world.fan_ko, "song", {"title": "@everyone **x**"})
    assert r.ephemeral
    assert r.content.startswith("**@\u200beveryone \\*\\*x\\*\\***(이)라는 노래를 찾지 못했어요.")


async def test_no_reply_can_ping_anyone(world: World) -> None:
    """Every message payload the bot sends carries allowed_mentions with nothing allowed."""
    emu, g, fan = world.emu, world.general, world.fan
    card = await emu.command(g, fan, "song", {"title": "love wins all"})
    for label in ("Behind the scenes", "Another fact", "Sources"):
        r = await emu.click(card, fan, label=label)
    await emu.click(r, fan, label="Next")
    fact = await emu.command(g, fan, "fact")
    await emu.click(fact, fan, label="Source")
    await emu.click(fact, fan, label="Another fact")
    await emu.command(g, fan, "song")
    await emu.command(g, fan, "tour")
    await emu.command(g, fan, "onthisday", {"date": "01-24"})
    await emu.command(g, fan, "countdown")
    await emu.command(g, fan, "about")
    for text in ("@everyone", "<@&123>"):
        await emu.command(g, fan, "song", {"title": text})
        await emu.command(g, fan, "onthisday", {"date": text})
    payloads = message_payloads(world.bodies)
    assert len(payloads) >= 17
    for payload in payloads:
        assert payload.get("allowed_mentions") == {"parse": []}, payload
