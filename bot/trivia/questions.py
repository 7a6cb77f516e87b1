"""Trivia questions: the packs' curated ones, and ones generated from structured content.

No Discord, no SQL: :func:`build_pool` takes content records and returns :class:`TriviaQuestion` s.

Generated questions (issue 10, "Questions"): a song's release date, who sings it, who appears in its
video, which city opens or closes a tour, which region a tour covers. Their wrong options are real values
of the same kind from the packs (other dates, other artists, other cities, other regions); when there are
fewer than three, the question is not made: content is never invented. True/false statements are built
from structured content only; a false one swaps in a value that cannot be true (another date for a
song's one release date, another city for a tour's one first show).

Every question knows the fact it rests on: a curated question its pack fact, a generated one the record
it was built from (its source article and verbatim quote).
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence

from bot.content.model import Artist, Fact, Question, Show, Song, Tour

WRONG_OPTIONS = 3


@dataclasses.dataclass(frozen=True)
class Text:
    """A string in English, and in Korean when the pack gives one."""

    en: str
    ko: str | None = None

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" and self.ko else self.en


@dataclasses.dataclass(frozen=True)
class TriviaQuestion:
    """One question. ``truth`` is None for a question with options, True/False for a statement.

    ``id`` is stable across restarts and ingests ("q:<pack id>", "gen:release:<song id>", ...);
    ``fact_id`` is the pack fact it rests on (None for a generated one); ``source``/``quote`` the seed
    article file and its verbatim words; ``about`` the subject keys ("song:love-wins-all", ...).
    """

    id: str
    prompt: Text
    answer: Text
    wrong: tuple[Text, ...]
    aliases: tuple[str, ...]
    fact: Text
    source: str | None
    quote: str | None
    fact_id: str | None = None
    about: frozenset[str] = frozenset()
    truth: bool | None = None

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every form a typed answer may take (the answer checker's input)."""
        return tuple(dict.fromkeys(a for a in (self.answer.en, self.answer.ko, *self.aliases) if a))

    @property
    def typable(self) -> bool:
        return self.truth is None

    @property
    def choosable(self) -> bool:
        return self.truth is None and len(self.wrong) >= WRONG_OPTIONS


def _particle(word: str, with_final: str, without: str) -> str:
    """A Korean particle after ``word``: 은/는, 을/를, 이/가 by whether its last syllable has a final consonant."""
    core = word.rstrip("'\"’”) ")
    last = core[-1:]
    if "가" <= last <= "힣":
        return word + (with_final if (ord(last) - 0xAC00) % 28 else without)
    return f"{word}{with_final}({without})"


def date_text(day: dt.date) -> Text:
    return Text(f"{calendar.month_name[day.month]} {day.day}, {day.year}", f"{day.year}년 {day.month}월 {day.day}일")


def _date_aliases(day: dt.date) -> tuple[str, ...]:
    month = calendar.month_name[day.month]
    return (
        day.isoformat(),
        f"{month} {day.day}",
        f"{day.day} {month}",
        f"{day.month}/{day.day}",
        f"{day.month}월 {day.day}일",
    )


def _choice(base: TriviaQuestion, key: str, wrong: tuple[Text, ...], prompt: Text) -> list[TriviaQuestion]:
    """The multiple-choice form of ``base``, or nothing when the packs give too few real wrong options."""
    if len(wrong) < WRONG_OPTIONS:
        return []
    return [dataclasses.replace(base, id=key, wrong=wrong, prompt=prompt)]


def _statement(base: TriviaQuestion, key: str, truth: bool, prompt: Text) -> TriviaQuestion:
    """A true/false statement made from ``base`` (``prompt`` is the statement; ``truth`` whether it holds)."""
    return dataclasses.replace(base, id=key, wrong=(), truth=truth, prompt=prompt)


def _wrong_options(q: Question) -> tuple[Text, ...]:
    """A curated question's wrong options, each with its Korean form when the pack's ``wrong_ko`` gives
    one per option (the loader insists on that; anything else is English only)."""
    if len(q.wrong_ko) != len(q.wrong):
        return tuple(Text(w) for w in q.wrong)
    return tuple(Text(w, ko) for w, ko in zip(q.wrong, q.wrong_ko, strict=True))


def curated(questions: Sequence[Question], facts: dict[str, Fact]) -> list[TriviaQuestion]:
    """The packs' own questions, each with its fact (a question whose fact is missing is skipped)."""
    out = []
    for q in questions:
        fact = facts.get(q.fact)
        if fact is None:
            continue
        out.append(
            TriviaQuestion(
                id=f"q:{q.id}",
                prompt=Text(q.question, q.question_ko),
                answer=Text(q.answer, q.answer_ko),
                wrong=_wrong_options(q),
                aliases=q.aliases,
                fact=Text(fact.text, fact.text_ko),
                source=fact.source,
                quote=fact.quote,
                fact_id=fact.id,
                about=frozenset(fact.about),
            )
        )
    return out


@dataclasses.dataclass(frozen=True)
class _Values:
    """The values of one kind (dates, artists, cities, regions) in sorted key order, for wrong options."""

    keys: tuple[str, ...]
    texts: tuple[Text, ...]

    @classmethod
    def of(cls, values: dict[str, Text]) -> _Values:
        ordered = sorted(values.items())
        return cls(tuple(k for k, _ in ordered), tuple(t for _, t in ordered))

    def near(self, answer_key: str, exclude: frozenset[str] = frozenset()) -> tuple[Text, ...]:
        """Up to three values other than the answer (and ``exclude``), the nearest to it in sorted order
        (the closest dates are the most plausible wrong ones), returned in sorted order. O(log n)."""
        at = bisect.bisect_left(self.keys, answer_key)
        picked: list[int] = []
        before, after = at - 1, at
        while len(picked) < WRONG_OPTIONS and (before >= 0 or after < len(self.keys)):
            for index in (after, before):
                if 0 <= index < len(self.keys) and len(picked) < WRONG_OPTIONS:
                    key = self.keys[index]
                    if key != answer_key and key not in exclude:
                        picked.append(index)
            before, after = before - 1, after + 1
        return tuple(self.texts[i] for i in sorted(picked))


@dataclasses.dataclass
class _Content:
    artists: dict[str, Artist]
    songs: Sequence[Song]
    tours: Sequence[Tour]
    shows: Sequence[Show]
    facts: Sequence[Fact]

    @functools.cached_property
    def dates(self) -> _Values:
        days = [s.released for s in self.songs if s.released] + [s.date for s in self.shows]
        return _Values.of({d.isoformat(): date_text(d) for d in days})

    @functools.cached_property
    def artist_names(self) -> _Values:
        return _Values.of({a.id: Text(a.name, a.name_ko) for a in self.artists.values()})

    @functools.cached_property
    def cities(self) -> _Values:
        return _Values.of({s.city.casefold(): Text(s.city, s.city_ko) for s in self.shows})

    @functools.cached_property
    def regions(self) -> _Values:
        out: dict[str, Text] = {}
        for tour in self.tours:
            for i, region in enumerate(tour.regions):
                out.setdefault(
                    region.casefold(), Text(region, tour.regions_ko[i] if i < len(tour.regions_ko) else None)
                )
        return _Values.of(out)


def _song_questions(c: _Content, song: Song) -> list[TriviaQuestion]:
    """Release-date and credit questions (and true statements) about one song."""
    title = Text(song.title, song.title_ko or song.title)
    ko_title = f"'{title.get('ko')}'"
    about = frozenset({f"song:{song.id}"})
    return _release_questions(c, song, ko_title, about) + _credit_questions(c, song, ko_title, about)


def _release_questions(c: _Content, song: Song, ko_title: str, about: frozenset[str]) -> list[TriviaQuestion]:
    out: list[TriviaQuestion] = []
    if song.released:
        answer = date_text(song.released)
        fact = Text(
            f"'{song.title}' was released on {answer.en}.",
            _particle(ko_title, "은", "는") + f" {answer.ko}에 공개되었습니다.",
        )
        wrong = c.dates.near(song.released.isoformat())
        base = TriviaQuestion(
            id="",
            prompt=fact,
            wrong=(),
            answer=answer,
            aliases=_date_aliases(song.released),
            fact=fact,
            source=song.source,
            quote=song.quote,
            about=about,
        )
        out.extend(
            _choice(
                base,
                f"gen:release:{song.id}",
                wrong,
                Text(
                    f"On what date was '{song.title}' released?",
                    _particle(ko_title, "은", "는") + " 언제 공개되었나요?",
                ),
            )
        )
        for i, other in enumerate(wrong[:1]):
            out.append(
                _statement(
                    base,
                    f"tf:release:{song.id}:{i}",
                    False,
                    Text(
                        f"'{song.title}' was released on {other.en}.",
                        _particle(ko_title, "은", "는") + f" {other.ko}에 공개되었습니다.",
                    ),
                )
            )
        out.append(_statement(base, f"tf:release:{song.id}", True, fact))
    return out


def _credit_questions(c: _Content, song: Song, ko_title: str, about: frozenset[str]) -> list[TriviaQuestion]:
    out: list[TriviaQuestion] = []
    for role, en, ko in (
        ("vocals", "Who sings '{t}'?", "{t} 부른 가수는 누구인가요?"),
        ("music-video", "Who appears in the music video for '{t}'?", "{t} 뮤직비디오에 출연한 사람은 누구인가요?"),
    ):
        credited = [cr.artist for cr in song.credits if cr.role == role and cr.artist in c.artists]
        if len(credited) != 1:
            continue  # several right answers would make the other options ambiguous
        artist = c.artists[credited[0]]
        wrong = c.artist_names.near(artist.id, frozenset(x.artist for x in song.credits))
        verb_en = "sings" if role == "vocals" else "appears in the music video for"
        who = _particle(artist.name_ko or artist.name, "이", "가")
        fact = Text(
            f"{artist.name} {verb_en} '{song.title}'.",
            f"{who} {_particle(ko_title, '을', '를')} 불렀습니다."
            if role == "vocals"
            else f"{who} {ko_title} 뮤직비디오에 출연했습니다.",
        )
        base = TriviaQuestion(
            id="",
            prompt=fact,
            wrong=(),
            answer=Text(artist.name, artist.name_ko),
            aliases=artist.aliases,
            fact=fact,
            source=song.source,
            quote=song.quote,
            about=about | {f"artist:{artist.id}"},
        )
        out.extend(
            _choice(
                base,
                f"gen:{role}:{song.id}",
                wrong,
                Text(
                    en.format(t=song.title),
                    ko.format(t=_particle(ko_title, "을", "를") if role == "vocals" else ko_title),
                ),
            )
        )
        out.append(_statement(base, f"tf:{role}:{song.id}", True, fact))
    return out


def _tour_questions(c: _Content, tour: Tour) -> list[TriviaQuestion]:
    """Which city opens and closes a tour, which regions it visits (and true or false statements)."""
    name = Text(tour.name, tour.name_ko)
    about = frozenset({f"tour:{tour.id}", f"artist:{tour.artist}"})
    topic = _particle(name.get("ko"), "은", "는")
    return _milestone_questions(c, tour, name, about, topic) + _region_questions(c, tour, name, about, topic)


def _milestone_questions(
    c: _Content, tour: Tour, name: Text, about: frozenset[str], topic: str
) -> list[TriviaQuestion]:
    out: list[TriviaQuestion] = []
    cities = c.cities
    for milestone, en, ko, fact_en, fact_ko in (
        (
            "first",
            "In which city does {n} begin?",
            "{t} 어느 도시에서 시작하나요?",
            "{n} begins in {c}.",
            "{t} {c}에서 시작합니다.",
        ),
        (
            "finale",
            "In which city is the finale of {n}?",
            "{n}의 피날레는 어느 도시에서 열리나요?",
            "The finale of {n} is in {c}.",
            "{n}의 피날레는 {c}에서 열립니다.",
        ),
    ):
        shows = [s for s in c.shows if s.tour == tour.id and s.milestone == milestone]
        if len(shows) != 1:
            continue
        show = shows[0]
        city = Text(show.city, show.city_ko)
        fact = Text(fact_en.format(n=name.en, c=city.en), fact_ko.format(n=name.get("ko"), t=topic, c=city.get("ko")))
        base = TriviaQuestion(
            id="",
            prompt=fact,
            wrong=(),
            answer=city,
            aliases=show.aliases,
            fact=fact,
            source=show.source,
            quote=show.quote,
            about=about,
        )
        wrong = cities.near(show.city.casefold())
        out.extend(
            _choice(
                base,
                f"gen:{milestone}:{tour.id}",
                wrong,
                Text(en.format(n=name.en), ko.format(n=name.get("ko"), t=topic)),
            )
        )
        out.append(_statement(base, f"tf:{milestone}:{tour.id}", True, fact))
        for i, other in enumerate(wrong[:1]):
            false = Text(
                fact_en.format(n=name.en, c=other.en), fact_ko.format(n=name.get("ko"), t=topic, c=other.get("ko"))
            )
            out.append(_statement(base, f"tf:{milestone}:{tour.id}:{i}", False, false))
    return out


def _region_questions(c: _Content, tour: Tour, name: Text, about: frozenset[str], topic: str) -> list[TriviaQuestion]:
    out: list[TriviaQuestion] = []
    covered = frozenset(r.casefold() for r in tour.regions)
    wrong = c.regions.near("", covered)  # the regions the tour does not visit, in order
    for i, region in enumerate(tour.regions):
        answer = Text(region, tour.regions_ko[i] if i < len(tour.regions_ko) else None)
        fact = Text(f"{tour.name} visits {answer.en}.", f"{topic} {_particle(answer.get('ko'), '을', '를')} 찾습니다.")
        base = TriviaQuestion(
            id="",
            prompt=fact,
            wrong=(),
            answer=answer,
            aliases=(),
            fact=fact,
            source=tour.source,
            quote=tour.quote,
            about=about,
        )
        out.extend(
            _choice(
                base,
                f"gen:region:{tour.id}:{region.casefold()}",
                wrong,
                Text(
                    f"Which of these regions does {tour.name} visit?",
                    f"{name.get('ko')}에서 찾는 지역은 어디인가요?",
                ),
            )
        )
        out.append(_statement(base, f"tf:region:{tour.id}:{region.casefold()}", True, fact))
    return out


def build_pool(
    questions: Sequence[Question],
    facts: Sequence[Fact],
    artists: Sequence[Artist],
    songs: Sequence[Song],
    tours: Sequence[Tour],
    shows: Sequence[Show],
) -> list[TriviaQuestion]:
    """Every question the packs support: curated first, then generated ones and statements, in a stable order.

    ``facts``: at least the facts the curated questions rest on. Wrong dates come from songs' release
    dates and shows' dates; wrong artists, cities and regions from the packs' artists, shows and tours.
    """
    content = _Content({a.id: a for a in artists}, songs, tours, shows, facts)
    pool = curated(questions, {f.id: f for f in facts})
    for song in songs:
        pool.extend(_song_questions(content, song))
    for tour in tours:
        pool.extend(_tour_questions(content, tour))
    return pool
