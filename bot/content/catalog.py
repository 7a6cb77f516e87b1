"""Name indexes for autocomplete and lookup: songs, tours, cities and fact subjects.

Fuzzy, Hangul-aware matching can't be one SQL query, so the names (only the names; records stay in
SQLite) are indexed in memory when the bot starts: for 10,000 songs about 30 MiB and a second or so,
and autocomplete then answers in well under a millisecond (tests/benchmarks/bench_autocomplete.py).
Each name is indexed once: fact subjects combine the song index with a small artist-and-tour one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from bot.content.matcher import remembered
from bot.content.matching import ByArtist, Entry, Match, Matcher, NameMatcher
from bot.content.model import Article, Artist, Show, Song, Tour

if TYPE_CHECKING:
    from bot.db.store import Store


def _names(*parts: str | Iterable[str] | None) -> tuple[str, ...]:
    names: list[str] = []
    for part in parts:
        if part is None:
            continue
        for name in [part] if isinstance(part, str) else part:
            if name and name not in names:
                names.append(name)
    return tuple(names)


@dataclasses.dataclass(frozen=True)
class Label:
    en: str
    ko: str | None = None

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" and self.ko else self.en


class Combined:
    """Several matchers asked as one (best scores first); used for "an artist, song or tour"."""

    def __init__(self, *matchers: NameMatcher) -> None:
        self.matchers = matchers

    def _merge(self, found: Iterable[Match], limit: int) -> list[Match]:
        return sorted(found, key=lambda match: (-match.score, match.label.casefold()))[:limit]

    def complete(self, query: str, limit: int = 25) -> list[Match]:
        return self._merge((match for matcher in self.matchers for match in matcher.complete(query, limit)), limit)

    def suggest(self, query: str, limit: int = 3) -> list[Match]:
        return self._merge((match for matcher in self.matchers for match in matcher.suggest(query, limit)), limit)

    @remembered
    def resolve(self, query: str) -> Match | None:
        found = [match for matcher in self.matchers if (match := matcher.resolve(query)) is not None]
        return found[0] if len(found) == 1 else None

    def __len__(self) -> int:
        return sum(len(matcher) for matcher in self.matchers)


@dataclasses.dataclass
class Catalog:
    songs: Combined  # titles, and titles typed with their artist ("IU - Love Wins All"): a ByArtist
    tours: Matcher
    cities: dict[str, Matcher]  # tour id -> its cities (keys are "show:<id>")
    all_cities: Matcher
    subjects: Combined  # "artist:iu", "song:...", "tour:..."
    show_tour: dict[str, str]  # "show:<id>" -> its tour id
    articles: dict[str, Article]  # seed file -> how to cite it
    labels: dict[str, Label]  # every key ("song:<id>", "tour:<id>", "show:<id>", "artist:<id>") -> its name

    @classmethod
    def empty(cls) -> Catalog:
        return cls.build([], [], [], [])

    @classmethod
    def build(
        cls,
        artists: Sequence[Artist],
        songs: Sequence[Song],
        tours: Sequence[Tour],
        shows: Sequence[Show],
        articles: Sequence[Article] = (),
    ) -> Catalog:
        labels: dict[str, Label] = {}
        song_entries, tour_entries, subject_entries, artist_entries = [], [], [], []
        credits: dict[str, list[str]] = {}
        for a in artists:
            labels[f"artist:{a.id}"] = Label(a.name, a.name_ko)
            artist_entries.append(Entry(f"artist:{a.id}", a.name, _names(a.name, a.name_ko, a.aliases)))
        subject_entries.extend(artist_entries)
        for s in songs:
            labels[f"song:{s.id}"] = Label(s.title, s.title_ko)
            song_entries.append(Entry(f"song:{s.id}", s.title, _names(s.title, s.title_ko, s.aliases)))
            credits[f"song:{s.id}"] = [f"artist:{c.artist}" for c in s.credits]
        for tr in tours:
            labels[f"tour:{tr.id}"] = Label(tr.name, tr.name_ko)
            names = _names(tr.name, tr.name_ko, tr.aliases)
            tour_entries.append(Entry(f"tour:{tr.id}", tr.name, names))
            subject_entries.append(Entry(f"tour:{tr.id}", tr.name, names))
        per_tour: dict[str, list[Entry]] = {}
        every_city: dict[str, Entry] = {}
        for sh in shows:
            labels[f"show:{sh.id}"] = Label(sh.city, sh.city_ko)
            entry = Entry(f"show:{sh.id}", sh.city, _names(sh.city, sh.city_ko, sh.aliases))
            per_tour.setdefault(sh.tour, []).append(entry)
            every_city.setdefault(sh.city.casefold(), entry)
        songs_matcher = ByArtist(song_entries, artist_entries, credits)
        return cls(
            songs=Combined(songs_matcher),
            tours=Matcher(tour_entries),
            cities={tour: Matcher(entries) for tour, entries in per_tour.items()},
            all_cities=Matcher(every_city.values()),
            subjects=Combined(Matcher(subject_entries), songs_matcher),
            show_tour={f"show:{sh.id}": sh.tour for sh in shows},
            articles={a.id: a for a in articles},
            labels=labels,
        )

    @classmethod
    async def load(cls, store: Store) -> Catalog:
        return cls.build(*await cls.records(store))

    @staticmethod
    async def records(store: Store) -> tuple[list[Artist], list[Song], list[Tour], list[Show], list[Article]]:
        """What :meth:`build` needs, read from the store (so a rebuild can run in a worker thread)."""
        return (
            await store.artists.all(),
            await store.songs.all(),
            await store.tours.all(),
            await store.tours.all_shows(),
            await store.articles.all(),
        )

    def cite(self, source: str | None, lang: str = "en", short: bool = False) -> str:
        """How a fan sees a fact's source: the article's publisher and title (just the publisher when
        ``short``, for lists), or the file name when the pack doesn't describe the article."""
        article = self.articles.get(source or "")
        if article is None:
            return f"seeds/{source}"
        return article.publisher if short else article.citation(lang)

    def dateline(self, source: str | None) -> str | None:
        """The dateline of a fact's source article, verbatim from the seed ("Last Updated: 07.01 PM, Jan 28,
        2024"), or None when the pack gives none (issue 9 item 11: a claim's year may rest on it)."""
        article = self.articles.get(source or "")
        return article.dateline if article is not None else None

    def knows(self, key: str, kind: str | None = None) -> bool:
        return key in self.labels and (kind is None or key.startswith(kind + ":"))

    def label(self, key: str, lang: str = "en") -> str:
        found = self.labels.get(key)
        return found.get(lang) if found else key

    def city_matcher(self, tour_id: str | None) -> Matcher:
        if tour_id is None:
            return self.all_cities
        return self.cities.get(tour_id) or Matcher([])


__all__ = ["Catalog", "Label", "Match"]
