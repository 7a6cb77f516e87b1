"""Rendering helpers shared by every topic: escaping pack text, and calendar dates as text."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.render.common import day_text, md


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("*Star* ~ _Light_ (Remix)", r"\*Star\* \~ \_Light\_ (Remix)"),
        ("**bold** ||spoiler|| `code`", r"\*\*bold\*\* \|\|spoiler\|\| \`code\`"),
        ("# Heading", r"\# Heading"),
        ("-# small print", r"\-# small print"),
        ("> quoted", r"\> quoted"),
        ("[Click here](http://evil.example/x)", r"\[Click here](http://evil.example/x)"),
        ("<@123> and <t:0:R>", r"\<@123> and \<t:0:R>"),
        ("1. first\n2. second", "1\\. first\n2\\. second"),
        ("Love Wins All", "Love Wins All"),
        ("러브 윈즈 올", "러브 윈즈 올"),
        ("IU H.E.R. World Tour", "IU H.E.R. World Tour"),
    ],
)
def test_md_makes_markdown_inert(text: str, shown: str) -> None:
    assert md(text) == shown


@pytest.mark.parametrize(
    ("day", "lang", "shown"),
    [
        (dt.date(2024, 1, 24), "en", "January 24, 2024"),
        (dt.date(2024, 1, 24), "ko", "2024년 1월 24일"),
        (dt.date(2024, 12, 1), "en", "December 1, 2024"),
        (dt.date(2024, 2, 29), "ko", "2024년 2월 29일"),
    ],
)
def test_day_text_is_the_date_itself(day: dt.date, lang: str, shown: str) -> None:
    assert day_text(day, lang) == shown
