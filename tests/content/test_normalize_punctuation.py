"""normalize() drops every punctuation mark, symbol and space, ASCII or not, and keeps every letter.

Fans type on phones that turn ' into ’ and -- into —; pack authors paste titles with curly quotes. A
normalize that keeps non-ASCII punctuation still passes "idempotent" and "output is in its own image"
properties, so these state what an implementation can get wrong: the exact output, and that inserting
any punctuation or symbol anywhere changes nothing.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.matching import Entry, Matcher, normalize


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Don’t Wanna Cry", "dontwannacry"),
        ("Don't Wanna Cry", "dontwannacry"),
        ("‘Love Wins All’", "lovewinsall"),
        ("“Love Wins All”", "lovewinsall"),
        ("Love — Wins – All…", "lovewinsall"),
        ("Love·Wins·All", "lovewinsall"),
        ("LOVE WINS ALL！？", "lovewinsall"),
        ("「러브 윈즈 올」", "러브윈즈올"),
        ("러브·윈즈·올、。", "러브윈즈올"),
        ("『밤편지』〜", "밤편지"),
        ("♡ Love ★ Wins ♪ All ♥", "lovewinsall"),
        ("« Love » ‹Wins› „All“", "lovewinsall"),
        ("Love\u00a0Wins\u2003All\u3000", "lovewinsall"),
        ("Love ❤️ Wins 💜 All ✨", "lovewinsall"),
        ("Airplane pt.2", "airplanept2"),
        ("Straße", "strasse"),
        ("Café", "café"),
    ],
)
def test_normalize_exact_output(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


def test_curly_and_straight_apostrophes_match_at_100() -> None:
    matcher = Matcher(
        [
            Entry("song:dwc", "Don't Wanna Cry", ("울고 싶지 않아",)),
            Entry("song:lwa", "Love Wins All", ()),
            Entry("song:dw", "Don Wan", ()),
        ]
    )
    for typed in ("Don’t Wanna Cry", "don’t wanna cry", "DON'T WANNA CRY", "Don`t Wanna Cry"):
        [top, *_] = matcher.complete(typed)
        assert (top.key, top.score) == ("song:dwc", 100.0), typed
        found = matcher.resolve(typed)
        assert found is not None and found.key == "song:dwc", typed
    assert matcher.resolve("‘Love Wins All’").key == "song:lwa"


def _is_inert(ch: str) -> bool:
    """Punctuation, symbols, separators and format characters that NFKC doesn't turn into letters."""
    category = unicodedata.category(ch)
    if category[0] not in "PSZ" and category not in ("Cc", "Cf"):
        return False
    if 0xE0000 <= ord(ch) <= 0xE007F:  # tag characters are format characters too, but see below
        return True
    return not any(c.isalnum() or unicodedata.category(c)[0] == "M" for c in unicodedata.normalize("NFKC", ch))


_inert = st.characters(
    codec="utf-8",
    categories=("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf"),
).filter(_is_inert)
_letters = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz0123456789") + list("러브윈즈올밤편지")),
    min_size=1,
    max_size=12,
)


@given(_letters, st.lists(_inert, min_size=1, max_size=4), _letters)
def test_inserting_punctuation_or_symbols_changes_nothing(left: str, inserted: list[str], right: str) -> None:
    assert normalize(left + "".join(inserted) + right) == normalize(left + right) == left + right


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_output_has_no_punctuation_symbols_or_spaces(text: str) -> None:
    for ch in normalize(text):
        assert unicodedata.category(ch)[0] in "LNM", (text, ch, unicodedata.category(ch))


@given(_inert)
def test_a_punctuation_mark_alone_is_nothing(ch: str) -> None:
    assert normalize(ch) == ""
