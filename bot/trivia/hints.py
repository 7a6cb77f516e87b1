"""Hints for typed answers: part of the answer, never all of it (issue 10: "never gives away a short
answer whole").

A hint keeps the answer's shape (spaces, punctuation, digits hidden as ``_``) and shows the first letter
of each word that is at least three letters long, at level 2 also every third letter after it. Hangul
words show the initial consonant (초성) of their first syllable. Whatever the level, at most a third of
the letters (rounded down) is shown, and answers of three letters or fewer only show their length.
"""

from __future__ import annotations

import unicodedata

HIDDEN = "＿"
_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MAX_LEVEL = 2


def _letter(ch: str) -> bool:
    return ch.isalnum()


def _reveal(ch: str) -> str:
    code = ord(ch)
    if 0xAC00 <= code <= 0xD7A3:  # a Hangul syllable: its initial consonant only
        return _CHO[(code - 0xAC00) // 588]
    return ch


def hint(answer: str, level: int = 1) -> str:
    """The hint shown after ``level`` requests (1 or 2), e.g. ``hint("Floating cubes") == "F＿＿＿＿＿＿＿ c＿＿＿＿"``.

    Never returns the answer (or all its letters): the number of letters shown is at most
    ``letters // 3``, so three letters or fewer show none.
    """
    text = unicodedata.normalize("NFC", answer)
    letters = [i for i, ch in enumerate(text) if _letter(ch)]
    allowance = len(letters) // 3
    firsts: list[int] = []
    others: list[int] = []
    word: list[int] = []

    def close_word() -> None:
        if len(word) >= 3 and not text[word[0]].isdigit():
            firsts.append(word[0])
            if level >= 2:
                others.extend(i for k, i in enumerate(word) if k and k % 3 == 0 and not text[i].isdigit())
        word.clear()

    for i, ch in enumerate(text):
        if _letter(ch):
            word.append(i)
        else:
            close_word()
    close_word()
    keep = set((firsts + others)[:allowance])
    out = []
    for i, ch in enumerate(text):
        if not _letter(ch):
            out.append(ch)
        elif i in keep:
            out.append(_reveal(ch))
        else:
            out.append(HIDDEN)
    return "".join(out)
