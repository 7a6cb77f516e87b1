"""The :class:`Matcher`: names and titles indexed once, queried on every keystroke.

Pure Python (plus rapidfuzz); no Discord, no SQL.  A :class:`Matcher` is built
once from a list of :class:`Entry` objects and queried many times:

* :meth:`Matcher.complete` -- autocomplete, called on every keystroke.  Cheap
  paths first (exact name, prefix of a name / of a word of a name / of an
  acronym), fuzzy matching only when those do not fill ``limit``.
* :meth:`Matcher.resolve` -- the single entry the user meant, or ``None`` when
  the matcher is not confident (nothing close, or two things equally close).
* :meth:`Matcher.suggest` -- looser "did you mean" candidates.

Names and queries are compared in their search form (:mod:`bot.content.forms`).

Word boundaries: a query only matches *inside* a name where a word of that
name starts ("win" finds "Love Wins All", "air" never finds "Chair").  This is
done by indexing, for every name, each suffix that starts at a word start
("lovewinsall", "winsall", "all"), plus the word initials ("lwa") and, for
Hangul names, the initial consonants of the syllables (ㄹㅂㅇㅈㅇ, the usual
Korean 초성 search).

Typos: no fuzzy matching for queries of <= 3 normalized characters; beyond
that about one edit (OSA: a swapped pair counts once) per 5 characters of the
search form, anchored at a name or word start.  A query that only lacks the
first letter(s) of a word is not matched (that would be a mid-word hit).

Scores are 0..100: 100 exact name; 90 exact acronym; 75..99 prefix of a whole
name; 65..85 prefix at a later word; 60..80 prefix of an acronym; fuzzy
matches fall between roughly 55 and 90 depending on edits per character.
resolve() needs >= 85 and a 5-point lead over the runner-up.
"""

from __future__ import annotations

import bisect
import functools
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA, LCSseq

from bot.content.forms import blank_punctuation, choseong, match_form, name_words, search_form

__all__ = ["MAX_QUERY_CHARS", "RAW_QUERY_CAP", "Entry", "Match", "Matcher", "NameMatcher", "remembered"]

#: Queries are cut to this many normalized characters.
MAX_QUERY_CHARS = 100
#: Raw query text beyond this is ignored before normalizing (hostile input).
RAW_QUERY_CAP = 4 * MAX_QUERY_CHARS

# resolve() thresholds
_RESOLVE_MIN_SCORE = 85.0
_RESOLVE_MARGIN = 5.0

# Prefix-range size above which the best results are precomputed at build time.
_HEAVY_RANGE = 96
# How many distinct entries a precomputed prefix result keeps.
_HEAVY_KEEP = 50
# Fuzzy prefix matching is skipped for very long queries (full fuzzy still runs).
_FUZZY_PREFIX_MAX = 48

# Index item kinds (lower = preferred when the same key comes from several).
_K_FULL, _K_WORD, _K_ACRO, _K_CHO = 0, 1, 2, 3

_LAST_CHAR = "\U0010ffff"  # a noncharacter; normalize() never keeps it

_COMPLETE, _RESOLVE, _SUGGEST = 0, 1, 2

# entry id -> (best score so far, index of the name that scored it)
_Best = dict[int, tuple[float, int]]
# (score, entry id, name index), best first
_Ranked = list[tuple[float, int, int]]
# keys of one fuzzy bucket, sorted by length, with their lengths: a length band is two bisects
_Bucket = tuple[list[int], list[str]]


@dataclass(frozen=True)
class Entry:
    key: str  # opaque id of the thing, e.g. "song:love-wins-all"
    label: str  # display name, e.g. "Love Wins All"
    names: tuple[str, ...] = ()  # every name it may be typed as


@dataclass(frozen=True)
class Match:
    key: str
    label: str
    score: float  # 0..100
    matched: str  # which name matched (for acronym hits: the name abbreviated)


class NameMatcher(Protocol):
    """What the cogs need of a matcher: :class:`Matcher`, :class:`bot.content.by_artist.ByArtist`, or the
    catalogue's combined matcher. Scores are 0..100, lists best first with unique keys."""

    def complete(self, query: str, limit: int = 25) -> list[Match]: ...

    def resolve(self, query: str) -> Match | None: ...

    def suggest(self, query: str, limit: int = 3) -> list[Match]: ...

    def __len__(self) -> int: ...


_M = TypeVar("_M")
RESOLVED_MEMO = 1024  # typed values remembered per matcher (all forgotten at once when full)


def remembered(resolve: Callable[[_M, str], Match | None]) -> Callable[[_M, str], Match | None]:
    """Remember a matcher's ``resolve`` answer per typed value.

    A matcher never changes once built (the catalogue builds new ones when content changes), answers are
    immutable :class:`Match` objects, and fans type the same titles again and again: a repeat costs a dict
    lookup instead of normalising and, for a near miss, a fuzzy search (issue 8 item 8, speed of every fan
    command). At most :data:`RESOLVED_MEMO` values per matcher.
    """

    @functools.wraps(resolve)
    def wrapper(self: _M, query: str) -> Match | None:
        memo: dict[object, Match | None] | None = self.__dict__.get("_resolved")
        if memo is None:
            memo = self.__dict__["_resolved"] = {}
        try:
            return memo[query]
        except (KeyError, TypeError):  # not yet asked, or not hashable (resolve says None to a non-string)
            pass
        found = resolve(self, query)
        if isinstance(query, str):
            if len(memo) >= RESOLVED_MEMO:
                memo.clear()
            memo[query] = found
        return found

    return wrapper


def _edit_budget(norm_length: int, search_length: int, loose: bool = False) -> int:
    """Edits tolerated for a query: none for <=3 normalized chars (<=2 when
    loose), then roughly one per 4-5 characters of the search form."""
    if loose:
        return 0 if norm_length <= 2 else max(1, (search_length + 3) // 4)
    return 0 if norm_length <= 3 else max(1, (search_length + 1) // 5)


def _prefix_score(kind: int, query_length: int, key_length: int) -> float:
    if kind == _K_FULL:
        return 99.0 if query_length >= key_length else 75.0 + 20.0 * query_length / key_length
    if kind == _K_WORD:
        return 65.0 + 20.0 * query_length / key_length
    # acronym / initial consonants
    return 90.0 if query_length >= key_length else 60.0 + 20.0 * query_length / key_length


def _offer(best: _Best, entry_id: int, score: float, name_index: int) -> None:
    current = best.get(entry_id)
    if current is None or score > current[0]:
        best[entry_id] = (score, name_index)


def _by_length(keys: list[str]) -> _Bucket:
    keys.sort(key=lambda key: (len(key), key))
    return [len(key) for key in keys], keys


def _band(bucket: _Bucket | None, shortest: int, longest: int) -> list[str]:
    if bucket is None:
        return []
    lengths, keys = bucket
    return keys[bisect.bisect_left(lengths, shortest) : bisect.bisect_right(lengths, longest)]


class Matcher:
    """Built once from entries, queried many times.  Immutable after build,
    so it is safe to share between tasks/threads."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        norms = self._merge_entries(entries)
        self._label_norms = [match_form(label) for label in self._labels]
        self._label_order = sorted(
            range(len(self._keys)), key=lambda eid: (self._labels[eid].casefold(), self._labels[eid], self._keys[eid])
        )
        self._rank = [0] * len(self._keys)
        for position, entry_id in enumerate(self._label_order):
            self._rank[entry_id] = position

        # ---- prefix index: one item per (search key, entry), sorted by key then label order
        items = sorted(
            (search_key, kind, self._rank[entry_id], entry_id, name_index)
            for (search_key, entry_id), (kind, name_index) in self._index_names(norms).items()
        )
        self._prefix_keys = [item[0] for item in items]
        self._prefix_lengths = [len(item[0]) for item in items]
        self._prefix_kinds = [item[1] for item in items]
        self._prefix_entries = [item[3] for item in items]
        self._prefix_names = [item[4] for item in items]

        # ---- precomputed results for prefixes matching many keys
        self._heavy: dict[str, tuple[_Ranked, bool]] = {}
        self._build_heavy(0, len(items), 1)
        self._build_fuzzy_pools(items)

    # ------------------------------------------------------------------ build

    def _merge_entries(self, entries: Iterable[Entry]) -> list[list[str]]:
        """Entries merged by key; names = label + names, deduped by match form. Returns the forms."""
        self._keys: list[str] = []
        self._labels: list[str] = []
        self._names: list[list[str]] = []
        norms: list[list[str]] = []
        by_key: dict[str, int] = {}
        for entry in entries:
            entry_id = by_key.get(entry.key)
            if entry_id is None:
                entry_id = by_key[entry.key] = len(self._keys)
                self._keys.append(entry.key)
                self._labels.append(entry.label)
                self._names.append([])
                norms.append([])
            for name in (entry.label, *entry.names):
                if not isinstance(name, str):
                    continue
                form = match_form(name)
                if form and form not in norms[entry_id]:
                    self._names[entry_id].append(name)
                    norms[entry_id].append(form)
        return norms

    def _index_names(self, norms: list[list[str]]) -> dict[tuple[str, int], tuple[int, int]]:
        """Fills the exact-name table; returns (search key, entry id) -> (kind, name index), keeping the
        preferred kind when one key comes from several (a whole name over a word, over an acronym)."""
        self._exact: dict[str, list[tuple[int, int]]] = {}
        best_item: dict[tuple[str, int], tuple[int, int]] = {}

        def add(search_key: str, entry_id: int, name_index: int, kind: int) -> None:
            if not search_key:
                return
            current = best_item.get((search_key, entry_id))
            if current is None or kind < current[0]:
                best_item[(search_key, entry_id)] = (kind, name_index)

        for entry_id in range(len(self._keys)):
            for name_index, (name, norm) in enumerate(zip(self._names[entry_id], norms[entry_id], strict=True)):
                self._exact.setdefault(norm, []).append((entry_id, name_index))
                add(search_form(norm), entry_id, name_index, _K_FULL)
                words = name_words(name)
                for start in range(1, len(words)):
                    add(search_form("".join(words[start:])), entry_id, name_index, _K_WORD)
                if len(words) >= 2:
                    add(search_form("".join(word[0] for word in words)), entry_id, name_index, _K_ACRO)
                initials = choseong(norm)
                if initials is not None:
                    add(initials, entry_id, name_index, _K_CHO)
        return best_item

    def _build_fuzzy_pools(self, items: list[tuple[str, int, int, int, int]]) -> None:
        """Deduplicated search keys of whole names and word suffixes, with their owners, bucketed by their
        first and by their second character."""
        owners: dict[str, list[tuple[int, int, int]]] = {}
        for search_key, kind, _rank, entry_id, name_index in items:
            if kind <= _K_WORD:
                owners.setdefault(search_key, []).append((entry_id, name_index, kind))
        self._owners = owners
        first: dict[str, list[str]] = {}
        second: dict[str, list[str]] = {}
        for search_key in owners:
            first.setdefault(search_key[0], []).append(search_key)
            if len(search_key) > 1:
                second.setdefault(search_key[1], []).append(search_key)
        self._fz_first = {ch: _by_length(keys) for ch, keys in first.items()}
        self._fz_second = {ch: _by_length(keys) for ch, keys in second.items()}

    def _build_heavy(self, lo: int, hi: int, depth: int) -> None:
        """For every prefix whose range [lo, hi) is larger than _HEAVY_RANGE,
        precompute its best distinct entries so a 1-2 letter query is a dict
        lookup instead of a scan over thousands of keys."""
        if hi - lo <= _HEAVY_RANGE:
            return
        keys = self._prefix_keys
        start = lo
        # keys shorter than `depth` sort first in the range; skip them
        while start < hi and len(keys[start]) < depth:
            start += 1
        while start < hi:
            prefix = keys[start][:depth]
            end = bisect.bisect_left(keys, prefix + _LAST_CHAR, start, hi)
            if end - start > _HEAVY_RANGE:
                best: _Best = {}
                self._scan(depth, start, end, best)
                ranked = self._rank_best(best, limit=_HEAVY_KEEP + 1)  # one more says "there are more"
                self._heavy[prefix] = (ranked[:_HEAVY_KEEP], len(ranked) > _HEAVY_KEEP)
                self._build_heavy(start, end, depth + 1)
            start = end

    # ------------------------------------------------------------------ search

    def _scan(self, query_length: int, lo: int, hi: int, best: _Best) -> None:
        kinds, lengths = self._prefix_kinds, self._prefix_lengths
        entries, names = self._prefix_entries, self._prefix_names
        for position in range(lo, hi):
            score = _prefix_score(kinds[position], query_length, lengths[position])
            entry_id = entries[position]
            current = best.get(entry_id)
            if current is None or score > current[0]:
                best[entry_id] = (score, names[position])

    def _rank_best(self, best: _Best, limit: int | None = None) -> _Ranked:
        rank = self._rank

        def order(item: tuple[int, tuple[float, int]]) -> tuple[float, int]:
            return -item[1][0], rank[item[0]]

        if limit is not None and len(best) > 4 * limit:
            ranked = heapq.nsmallest(limit, best.items(), key=order)
        else:
            ranked = sorted(best.items(), key=order)
        return [(score, entry_id, name_index) for entry_id, (score, name_index) in ranked]

    def _offer_key(
        self,
        best: _Best,
        search_key: str,
        query_length: int,
        budget: int,
        limit: int,
        prefix_edits: int,
        full_edits: int,
    ) -> None:
        """Offer the owners of ``search_key``, which the query matches within ``prefix_edits`` as a prefix
        and ``full_edits`` as a whole (``budget + 1`` when not within the budget)."""
        coverage = min(1.0, query_length / len(search_key))
        scores = []
        for full in (True, False):
            score = (72.0 if full else 62.0) + 15.0 * coverage - 50.0 * prefix_edits / query_length
            if full_edits <= budget:
                score = max(score, (90.0 if full else 78.0) - 40.0 * full_edits / query_length)
            scores.append(score)
        # Owners are sorted by (kind, label rank) and all owners of one
        # kind get the same score here, so `limit` of each kind suffice
        # (a common word such as "star" can belong to a thousand titles).
        seen = [0, 0]
        for entry_id, name_index, kind in self._owners[search_key]:
            if seen[kind] < limit:
                seen[kind] += 1
                _offer(best, entry_id, scores[kind], name_index)
            elif kind:
                break  # sorted by kind: nothing after the word owners

    def _fuzzy(self, query: str, budget: int, limit: int, best: _Best) -> None:
        """Offer entries within ``budget`` edits (optimal string alignment: a swap of
        two neighbours is one edit) of ``query`` (a search form), either as a whole name / word
        suffix, or as a prefix of one (autocomplete of a mistyped partial
        title)."""
        first_done = len(query) <= _FUZZY_PREFIX_MAX
        if first_done:
            self._fuzzy_prefix(query, budget, limit, best)
        self._fuzzy_first_wrong(query, budget, limit, best, first_done)

    def _fuzzy_prefix(self, query: str, budget: int, limit: int, best: _Best) -> None:
        """First character right: the query may be a mistyped *prefix* of a
        key.  Cut candidates to L+k chars (L the query's length, k the budget), filter with LCS (for prefix
        distance d, LCS(q, key[:L+k]) >= L - d), then find the best
        alignment end j in [L-k, L+k] for the few survivors."""
        length = len(query)
        shortest, longest = max(1, length - budget), length + budget
        candidates = _band(self._fz_first.get(query[0]), shortest, 1 << 30)
        if not candidates:
            return
        cuts = [candidate[:longest] for candidate in candidates]
        memo: dict[str, tuple[int, int]] = {}
        for cut, _similarity, index in process.extract(
            query, cuts, scorer=LCSseq.similarity, score_cutoff=length - budget, limit=None
        ):
            edits = memo.get(cut)
            if edits is None:
                prefix_edits = end_edits = budget + 1
                for end in range(shortest, len(cut) + 1):
                    end_edits = OSA.distance(query, cut[:end], score_cutoff=budget)
                    prefix_edits = min(prefix_edits, end_edits)
                edits = memo[cut] = (prefix_edits, end_edits)
            if edits[0] <= budget:
                search_key = candidates[index]
                # distance to the whole key is known when it fits in the cut
                full_edits = edits[1] if len(search_key) == len(cut) else budget + 1
                self._offer_key(best, search_key, length, budget, limit, edits[0], full_edits)

    def _fuzzy_first_wrong(self, query: str, budget: int, limit: int, best: _Best, first_done: bool) -> None:
        """First character wrong (whole-key typos only).  A typo at position
        0 leaves key[1] == q[1] (substitution), key[:2] == q[1]+q[0]
        (swap) or key[0] == q[1] (a stray character typed first).  A
        query that merely lacks the key's first letter(s) is deliberately
        not matched: that would be a mid-word hit ("hair" -> "Chair")."""
        length = len(query)
        if length < 2:
            return
        shortest, longest = max(1, length - budget), length + budget
        first, second = query[0], query[1]
        pool = _band(self._fz_second.get(second), shortest, longest)
        if first != second:
            pool += [key for key in _band(self._fz_second.get(first), shortest, longest) if key[0] == second]
            pool += _band(self._fz_first.get(second), shortest, longest)
        if first_done:
            pool = [key for key in pool if key[0] != first]
        else:
            pool += _band(self._fz_first.get(first), shortest, longest)
        if pool:
            for search_key, edits, _index in process.extract(
                query, pool, scorer=OSA.distance, score_cutoff=budget, limit=None
            ):
                self._offer_key(best, search_key, length, budget, limit, edits, edits)

    def _search(self, query: object, limit: int, mode: int) -> tuple[str, _Ranked]:
        if not isinstance(query, str):
            return "", []
        norm = match_form(query[:RAW_QUERY_CAP])[:MAX_QUERY_CHARS]
        if not norm:
            return "", []
        form = search_form(norm)
        best: _Best = {}

        for entry_id, name_index in self._exact.get(norm, ()):
            _offer(best, entry_id, 100.0, name_index)

        heavy = self._heavy.get(form)
        if heavy is not None and (limit <= len(heavy[0]) or not heavy[1]):
            for score, entry_id, name_index in heavy[0]:
                _offer(best, entry_id, score, name_index)
        else:
            lo = bisect.bisect_left(self._prefix_keys, form)
            hi = bisect.bisect_left(self._prefix_keys, form + _LAST_CHAR, lo)
            self._scan(len(form), lo, hi, best)

        budget = _edit_budget(len(norm), len(form), loose=(mode == _SUGGEST))
        if budget and (mode != _COMPLETE or len(best) < limit):
            self._fuzzy(form, budget, limit, best)

        return norm, self._rank_best(best, limit)[:limit]

    def _match(self, score: float, entry_id: int, name_index: int) -> Match:
        return Match(
            key=self._keys[entry_id],
            label=self._labels[entry_id],
            score=round(max(0.0, min(100.0, score)), 2),
            matched=self._names[entry_id][name_index],
        )

    # ------------------------------------------------------------------ API

    def complete(self, query: str, limit: int = 25) -> list[Match]:
        """Autocomplete: best first, unique keys, at most ``limit``.  An empty
        (or all-punctuation) query lists the first ``limit`` entries by label."""
        try:
            limit = int(limit)
        except (TypeError, ValueError):
            limit = 25
        if limit <= 0:
            return []
        norm, ranked = self._search(query, limit, _COMPLETE)
        if not norm or (not ranked and blank_punctuation(query[:RAW_QUERY_CAP])):
            return [
                Match(self._keys[entry_id], self._labels[entry_id], 0.0, self._labels[entry_id])
                for entry_id in self._label_order[:limit]
            ]
        return [self._match(score, entry_id, name_index) for score, entry_id, name_index in ranked]

    @remembered
    def resolve(self, query: str) -> Match | None:
        """The one entry the user meant, or None if not confident.

        An exact (normalized) name always resolves -- unless several entries
        share that name, in which case the one whose *label* it is wins, and
        otherwise None.  Anything else must score >= 85 and beat the runner-up
        by >= 5 points."""
        if not isinstance(query, str):
            return None
        norm = match_form(query[:RAW_QUERY_CAP])[:MAX_QUERY_CHARS]
        if not norm:
            return None
        hits = self._exact.get(norm)
        if hits:
            entry_ids = {entry_id for entry_id, _ in hits}
            if len(entry_ids) > 1:
                hits = [(entry_id, name_index) for entry_id, name_index in hits if self._label_norms[entry_id] == norm]
                entry_ids = {entry_id for entry_id, _ in hits}
            if len(entry_ids) == 1:
                entry_id, name_index = hits[0]
                return self._match(100.0, entry_id, name_index)
            return None
        _norm, ranked = self._search(query, 2, _RESOLVE)
        if not ranked:
            return None
        top = ranked[0]
        if top[0] < _RESOLVE_MIN_SCORE:
            return None
        if len(ranked) > 1 and top[0] - ranked[1][0] < _RESOLVE_MARGIN:
            return None
        return self._match(*top)

    def suggest(self, query: str, limit: int = 3) -> list[Match]:
        """'Did you mean' candidates: like complete() but always runs the
        fuzzy pass, with a looser edit budget."""
        try:
            limit = int(limit)
        except (TypeError, ValueError):
            limit = 3
        if limit <= 0:
            return []
        _norm, ranked = self._search(query, limit, _SUGGEST)
        # Nothing close: maybe the text runs past a real name ("love wins everything",
        # "Love Wins All (Remix)"). Drop trailing words until something matches, a few times at most.
        words = query.split()[:12] if isinstance(query, str) else []
        while not ranked and len(words) > 1:
            words.pop()
            _norm, ranked = self._search(" ".join(words), limit, _SUGGEST)
        return [self._match(score, entry_id, name_index) for score, entry_id, name_index in ranked]

    def names_of(self) -> list[tuple[str, list[str]]]:
        """Every entry's key with the names it is indexed under (label first), in build order."""
        return list(zip(self._keys, self._names, strict=True))

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"<Matcher entries={len(self._keys)} index_keys={len(self._prefix_keys)}>"
