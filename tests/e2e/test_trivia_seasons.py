"""After the games: practice games not counted, the leaderboard and stats, a season end, the settings, no
repeated question until the pool is used up, and a game in Korean."""

from __future__ import annotations

import datetime as dt

import discord
import pytest

from tests.e2e.conftest import World
from tests.e2e.trivia_helpers import (
    at,
    embed,
    game_end,
    labels,
    next_question,
    only_question,
    reveal,
    right_option,
    start,
    title,
)


def mention(member) -> str:  # type: ignore[no-untyped-def]
    return f"<@{member.id}>"


async def play_one_round(world: World, starter, answers: dict) -> None:  # type: ignore[no-untyped-def]
    """A one-question buttons game: ``answers`` maps member -> (right?, seconds after the question)."""
    emu, clock, general = world.emu, world.clock, world.general
    before = len(emu.channel_messages(general))
    await start(emu, general, starter, rounds=1)
    await clock.settle()
    question = await next_question(emu, clock, general, 1)
    assert len(emu.channel_messages(general)) == before + 1
    right = await right_option(world.bot, general)
    for member, (is_right, seconds) in answers.items():
        await emu.click(
            question, member, index=right if is_right else (right + 1) % 4, created_at=at(question, seconds)
        )
    await reveal(emu, clock, question)
    await game_end(emu, clock, general)


async def board(world: World, member, period: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    options = {"period": period} if period else {}
    r = await world.emu.command(world.general, member, "trivia", options, subcommand="leaderboard")
    assert r.error is None and not r.ephemeral
    return r.embeds[0]


async def test_practice_leaderboard_stats_and_season_end(world: World) -> None:
    emu, general = world.emu, world.general
    await play_one_round(world, world.fan, {world.fan: (True, 2.0)})  # alone: practice
    end = [m for m in emu.channel_messages(general) if title(m) == "🏆 Game over"][-1]
    assert embed(end)["footer"]["text"] == "Practice game: it needs 2 players to count for season 1."
    empty = await board(world, world.fan)
    assert empty["description"].startswith("No points yet. Play a game with `/trivia start`!")

    await play_one_round(
        world, world.fan, {world.fan: (True, 2.0), world.fan_ko: (True, 9.9), world.admin: (False, 1.0)}
    )
    season = await board(world, world.fan)
    assert season["title"] == "Trivia leaderboard · This season"
    assert season["description"] == (
        f"**1.** {mention(world.fan)} · 145 points\n**2.** {mention(world.fan_ko)} · "
        "125 points\n\nSeason 1 runs until a moderator ends it with `/trivia-admin season-end`."
    )
    assert season["footer"]["text"] == "Page 1 of 1"
    week = await board(world, world.fan, "week")
    monday = int(dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc).timestamp())  # NOW is Sunday 22 November
    assert week["title"] == "Trivia leaderboard · This week"
    assert week["description"].endswith(f"Resets <t:{monday}:R> (<t:{monday}:f>).")
    month = await board(world, world.fan, "month")
    december = int(dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc).timestamp())
    assert month["description"].endswith(f"Resets <t:{december}:R> (<t:{december}:f>).")

    stats = await emu.command(
        general, world.fan_ko, "trivia", {"member": world.fan}, subcommand="stats", locale="en-US"
    )
    assert stats.embeds[0]["title"] == "Trivia stats · Uaena"
    assert [(f["name"], f["value"]) for f in stats.embeds[0]["fields"]] == [
        ("Games", "1"),
        ("Answers", "1"),
        ("Accuracy", "100% (1/1)"),
        ("Best streak", "1"),
        ("Points this season", "145"),
        ("Rank this season", "#1"),
    ]
    mine = await emu.command(general, world.admin, "trivia", subcommand="stats")
    assert [f["value"] for f in mine.embeds[0]["fields"]] == ["1", "1", "0% (0/1)", "0", "0", "—"]
    nobody = await emu.command(general, world.mod, "trivia", subcommand="stats", locale="en-US")
    assert nobody.embeds[0]["description"] == "Min hasn't played a counted game yet."

    with pytest.raises(PermissionError):  # Discord doesn't offer /trivia-admin to a fan
        await emu.command(general, world.fan, "trivia-admin", subcommand="season-end")
    ended = await emu.command(general, world.mod, "trivia-admin", subcommand="season-end", locale="en-US")
    assert not ended.ephemeral and ended.embeds[0]["title"] == "🏁 Season 1 is over"
    assert ended.embeds[0]["description"] == "Season 2 starts now. Good luck!"
    assert ended.embeds[0]["fields"][0]["value"] == f"🥇 {mention(world.fan)} · 145\n🥈 {mention(world.fan_ko)} · 125"
    fresh = await board(world, world.fan)
    assert fresh["description"].startswith("No points yet.")
    assert fresh["description"].endswith("Season 2 runs until a moderator ends it with `/trivia-admin season-end`.")
    ever = await board(world, world.fan, "all")
    assert ever["description"].startswith(f"**1.** {mention(world.fan)} · 145 points")
    assert ever["description"].endswith("All games since the start.")
    async with world.bot.store.write() as tx:  # the archive is kept
        rows = await tx.fetchall("SELECT number, ended_at IS NOT NULL, top FROM trivia_seasons ORDER BY number")
    assert [tuple(r) for r in rows] == [(1, 1, f"[[{world.fan.id}, 145], [{world.fan_ko.id}, 125]]"), (2, 0, None)]


async def test_moderator_commands_are_hidden_from_fans_and_checked_again(world: World) -> None:
    """Discord hides a command by default permissions only at the top level, so the moderators' trivia
    commands are /trivia-admin, not /trivia subcommands every fan would see; the bot checks Manage Server
    again for a server that widens who sees it."""
    commands = {c["name"]: c for c in world.emu.registered_commands()}
    trivia, admin = commands["trivia"], commands["trivia-admin"]
    assert [o["name"] for o in trivia["options"]] == ["start", "stop", "leaderboard", "stats"]
    assert trivia.get("default_member_permissions") is None
    assert [o["name"] for o in admin["options"]] == ["season-end", "settings"]
    assert int(admin["default_member_permissions"]) == discord.Permissions(manage_guild=True).value
    assert admin.get("contexts") in (None, [0]) or admin.get("dm_permission") is False
    assert (admin["name_localizations"]["ko"], admin["description_localizations"]["ko"]) == (
        "퀴즈관리",
        "관리자용 퀴즈: 시즌 종료, 설정 변경 (서버 관리하기)",
    )
    assert admin["description"] == "Trivia for moderators: end a season, change the settings (Manage Server)"
    world.emu.widen_command(world.guild.id, "trivia-admin")
    for sub, options in (("season-end", {}), ("settings", {"min-players": 3})):
        refused = await world.emu.command(world.general, world.fan, "trivia-admin", options, subcommand=sub)
        assert refused.ephemeral and refused.content == "You need the **Manage Server** permission to use this."
    refused = await world.emu.command(world.general, world.fan_ko, "trivia-admin", subcommand="season-end", locale="ko")
    assert refused.content == "이 명령을 쓰려면 **서버 관리하기** 권한이 필요해요."
    repo = world.bot.get_cog("Trivia").runner.repo  # type: ignore[union-attr]
    assert await repo.settings(world.guild.id) == (2, 20)  # nothing changed
    async with world.bot.store.write() as tx:
        rows = await tx.fetchall("SELECT number FROM trivia_seasons WHERE ended_at IS NOT NULL")
    assert rows == []  # no season was ended


async def test_settings_are_for_moderators_and_apply_to_the_next_game(world: World) -> None:
    emu, general = world.emu, world.general
    with pytest.raises(PermissionError):
        await emu.command(general, world.fan, "trivia-admin", {"min-players": 3}, subcommand="settings")
    saved = await emu.command(
        general, world.mod, "trivia-admin", {"min-players": 3, "seconds": 30}, subcommand="settings"
    )
    assert saved.ephemeral and saved.content == (
        "퀴즈 설정: 참가자가 **3**명 이상이면 시즌 점수에 들어가요. "
        "`/퀴즈 시작`에서 따로 정하지 않으면 문제마다 **30**초예요."
    )
    shown = await emu.command(general, world.admin, "trivia-admin", subcommand="settings")
    assert shown.content == (
        "Trivia settings: a game counts for the season with at least **3** players; rounds "
        "last **30** seconds unless `/trivia start` says otherwise."
    )
    r = await start(emu, general, world.fan, rounds=1)
    assert "**1 question**, Buttons, 30 seconds each." in r.embeds[0]["description"]
    assert r.embeds[0]["footer"]["text"] == (
        "Fewer than 3 players makes it a practice game (not counted for the season)."
    )


async def test_no_question_repeats_until_the_pool_is_used_up(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    asked: list[str] = []
    first_right = None
    for rounds in (4, 4, 3, 1):
        await start(emu, general, world.fan, rounds=rounds, mode="truefalse")
        for number in range(1, rounds + 1):
            question = await next_question(emu, clock, general, number)
            asked.append(embed(question)["description"].split("**")[1])
            if first_right is None:
                await emu.click(question, world.fan, index=await right_option(world.bot, general))
                first_right = asked[-1]
            await reveal(emu, clock, question)
        await game_end(emu, clock, general)
    assert len(asked) == 12
    assert len(set(asked[:11])) == 11  # every true/false statement once
    assert asked[11] != first_right  # then the ones nobody got right come back first


async def test_a_game_in_korean(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    await only_question(world.bot, world.guild.id, ["q:q-melon-chart"])
    r = await start(emu, general, world.fan_ko, rounds=1)
    assert r.embeds[0]["title"] == "🎮 퀴즈 시간!"
    assert r.embeds[0]["description"] == (
        f"{mention(world.fan_ko)}님이 게임을 시작했어요: **1문제**, 버튼, 문제마다 "
        "20초.\n답은 공개 전까지 나만 볼 수 있어요. 빨리 맞힐수록 점수가 높아요."
    )
    question = await next_question(emu, clock, general, 1)
    assert title(question) == "1문제 중 1번"
    assert embed(question)["description"].startswith(
        "**'Love Wins All'이 TOP100 차트 1위로 진입한 한국 음원 서비스는 어디인가요?**"
    )
    # the pack gives every wrong option a Korean form (wrong_ko), so all four are in Korean
    assert {label.split(" · ")[1] for label in labels(question)} == {"멜론", "지니", "벅스", "플로"}
    en = await emu.click(question, world.fan, index=await right_option(world.bot, general))
    # each player reads their own feedback in their own language
    assert en.content.startswith("🔒 Locked in: **") and en.content.endswith(
        " · Melon**. See how you did at the reveal."
    )
    await emu.click(question, world.fan_ko, index=await right_option(world.bot, general))
    done = await reveal(emu, clock, question)
    assert title(done) == "1문제 중 1번 · 정답"
    assert embed(done)["description"].endswith("✅ **멜론**")
    assert [f["name"] for f in embed(done)["fields"]] == ["선택", "정답자 · 2명 참여", "알고 계셨나요?"]
    assert embed(done)["footer"]["text"].startswith("출처: ")
    end = await game_end(emu, clock, general)
    assert embed(end)["footer"]["text"] == "시즌 1 점수에 들어갔어요. `/퀴즈 순위`로 확인하세요."


async def test_the_leaderboard_pages_in_order(world: World) -> None:
    """Twelve players with points (written as finished games would write them): two pages, best first."""
    store, now = world.bot.store.trivia, int(world.clock.now().timestamp())
    game = await store.start_game(
        guild_id=world.guild.id,
        channel_id=world.announcements.id,
        starter_id=1,
        lang="en",
        mode="buttons",
        rounds=1,
        seconds=20,
        about=None,
        seed=1,
        min_players=2,
        now=now,
    )
    rnd = await store.add_round(game, 1, "q:q-melon-chart", "buttons", [0, 1, 2, 3], 0, now * 1000, now * 1000 + 1)
    players = [(1000 + i, 10 * (i + 1)) for i in range(12)]  # user 1011 has the most points
    async with world.bot.store.write() as tx:
        await tx.executemany(
            "INSERT INTO trivia_answers (round_id, user_id, choice, tries, right, points, "
            "interaction_id) VALUES (?, ?, 0, 1, 1, ?, ?)",
            [(rnd.id, user, points, user) for user, points in players],
        )
        await tx.execute("UPDATE trivia_rounds SET revealed_at = ? WHERE id = ?", (now * 1000, rnd.id))
    await store.end_game(game.id, "finished", True, now)
    first = await world.emu.command(world.general, world.fan, "trivia", subcommand="leaderboard")
    lines = first.embeds[0]["description"].split("\n\n")[0].splitlines()
    assert lines == [f"**{rank}.** <@{1012 - rank}> · {130 - 10 * rank} points" for rank in range(1, 11)]
    assert first.embeds[0]["footer"]["text"] == "Page 1 of 2"
    assert [b["label"] for b in first.buttons] == ["Previous", "Next"] and first.buttons[0]["disabled"]
    second = await world.emu.click(first, world.fan_ko, label="Next")
    assert second.error is None
    page = world.emu._messages[int(first.message["id"])]["embeds"][0]
    assert page["description"].split("\n\n")[0].splitlines() == [
        "**11.** <@1001> · 20 points",
        "**12.** <@1000> · 10 points",
    ]
    assert page["footer"]["text"] == "Page 2 of 2"


async def test_a_korean_game_never_shows_the_right_option_alone_in_korean(world: World) -> None:
    """Every question with options, in Korean: either all four options are in Hangul or none is."""
    from bot.trivia.game import option_text

    pool = await world.bot.get_cog("Trivia").runner.pool()  # type: ignore[union-attr]
    hangul = lambda text: any("\uac00" <= ch <= "\ud7a3" for ch in text)  # noqa: E731
    mixed = [
        qid
        for qid, question in pool.items()
        if question.truth is None
        and len({hangul(option_text(question, i, "ko")) for i in range(1 + len(question.wrong))}) > 1
    ]
    assert mixed == []


async def test_a_game_running_through_a_season_end_counts_toward_the_new_season(world: World) -> None:
    """A season ended mid-game is archived with the top three it showed; the game's points go to the season
    open when it ends, so they are neither lost nor slipped into the archive behind its announced results."""
    emu, clock, general = world.emu, world.clock, world.general
    await start(emu, general, world.fan, rounds=1)
    question = await next_question(emu, clock, general, 1)
    right = await right_option(world.bot, general)
    await emu.click(question, world.fan, index=right, created_at=at(question, 2.0))
    await emu.click(question, world.fan_ko, index=right, created_at=at(question, 9.9))
    ended = await emu.command(general, world.mod, "trivia-admin", subcommand="season-end", locale="en-US")
    assert ended.embeds[0]["title"] == "🏁 Season 1 is over"
    await reveal(emu, clock, question)
    end = await game_end(emu, clock, general)
    assert embed(end)["footer"]["text"] == "Counted toward season 2. `/trivia leaderboard` to see the standings."
    season = await board(world, world.fan)
    assert season["description"].startswith(f"**1.** {mention(world.fan)} · 145 points\n**2.** {mention(world.fan_ko)}")
    async with world.bot.store.write() as tx:
        rows = await tx.fetchall("SELECT number, top FROM trivia_seasons ORDER BY number")
    assert [tuple(r) for r in rows] == [(1, "[]"), (2, None)]


async def test_a_minimum_of_one_player_reads_as_every_game_counts_not_fewer_than_1_players(world: World) -> None:
    emu, general = world.emu, world.general
    saved = await emu.command(
        general, world.admin, "trivia-admin", {"min-players": 1, "seconds": 15}, subcommand="settings", locale="en-US"
    )
    assert saved.content == (
        "Trivia settings: every game with a player counts for the season; rounds last **15** seconds unless "
        "`/trivia start` says otherwise."
    )
    r = await start(emu, general, world.fan, rounds=1)
    assert "footer" not in r.embeds[0]  # no "Fewer than 1 players makes it a practice game"
