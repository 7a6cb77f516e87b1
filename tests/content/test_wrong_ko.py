"""A question's `wrong_ko`: the Korean forms of its wrong options, checked like `wrong` and reported by file,
line and entry; one per wrong option, never an accepted answer, and only with an `answer_ko`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import load_packs

MELON = "question 'q-melon-chart'"


def problems(pack: Path, seeds: Path) -> list[str]:
    packs, found = load_packs([pack], seeds)
    assert packs == []  # a bad pack is rejected whole
    return [str(p) for p in found]


def where(pack: Path, line: int) -> str:
    return f"{pack / 'trivia.toml'}:{line}: {MELON}"


def test_the_shipped_korean_forms_are_loaded_in_order(shipped_packs):
    questions = {q.id: q for q in shipped_packs[0].questions}
    assert questions["q-melon-chart"].wrong == ("Genie", "Bugs", "FLO")
    assert questions["q-melon-chart"].wrong_ko == ("지니", "벅스", "플로")
    assert questions["q-tour-start-city"].wrong_ko == ("도쿄", "방콕", "로스앤젤레스")
    assert questions["q-iu-gown-colour"].wrong_ko == ("흰색", "분홍색", "하늘색")
    assert questions["q-tour-name"].wrong_ko == ()  # none given: English for everyone


@pytest.mark.parametrize(
    ("wrong_ko", "message"),
    [
        (
            '["지니", "벅스"]',
            "'wrong_ko' needs exactly 3 Korean forms, one for each wrong option in the same order, got 2",
        ),
        (
            '["지니", "벅스", "플로", "바이브"]',
            "'wrong_ko' needs exactly 3 Korean forms, one for each wrong option in the same order, got 4",
        ),
        (f'["지니", "{"벅" * 81}", "플로"]', "'wrong_ko' is 81 characters; the limit is 80"),
        ('["지니", "멜론!", "플로"]', "wrong_ko option '멜론!' is an accepted answer"),  # answer_ko, punctuation aside
        ('["지니", "멜론 top 100", "플로"]', "wrong_ko option '멜론 top 100' is an accepted answer"),  # an alias
        ('["지니", "MELON", "플로"]', "wrong_ko option 'MELON' is an accepted answer"),  # the English answer
        ('["지니", "지니", "플로"]', "'wrong_ko' has the same option twice"),
        ('["지니", "", "플로"]', "'wrong_ko' is empty"),
        ('["지니", 2, "플로"]', "'wrong_ko' must be text, not int"),
        ('"지니, 벅스, 플로"', "'wrong_ko' must be a list of text"),
    ],
)
def test_a_bad_wrong_ko_is_named_by_file_line_and_entry(wrong_ko, message, pack_copy, pack_file, seeds_dir):
    f = pack_file("trivia.toml")
    line = f.key_line("q-melon-chart", "wrong_ko")
    f.set_line(line, f"wrong_ko = {wrong_ko}")
    assert problems(pack_copy, seeds_dir) == [f"{where(pack_copy, line)}: {message}"]


def test_wrong_ko_without_answer_ko_is_refused(pack_copy, pack_file, seeds_dir):
    f = pack_file("trivia.toml")
    f.set_line(f.key_line("q-melon-chart", "answer_ko"), None)
    line = f.key_line("q-melon-chart", "wrong_ko")
    assert problems(pack_copy, seeds_dir) == [
        f"{where(pack_copy, line)}: 'wrong_ko' needs an 'answer_ko': without it the options are shown in English"
    ]


def test_a_question_may_leave_wrong_ko_out(pack_copy, pack_file, seeds_dir):
    f = pack_file("trivia.toml")
    f.set_line(f.key_line("q-melon-chart", "wrong_ko"), None)
    packs, found = load_packs([pack_copy], seeds_dir)
    assert found == []
    assert next(q for q in packs[0].questions if q.id == "q-melon-chart").wrong_ko == ()


def test_every_wrong_ko_problem_in_one_run_in_file_order(pack_copy, pack_file, seeds_dir):
    f = pack_file("trivia.toml")
    city = f.key_line("q-tour-start-city", "wrong_ko")
    f.set_line(city, 'wrong_ko = ["도쿄", "서울", "방콕"]')
    melon = f.key_line("q-melon-chart", "wrong_ko")
    f.set_line(melon, 'wrong_ko = ["지니"]')
    trivia = pack_copy / "trivia.toml"
    assert problems(pack_copy, seeds_dir) == [
        f"{where(pack_copy, melon)}: 'wrong_ko' needs exactly 3 Korean forms, one for each wrong option in the "
        "same order, got 1",
        f"{trivia}:{city}: question 'q-tour-start-city': wrong_ko option '서울' is an accepted answer",
    ]


def test_check_and_ingest_refuse_a_bad_wrong_ko_and_leave_the_database_alone(
    pack_copy, pack_file, ingested_db, db_dump, cli_many
):
    f = pack_file("trivia.toml")
    line = f.key_line("q-melon-chart", "wrong_ko")
    f.set_line(line, 'wrong_ko = ["지니", "멜론", "플로"]')
    before = db_dump(ingested_db)
    check, ingest = cli_many(("check", str(pack_copy)), ("ingest", str(pack_copy), "--database", str(ingested_db)))
    for result in (check, ingest):
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [
            f"{where(pack_copy, line)}: wrong_ko option '멜론' is an accepted answer",
            "1 problem(s); nothing was loaded.",
        ]
    assert db_dump(ingested_db) == before
