"""The forms names and queries are compared in: normalised text, symbol names, Hangul as typed jamo.

Pure functions, no Discord, no SQL. :mod:`bot.content.matcher` indexes names in these forms; the trivia answer
checker (:mod:`bot.content.answers`) compares typed answers in them.

* :func:`normalize`: NFKC + casefold, only letters, digits and combining marks kept ("Don’t" -> "dont").
* :func:`symbol_form`: for names with no letter or digit (``♡``), the symbols themselves (issue 9 item 8).
* :func:`match_form`: whichever of the two applies.
* :func:`search_form`: Hangul syllables spelled out as the jamo a user types them with (compound vowels and
  compound finals split, finals written as initials), so a one-jamo typo (러브윈즈울 vs 러브윈즈올) is one
  edit and a syllable still being composed by the IME (러브윈ㅈ, 러브윚, 럽) is a plain prefix of the title.
  Latin text is unchanged.
* :func:`choseong`: the initial consonants of the syllables (ㄹㅂㅇㅈㅇ, the usual Korean 초성 search).
* :func:`name_words`: the normalised words of a display name, for word-start and acronym matching.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["blank_punctuation", "choseong", "match_form", "name_words", "normalize", "search_form", "symbol_form"]

_DROP_LETTERS = frozenset(
    {
        0x115F,  # HANGUL CHOSEONG FILLER
        0x1160,  # HANGUL JUNGSEONG FILLER (also NFKC of U+3164 HANGUL FILLER)
        0x3164,  # HANGUL FILLER (an "invisible" letter popular in Discord names)
        0xFFA0,  # HALFWIDTH HANGUL FILLER
        0x034F,  # COMBINING GRAPHEME JOINER
    }
)


def _keep(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category[0] in ("L", "N"):
        return ord(ch) not in _DROP_LETTERS
    if category in ("Mn", "Mc"):
        codepoint = ord(ch)
        # variation selectors (emoji presentation etc.) are not text
        return not (0xFE00 <= codepoint <= 0xFE0F or 0xE0100 <= codepoint <= 0xE01EF or codepoint == 0x034F)
    return False  # P*, S*, Z*, C* (control, format/zero-width, surrogates...), Me


def _filter(text: str) -> str:
    if text.isascii():
        return "".join(filter(str.isalnum, text))
    kept = []
    for ch in text:
        if ch.isalnum():  # letters and digits (L*, N*)
            if ord(ch) not in _DROP_LETTERS:
                kept.append(ch)
        elif _keep(ch):  # combining marks
            kept.append(ch)
    return "".join(kept)


def _normalize_once(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKC", folded)
    return _filter(folded)


def normalize(text: str) -> str:
    """NFKC + casefold; keep only letters (incl. Hangul), digits and combining
    marks.  Punctuation, symbols, whitespace, control, zero-width and markdown
    characters are dropped.  Idempotent."""
    current = _normalize_once(text)
    if current.isascii():
        return current  # lowercase ASCII letters and digits: already a fixed point
    # Dropping characters can bring a base and a mark together (or casefolding
    # can produce something NFKC would recompose); iterate to a fixed point.
    for _ in range(3):
        again = _normalize_once(current)
        if again == current:
            break
        current = again
    return current


# Not part of what a symbol name looks like: variation selectors (emoji vs text presentation), skin-tone
# modifiers, joiners and other format characters, the Hangul fillers.
def _symbol_keep(ch: str) -> bool:
    codepoint = ord(ch)
    if (
        0xFE00 <= codepoint <= 0xFE0F
        or 0xE0100 <= codepoint <= 0xE01EF
        or 0x1F3FB <= codepoint <= 0x1F3FF
        or codepoint in _DROP_LETTERS
    ):
        return False
    return unicodedata.category(ch)[0] not in "ZC"


def symbol_form(text: str) -> str:
    """The compared form of a name with no letters or digits (``♡``, ``★★★``, ``💜``): NFKC and casefold,
    keeping symbols and punctuation, dropping spaces, control and format characters (zero-width joiners
    included), variation selectors and skin-tone modifiers, so ``♡`` and ``♡\ufe0f`` are one name.
    Issue 9 item 8: such names used to normalise to nothing and could never be found."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if _symbol_keep(ch))


def match_form(text: str) -> str:
    """What a name or query is compared as: :func:`normalize` (letters and digits), or, for text that has
    none, its :func:`symbol_form`. The two never collide: one is all letters/digits, the other has none."""
    return normalize(text) or symbol_form(text)


def blank_punctuation(text: str) -> bool:
    """A query of nothing but ASCII punctuation and spaces (``!!!``, ``-``): treated as not typed yet."""
    return all(not ch.isalnum() for ch in text) and text.isascii()


# --------------------------------------------------------------------------
# Hangul search form
# --------------------------------------------------------------------------

_CHO = [chr(0x1100 + initial) for initial in range(19)]
# compound vowels split into the vowels typed to compose them
_VOWEL_PARTS = {9: (8, 0), 10: (8, 1), 11: (8, 20), 14: (13, 4), 15: (13, 5), 16: (13, 20), 19: (18, 20)}
# final consonant index (1..27) -> initial consonant indices
_FINAL_AS_INITIALS = {
    1: (0,),
    2: (1,),
    3: (0, 9),
    4: (2,),
    5: (2, 12),
    6: (2, 18),
    7: (3,),
    8: (5,),
    9: (5, 0),
    10: (5, 6),
    11: (5, 7),
    12: (5, 9),
    13: (5, 16),
    14: (5, 17),
    15: (5, 18),
    16: (6,),
    17: (7,),
    18: (7, 9),
    19: (9,),
    20: (10,),
    21: (11,),
    22: (12,),
    23: (14,),
    24: (15,),
    25: (16,),
    26: (17,),
    27: (18,),
}
_SYLLABLES, _PER_INITIAL, _FINALS = 11172, 588, 28  # Unicode's Hangul syllable block: 19 x 21 x 28


def _vowel(vowel: int) -> str:
    return "".join(chr(0x1161 + part) for part in _VOWEL_PARTS.get(vowel, (vowel,)))


def _final(final: int) -> str:
    return "".join(_CHO[initial] for initial in _FINAL_AS_INITIALS[final])


def _build_jamo_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for index in range(_SYLLABLES):
        initial, rest = divmod(index, _PER_INITIAL)
        vowel, final = divmod(rest, _FINALS)
        table[0xAC00 + index] = _CHO[initial] + _vowel(vowel) + (_final(final) if final else "")
    for vowel in _VOWEL_PARTS:  # standalone conjoining compound vowels
        table[0x1161 + vowel] = _vowel(vowel)
    for final in _FINAL_AS_INITIALS:  # standalone conjoining finals (e.g. NFKC of ㄳ)
        table[0x11A7 + final] = _final(final)
    return table


_JAMO_TABLE = _build_jamo_table()


def search_form(norm: str) -> str:
    """Normalized text -> the form that is compared (Hangul as typed jamo)."""
    return norm.translate(_JAMO_TABLE)


def choseong(norm: str) -> str | None:
    """Initial consonants of the Hangul syllables (초성), other chars kept.
    None unless the text has at least two syllables."""
    spelled = []
    syllables = 0
    for ch in norm:
        codepoint = ord(ch)
        if 0xAC00 <= codepoint <= 0xD7A3:
            spelled.append(_CHO[(codepoint - 0xAC00) // _PER_INITIAL])
            syllables += 1
        else:
            spelled.append(ch)
    return "".join(spelled) if syllables >= 2 else None


_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018\u02bc`\u00b4")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def name_words(name: str) -> list[str]:
    """Normalized words of a display name.  Apostrophes join ("Don't" is one
    word); any other dropped character separates."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_APOSTROPHES)
    if folded.isascii():
        return _ASCII_WORD.findall(folded)
    words: list[str] = []
    word: list[str] = []
    for ch in folded:
        if ch.isalnum() or _keep(ch):
            word.append(ch)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return [form for form in (normalize(word) for word in words) if form]
