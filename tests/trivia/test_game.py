"""Trivia's pure rules: scoring, who was first, practice games, question picking, options, hints."""

from __future__ import annotations

import random
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.trivia import game as rules
from bot.trivia.hints import HIDDEN, hint
from bot.trivia.questions import Text, TriviaQuestion


def q(qid: str, truth: bool | None = None, about: frozenset[str] = frozenset(), wrong: int = 3) -> TriviaQuestion:
    return TriviaQuestion(
        id=qid,
        prompt=Text(f"{qid}?"),
        answer=Text("Seoul", "서울"),
        wrong=tuple(Text(w) for w in ("Tokyo", "Bangkok", "Paris")[:wrong]),
        aliases=(),
        fact=Text("fact"),
        source="a.txt",
        quote="quote",
        about=about,
        truth=truth,
    )


def test_points_for_a_right_answer() -> None:
    assert rules.score(True, 0, 20, 0, 0) == rules.Points(100, 50, 0)
    assert rules.score(True, 10_000, 20, 0, 0) == rules.Points(100, 25, 0)  # half the time left: half the bonus
    assert rules.score(True, 20_000, 20, 0, 0) == rules.Points(100, 0, 0)
    assert rules.score(True, 99_000, 20, 0, 0) == rules.Points(100, 0, 0)  # clamped to the round
    assert rules.score(True, -5, 20, 0, 0) == rules.Points(100, 50, 0)
    assert rules.score(True, 0, 20, 2, 0) == rules.Points(100, 50, 20)  # two right in a row before
    assert rules.score(True, 0, 20, 9, 0).streak == 50  # capped
    assert [rules.score(True, 20_000, 20, 0, h).base for h in (0, 1, 2, 3)] == [100, 67, 34, 34]
    assert rules.score(False, 0, 20, 5, 0).total == 0


def test_earliest_interaction_wins_whatever_order_they_were_processed_in() -> None:
    # (user, right, elapsed_ms, hints, interaction snowflake): processed late but created first
    answers = [
        (2, True, 1200, 0, (1200 << 22) + 5),
        (1, True, 1100, 0, (1100 << 22) + 9),
        (3, False, 900, 0, 900 << 22),
    ]
    scored = rules.score_round(answers, 20, {1: 2})
    assert [s.user_id for s in scored] == [3, 1, 2]
    assert [(s.user_id, s.points.total, s.streak) for s in scored if s.right] == [(1, 100 + 47 + 20, 3), (2, 147, 1)]


def test_snowflake_time() -> None:
    assert rules.snowflake_ms(175928847299117063) == 1462015105796  # Discord's documented example


def test_practice_below_the_servers_minimum() -> None:
    assert rules.is_practice(1, 2) and not rules.is_practice(2, 2) and not rules.is_practice(1, 1)


def test_mixed_rounds_use_every_mode() -> None:
    modes = rules.round_modes("mixed", 6, random.Random(1))
    assert sorted(modes) == ["buttons", "buttons", "truefalse", "truefalse", "typed", "typed"]
    assert rules.round_modes("typed", 3, random.Random(1)) == ["typed"] * 3


def test_unseen_questions_first_then_the_ones_nobody_got_right() -> None:
    pool = [q("a"), q("b"), q("c")]
    rng = random.Random(3)
    assert rules.pick_question(pool, "buttons", None, {"a": True, "b": False}, (), rng).id == "c"
    assert rules.pick_question(pool, "buttons", None, {"a": True, "b": False, "c": True}, (), rng).id == "b"
    assert rules.pick_question(pool, "buttons", None, {"a": True, "b": True, "c": True}, ("a", "b"), rng).id == "c"
    assert rules.pick_question(pool, "buttons", None, {}, ("a", "b", "c"), rng) is None  # never twice in a game


def test_questions_fit_their_mode_and_subject() -> None:
    pool = [
        q("choice"),
        q("statement", truth=False),
        q("two-options", wrong=2),
        q("about-v", about=frozenset({"artist:v"})),
    ]
    rng = random.Random(0)
    assert rules.pick_question(pool, "truefalse", None, {}, (), rng).id == "statement"
    assert {
        rules.pick_question(pool, "buttons", None, {}, (x, y), rng).id
        for x, y in (("choice", "statement"), ("choice", "x"))
    } <= {"choice", "about-v"}
    assert rules.pick_question(pool, "buttons", "artist:v", {}, (), rng).id == "about-v"
    assert rules.pick_question(pool, "typed", "artist:iu", {}, (), rng) is None


@given(st.integers(0, 2**30))
def test_options_are_a_shuffle_with_the_answer_found(seed: int) -> None:
    order, right = rules.options(q("a"), "buttons", random.Random(seed))
    assert sorted(order) == [0, 1, 2, 3] and order[right] == 0
    assert rules.options(q("s", truth=False), "truefalse", random.Random(seed)) == ([0, 1], 1)
    assert rules.options(q("s", truth=True), "truefalse", random.Random(seed)) == ([0, 1], 0)


def test_options_are_shuffled_per_game() -> None:
    orders = {tuple(rules.options(q("a"), "buttons", random.Random(seed))[0]) for seed in range(40)}
    assert len(orders) > 10


# ---------------------------------------------------------------- hints


def test_hints_show_first_letters_and_keep_the_shape() -> None:
    assert hint("Floating cubes", 1) == "F＿＿＿＿＿＿＿ c＿＿＿＿"
    assert hint("Floating cubes", 2) == "F＿＿a＿＿n＿ c＿＿＿＿"
    assert hint("노란색", 1) == "ㄴ＿＿"
    assert hint("V", 2) == "＿" and hint("LA", 2) == "＿＿" and hint("IU!", 2) == "＿＿!"
    assert hint("January 24, 2024", 2).endswith("＿＿, ＿＿＿＿")  # digits stay hidden


@given(st.text(min_size=1, max_size=40), st.integers(1, 2))
def test_a_hint_never_gives_the_answer_away(answer: str, level: int) -> None:
    shown = hint(answer, level)
    letters = [ch for ch in unicodedata.normalize("NFC", answer) if ch.isalnum()]
    revealed = [ch for ch in shown if ch.isalnum()]
    assert len(revealed) <= len(letters) // 3
    if letters:
        assert shown != answer and HIDDEN in shown
