"""Name/title matching for autocomplete and for resolving what a user typed: the public import path.

The code lives in three modules, by concern:

* :mod:`bot.content.forms` -- the compared forms: :func:`normalize`, :func:`symbol_form`, :func:`match_form`,
  Hangul spelled as typed jamo (``search_form``), 초성 initials, a name's words.
* :mod:`bot.content.matcher` -- :class:`Entry`, :class:`Match`, the :class:`Matcher` (exact, prefix, acronym,
  초성 and typo-tolerant matching; scores and thresholds are described there) and the :class:`NameMatcher`
  protocol every matcher satisfies.
* :mod:`bot.content.by_artist` -- :class:`ByArtist`, titles typed with their artist (issue 9 item 7).

Everything is re-exported here, so ``from bot.content.matching import Matcher`` keeps working.
"""

from __future__ import annotations

from bot.content.by_artist import ByArtist
from bot.content.forms import match_form, normalize, search_form, symbol_form
from bot.content.matcher import MAX_QUERY_CHARS, Entry, Match, Matcher, NameMatcher

# The name bot.content.answers and the tests import (it was private to this module before the split).
_search_form = search_form

__all__ = [
    "MAX_QUERY_CHARS",
    "ByArtist",
    "Entry",
    "Match",
    "Matcher",
    "NameMatcher",
    "match_form",
    "normalize",
    "search_form",
    "symbol_form",
]
