"""Multiple choice in Korean through the emulator: a curated question whose wrong options all have a Korean
form (the pack's `wrong_ko`) is shown in Korean to Korean readers and in English to English ones; one
without them is shown in English to everybody, so the one Korean option never gives the answer away."""

from __future__ import annotations

from tests.e2e.conftest import World
from tests.e2e.trivia_helpers import (
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

CITY = "q:q-tour-start-city"  # answer Seoul/서울; wrong Tokyo, Bangkok, Los Angeles with wrong_ko
GOWN = "q:q-iu-gown-colour"  # answer Yellow/노란색; wrong White, Pink, Sky blue with wrong_ko
TOUR = "q:q-tour-name"  # answer H.E.R. World Tour/H.E.R. 월드 투어; wrong tour names without wrong_ko


def mention(member) -> str:  # type: ignore[no-untyped-def]
    return f"<@{member.id}>"


async def asked(world: World, question_id: str, starter, prompt: str):  # type: ignore[no-untyped-def]
    """Start a one-question buttons game as ``starter`` (whose language the game takes) asking
    ``question_id``, check it is posted with ``prompt`` and four lettered buttons; (the channel message, its
    option texts in display order, the display index of the right one)."""
    await only_question(world.bot, world.guild.id, [question_id])
    await start(world.emu, world.general, starter, rounds=1)
    question = await next_question(world.emu, world.clock, world.general, 1)
    assert embed(question)["description"].startswith(f"**{prompt}**\n\nA · ")
    assert [label[0] for label in labels(question)] == ["A", "B", "C", "D"]
    return question, options(question), await right_option(world.bot, world.general)


def options(message) -> list[str]:  # type: ignore[no-untyped-def]
    """The option texts of a round's buttons, in display order (without the "A · " letters)."""
    return [label.split(" · ", 1)[1] for label in labels(message) if " · " in label]


async def test_a_korean_member_plays_in_korean_and_the_right_option_counts(world: World) -> None:
    emu, clock, general = world.emu, world.clock, world.general
    question, shown, right = await asked(
        world, CITY, world.fan_ko, "아이유의 H.E.R. 월드 투어는 어느 도시에서 시작하나요?"
    )
    assert sorted(shown) == sorted(["서울", "도쿄", "방콕", "로스앤젤레스"])
    assert shown[right] == "서울"
    letter = "ABCD"[right]
    picked = await emu.click(question, world.fan_ko, index=right)
    assert picked.ephemeral and picked.content == f"🔒 **{letter} · 서울** 선택 완료! 결과는 정답 공개 때 확인하세요."
    wrong = (right + 1) % 4
    english = await emu.click(question, world.fan, index=wrong)  # an English member reads their own reply in English
    en_wrong = {"도쿄": "Tokyo", "방콕": "Bangkok", "로스앤젤레스": "Los Angeles"}[shown[wrong]]
    assert english.ephemeral and english.content == (
        f"🔒 Locked in: **{'ABCD'[wrong]} · {en_wrong}**. See how you did at the reveal."
    )

    done = await reveal(emu, clock, question)
    assert title(done) == "1문제 중 1번 · 정답"
    e = embed(done)
    assert e["description"].endswith("\n\n✅ **서울**")
    fields = {f["name"]: f["value"] for f in e["fields"]}
    assert fields["선택"] == "\n".join(
        f"{'ABCD'[i]} · {text} — {1 if i in (right, wrong) else 0}{' ✅' if i == right else ''}"
        for i, text in enumerate(shown)
    )
    assert fields["정답자 · 2명 참여"].splitlines()[0].split(" +")[0] == f"⚡ {mention(world.fan_ko)}"
    assert len(fields["정답자 · 2명 참여"].splitlines()) == 1
    assert options(done) == shown  # the revealed buttons keep the Korean options
    end = await game_end(emu, clock, general)
    assert embed(end)["description"].splitlines() == [
        f"**1.** {mention(world.fan_ko)} · 150점 (1개 정답)",
        f"**2.** {mention(world.fan)} · 0점 (0개 정답)",
    ]


async def test_an_english_member_still_sees_english(world: World) -> None:
    emu, clock = world.emu, world.clock
    question, shown, right = await asked(world, CITY, world.fan, "In which city does IU's H.E.R. World Tour begin?")
    assert sorted(shown) == ["Bangkok", "Los Angeles", "Seoul", "Tokyo"]
    assert shown[right] == "Seoul"
    picked = await emu.click(question, world.fan, index=right)
    assert picked.content == f"🔒 Locked in: **{'ABCD'[right]} · Seoul**. See how you did at the reveal."
    ko = await emu.click(question, world.fan_ko, index=right)  # a Korean member's own reply is in Korean
    assert ko.content == f"🔒 **{'ABCD'[right]} · 서울** 선택 완료! 결과는 정답 공개 때 확인하세요."
    done = await reveal(emu, clock, question)
    assert embed(done)["description"].endswith("\n\n✅ **Seoul**")
    assert options(done) == shown


async def test_without_korean_wrong_options_a_korean_reader_sees_all_four_in_english(world: World) -> None:
    """IU's other tours have no settled Hangul spelling, so the pack gives no `wrong_ko` for them."""
    emu, clock = world.emu, world.clock
    prompt = "OTTplay에 따르면 아이유의 첫 월드 투어 이름은 무엇인가요?"
    question, shown, right = await asked(world, TOUR, world.fan_ko, prompt)
    # not "H.E.R. 월드 투어" among three English names
    assert sorted(shown) == ["H.E.R. World Tour", "Love, Poem Tour", "Palette World Tour", "The Golden Hour Tour"]
    picked = await emu.click(question, world.fan_ko, index=right)
    assert picked.content == f"🔒 **{'ABCD'[right]} · H.E.R. World Tour** 선택 완료! 결과는 정답 공개 때 확인하세요."
    done = await reveal(emu, clock, question)
    assert embed(done)["description"].endswith("\n\n✅ **H.E.R. 월드 투어**")  # the reveal names the answer in Korean
    assert options(done) == shown


async def test_the_gown_colours_read_in_korean(world: World) -> None:
    emu, clock = world.emu, world.clock
    prompt = "비하인드 사진에서 아이유가 입은 웨딩드레스는 무슨 색인가요?"
    question, shown, right = await asked(world, GOWN, world.fan_ko, prompt)
    assert sorted(shown) == sorted(["노란색", "흰색", "분홍색", "하늘색"])
    assert shown[right] == "노란색"
    picked = await emu.click(question, world.fan_ko, index=right)
    assert picked.content == f"🔒 **{'ABCD'[right]} · 노란색** 선택 완료! 결과는 정답 공개 때 확인하세요."
    done = await reveal(emu, clock, question)
    assert embed(done)["description"].endswith("\n\n✅ **노란색**")
    assert options(done) == shown
