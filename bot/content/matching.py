"""Name/title matching for autocomplete and for resolving what a user typed.

Pure Python (plus rapidfuzz); no Discord, no SQL.  A :class:`Matcher` is built
once from a list of :class:`Entry` objects and queried many times:

* :meth:`Matcher.complete` -- autocomplete, called on every keystroke.  Cheap
  paths first (exact name, prefix of a name / of a word of a name / of an
  acronym), fuzzy matching only when those do not fill ``limit``.
* :meth:`Matcher.resolve` -- the single entry the user meant, or ``None`` when
  the matcher is not confident (nothing close, or two things equally close).
* :meth:`Matcher.suggest` -- looser "did you mean" candidates.

How text is compared
--------------------
Every name is :func:`normalize`-d (NFKC, casefold, punctuation/symbols/space/
control/zero-width chars dropped) and then turned into a *search form*: Hangul
syllables are spelled out as the jamo a user types them with (compound vowels
and compound finals split, finals written as initials).  Therefore

* a one-jamo typo (러브윈즈울 vs 러브윈즈올) is edit distance 1, and
* a syllable still being composed by the IME (러브윈ㅈ, 러브윚, 럽) is a plain
  prefix of the finished title.

Latin text is unchanged by the search form.

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
import dataclasses
import heapq
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA, LCSseq

__all__ = ["MAX_QUERY_CHARS", "ByArtist", "Entry", "Match", "Matcher", "match_form", "normalize", "symbol_form"]

#: Queries are cut to this many normalized characters.
MAX_QUERY_CHARS = 100
#: Raw query text beyond this is ignored before normalizing (hostile input).
_RAW_QUERY_CAP = 4 * MAX_QUERY_CHARS

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


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

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
    cat = unicodedata.category(ch)
    first = cat[0]
    if first == "L" or first == "N":
        return ord(ch) not in _DROP_LETTERS
    if cat == "Mn" or cat == "Mc":
        cp = ord(ch)
        # variation selectors (emoji presentation etc.) are not text
        return not (0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or cp == 0x034F)
    return False  # P*, S*, Z*, C* (control, format/zero-width, surrogates...), Me


def _filter(s: str) -> str:
    if s.isascii():
        return "".join(filter(str.isalnum, s))
    out = []
    for ch in s:
        if ch.isalnum():  # letters and digits (L*, N*)
            if ord(ch) not in _DROP_LETTERS:
                out.append(ch)
        elif _keep(ch):  # combining marks
            out.append(ch)
    return "".join(out)


def _normalize_once(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).casefold()
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
    return _filter(s)


def normalize(text: str) -> str:
    """NFKC + casefold; keep only letters (incl. Hangul), digits and combining
    marks.  Punctuation, symbols, whitespace, control, zero-width and markdown
    characters are dropped.  Idempotent."""
    s = _normalize_once(text)
    if s.isascii():
        return s  # lowercase ASCII letters and digits: already a fixed point
    # Dropping characters can bring a base and a mark together (or casefolding
    # can produce something NFKC would recompose); iterate to a fixed point.
    for _ in range(3):
        t = _normalize_once(s)
        if t == s:
            break
        s = t
    return s


# Not part of what a symbol name looks like: variation selectors (emoji vs text presentation), skin-tone
# modifiers, joiners and other format characters, the Hangul fillers.
def _symbol_keep(ch: str) -> bool:
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or 0x1F3FB <= cp <= 0x1F3FF or cp in _DROP_LETTERS:
        return False
    return unicodedata.category(ch)[0] not in "ZC"


def symbol_form(text: str) -> str:
    """The compared form of a name with no letters or digits (``♡``, ``★★★``, ``💜``): NFKC and casefold,
    keeping symbols and punctuation, dropping spaces, control and format characters (zero-width joiners
    included), variation selectors and skin-tone modifiers, so ``♡`` and ``♡\ufe0f`` are one name.
    Issue 9 item 8: such names used to normalise to nothing and could never be found."""
    s = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in s if _symbol_keep(ch))


def match_form(text: str) -> str:
    """What a name or query is compared as: :func:`normalize` (letters and digits), or, for text that has
    none, its :func:`symbol_form`. The two never collide: one is all letters/digits, the other has none."""
    return normalize(text) or symbol_form(text)


def _blank_punctuation(text: str) -> bool:
    """A query of nothing but ASCII punctuation and spaces (``!!!``, ``-``): treated as not typed yet."""
    return all(not ch.isalnum() for ch in text) and text.isascii()


# --------------------------------------------------------------------------
# Hangul search form
# --------------------------------------------------------------------------

_CHO = [chr(0x1100 + i) for i in range(19)]
# compound vowels split into the vowels typed to compose them
_VOWEL_PARTS = {9: (8, 0), 10: (8, 1), 11: (8, 20), 14: (13, 4), 15: (13, 5), 16: (13, 20), 19: (18, 20)}
# final consonant index (1..27) -> initial consonant indices
_FINAL_AS_INITIALS = {
    1: (0,), 2: (1,), 3: (0, 9), 4: (2,), 5: (2, 12), 6: (2, 18), 7: (3,), 8: (5,),
    9: (5, 0), 10: (5, 6), 11: (5, 7), 12: (5, 9), 13: (5, 16), 14: (5, 17), 15: (5, 18),
    16: (6,), 17: (7,), 18: (7, 9), 19: (9,), 20: (10,), 21: (11,), 22: (12,), 23: (14,),
    24: (15,), 25: (16,), 26: (17,), 27: (18,),
}


def _vowel(v: int) -> str:
    return "".join(chr(0x1161 + p) for p in _VOWEL_PARTS.get(v, (v,)))


def _final(t: int) -> str:
    return "".join(_CHO[i] for i in _FINAL_AS_INITIALS[t])


def _build_jamo_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for idx in range(11172):
        lead, rem = divmod(idx, 588)
        v, t = divmod(rem, 28)
        table[0xAC00 + idx] = _CHO[lead] + _vowel(v) + (_final(t) if t else "")
    for v in _VOWEL_PARTS:  # standalone conjoining compound vowels
        table[0x1161 + v] = _vowel(v)
    for t in _FINAL_AS_INITIALS:  # standalone conjoining finals (e.g. NFKC of ㄳ)
        table[0x11A7 + t] = _final(t)
    return table


_JAMO_TABLE = _build_jamo_table()


def _search_form(norm: str) -> str:
    """Normalized text -> the form that is compared (Hangul as typed jamo)."""
    return norm.translate(_JAMO_TABLE)


def _choseong(norm: str) -> str | None:
    """Initial consonants of the Hangul syllables (초성), other chars kept.
    None unless the text has at least two syllables."""
    out = []
    syllables = 0
    for ch in norm:
        cp = ord(ch)
        if 0xAC00 <= cp <= 0xD7A3:
            out.append(_CHO[(cp - 0xAC00) // 588])
            syllables += 1
        else:
            out.append(ch)
    return "".join(out) if syllables >= 2 else None


_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018\u02bc`\u00b4")


def _words(name: str) -> list[str]:
    """Normalized words of a display name.  Apostrophes join ("Don't" is one
    word); any other dropped character separates."""
    s = unicodedata.normalize("NFKC", name).casefold().translate(_APOSTROPHES)
    if s.isascii():
        return _ASCII_WORD.findall(s)
    words: list[str] = []
    cur: list[str] = []
    for ch in s:
        if ch.isalnum() or _keep(ch):
            cur.append(ch)
        elif cur:
            words.append("".join(cur))
            cur = []
    if cur:
        words.append("".join(cur))
    return [w for w in (normalize(w) for w in words) if w]


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def _edit_budget(n_norm: int, n_search: int, loose: bool = False) -> int:
    """Edits tolerated for a query: none for <=3 normalized chars (<=2 when
    loose), then roughly one per 4-5 characters of the search form."""
    if loose:
        return 0 if n_norm <= 2 else max(1, (n_search + 3) // 4)
    return 0 if n_norm <= 3 else max(1, (n_search + 1) // 5)


# --------------------------------------------------------------------------
# Public types
# --------------------------------------------------------------------------


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


def _prefix_score(kind: int, qlen: int, keylen: int) -> float:
    if kind == _K_FULL:
        return 99.0 if qlen >= keylen else 75.0 + 20.0 * qlen / keylen
    if kind == _K_WORD:
        return 65.0 + 20.0 * qlen / keylen
    # acronym / initial consonants
    return 90.0 if qlen >= keylen else 60.0 + 20.0 * qlen / keylen


# --------------------------------------------------------------------------
# Matcher
# --------------------------------------------------------------------------

_COMPLETE, _RESOLVE, _SUGGEST = 0, 1, 2


class Matcher:
    """Built once from entries, queried many times.  Immutable after build,
    so it is safe to share between tasks/threads."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        # ---- merge entries by key; names = label + names, deduped by normal form
        keys: list[str] = []
        labels: list[str] = []
        names: list[list[str]] = []
        norms: list[list[str]] = []
        by_key: dict[str, int] = {}
        for e in entries:
            eid = by_key.get(e.key)
            if eid is None:
                eid = by_key[e.key] = len(keys)
                keys.append(e.key)
                labels.append(e.label)
                names.append([])
                norms.append([])
            for name in (e.label, *e.names):
                if not isinstance(name, str):
                    continue
                n = match_form(name)
                if n and n not in norms[eid]:
                    names[eid].append(name)
                    norms[eid].append(n)
        self._keys = keys
        self._labels = labels
        self._names = names
        self._label_norms = [match_form(lbl) for lbl in labels]

        order = sorted(range(len(keys)), key=lambda i: (labels[i].casefold(), labels[i], keys[i]))
        self._label_order = order
        rank = [0] * len(keys)
        for r, eid in enumerate(order):
            rank[eid] = r
        self._rank = rank

        # ---- exact names and prefix index
        exact: dict[str, list[tuple[int, int]]] = {}
        best_item: dict[tuple[str, int], tuple[int, int]] = {}  # (skey, eid) -> (kind, name idx)

        def add(skey: str, eid: int, ni: int, kind: int) -> None:
            if not skey:
                return
            cur = best_item.get((skey, eid))
            if cur is None or kind < cur[0]:
                best_item[(skey, eid)] = (kind, ni)

        for eid in range(len(keys)):
            for ni, (name, norm) in enumerate(zip(names[eid], norms[eid], strict=True)):
                exact.setdefault(norm, []).append((eid, ni))
                add(_search_form(norm), eid, ni, _K_FULL)
                words = _words(name)
                for i in range(1, len(words)):
                    add(_search_form("".join(words[i:])), eid, ni, _K_WORD)
                if len(words) >= 2:
                    add(_search_form("".join(w[0] for w in words)), eid, ni, _K_ACRO)
                cho = _choseong(norm)
                if cho is not None:
                    add(cho, eid, ni, _K_CHO)
        self._exact = exact

        items = sorted(
            ((skey, kind, rank[eid], eid, ni) for (skey, eid), (kind, ni) in best_item.items())
        )
        self._pk = [it[0] for it in items]
        self._plen = [len(it[0]) for it in items]
        self._pkind = [it[1] for it in items]
        self._pe = [it[3] for it in items]
        self._pn = [it[4] for it in items]

        # ---- precomputed results for prefixes matching many keys
        self._heavy: dict[str, tuple[list[tuple[float, int, int]], bool]] = {}
        self._build_heavy(0, len(items), 1)

        # ---- fuzzy pools (deduplicated search keys)
        owners: dict[str, list[tuple[int, int, int]]] = {}
        for skey, kind, _r, eid, ni in items:
            if kind <= _K_WORD:
                owners.setdefault(skey, []).append((eid, ni, kind))
        self._owners = owners
        # Keys bucketed by their first and by their second character, each
        # bucket sorted by length so a length band is two bisects.
        first: dict[str, list[str]] = {}
        second: dict[str, list[str]] = {}
        for skey in owners:
            first.setdefault(skey[0], []).append(skey)
            if len(skey) > 1:
                second.setdefault(skey[1], []).append(skey)
        self._fz_first = {c: self._by_length(v) for c, v in first.items()}
        self._fz_second = {c: self._by_length(v) for c, v in second.items()}

    @staticmethod
    def _by_length(keys: list[str]) -> tuple[list[int], list[str]]:
        keys.sort(key=lambda x: (len(x), x))
        return [len(x) for x in keys], keys

    @staticmethod
    def _band(bucket: tuple[list[int], list[str]] | None, lo: int, hi: int) -> list[str]:
        if bucket is None:
            return []
        lengths, keys = bucket
        return keys[bisect.bisect_left(lengths, lo): bisect.bisect_right(lengths, hi)]

    # ------------------------------------------------------------------ build

    def _build_heavy(self, lo: int, hi: int, depth: int) -> None:
        """For every prefix whose range [lo, hi) is larger than _HEAVY_RANGE,
        precompute its best distinct entries so a 1-2 letter query is a dict
        lookup instead of a scan over thousands of keys."""
        if hi - lo <= _HEAVY_RANGE:
            return
        pk = self._pk
        i = lo
        # keys shorter than `depth` sort first in the range; skip them
        while i < hi and len(pk[i]) < depth:
            i += 1
        while i < hi:
            p = pk[i][:depth]
            j = bisect.bisect_left(pk, p + _LAST_CHAR, i, hi)
            if j - i > _HEAVY_RANGE:
                best: dict[int, tuple[float, int]] = {}
                self._scan(depth, i, j, best)
                ranked = self._rank_best(best, limit=_HEAVY_KEEP + 1)  # one more says "there are more"
                self._heavy[p] = (ranked[:_HEAVY_KEEP], len(ranked) > _HEAVY_KEEP)
                self._build_heavy(i, j, depth + 1)
            i = j

    # ------------------------------------------------------------------ search

    def _scan(self, qlen: int, lo: int, hi: int, best: dict[int, tuple[float, int]]) -> None:
        pkind, plen, pe, pn = self._pkind, self._plen, self._pe, self._pn
        for i in range(lo, hi):
            s = _prefix_score(pkind[i], qlen, plen[i])
            e = pe[i]
            cur = best.get(e)
            if cur is None or s > cur[0]:
                best[e] = (s, pn[i])

    def _rank_best(
        self, best: dict[int, tuple[float, int]], limit: int | None = None
    ) -> list[tuple[float, int, int]]:
        rank = self._rank
        key = lambda kv: (-kv[1][0], rank[kv[0]])  # noqa: E731
        if limit is not None and len(best) > 4 * limit:
            ranked = heapq.nsmallest(limit, best.items(), key=key)
        else:
            ranked = sorted(best.items(), key=key)
        return [(s, e, ni) for e, (s, ni) in ranked]

    @staticmethod
    def _offer(best: dict[int, tuple[float, int]], eid: int, score: float, ni: int) -> None:
        cur = best.get(eid)
        if cur is None or score > cur[0]:
            best[eid] = (score, ni)

    def _fuzzy(self, q: str, k: int, limit: int, best: dict[int, tuple[float, int]]) -> None:
        """Offer entries within `k` edits (optimal string alignment: a swap of
        two neighbours is one edit) of `q`, either as a whole name / word
        suffix, or as a prefix of one (autocomplete of a mistyped partial
        title)."""
        L = len(q)
        owners = self._owners
        offer = self._offer
        lo, hi = max(1, L - k), L + k

        def offer_key(skey: str, d_prefix: int, d_full: int) -> None:
            n = len(skey)
            cov = min(1.0, L / n)
            scores = []
            for full in (True, False):
                score = (72.0 if full else 62.0) + 15.0 * cov - 50.0 * d_prefix / L
                if d_full <= k:
                    score = max(score, (90.0 if full else 78.0) - 40.0 * d_full / L)
                scores.append(score)
            # Owners are sorted by (kind, label rank) and all owners of one
            # kind get the same score here, so `limit` of each kind suffice
            # (a common word such as "star" can belong to a thousand titles).
            seen = [0, 0]
            for eid, ni, kind in owners[skey]:
                if seen[kind] < limit:
                    seen[kind] += 1
                    offer(best, eid, scores[kind], ni)
                elif kind:
                    break  # sorted by kind: nothing after the word owners

        # 1. First character right: the query may be a mistyped *prefix* of a
        #    key.  Cut candidates to L+k chars, filter with LCS (for prefix
        #    distance d, LCS(q, key[:L+k]) >= L - d), then find the best
        #    alignment end j in [L-k, L+k] for the few survivors.
        first_done = L <= _FUZZY_PREFIX_MAX
        if first_done:
            cands = self._band(self._fz_first.get(q[0]), lo, 1 << 30)
            if cands:
                sliced = [x[:hi] for x in cands]
                memo: dict[str, tuple[int, int]] = {}
                for cut, _sim, i in process.extract(
                    q, sliced, scorer=LCSseq.similarity, score_cutoff=L - k, limit=None
                ):
                    r = memo.get(cut)
                    if r is None:
                        d_prefix = d_end = k + 1
                        for j in range(lo, len(cut) + 1):
                            d_end = OSA.distance(q, cut[:j], score_cutoff=k)
                            if d_end < d_prefix:
                                d_prefix = d_end
                        r = memo[cut] = (d_prefix, d_end)
                    if r[0] <= k:
                        skey = cands[i]
                        # distance to the whole key is known when it fits in the cut
                        offer_key(skey, r[0], r[1] if len(skey) == len(cut) else k + 1)

        # 2. First character wrong (whole-key typos only).  A typo at position
        #    0 leaves key[1] == q[1] (substitution), key[:2] == q[1]+q[0]
        #    (swap) or key[0] == q[1] (a stray character typed first).  A
        #    query that merely lacks the key's first letter(s) is deliberately
        #    not matched: that would be a mid-word hit ("hair" -> "Chair").
        if L < 2:
            return
        pool = self._band(self._fz_second.get(q[1]), lo, hi)
        if q[0] != q[1]:
            pool += [x for x in self._band(self._fz_second.get(q[0]), lo, hi) if x[0] == q[1]]
            pool += self._band(self._fz_first.get(q[1]), lo, hi)
        if first_done:
            pool = [x for x in pool if x[0] != q[0]]
        else:
            pool += self._band(self._fz_first.get(q[0]), lo, hi)
        if pool:
            for skey, d, _ in process.extract(q, pool, scorer=OSA.distance, score_cutoff=k, limit=None):
                offer_key(skey, d, d)

    def _search(self, query: object, limit: int, mode: int) -> tuple[str, list[tuple[float, int, int]]]:
        if not isinstance(query, str):
            return "", []
        norm = match_form(query[:_RAW_QUERY_CAP])[:MAX_QUERY_CHARS]
        if not norm:
            return "", []
        q = _search_form(norm)
        L = len(q)
        best: dict[int, tuple[float, int]] = {}

        for eid, ni in self._exact.get(norm, ()):
            self._offer(best, eid, 100.0, ni)

        heavy = self._heavy.get(q)
        if heavy is not None and (limit <= len(heavy[0]) or not heavy[1]):
            for s, eid, ni in heavy[0]:
                self._offer(best, eid, s, ni)
        else:
            lo = bisect.bisect_left(self._pk, q)
            hi = bisect.bisect_left(self._pk, q + _LAST_CHAR, lo)
            self._scan(L, lo, hi, best)

        k = _edit_budget(len(norm), L, loose=(mode == _SUGGEST))
        if k and (mode != _COMPLETE or len(best) < limit):
            self._fuzzy(q, k, limit, best)

        return norm, self._rank_best(best, limit)[:limit]

    def _match(self, score: float, eid: int, ni: int) -> Match:
        return Match(
            key=self._keys[eid],
            label=self._labels[eid],
            score=round(max(0.0, min(100.0, score)), 2),
            matched=self._names[eid][ni],
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
        if not norm or (not ranked and _blank_punctuation(query[:_RAW_QUERY_CAP])):
            return [Match(self._keys[e], self._labels[e], 0.0, self._labels[e]) for e in self._label_order[:limit]]
        return [self._match(s, e, ni) for s, e, ni in ranked]

    def resolve(self, query: str) -> Match | None:
        """The one entry the user meant, or None if not confident.

        An exact (normalized) name always resolves -- unless several entries
        share that name, in which case the one whose *label* it is wins, and
        otherwise None.  Anything else must score >= 85 and beat the runner-up
        by >= 5 points."""
        if not isinstance(query, str):
            return None
        norm = match_form(query[:_RAW_QUERY_CAP])[:MAX_QUERY_CHARS]
        if not norm:
            return None
        hits = self._exact.get(norm)
        if hits:
            eids = {e for e, _ in hits}
            if len(eids) > 1:
                hits = [(e, ni) for e, ni in hits if self._label_norms[e] == norm]
                eids = {e for e, _ in hits}
            if len(eids) == 1:
                eid, ni = hits[0]
                return self._match(100.0, eid, ni)
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
        return [self._match(s, e, ni) for s, e, ni in ranked]

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"<Matcher entries={len(self._keys)} index_keys={len(self._pk)}>"


# --------------------------------------------------------------------------
# Artist plus title
# --------------------------------------------------------------------------

# Between two artists typed together: "IU & V", "IU, V", "IU x V", "IU feat. V", "IU and V".
_ARTIST_JOINERS = re.compile(r"\s*(?:[,&/+×]|\s(?:x|and|with|feat\.?|ft\.?|featuring)\s)\s*", re.IGNORECASE)
# Glue words between the title and a trailing artist: "Love Wins All by IU", "Love Wins All - IU".
_TRAILING_GLUE = frozenset({"by", "-", "–", "—", "|", "/", "feat", "feat.", "ft", "ft.", "featuring", "with"})
_POSSESSIVE = re.compile(r"['\u2019]s\Z", re.IGNORECASE)
# Most words tried as the artist part, before or after the title.
_ARTIST_WORDS = 4
# An artist with more songs than this is searched through the whole title index and filtered, instead of
# through an index of its own built on first use (500 songs: tens of milliseconds, once).
_OWN_INDEX_MAX = 500
_BY_ARTIST_PENALTY = 1.0  # "IU Love Wins All" ranks just below a song actually titled that


class ByArtist:
    """A title matcher that also understands the artist typed with the title (issue 9 item 7).

    ``IU - Love Wins All``, ``아이유 러브윈즈올``, ``IU love wins all``, ``Love Wins All by IU``,
    ``IU & V love wins al``: a known artist name or alias (typo-tolerant, as :meth:`Matcher.resolve` is)
    at the start or the end of the query, or glued to the title without a space, narrows the search to that
    artist's songs and the rest is matched as a title (typos, prefixes and Hangul composition as usual).
    A query that is only an artist's name completes to that artist's songs.

    Same interface as :class:`Matcher` (``complete``/``resolve``/``suggest``/``len``); scores 0..100, a song
    found through its artist scores one point below the same title typed alone.

    ``songs``: the title entries (keys ``song:<id>``); ``artists``: artist entries (keys ``artist:<id>``,
    every name and alias); ``credits``: song key -> the artist keys credited on it.
    """

    def __init__(self, songs: Iterable[Entry], artists: Iterable[Entry],
                 credits: Mapping[str, Iterable[str]]) -> None:
        song_list = list(songs)
        self.titles = Matcher(song_list)
        self.artists = Matcher(artists)
        by_key = {e.key: e for e in song_list}
        self._songs_of: dict[str, list[Entry]] = {}
        for song_key, artist_keys in credits.items():
            entry = by_key.get(song_key)
            if entry is None:
                continue
            for artist_key in dict.fromkeys(artist_keys):
                self._songs_of.setdefault(artist_key, []).append(entry)
        self._song_keys = {a: frozenset(e.key for e in es) for a, es in self._songs_of.items()}
        # exact artist names (match form) -> artist keys, for "아이유러브윈즈올" typed without a space
        self._artist_forms: dict[str, set[str]] = {}
        for eid, key in enumerate(self.artists._keys):
            for name in self.artists._names[eid]:
                self._artist_forms.setdefault(normalize(name), set()).add(key)
        self._artist_forms.pop("", None)
        self._form_lengths = sorted({len(f) for f in self._artist_forms}, reverse=True)
        self._own: dict[frozenset[str], Matcher] = {}

    # ------------------------------------------------------------ helpers

    def _artist(self, text: str) -> frozenset[str] | None:
        """The songs of the artist(s) ``text`` names, or None when it names no known artist."""
        text = _POSSESSIVE.sub("", text.strip())
        parts = [p for p in _ARTIST_JOINERS.split(text) if p.strip()] or [text]
        songs: frozenset[str] | None = None
        for part in parts[:4]:
            found = self.artists.resolve(part)
            if found is None or found.key not in self._song_keys:
                return None
            mine = self._song_keys[found.key]
            songs = mine if songs is None else songs & mine
        return songs or None

    def _splits(self, query: str) -> list[tuple[frozenset[str], str]]:
        """(songs of the artist named, the rest of the query) for every way the query starts or ends
        with a known artist."""
        if not isinstance(query, str) or not self._song_keys:
            return []
        words = query[:_RAW_QUERY_CAP].split()[: 3 * _ARTIST_WORDS]
        found: dict[tuple[frozenset[str], str], None] = {}

        def add(songs: frozenset[str] | None, title: str) -> None:
            if songs and match_form(title):
                found.setdefault((songs, title), None)

        for i in range(1, min(len(words), _ARTIST_WORDS + 1)):
            add(self._artist(" ".join(words[:i])), " ".join(words[i:]))
            rest = words[:-i]
            while rest and rest[-1].casefold() in _TRAILING_GLUE:
                rest = rest[:-1]
            add(self._artist(" ".join(words[-i:])), " ".join(rest))
        # no space between artist and title: "아이유러브윈즈올", "IU-LoveWinsAll"
        norm = normalize(query[:_RAW_QUERY_CAP])
        for length in self._form_lengths:
            if length < len(norm):
                for artist_key in self._artist_forms.get(norm[:length], ()):
                    add(self._song_keys.get(artist_key), norm[length:])
        return list(found)

    def _within(self, songs: frozenset[str]) -> Matcher | None:
        """A matcher over just these songs (one artist's, or the songs two artists share), built on first
        use; None when there are too many to index separately."""
        if len(songs) > _OWN_INDEX_MAX:
            return None
        own = self._own.get(songs)
        if own is None:
            entries = {e.key: e for es in self._songs_of.values() for e in es if e.key in songs}
            own = Matcher(entries.values())
            if len(self._own) > 256:
                self._own.clear()
            self._own[songs] = own
        return own

    def _narrowed(self, songs: frozenset[str], title: str, limit: int, how: str) -> list[Match]:
        own = self._within(songs)
        if own is not None:
            found = own.complete(title, limit) if how == "complete" else own.suggest(title, limit)
        else:
            wide = self.titles.complete if how == "complete" else self.titles.suggest
            found = [m for m in wide(title, max(limit * 8, 200)) if m.key in songs][:limit]
        return [dataclasses.replace(m, score=max(0.0, m.score - _BY_ARTIST_PENALTY)) for m in found]

    @staticmethod
    def _merge(groups: Iterable[Iterable[Match]], limit: int) -> list[Match]:
        best: dict[str, Match] = {}
        for group in groups:
            for m in group:
                cur = best.get(m.key)
                if cur is None or m.score > cur.score:
                    best[m.key] = m
        return sorted(best.values(), key=lambda m: (-m.score, m.label.casefold(), m.label, m.key))[:limit]

    # ------------------------------------------------------------ API

    def complete(self, query: str, limit: int = 25) -> list[Match]:
        """Autocomplete: title matches and artist-plus-title matches, best first, at most ``limit``."""
        try:
            limit = int(limit)
        except (TypeError, ValueError):
            limit = 25
        if limit <= 0:
            return []
        base = self.titles.complete(query, limit)
        if not isinstance(query, str) or not match_form(query[:_RAW_QUERY_CAP]):
            return base
        groups: list[list[Match]] = [base]
        groups += [self._narrowed(songs, title, limit, "complete") for songs, title in self._splits(query)]
        merged = self._merge(groups, limit)
        if len(merged) < limit:
            # only an artist's name typed so far: their songs, after anything that matched as a title
            songs = self._artist(query)
            own = self._within(songs) if songs else None
            if own is not None:
                seen = {m.key for m in merged}
                merged += [m for m in own.complete("", limit) if m.key not in seen][: limit - len(merged)]
        return merged

    def resolve(self, query: str) -> Match | None:
        """The one song meant: as :meth:`Matcher.resolve` for the whole query; failing that, the one song
        that a known artist plus a confidently matched title (among that artist's songs) point to."""
        found = self.titles.resolve(query)
        if found is not None:
            return found
        hits: dict[str, Match] = {}
        for songs, title in self._splits(query):
            own = self._within(songs)
            m = own.resolve(title) if own is not None else self.titles.resolve(title)
            if m is not None and m.key in songs:
                m = dataclasses.replace(m, score=max(0.0, m.score - _BY_ARTIST_PENALTY))
                if m.key not in hits or m.score > hits[m.key].score:
                    hits[m.key] = m
        return next(iter(hits.values())) if len(hits) == 1 else None

    def suggest(self, query: str, limit: int = 3) -> list[Match]:
        """'Did you mean': :meth:`Matcher.suggest`, plus looser artist-plus-title candidates."""
        try:
            limit = int(limit)
        except (TypeError, ValueError):
            limit = 3
        if limit <= 0:
            return []
        groups = [self.titles.suggest(query, limit)]
        groups += [self._narrowed(songs, title, limit, "suggest") for songs, title in self._splits(query)]
        return self._merge(groups, limit)

    def __len__(self) -> int:
        return len(self.titles)

    def __repr__(self) -> str:
        return f"<ByArtist titles={len(self.titles)} artists={len(self.artists)}>"
