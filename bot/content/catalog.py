"""Name indexes for autocomplete and lookup: songs, tours, cities and fact subjects.

Fuzzy, Hangul-aware matching can't be one SQL query, so the names (only the names; records stay in
SQLite) are indexed in memory when the bot starts. For 10,000 songs that is a few MB and keeps
autocomplete in the low milliseconds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from bot.content.matching import Entry, Match, Matcher
from bot.content.model import Artist, Show, Song, Tour

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


@dataclasses.dataclass
class Catalog:
    songs: Matcher
    tours: Matcher
    cities: dict[str, Matcher]      # tour id -> its cities (keys are "show:<id>")
    all_cities: Matcher
    subjects: Matcher               # "artist:iu", "song:...", "tour:..."
    show_tour: dict[str, str]       # "show:<id>" -> its tour id
    labels: dict[str, Label]        # every key ("song:<id>", "tour:<id>", "show:<id>", "artist:<id>") -> its name

    @classmethod
    def empty(cls) -> Catalog:
        return cls.build([], [], [], [])

    @classmethod
    def build(cls, artists: Sequence[Artist], songs: Sequence[Song], tours: Sequence[Tour],
              shows: Sequence[Show]) -> Catalog:
        labels: dict[str, Label] = {}
        song_entries, tour_entries, subject_entries = [], [], []
        for a in artists:
            labels[f"artist:{a.id}"] = Label(a.name, a.name_ko)
            subject_entries.append(Entry(f"artist:{a.id}", a.name, _names(a.name, a.name_ko, a.aliases)))
        for s in songs:
            labels[f"song:{s.id}"] = Label(s.title, s.title_ko)
            names = _names(s.title, s.title_ko, s.aliases)
            song_entries.append(Entry(f"song:{s.id}", s.title, names))
            subject_entries.append(Entry(f"song:{s.id}", s.title, names))
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
        return cls(
            songs=Matcher(song_entries),
            tours=Matcher(tour_entries),
            cities={tour: Matcher(entries) for tour, entries in per_tour.items()},
            all_cities=Matcher(every_city.values()),
            subjects=Matcher(subject_entries),
            show_tour={f"show:{sh.id}": sh.tour for sh in shows},
            labels=labels,
        )

    @classmethod
    async def load(cls, store: Store) -> Catalog:
        return cls.build(await store.artists.all(), await store.songs.all(), await store.tours.all(),
                         await store.tours.all_shows())

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
