"""The typed-answer checker for trivia: is what a fan typed the right answer, close to it, or wrong?

Pure Python (plus rapidfuzz); no Discord, no SQL. Builds on :func:`bot.content.matching.normalize`
(NFKC, casefold, punctuation, symbols, spacing, control and zero-width characters dropped) and on the
matcher's Hangul search form (syllables spelled as the jamo typed to compose them, so a one-jamo slip in
러브윈즈올 is one edit). On top of that, for answers (issue 10, "the answer checker"):

* accepted forms: the answer, its Korean answer and its aliases (Hangul, romanisations, nicknames), each
  also without a parenthetical ("Love Wins All (Remix)" -> "Love Wins All") and without a leading
  article ("The chorus" -> "chorus"); "&" and "and" are ignored;
* typos: none for forms of 4 or fewer characters, then about one edit (a swapped pair counts once) per
  5 characters of the accepted form, at most 3; the first character must be right (or swapped with the
  second), so "hair" is never "chair" and "air" never matches inside "chair";
* whole answers only: a typed word is never accepted because it occurs inside a longer right answer;
* numbers are exact: every run of digits in the typed text must equal the accepted form's (30 ≠ 31,
  2024 ≠ 2023); a form with no digits never accepts digits;
* dates are read in the forms fans type (``Jan 24``, ``24 January``, ``1/24``, ``2024-01-24``,
  ``1월 24일``) and compared as dates: month and day must agree, and the year when both give one;
* a typed text that exactly matches a wrong option is wrong, and a typo counts only when the text is
  nearer the answer than any wrong option;
* near misses ("close!"): a few edits past the typo budget, part of a multi-word answer, the right
  numbers with a word missing, or a date off by a little.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence

from rapidfuzz.distance import OSA

from bot.content.dates import parse_day
from bot.content.matching import _search_form, normalize

__all__ = ["MAX_TYPED", "AnswerKey", "Verdict", "typo_budget"]

#: What a typed answer is cut to before it is judged (the modal's own limit is shorter).
MAX_TYPED = 200

_ARTICLES = ("the ", "a ", "an ")
_PAREN = re.compile(r"\s*[(\[（【].*?[)\]）】]\s*")
_AND = re.compile(r"(?:^|(?<=\s))(?:and|&)(?=\s|$)|&", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


@dataclasses.dataclass(frozen=True)
class Verdict:
    """How a typed answer was judged: ``right``, else ``close`` (a near miss worth a "close!")."""

    right: bool
    close: bool = False


def typo_budget(length: int) -> int:
    """Edits tolerated for an accepted form of ``length`` characters (search form, so Hangul counts jamo):
    0 up to 4, then one per 5 characters, at most 3."""
    return 0 if length <= 4 else min(3, (length + 1) // 5)


@dataclasses.dataclass(frozen=True)
class _Form:
    text: str  # normalized, digits kept, "and" removed
    search: str  # Hangul as jamo
    digits: tuple[str, ...]
    words: tuple[str, ...]


def _digits(text: str) -> tuple[str, ...]:
    return tuple(str(int(d)) for d in _DIGITS.findall(text))


def _form(raw: str) -> _Form | None:
    folded = unicodedata.normalize("NFKC", raw).casefold()
    folded = " ".join(_AND.sub(" ", folded).split())
    words = tuple(w for w in (normalize(w) for w in folded.split()) if w)
    text = "".join(words)
    if not text:
        return None
    return _Form(text=text, search=_search_form(text), digits=_digits(text), words=words)


def _variants(raw: str) -> Iterable[str]:
    yield raw
    bare = _PAREN.sub(" ", raw).strip()
    if bare and bare != raw:
        yield bare
    for text in (raw, bare):
        low = text.casefold()
        for article in _ARTICLES:
            if low.startswith(article) and len(low) > len(article):
                yield text[len(article) :]


def _same_start(typed: str, form: str) -> bool:
    if typed[:1] == form[:1]:
        return True
    return len(typed) > 1 and len(form) > 1 and typed[0] == form[1] and typed[1] == form[0]


class AnswerKey:
    """Built once per question from its accepted forms (and wrong options); :meth:`check` per try.

    ``answers``: the answer, the Korean answer and the aliases, in any order; blanks are skipped.
    ``wrong``: the options that are wrong (typed exactly, they are always wrong).
    Raises ValueError when no accepted form survives normalisation.
    """

    def __init__(self, answers: Iterable[str | None], wrong: Iterable[str] = ()) -> None:
        forms: dict[str, _Form] = {}
        dates = []
        for answer in answers:
            if not answer:
                continue
            day = parse_day(answer)
            if day is not None:
                dates.append(day)
            for variant in _variants(answer):
                form = _form(variant)
                if form is not None:
                    forms.setdefault(form.text, form)
        if not forms and not dates:
            raise ValueError("an answer needs at least one form with letters or digits")
        self._forms = tuple(forms.values())
        # one date per (month, day), with the year any form gives ("January 24" + "2024-01-24")
        years = {(d.month, d.day): d.year for d in dates if d.year is not None}
        self._dates = tuple(dict.fromkeys((d.month, d.day, years.get((d.month, d.day))) for d in dates))
        wrong_forms = [f for f in (_form(w) for w in wrong) if f is not None]
        self._wrong = tuple(f for f in wrong_forms if f.text not in forms)

    def check(self, typed: str) -> Verdict:
        """Judge ``typed`` (any string; hostile text is fine, it is only compared, never echoed)."""
        if not isinstance(typed, str):
            return Verdict(False)
        typed = typed[:MAX_TYPED]
        if self._dates:
            day = parse_day(typed)
            if day is not None:
                return self._check_date(day.month, day.day, day.year)
        form = _form(typed)
        if form is None:
            return Verdict(False)
        if any(form.text == wrong.text for wrong in self._wrong):
            return Verdict(False)
        close = False
        for accepted in self._forms:
            if form.text == accepted.text:
                return Verdict(True)
            if form.digits != accepted.digits:
                continue
            distance = self._distance(form, accepted)
            budget = typo_budget(len(accepted.search))
            if distance <= budget and self._nearer_than_wrong(form, distance):
                return Verdict(True)
            close = close or self._near(form, accepted, distance, budget)
        return Verdict(False, close)

    @staticmethod
    def _distance(form: _Form, accepted: _Form) -> int:
        if not _same_start(form.search, accepted.search) or len(form.text) <= 2:
            return 1 << 20
        return int(OSA.distance(form.search, accepted.search))

    def _nearer_than_wrong(self, form: _Form, distance: int) -> bool:
        return all(OSA.distance(form.search, wrong.search) > distance for wrong in self._wrong)

    @staticmethod
    def _near(form: _Form, accepted: _Form, distance: int, budget: int) -> bool:
        if distance <= budget + max(1, len(accepted.search) // 6):
            return True
        # one or more whole words of a multi-word answer ("floating" for "floating cubes")
        return len(accepted.words) > 1 and len(form.text) >= 3 and set(form.words) < set(accepted.words)

    def _check_date(self, month: int, day: int, year: int | None) -> Verdict:
        close = False
        for answer_month, answer_day, answer_year in self._dates:
            years_agree = year is None or answer_year is None or year == answer_year
            if (month, day) == (answer_month, answer_day) and years_agree:
                return Verdict(True)
            gap = abs((dt.date(2024, month, day) - dt.date(2024, answer_month, answer_day)).days)
            close = close or gap <= 3 or (month, day) == (answer_month, answer_day)
        return Verdict(False, close)

    @property
    def forms(self) -> Sequence[str]:
        """The accepted forms, normalized (for tests and hints)."""
        return [form.text for form in self._forms]
