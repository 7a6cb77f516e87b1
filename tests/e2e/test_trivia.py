"""/trivia through the emulator with the real bot: full games in each mode with three members or more,
fair first answers, a round nobody answers, stops, hostile input and forged buttons."""

from __future__ import annotations

import asyncio
import copy

import pytest

from tests.e2e.conftest import World
from tests.e2e.trivia_helpers import (
    at,
    embed,
    game_end,
    labels,
    next_question,
    only_question,
    posts,
    reveal,
    right_option,
    start,
    title,
    until,
)

MELON_OPTIONS = {"Melon", "Genie", "Bugs", "FLO"}
MELON_KO = {"Melon": "멜론", "Genie": "지니", "Bugs": "벅스", "FLO": "플로"}  # the pack's answer_ko and wrong_ko


def mention(member) -> str:  # type: ignore[no-untyped-def]
    return f"<@{member.id}>"


async def test_a_buttons_game_with_three_members(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    await only_question(world.bot, world.guild.id, ["q:q-melon-chart"])
    r = await start(emu, general, world.fan, rounds=2)
    assert r.error is None and not r.ephemeral
    assert r.embeds[0]["title"] == "🎮 Trivia time!"
    assert r.embeds[0]["description"] == (
        f"{mention(world.fan)} started a game: **2 questions**, Buttons, 20 seconds each.\n"
        "Your answers are private until the reveal. Fastest right answers score the most."
    )
    question = await next_question(emu, clock, general, 1)
    assert title(question) == "Question 1 of 2"
    body = embed(question)["description"]
    assert body.startswith(
        "**On which South Korean streaming service's TOP100 chart did 'Love Wins All' debut at number one?**\n\nA · "
    )
    assert body.endswith(f"Time's up <t:{int(clock.now().timestamp()) + 20}:R>.")
    shown = labels(question)
    assert {label.split(" · ")[1] for label in shown} == MELON_OPTIONS
    assert [label[0] for label in shown] == ["A", "B", "C", "D"]
    right = await right_option(world.bot, general)
    wrong = (right + 1) % 4
    picked = await emu.click(question, world.fan, index=right)
    assert picked.ephemeral and picked.content == f"🔒 Locked in: **{shown[right]}**. See how you did at the reveal."
    again = await emu.click(question, world.fan, index=wrong)  # spamming another option changes nothing
    assert again.ephemeral and again.content == f"Your first pick, **{shown[right]}**, is locked in."
    ko = await emu.click(question, world.fan_ko, index=wrong)  # a Korean member's own reply: the option in Korean
    letter, option = shown[wrong].split(" · ")
    assert (
        ko.ephemeral
        and ko.content == f"🔒 **{letter} · {MELON_KO[option]}** 선택 완료! 결과는 정답 공개 때 확인하세요."
    )
    await emu.click(question, world.admin, index=right)
    assert len(posts(emu, general)) == 1  # per-answer feedback is private: no new channel message

    done = await reveal(emu, clock, question)
    assert title(done) == "Question 1 of 2 · answer"
    e = embed(done)
    assert e["description"].endswith("\n\n✅ **Melon**")
    fields = {f["name"]: f["value"] for f in e["fields"]}
    counts = [1 if i == wrong else 2 if i == right else 0 for i in range(4)]
    assert fields["Picks"] == "\n".join(
        f"{label} — {count}{' ✅' if i == right else ''}"
        for i, (label, count) in enumerate(zip(shown, counts, strict=True))
    )
    winners = fields["Right · 3 players answered"].splitlines()
    assert [line.split(" +")[0] for line in winners] == [f"⚡ {mention(world.fan)}", mention(world.admin)]
    assert (
        fields["Did you know?"]
        == "IU's single 'Love Wins All' debuted at number one on Melon's TOP100 Chart in South Korea."
    )
    assert e["footer"]["text"].startswith("Source: ") and e["footer"]["text"].endswith(" · tap Source for the quote")
    assert labels(done) == [*shown, "Source"]
    source = await emu.click(done, world.fan_ko, label="Source")
    assert source.ephemeral and source.embeds[0]["title"] == "출처"
    assert [f["name"] for f in source.embeds[0]["fields"]] == ["인용", "기사"]

    second = await next_question(emu, clock, general, 2)  # nobody answers this one
    quiet = await reveal(emu, clock, second)
    assert {f["name"]: f["value"] for f in embed(quiet)["fields"]}["Right · 0 players answered"] == "Nobody answered."
    end = await game_end(emu, clock, general)
    lines = embed(end)["description"].splitlines()
    assert [line.split(" · ")[0] for line in lines] == [
        f"**1.** {mention(world.fan)}",
        f"**2.** {mention(world.admin)}",
        f"**3.** {mention(world.fan_ko)}",
    ]
    assert lines[2] == f"**3.** {mention(world.fan_ko)} · 0 points (0 right)"
    assert embed(end)["footer"]["text"] == "Counted toward season 1. `/trivia leaderboard` to see the standings."


async def test_two_right_answers_at_nearly_the_same_moment_go_by_when_discord_created_them(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    await start(emu, general, world.fan, rounds=1)
    question = await next_question(emu, clock, general, 1)
    right = await right_option(world.bot, general)
    # The admin's click reaches the bot first, but the fan's was created 800 ms earlier.
    await emu.click(question, world.admin, index=right, created_at=at(question, 2.8))
    await emu.click(question, world.fan, index=right, created_at=at(question, 2.0))
    await emu.click(question, world.fan_ko, index=right, created_at=at(question, 9.9))
    done = await reveal(emu, clock, question)
    value = next(f["value"] for f in embed(done)["fields"] if f["name"].startswith("Right"))
    # 100 points, a speed bonus of 50 x the share of the 20 s left, no streak yet
    assert value.splitlines() == [
        f"⚡ {mention(world.fan)} +145",
        f"{mention(world.admin)} +143",
        f"{mention(world.fan_ko)} +125",
    ]


async def test_a_click_before_the_bot_has_read_its_own_post_is_timed_from_that_post(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discord can deliver a click before the bot has read the reply to its own post (on a busy machine the
    emulator does): the clicked message is that post, so the speed bonus still counts from it, not from the
    round's start on the bot's clock (here a frozen clock, days before the post)."""
    emu, clock, general = world.emu, world.clock, world.general
    repo = world.bot.get_cog("Trivia").runner.repo  # type: ignore[union-attr]
    replied = asyncio.Event()
    record = repo.set_message

    async def recorded_late(round_id: int, message_id: int) -> None:
        await replied.wait()
        await record(round_id, message_id)

    monkeypatch.setattr(repo, "set_message", recorded_late)
    await start(emu, general, world.fan, rounds=1)
    question = await next_question(emu, clock, general, 1)
    right = await right_option(world.bot, general)
    picked = await emu.click(question, world.fan, index=right, created_at=at(question, 2.0))
    assert picked.content.startswith("🔒 ")
    replied.set()
    done = await reveal(emu, clock, question)
    value = next(f["value"] for f in embed(done)["fields"] if f["name"].startswith("Right"))
    assert value.splitlines() == [f"⚡ {mention(world.fan)} +145"]  # 100, and 50 x the 18 s of 20 left


async def test_players_tied_on_points_end_in_the_order_they_first_answered(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    await start(emu, general, world.fan, rounds=1)
    question = await next_question(emu, clock, general, 1)
    right = await right_option(world.bot, general)
    # Both wrong answers score 0; the admin's reaches the bot first, but the fan_ko's was created earlier.
    await emu.click(question, world.admin, index=(right + 1) % 4, created_at=at(question, 5.0))
    await emu.click(question, world.fan_ko, index=(right + 2) % 4, created_at=at(question, 3.0))
    await emu.click(question, world.fan, index=right, created_at=at(question, 2.0))
    await reveal(emu, clock, question)
    end = await game_end(emu, clock, general)
    assert embed(end)["description"].splitlines() == [
        f"**1.** {mention(world.fan)} · 145 points (1 right)",
        f"**2.** {mention(world.fan_ko)} · 0 points (0 right)",
        f"**3.** {mention(world.admin)} · 0 points (0 right)",
    ]


async def test_a_typed_game_with_tries_hints_and_hostile_text(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    await only_question(world.bot, world.guild.id, ["q:q-melon-chart"])
    await start(emu, general, world.fan, rounds=1, mode="typed")
    question = await next_question(emu, clock, general, 1)
    assert labels(question) == ["Answer", "Hint"]
    assert "Press **Answer** and type it." in embed(question)["description"]
    opened = await emu.click(question, world.fan, label="Answer")
    assert opened.modal is not None and opened.modal["title"] == "Your answer"
    with pytest.raises(ValueError, match="Discord shows a modal only to the user whose interaction opened it"):
        await emu.submit_modal(opened, world.fan_ko, {"answer": "Melon"})  # nobody answers on a fan's behalf
    wrong = await emu.submit_modal(opened, world.fan, {"answer": "<@123> **Genie** @everyone"})
    assert wrong.ephemeral
    assert wrong.content == "❌ Not quite: “\\<@123> \\*\\*Genie\\*\\* @\u200beveryone”. 2 tries left."
    close = await emu.submit_modal(
        await emu.click(question, world.fan, label="Answer"), world.fan, {"answer": "Melonnn"}
    )
    assert close.content == "🤏 Close! “Melonnn” is nearly it. 1 try left."
    right = await emu.submit_modal(
        await emu.click(question, world.fan, label="Answer"), world.fan, {"answer": "melon!!"}
    )
    assert right.content == "✅ Right: **Melon**! Your points come at the reveal."
    after = await emu.click(question, world.fan, label="Answer")
    assert after.content == "You already got this one right."
    hinted = await emu.click(question, world.admin, label="Hint")
    assert hinted.ephemeral and hinted.content.startswith("💡 Hint: `M＿＿＿＿` (a right answer now scores up to ")
    korean = await emu.submit_modal(
        await emu.click(question, world.fan_ko, label="Answer"), world.fan_ko, {"answer": "멜론"}
    )
    assert korean.content == "✅ 정답: **멜론**! 점수는 정답 공개 때 나와요."
    longest = "\u202e" + "x" * 99  # the modal's maximum length, with a bidi override
    odd = await emu.submit_modal(await emu.click(question, world.mod, label="Answer"), world.mod, {"answer": longest})
    assert odd.content.startswith("❌ 아니에요: “" + "x" * 79 + "…”")
    for _ in range(2):
        last = await emu.submit_modal(
            await emu.click(question, world.mod, label="Answer"), world.mod, {"answer": "genie"}
        )
    assert last.content == "❌ 아니에요: “genie”. 마지막 기회였어요."
    out = await emu.click(question, world.mod, label="Answer")
    assert out.content == "이 문제의 기회 세 번을 모두 썼어요." and out.modal is None
    done = await reveal(emu, clock, question)
    value = next(f["value"] for f in embed(done)["fields"] if f["name"].startswith("Right"))
    assert [line.split(" +")[0] for line in value.splitlines()] == [f"⚡ {mention(world.fan)}", mention(world.fan_ko)]
    assert "Right · 3 players answered" in [f["name"] for f in embed(done)["fields"]]  # a hint alone isn't an answer
    assert labels(done) == ["Source"]


async def test_a_true_or_false_game(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    await only_question(world.bot, world.guild.id, ["tf:first:her-world-tour:0"])
    await start(emu, general, world.admin, rounds=1, mode="truefalse")
    question = await next_question(emu, clock, general, 1)
    assert embed(question)["description"].startswith(
        "**IU H.E.R. World Tour begins in Los Angeles.**\n\nTrue or false?"
    )
    assert labels(question) == ["True", "False"]
    await emu.click(question, world.fan, label="False")
    await emu.click(question, world.admin, label="True")
    ko = await emu.click(question, world.fan_ko, label="False")
    assert ko.content == "🔒 **X (아니다)** 선택 완료! 결과는 정답 공개 때 확인하세요."
    done = await reveal(emu, clock, question)
    fields = {f["name"]: f["value"] for f in embed(done)["fields"]}
    assert embed(done)["description"].endswith("✅ **False**")
    assert fields["Picks"] == "True — 1\nFalse — 2 ✅"
    assert fields["Did you know?"] == "IU H.E.R. World Tour begins in Seoul."


async def test_a_mixed_game_plays_every_mode(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    await start(emu, general, world.fan, rounds=3, mode="mixed")
    seen = set()
    for number in (1, 2, 3):
        question = await next_question(emu, clock, general, number)
        buttons = labels(question)
        if buttons == ["Answer", "Hint"]:
            seen.add("typed")
            opened = await emu.click(question, world.fan, label="Answer")
            await emu.submit_modal(opened, world.fan, {"answer": "something"})
        else:
            seen.add("truefalse" if buttons == ["True", "False"] else "buttons")
            for member in (world.fan, world.fan_ko, world.admin):
                await emu.click(question, member, index=0)
        await reveal(emu, clock, question)
    assert seen == {"typed", "truefalse", "buttons"}
    end = await game_end(emu, clock, general)
    assert len(embed(end)["description"].splitlines()) == 3


async def test_one_game_per_channel_and_stops(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    await start(emu, general, world.fan, rounds=5)
    question = await next_question(emu, clock, general, 1)
    second = await start(emu, general, world.admin)
    assert second.ephemeral
    link = f"https://discord.com/channels/{world.guild.id}/{general.id}/{question['id']}"
    assert second.content == (
        f"A game is already running here: [jump to it]({link}). Wait for it to end, "
        "or ask its starter or a moderator to `/trivia stop` it."
    )
    elsewhere = await start(emu, world.announcements, world.admin, rounds=1)
    assert not elsewhere.ephemeral  # another channel has its own game
    refused = await emu.command(general, world.fan_ko, "trivia", subcommand="stop")
    assert (
        refused.ephemeral and refused.content == "게임을 시작한 사람이나 서버 관리 권한이 있는 사람만 멈출 수 있어요."
    )
    await emu.click(question, world.fan, index=await right_option(world.bot, general))
    stopped = await emu.command(general, world.mod, "trivia", subcommand="stop", locale="en-US")
    assert not stopped.ephemeral and stopped.embeds[0]["title"] == f"🛑 Game stopped by {mention(world.mod)}"
    assert stopped.embeds[0]["description"].startswith(f"**1.** {mention(world.fan)} · 1")
    revealed = emu._messages[int(question["id"])]
    assert title(revealed) == "Question 1 of 5 · answer"  # the open round was revealed with its answers
    again = await start(emu, general, world.fan, rounds=1)
    assert not again.ephemeral
    await next_question(emu, clock, general, 1)
    mine = await emu.command(general, world.fan, "trivia", subcommand="stop")
    assert mine.embeds[0]["title"] == f"🛑 Game stopped by {mention(world.fan)}"
    assert mine.embeds[0]["footer"]["text"] == "Practice game: it needs 2 players to count for season 1."
    none = await emu.command(general, world.fan, "trivia", subcommand="stop")
    assert none.ephemeral and none.content == "No game is running in this channel. Start one with `/trivia start`."


def forged(message: dict, custom_id: str) -> dict:
    """A copy of ``message`` as a modified client could present it: one button with any custom id."""
    fake = copy.deepcopy(message)
    fake["id"] = str(int(message["id"]) + 7777)  # not a stored message, so the emulator clicks this copy
    fake["components"] = [{"type": 1, "components": [{"type": 2, "style": 1, "label": "x", "custom_id": custom_id}]}]
    return fake


async def test_forged_stale_and_late_clicks_change_nothing(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    await start(emu, general, world.fan, rounds=2)
    question = await next_question(emu, clock, general, 1)
    game = await world.bot.store.trivia.running_in(general.id)
    assert game is not None
    for custom_id in (
        f"ls:tv:{game.id + 50}:1:0",
        f"ls:tv:{game.id}:9:0",
        f"ls:tv:{game.id}:1:7",
        f"ls:tv:{game.id}:1:a",
        f"ls:tv:{game.id}:1:h",
        f"ls:tvs:{game.id}:1",
        "ls:tv:0:0:0",
    ):
        r = await emu.click(forged(question, custom_id), world.fan)
        assert r.ephemeral and r.content == "This round is over.", custom_id
    stale = copy.deepcopy(question)
    stale["id"] = str(int(question["id"]) + 7777)
    await reveal(emu, clock, question)
    late = await emu.click(stale, world.fan_ko, index=0)  # a client still showing the open round, after the reveal
    assert late.ephemeral and late.content == "이 문제는 끝났어요."
    rnd = await world.bot.store.trivia.round(game.id, 1)
    assert rnd is not None and await world.bot.store.trivia.answers(rnd.id) == []
    # the reveal stays as it was
    await until(clock, lambda: title(emu._messages[int(question["id"])]) == "Question 1 of 2 · answer")


async def test_about_autocompletes_and_narrows_the_questions(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    choices = await emu.autocomplete(general, world.fan, "trivia", {"about": "taehy"}, "about", subcommand="start")
    assert choices is not None and choices[0]["value"] == "artist:v"
    unknown = await start(emu, general, world.fan, about="Lovee Winz Alll")
    assert unknown.ephemeral and unknown.content.startswith("I don't know anything about **Lovee Winz Alll** yet.")
    assert "Did you mean: **Love Wins All**" in unknown.content
    r = await start(emu, general, world.fan, rounds=1, mode="truefalse", about="artist:v")
    assert not r.ephemeral
    question = await next_question(emu, clock, general, 1)
    assert embed(question)["description"].startswith("**V appears in the music video for 'Love Wins All'.**")


async def test_a_channel_the_bot_cannot_post_in_is_refused_kindly(world: World) -> None:
    r = await start(world.emu, world.read_only, world.fan)
    assert r.ephemeral and r.content == (
        "I need the **Send Messages** permission here to do that. "
        "A moderator can give it to me in the channel or role settings."
    )
    assert await world.bot.store.trivia.running_in(world.read_only.id) is None


async def test_an_answer_form_submitted_after_the_reveal_changes_nothing(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    await start(emu, general, world.fan, rounds=1, mode="typed")
    question = await next_question(emu, clock, general, 1)
    opened = await emu.click(question, world.fan, label="Answer")
    await reveal(emu, clock, question)
    late = await emu.submit_modal(opened, world.fan, {"answer": "anything"})
    assert late.ephemeral and late.content == "This round is over."
    game = await world.bot.store.trivia.last_round((await world.bot.store.trivia.game(1)).id)  # type: ignore[union-attr]
    assert game is not None and await world.bot.store.trivia.answers(game.id) == []
