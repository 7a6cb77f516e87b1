"""A curated question's options in Korean: each wrong option carries the pack's `wrong_ko` form, and the
four options are shown in one language, Korean only when every one of them has a Korean form."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.content.model import Fact, Question
from bot.trivia.game import option_text
from bot.trivia.questions import Text, TriviaQuestion, curated

FACT = Fact(id="f", pack="p", kind="tour", about=("tour:t",), text="fact", source="a.txt", quote="a quote here")


def question(**changes: object) -> Question:
    fields: dict[str, object] = {
        "id": "q",
        "pack": "p",
        "question": "Where does it start?",
        "question_ko": "어디서 시작하나요?",
        "answer": "Seoul",
        "answer_ko": "서울",
        "wrong": ("Tokyo", "Bangkok", "Los Angeles"),
        "wrong_ko": ("도쿄", "방콕", "로스앤젤레스"),
        "fact": "f",
    } | changes
    return Question(**fields)  # type: ignore[arg-type]


def shown(q: TriviaQuestion, lang: str) -> list[str]:
    return [option_text(q, i, lang) for i in range(4)]


def test_curated_wrong_options_carry_their_korean_forms_in_order() -> None:
    [q] = curated([question()], {"f": FACT})
    assert q.wrong == (Text("Tokyo", "도쿄"), Text("Bangkok", "방콕"), Text("Los Angeles", "로스앤젤레스"))
    assert shown(q, "ko") == ["서울", "도쿄", "방콕", "로스앤젤레스"]
    assert shown(q, "en") == ["Seoul", "Tokyo", "Bangkok", "Los Angeles"]


def test_without_wrong_ko_every_option_is_english_for_a_korean_reader() -> None:
    [q] = curated([question(wrong_ko=())], {"f": FACT})
    assert q.wrong == (Text("Tokyo"), Text("Bangkok"), Text("Los Angeles"))
    assert shown(q, "ko") == ["Seoul", "Tokyo", "Bangkok", "Los Angeles"]


def test_without_answer_ko_every_option_is_english_for_a_korean_reader() -> None:
    [q] = curated([question(answer_ko=None)], {"f": FACT})
    assert shown(q, "ko") == ["Seoul", "Tokyo", "Bangkok", "Los Angeles"]


@given(st.lists(st.booleans(), min_size=4, max_size=4))
def test_the_four_options_are_all_korean_or_all_english(has_korean: list[bool]) -> None:
    """Whichever options have a Korean form, a Korean reader never sees a mix (a lone Korean option, or a
    lone English one, would stand out); Korean only when all four have one."""
    english, korean = ("Seoul", "Tokyo", "Bangkok", "Paris"), ("서울", "도쿄", "방콕", "파리")
    texts = [Text(en, ko if has else None) for en, ko, has in zip(english, korean, has_korean, strict=True)]
    q = TriviaQuestion(
        id="q:x",
        prompt=Text("?"),
        answer=texts[0],
        wrong=tuple(texts[1:]),
        aliases=(),
        fact=Text("fact"),
        source=None,
        quote=None,
    )
    assert shown(q, "ko") == (list(korean) if all(has_korean) else list(english))
    assert shown(q, "en") == list(english)
