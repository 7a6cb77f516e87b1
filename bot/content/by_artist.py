"""Artist plus title: :class:`ByArtist`, a song matcher that understands ``IU - Love Wins All`` (issue 9 item 7).

Pure Python; built from :class:`bot.content.matcher.Matcher` instances, no Discord, no SQL.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from bot.content.forms import match_form, normalize
from bot.content.matcher import RAW_QUERY_CAP, Entry, Match, Matcher, remembered

__all__ = ["ByArtist"]

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

    def __init__(self, songs: Iterable[Entry], artists: Iterable[Entry], credits: Mapping[str, Iterable[str]]) -> None:
        song_list = list(songs)
        self.titles = Matcher(song_list)
        self.artists = Matcher(artists)
        by_key = {entry.key: entry for entry in song_list}
        self._songs_of: dict[str, list[Entry]] = {}
        for song_key, artist_keys in credits.items():
            entry = by_key.get(song_key)
            if entry is None:
                continue
            for artist_key in dict.fromkeys(artist_keys):
                self._songs_of.setdefault(artist_key, []).append(entry)
        self._song_keys = {
            artist_key: frozenset(entry.key for entry in entries) for artist_key, entries in self._songs_of.items()
        }
        # exact artist names (match form) -> artist keys, for "아이유러브윈즈올" typed without a space
        self._artist_forms: dict[str, set[str]] = {}
        for key, names in self.artists.names_of():
            for name in names:
                self._artist_forms.setdefault(normalize(name), set()).add(key)
        self._artist_forms.pop("", None)
        self._form_lengths = sorted({len(form) for form in self._artist_forms}, reverse=True)
        self._own: dict[frozenset[str], Matcher] = {}

    # ------------------------------------------------------------ helpers

    def _artist(self, text: str) -> frozenset[str] | None:
        """The songs of the artist(s) ``text`` names, or None when it names no known artist."""
        text = _POSSESSIVE.sub("", text.strip())
        parts = [part for part in _ARTIST_JOINERS.split(text) if part.strip()] or [text]
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
        words = query[:RAW_QUERY_CAP].split()[: 3 * _ARTIST_WORDS]
        found: dict[tuple[frozenset[str], str], None] = {}

        def add(songs: frozenset[str] | None, title: str) -> None:
            if songs and match_form(title):
                found.setdefault((songs, title), None)

        for count in range(1, min(len(words), _ARTIST_WORDS + 1)):
            add(self._artist(" ".join(words[:count])), " ".join(words[count:]))
            rest = words[:-count]
            while rest and rest[-1].casefold() in _TRAILING_GLUE:
                rest = rest[:-1]
            add(self._artist(" ".join(words[-count:])), " ".join(rest))
        # no space between artist and title: "아이유러브윈즈올", "IU-LoveWinsAll"
        norm = normalize(query[:RAW_QUERY_CAP])
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
            entries = {
                entry.key: entry for songs_of in self._songs_of.values() for entry in songs_of if entry.key in songs
            }
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
            found = [match for match in wide(title, max(limit * 8, 200)) if match.key in songs][:limit]
        return [dataclasses.replace(match, score=max(0.0, match.score - _BY_ARTIST_PENALTY)) for match in found]

    @staticmethod
    def _merge(groups: Iterable[Iterable[Match]], limit: int) -> list[Match]:
        best: dict[str, Match] = {}
        for group in groups:
            for match in group:
                current = best.get(match.key)
                if current is None or match.score > current.score:
                    best[match.key] = match
        return sorted(best.values(), key=lambda match: (-match.score, match.label.casefold(), match.label, match.key))[
            :limit
        ]

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
        if not isinstance(query, str) or not match_form(query[:RAW_QUERY_CAP]):
            return base
        groups: list[list[Match]] = [base]
        groups += [self._narrowed(songs, title, limit, "complete") for songs, title in self._splits(query)]
        merged = self._merge(groups, limit)
        if len(merged) < limit:
            # only an artist's name typed so far: their songs, after anything that matched as a title
            songs = self._artist(query)
            own = self._within(songs) if songs else None
            if own is not None:
                seen = {match.key for match in merged}
                merged += [match for match in own.complete("", limit) if match.key not in seen][: limit - len(merged)]
        return merged

    @remembered
    def resolve(self, query: str) -> Match | None:
        """The one song meant: as :meth:`Matcher.resolve` for the whole query; failing that, the one song
        that a known artist plus a confidently matched title (among that artist's songs) point to."""
        found = self.titles.resolve(query)
        if found is not None:
            return found
        hits: dict[str, Match] = {}
        for songs, title in self._splits(query):
            own = self._within(songs)
            match = own.resolve(title) if own is not None else self.titles.resolve(title)
            if match is not None and match.key in songs:
                match = dataclasses.replace(match, score=max(0.0, match.score - _BY_ARTIST_PENALTY))
                if match.key not in hits or match.score > hits[match.key].score:
                    hits[match.key] = match
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
