"""The typed-answer checker (issue 10, "The answer checker"): typos, Hangul, aliases, the chair/air trap,
punctuation, numbers, years and dates. Unit tests on the shipped pack's answers, and properties."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.content.answers import MAX_TYPED, AnswerKey, Verdict, typo_budget

RIGHT, WRONG, CLOSE = Verdict(True), Verdict(False), Verdict(False, True)

# The shipped pack's own answers (data/packs/iu/trivia.toml), as the game builds them.
MV_DATE = AnswerKey(
    [
        "January 24",
        "1월 24일",
        "Jan 24",
        "24 January",
        "January 24, 2024",
        "2024-01-24",
        "1/24",
        "2024년 1월 24일",
        "1.24",
    ],
    ["January 14", "February 24", "January 28"],
)
VIEWS = AnswerKey(
    [
        "Over 30 million",
        "3천만 회 이상",
        "30 million",
        "30,000,000",
        "30m",
        "30",
        "thirty million",
        "3천만",
        "3000만",
        "삼천만",
        "3천만 회",
    ],
    ["Over 10 million", "Over 50 million", "Over 100 million"],
)
V = AnswerKey(["V", "뷔", "BTS V", "Taehyung", "Kim Taehyung", "김태형", "태형"], ["IU", "Jungkook"])
FEMALE = AnswerKey(["Female", "여성", "female artist", "woman"], ["Male", "Rookie", "Foreign"])
CUBES = AnswerKey(["Floating cubes", "떠다니는 큐브", "cubes", "the cube"], ["Zombies", "A tsunami", "Giant robots"])
CHORUS = AnswerKey(["The chorus", "후렴", "chorus"], ["The intro", "The bridge", "The rap verse"])
CHAIR = AnswerKey(["Chair"], ["Table"])
LOVE = AnswerKey(["Love & Peace"])
BELL = AnswerKey(["Bell (Alexander Graham Bell)"])
LWA = AnswerKey(["Love Wins All", "러브 윈즈 올", "LWA"])
TOUR = AnswerKey(["H.E.R. World Tour", "HER", "H.E.R."])


@pytest.mark.parametrize(
    ("key", "typed", "verdict"),
    [
        # dates in the forms fans type
        (MV_DATE, "Jan 24", RIGHT),
        (MV_DATE, "24 January", RIGHT),
        (MV_DATE, "1/24", RIGHT),
        (MV_DATE, "2024-01-24", RIGHT),
        (MV_DATE, "1월 24일", RIGHT),
        (MV_DATE, "january 24th, 2024", RIGHT),
        (MV_DATE, "jan. 24", RIGHT),
        (MV_DATE, "2024년 1월 24일", RIGHT),
        (MV_DATE, "2023-01-24", CLOSE),  # the right day of another year is not the answer
        (MV_DATE, "January 14", WRONG),
        (MV_DATE, "jan 25", CLOSE),
        (MV_DATE, "24", WRONG),
        # numbers are exact
        (VIEWS, "30 million", RIGHT),
        (VIEWS, "30,000,000", RIGHT),
        (VIEWS, "over 30 milion", RIGHT),
        (VIEWS, "31 million", WRONG),
        (VIEWS, "300 million", WRONG),
        (VIEWS, "3", WRONG),
        (VIEWS, "3천만", RIGHT),
        (VIEWS, "over 10 million", WRONG),
        # aliases, nicknames and Hangul
        (V, "v", RIGHT),
        (V, "V!", RIGHT),
        (V, "뷔", RIGHT),
        (V, "taehyung", RIGHT),
        (V, "Kim Tae-hyung", RIGHT),
        (V, "teahyung", RIGHT),
        (V, "kim taehyng", RIGHT),
        (V, "김태헝", RIGHT),
        (V, "iu", WRONG),
        (V, "b", WRONG),
        (V, "tae", WRONG),
        # the chair/air trap: whole answers only, and the first letter must be right
        (CHAIR, "air", WRONG),
        (CHAIR, "hair", WRONG),
        (CHAIR, "chiar", RIGHT),
        (CHAIR, "CHAIR.", RIGHT),
        (FEMALE, "male", WRONG),
        (FEMALE, "Male", WRONG),
        (FEMALE, "femal", RIGHT),
        (FEMALE, "a woman", WRONG),
        # punctuation, spacing, "&"/"and", articles, parentheticals
        (LOVE, "love and peace", RIGHT),
        (LOVE, "Love&Peace", RIGHT),
        (LOVE, "love peace", RIGHT),
        (LOVE, "love", CLOSE),
        (CHORUS, "chorus", RIGHT),
        (CHORUS, "the Chorus!!", RIGHT),
        (CHORUS, "후렴", RIGHT),
        (CHORUS, "the intro", WRONG),
        (BELL, "bell", RIGHT),
        (BELL, "Alexander Graham Bell", WRONG),
        (LWA, "love wins all", RIGHT),
        (LWA, "러브윈즈올", RIGHT),
        (LWA, "러브윈즈울", RIGHT),
        (LWA, "lwa", RIGHT),
        (LWA, "love", CLOSE),
        (LWA, "wins", CLOSE),
        (TOUR, "HER world tour", RIGHT),
        (TOUR, "her", RIGHT),
        # near misses and words of a longer answer
        (CUBES, "floating", CLOSE),
        (CUBES, "floatin cubes", RIGHT),
        (CUBES, "떠다니는 큐브", RIGHT),
        (CUBES, "떠다니는 쿠브", RIGHT),
        (CUBES, "zombies", WRONG),
        # hostile text is only compared
        (V, "<@123456789012345678>", WRONG),
        (CHORUS, "\u202echorus\u202c", RIGHT),
        (CHORUS, "**chorus**", RIGHT),
        (CHORUS, "cho\u200brus", RIGHT),
        (CHORUS, "", WRONG),
        (CHORUS, "   ", WRONG),
        (CHORUS, "\x00\x07", WRONG),
    ],
)
def test_verdicts(key: AnswerKey, typed: str, verdict: Verdict) -> None:
    assert key.check(typed) == verdict


def test_typo_budget_grows_with_the_answers_length() -> None:
    assert [typo_budget(n) for n in (1, 4, 5, 9, 10, 14, 15, 40)] == [0, 0, 1, 2, 2, 3, 3, 3]


def test_an_answer_needs_letters_or_digits() -> None:
    with pytest.raises(ValueError):
        AnswerKey(["!!!", "", None])


def test_overlong_text_is_judged_on_its_first_characters() -> None:
    assert CHORUS.check("chorus" + " " * (MAX_TYPED - 6) + "!" * 10_000) == RIGHT
    assert CHORUS.check("x" * 100_000) == WRONG


# ---------------------------------------------------------------- properties

WORD = st.text(alphabet=string.ascii_lowercase, min_size=5, max_size=12)


def _typo(word: str, position: int, kind: int) -> str:
    position = max(1, min(position, len(word) - 2))  # the first letter stays right
    if kind == 0:
        return word[:position] + word[position + 1 :]  # a letter dropped
    if kind == 1:
        return word[:position] + ("z" if word[position] != "z" else "y") + word[position + 1 :]  # one wrong letter
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]  # a swapped pair


@given(WORD, st.integers(0, 20), st.integers(0, 2))
def test_one_typo_in_an_answer_of_five_letters_or_more_is_forgiven(word: str, position: int, kind: int) -> None:
    typed = _typo(word, position, kind)
    assume(typed != word)
    assert AnswerKey([word]).check(typed).right


@given(WORD, st.integers(0, 20), st.integers(0, 2))
def test_a_typo_that_lands_on_a_wrong_option_is_wrong(word: str, position: int, kind: int) -> None:
    typed = _typo(word, position, kind)
    assume(typed != word)
    assert not AnswerKey([word], [typed]).check(typed).right


@given(
    WORD,
    st.sampled_from(["", " ", "  ", "!", ".", "?", "'", "-", "\u200b"]),
    st.lists(st.booleans(), min_size=12, max_size=12),
)
def test_case_spacing_and_punctuation_never_matter(word: str, noise: str, upper: list[bool]) -> None:
    typed = noise.join(ch.upper() if up else ch for ch, up in zip(word, upper, strict=False))
    assert AnswerKey([word]).check(f" {typed}{noise} ").right


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_numbers_are_exact(answer: int, typed: int) -> None:
    assume(answer != typed)
    key = AnswerKey([f"{answer} views"])
    assert key.check(f"{answer} views").right
    assert not key.check(f"{typed} views").right
    assert not key.check(str(typed)).right


FAN_DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(FAN_DATES, FAN_DATES)
def test_dates_match_in_every_form_and_only_the_same_day(answer: dt.date, typed: dt.date) -> None:
    key = AnswerKey([answer.isoformat()])
    forms = [
        answer.isoformat(),
        f"{answer.strftime('%B')} {answer.day}, {answer.year}",
        f"{answer.day} {answer.strftime('%b')} {answer.year}",
        f"{answer.year}년 {answer.month}월 {answer.day}일",
        f"{answer.month}/{answer.day}",
        f"{answer.month}월 {answer.day}일",
    ]
    for form in forms:
        assert key.check(form).right, form
    if (typed.month, typed.day) != (answer.month, answer.day) or typed.year != answer.year:
        assert not key.check(typed.isoformat()).right


@given(WORD, WORD)
def test_a_shorter_word_inside_a_long_answer_never_matches(prefix: str, word: str) -> None:
    """ "air" is not "chair": a strict tail or head of a single-word answer, two letters short or more, is wrong."""
    answer = prefix + word
    assert not AnswerKey([answer]).check(word).right
    assert not AnswerKey([answer]).check(prefix).right


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_any_text_is_judged_without_error(typed: str) -> None:
    for key in (MV_DATE, VIEWS, V, CUBES):
        verdict = key.check(typed)
        assert not (verdict.right and verdict.close)


def test_a_us_date_with_its_year_is_right_for_a_release_date() -> None:
    key = AnswerKey(["January 24, 2024", "2024-01-24"], ["January 14", "February 24"])
    assert key.check("1/24/2024") == Verdict(True)
    assert key.check("1/24/2023") == Verdict(False, close=True)  # the right day, another year
