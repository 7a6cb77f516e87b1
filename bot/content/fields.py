"""The fields each pack table may have, and the check of each field's value.

:data:`SPECS` maps every table to its keys, each with a kind and whether it is required; :data:`FIELD_CHECKS`
maps a kind to the function that checks a value of it. Each check takes ``(checker, raw, key, value)`` and
returns the cleaned value, or None after recording a problem on ``checker`` (file, line and entry).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.content.local_times import OFFSET_RE
from bot.content.model import CREDIT_ROLES, FACT_KINDS, MILESTONES, REF_KINDS, Credit
from bot.content.text_rules import has_control, invisible_problem, markup_problem

if TYPE_CHECKING:
    from bot.content.toml_entries import Raw
    from bot.content.validation import Checker

# \Z, not $: "$" also matches before a trailing newline, and "iu\n" is not an id.
ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\Z")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\Z")
TIME_RE = re.compile(r"^(\d{2}):(\d{2})\Z")
MIN_QUOTE_WORDS = 3  # a quote of one or two words would "support" almost any claim

# Each table maps key -> (kind, required). Kinds are checked by FIELD_CHECKS.
_TEXT = "text"
SPECS: dict[str, dict[str, tuple[str, bool]]] = {
    "pack": {
        "id": ("id", True),
        "name": ("name", True),
        "name_ko": ("name", False),
        "description": (_TEXT, False),
        "description_ko": (_TEXT, False),
    },
    "artist": {
        "id": ("id", True),
        "name": ("name", True),
        "name_ko": ("name", False),
        "aliases": ("names", False),
        "group": ("name", False),
        "source": ("source", False),
        "quote": ("quote", False),
    },
    "song": {
        "id": ("id", True),
        "title": ("name", True),
        "title_ko": ("name", False),
        "aliases": ("names", False),
        "released": ("date", False),
        "zone": ("zone", False),
        "credits": ("credits", True),
        "source": ("source", True),
        "quote": ("quote", True),
    },
    "tour": {
        "id": ("id", True),
        "name": ("name", True),
        "name_ko": ("name", False),
        "artist": ("artist_id", True),
        "aliases": ("names", False),
        "regions": ("names", False),
        "regions_ko": ("names", False),
        "source": ("source", True),
        "quote": ("quote", True),
    },
    "show": {
        "id": ("id", True),
        "tour": ("tour_id", True),
        "date": ("date", True),
        "time": ("time", False),
        "zone": ("zone", True),
        "city": ("name", True),
        "city_ko": ("name", False),
        "country": ("name", False),
        "country_ko": ("name", False),
        "venue": ("name", False),
        "venue_ko": ("name", False),
        "milestone": ("milestone", False),
        "aliases": ("names", False),
        "offset": ("offset", False),
        "source": ("source", True),
        "quote": ("quote", True),
    },
    "fact": {
        "id": ("id", True),
        "kind": ("kind", True),
        "about": ("refs", True),
        "text": ("fact_text", True),
        "text_ko": ("fact_text", False),
        "date": ("date", False),
        "zone": ("zone", False),
        "source": ("source", True),
        "quote": ("quote", True),
    },
    "article": {
        "file": ("source", True),
        "title": ("name_quoted", True),
        "title_ko": ("name", False),
        "publisher": ("name", True),
        "author": ("name", False),
        "published": ("date", False),
        "dateline": ("name_quoted", False),
    },
    "question": {
        "id": ("id", True),
        "question": ("question", True),
        "question_ko": ("question", False),
        "answer": ("answer", True),
        "answer_ko": ("answer", False),
        "aliases": ("answers", False),
        "wrong": ("wrong", True),
        "wrong_ko": ("wrong_ko", False),
        "fact": ("fact_id", True),
    },
}
TABLES = tuple(SPECS)
# The name fields of entries fans look up by name: (main name, Korean name); aliases come from "aliases".
NAME_FIELDS = {
    "artist": ("name", "name_ko"),
    "song": ("title", "title_ko"),
    "tour": ("name", "name_ko"),
    "show": ("city", "city_ko"),
}
ARRAY_TABLES = tuple(t for t in TABLES if t != "pack")

LIMITS = {"name": 100, "name_quoted": 200, "text": 1000, "fact_text": 600, "question": 300, "answer": 80}


def _string(checker: Checker, raw: Raw, key: str, value: Any, limit: int, multiline: bool = False) -> str | None:
    if not isinstance(value, str):
        checker.problem(raw, f"{key!r} must be text, not {type(value).__name__}", key)
        return None
    text = value.strip()
    if not text:
        checker.problem(raw, f"{key!r} is empty", key)
        return None
    if len(text) > limit:
        checker.problem(raw, f"{key!r} is {len(text)} characters; the limit is {limit}", key)
        return None
    if has_control(text, allow_newline=multiline):
        checker.problem(raw, f"{key!r} contains control characters", key)
        return None
    why = invisible_problem(text) or markup_problem(text)
    if why:
        checker.problem(raw, f"{key!r} {why}", key)
        return None
    return text


def _limited(kind: str, multiline: bool = False) -> Callable[..., str | None]:
    return lambda c, r, k, v: _string(c, r, k, v, LIMITS[kind], multiline)


def _quote(checker: Checker, raw: Raw, key: str, value: Any) -> str | None:
    text = _string(checker, raw, key, value, 2000, multiline=True)
    if text is not None and len(text.split()) < MIN_QUOTE_WORDS:
        checker.problem(raw, f"{key!r} is too short to support a claim; quote at least {MIN_QUOTE_WORDS} words", key)
        return None
    return text


def _id(checker: Checker, raw: Raw, key: str, value: Any) -> str | None:
    if not isinstance(value, str) or not ID_RE.match(value):
        checker.problem(raw, f"{key!r} must be lowercase letters, digits and hyphens (1-64), got {value!r}", key)
        return None
    return value


def _list(checker: Checker, raw: Raw, key: str, value: Any, limit: int, most: int = 50) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        checker.problem(raw, f"{key!r} must be a list of text", key)
        return None
    if len(value) > most:
        checker.problem(raw, f"{key!r} has {len(value)} items; the limit is {most}", key)
        return None
    items = [_string(checker, raw, key, item, limit) for item in value]
    return None if any(i is None for i in items) else tuple(items)  # type: ignore[arg-type]


def _date(checker: Checker, raw: Raw, key: str, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        checker.problem(raw, f"{key!r} must be a date (YYYY-MM-DD) without a time; put the time in 'time'", key)
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        found = DATE_RE.match(value) if isinstance(value, str) else None
        if not found:
            checker.problem(raw, f"{key!r} must be a date written YYYY-MM-DD, got {value!r}", key)
            return None
        try:
            day = dt.date(*(int(part) for part in found.groups()))
        except ValueError:
            checker.problem(raw, f"{key!r} is an impossible date: {value}", key)
            return None
    if not 1900 <= day.year <= 2200:
        checker.problem(raw, f"{key!r} year {day.year} is out of range (1900-2200)", key)
        return None
    return day


def _time(checker: Checker, raw: Raw, key: str, value: Any) -> dt.time | None:
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    found = TIME_RE.match(value) if isinstance(value, str) else None
    if not found:
        checker.problem(raw, f"{key!r} must be a time written HH:MM, got {value!r}", key)
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    if hour > 23 or minute > 59:
        checker.problem(raw, f"{key!r} is an impossible time: {value}", key)
        return None
    return dt.time(hour, minute)


def _zone(checker: Checker, raw: Raw, key: str, value: Any) -> str | None:
    if not isinstance(value, str) or not checker.zone_ok(value):
        checker.problem(
            raw,
            f"unknown time zone {value!r}; use an IANA region name such as 'Asia/Seoul' "
            "(fixed offsets like Etc/GMT+9 ignore daylight saving)",
            key,
        )
        return None
    return value


def _offset(checker: Checker, raw: Raw, key: str, value: Any) -> str | None:
    found = OFFSET_RE.match(value) if isinstance(value, str) else None
    if not found or int(found.group(1)) > 14 or int(found.group(2)) > 59:
        checker.problem(raw, f"{key!r} must be a UTC offset written +HH:MM or -HH:MM, got {value!r}", key)
        return None
    return str(value)


def _choice(options: tuple[str, ...]) -> Callable[..., str | None]:
    def check(checker: Checker, raw: Raw, key: str, value: Any) -> str | None:
        if value not in options:
            checker.problem(raw, f"{key!r} must be one of {', '.join(options)}; got {value!r}", key)
            return None
        return value

    return check


def _source(checker: Checker, raw: Raw, key: str, value: Any) -> str | None:
    if not isinstance(value, str) or checker.seed(value) is None:
        checker.problem(raw, f"source {value!r} is not a file in {checker.seeds_dir.name}/", key)
        return None
    return value


def _refs(checker: Checker, raw: Raw, key: str, value: Any) -> tuple[str, ...] | None:
    items = _list(checker, raw, key, value, 80)
    if items is None:
        return None
    if not items:
        checker.problem(raw, f"{key!r} needs at least one reference such as 'artist:iu'", key)
        return None
    for item in items:
        kind, _, ident = item.partition(":")
        if kind not in REF_KINDS or not ID_RE.match(ident):
            checker.problem(raw, f"{key!r} item {item!r} must look like 'artist:id', 'song:id' or 'tour:id'", key)
            return None
    if len(set(items)) != len(items):
        twice = sorted({i for i in items if items.count(i) > 1})
        checker.problem(raw, f"{key!r} names {', '.join(twice)} more than once", key)
        return None
    return items


def _wrong(checker: Checker, raw: Raw, key: str, value: Any) -> tuple[str, ...] | None:
    items = _list(checker, raw, key, value, LIMITS["answer"])
    if items is not None and len(items) != 3:
        checker.problem(raw, f"{key!r} needs exactly 3 wrong options, got {len(items)}", key)
        return None
    if items is not None and len({i.casefold() for i in items}) != 3:
        checker.problem(raw, f"{key!r} has the same option twice", key)
        return None
    return items


def _wrong_ko(checker: Checker, raw: Raw, key: str, value: Any) -> tuple[str, ...] | None:
    """The Korean forms of 'wrong', checked like it; that there is one per wrong option, in the same order,
    is checked with 'wrong' (:meth:`bot.content.validation.Checker.check_across_fields`)."""
    items = _list(checker, raw, key, value, LIMITS["answer"])
    if items is not None and len({i.casefold() for i in items}) != len(items):
        checker.problem(raw, f"{key!r} has the same option twice", key)
        return None
    return items


def _credits(checker: Checker, raw: Raw, key: str, value: Any) -> tuple[Credit, ...] | None:
    if not isinstance(value, list) or not value:
        checker.problem(raw, f'{key!r} must be a list like [{{ artist = "iu", role = "vocals" }}]', key)
        return None
    credits = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"artist", "role"}:
            checker.problem(raw, f"each credit needs exactly 'artist' and 'role', got {item!r}", key)
            return None
        if item["role"] not in CREDIT_ROLES:
            checker.problem(raw, f"credit role {item['role']!r} must be one of {', '.join(CREDIT_ROLES)}", key)
            return None
        if not isinstance(item["artist"], str) or not ID_RE.match(item["artist"]):
            checker.problem(raw, f"credit artist {item['artist']!r} is not an id", key)
            return None
        credits.append(Credit(item["artist"], item["role"]))
    return tuple(credits)


FIELD_CHECKS: dict[str, Callable[..., Any]] = {
    "id": _id,
    "name": _limited("name"),
    "name_quoted": _limited("name_quoted"),
    _TEXT: _limited("text", multiline=True),
    "fact_text": _limited("fact_text", multiline=True),
    "question": _limited("question"),
    "answer": _limited("answer"),
    "names": lambda c, r, k, v: _list(c, r, k, v, LIMITS["name"]),
    "answers": lambda c, r, k, v: _list(c, r, k, v, LIMITS["answer"]),
    "wrong": _wrong,
    "wrong_ko": _wrong_ko,
    "date": _date,
    "time": _time,
    "zone": _zone,
    "offset": _offset,
    "kind": _choice(FACT_KINDS),
    "milestone": _choice(MILESTONES),
    "source": _source,
    "quote": lambda c, r, k, v: _quote(c, r, k, v),
    "refs": _refs,
    "credits": _credits,
    "artist_id": _id,
    "tour_id": _id,
    "fact_id": _id,
}
