"""What pack text may contain: no control characters, nothing invisible, no links or block markup.

Issue 9 items 13-15: a fan reads every display field, so text that shows nothing, hides something or that
Discord would turn into a link, heading, quote or code block is refused by ``check``.
"""

from __future__ import annotations

import re
import unicodedata

# Control and invisible formatting characters (Unicode Cc and Cf), except the zero-width joiner emoji use.
_INVISIBLE = (
    r"\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b\u200c\u200e\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_CONTROL_MULTILINE = re.compile(rf"[\x00-\x08{_INVISIBLE}]")
_CONTROL = re.compile(rf"[\x00-\x0a{_INVISIBLE}]")


def has_control(text: str, allow_newline: bool) -> bool:
    """Whether ``text`` holds a control or invisible formatting character (a newline is allowed when
    ``allow_newline``: multi-line fields such as a fact's text)."""
    return (_CONTROL_MULTILINE if allow_newline else _CONTROL).search(text) is not None


# Characters that draw nothing: format (Cf: zero-width, joiners, tags), control, unassigned and private use,
# separators (spaces), lone combining marks and variation selectors, plus letters and symbols that render
# blank (the Hangul fillers popular for "invisible" Discord names, the braille blank).
_BLANK_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_CHARS = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u17b4", "\u17b5"})
_TAG = re.compile("[\U000e0000-\U000e007f]")
# A subdivision flag (🏴 + tag letters + CANCEL TAG) is the one place tag characters belong.
_FLAG_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def invisible_problem(text: str) -> str | None:
    """Why ``text`` would show a fan nothing, or hide something: tag characters (U+E0000 block) outside an
    emoji flag, or no visible character at all. None when it is fine."""
    found = _TAG.search(_FLAG_TAG_SEQUENCE.sub("", text))
    if found:
        return f"contains invisible tag characters (U+{ord(found.group()):04X}); write the text itself"
    if all(ch in _BLANK_CHARS or unicodedata.category(ch) in _BLANK_CATEGORIES for ch in text):
        return "has nothing a fan could see (only invisible, blank or joining characters)"
    return None


# Links and markup that Discord acts on: they would make pack text clickable, a heading, a quote or a code
# block wherever it is shown, so check refuses them in every field a fan reads.
_MARKUP = (
    (
        re.compile(r"\[[^\]\n]*\]\(\s*<?\s*[^)\s]*\)?"),
        "a masked link {found!r}; packs can't carry links, write the words only",
    ),
    (
        re.compile(
            r"(?i)\b(?:https?|ftp|steam|discord)://\S*|\bwww\.[a-z0-9-]+\.[a-z]\S*"
            r"|\b(?:discord\.gg|discord(?:app)?\.com/invite)/\S*"
        ),
        "a web address {found!r}; packs can't carry links (the source is cited from seeds/)",
    ),
    (
        re.compile(r"(?m)^[ \t]*(?:#{1,3}|-#)[ \t]+\S.*"),
        "heading markup {found!r}; write the text without the leading '#'",
    ),
    (re.compile(r"(?m)^[ \t]*>(?:>>)?[ \t]+\S.*"), "quote markup {found!r}; write the text without the leading '>'"),
    (re.compile(r"```"), "a code fence (```); write the text without it"),
    (
        re.compile(r"<(?:@[!&]?|#|/[^\s:>]+:)\d+>|<t:-?\d+(?::[tTdDfFR])?>|@(?:everyone|here)\b"),
        "Discord mention or timestamp markup {found!r}; write the name or date as text",
    ),
)


_MARKUP_HINT = re.compile(r"(?i)[\[#>`<@]|://|www\.|discord")


def markup_problem(text: str) -> str | None:
    """Why ``text`` can't be shown as it is (a masked link, a URL, heading/subtext/quote/code-block markup,
    mention markup), or None. Inline emphasis is fine: every renderer escapes it."""
    if not _MARKUP_HINT.search(text):  # the usual case, in one pass
        return None
    for pattern, message in _MARKUP:
        found = pattern.search(text)
        if found:
            snippet = found.group().strip()
            return "contains " + message.format(found=snippet[:40] + ("…" if len(snippet) > 40 else ""))
    return None
