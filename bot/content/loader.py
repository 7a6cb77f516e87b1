"""Pack files -> validated records, with every problem reported by file, line and entry.

A pack is rejected whole: :func:`load_packs` returns records only when the problem list is empty.

This module runs a load from start to end (read, check each entry, check references between entries, build
the records); the rules live by concern:

* :mod:`bot.content.files` -- reading pack and seed files safely; quotes found in seed articles.
* :mod:`bot.content.toml_entries` -- TOML files -> raw entries with their file and lines.
* :mod:`bot.content.fields` -- the keys of each table and the check of each kind of value.
* :mod:`bot.content.validation` -- the :class:`~bot.content.validation.Checker`: one entry's fields together.
* :mod:`bot.content.text_rules` -- control characters, invisible text, links and markup.
* :mod:`bot.content.local_times` -- local times in daylight-saving gaps and folds.

The names other code imports from here (``Problem``, ``load_packs``, ``discover``, ``local_time_problem``,
``read_regular_file``, ``tomllib`` ...) are re-exported.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bot.content.fields import ARRAY_TABLES, ID_RE, LIMITS, SPECS, TABLES
from bot.content.files import MAX_PACK_FILE_BYTES, MAX_SEED_BYTES, collapse, read_regular_file
from bot.content.local_times import local_time_problem
from bot.content.model import Article, Artist, Fact, Pack, Question, Show, Song, Tour
from bot.content.problems import Problem
from bot.content.text_rules import invisible_problem, markup_problem
from bot.content.toml_entries import Raw, read_pack_dir, tomllib
from bot.content.validation import Checker

__all__ = [
    "ARRAY_TABLES",
    "ID_RE",
    "LIMITS",
    "MAX_PACK_FILE_BYTES",
    "MAX_SEED_BYTES",
    "SPECS",
    "TABLES",
    "Problem",
    "discover",
    "invisible_problem",
    "load_packs",
    "local_time_problem",
    "markup_problem",
    "read_regular_file",
    "tomllib",
]

log = logging.getLogger(__name__)

# One pack's checked entries: table -> [(raw entry, its valid fields)].
_Tables = dict[str, list[tuple[Raw, dict[str, Any]]]]
_RECORDS: dict[str, type] = {"song": Song, "artist": Artist, "tour": Tour, "show": Show, "fact": Fact}


def _build(table: str, clean: dict[str, Any], pack_id: str) -> Any:
    """The record of one checked entry of ``table`` in pack ``pack_id``."""
    fields = dict(clean)
    fields["pack"] = pack_id
    if table in _RECORDS:
        fields.setdefault("source", None)
        fields.setdefault("quote", None)
        return _RECORDS[table](**fields)
    if table == "article":
        fields["id"] = fields.pop("file")
        return Article(**fields)
    return Question(**fields)


_DATE_FIELDS = {"song": "released", "show": "date", "fact": "date"}


def _check_dateline_use(checker: Checker, raw: Raw, clean: dict[str, Any], datelines: dict[str, str]) -> None:
    """Quotes are the sentences that make a claim, not the page around them (issue 9 item 11): a quote that
    takes in its article's dateline is refused (the dateline is recorded once, on the [[article]]), and a
    dated claim's year must be in its quote or in that dateline."""
    dateline = datelines.get(clean.get("source", ""))
    quote = clean.get("quote")
    if dateline is None or quote is None:
        return
    if collapse(dateline) in collapse(quote):
        checker.problem(
            raw,
            f"quote includes the article's dateline {dateline!r}; it is recorded on the "
            "[[article]], so quote only the sentences that make the claim",
            "quote",
        )
        return
    key = _DATE_FIELDS.get(raw.table)
    day = clean.get(key) if key else None
    if isinstance(day, dt.date) and str(day.year) not in quote and str(day.year) not in dateline:
        checker.problem(
            raw,
            f"the year of {key!r} ({day.year}) is in neither the quote nor the dateline "
            f"{dateline!r} of seeds/{clean['source']}",
            key,
        )


def load_packs(
    directories: Iterable[Path],
    seeds_dir: Path,
    display: Callable[[Path], str] | None = None,
    warnings: list[Problem] | None = None,
) -> tuple[list[Pack], list[Problem]]:
    """Read and validate every pack. Returns (packs, problems); packs is empty when problems isn't.

    Warnings (a name fans can't type, issue 9 item 8) don't reject a pack: they are appended to
    ``warnings`` when a list is given, and logged at WARNING level otherwise."""
    show_path = display or (lambda p: str(p))
    checker = Checker(seeds_dir)
    try:
        return _load_packs(directories, checker, show_path)
    finally:
        found = sorted(set(checker.warnings), key=lambda p: (p.file, p.line or 0, p.message))
        if warnings is not None:
            warnings.extend(found)
        else:
            for warning in found:
                log.warning("%s", warning)


def _load_packs(
    directories: Iterable[Path], checker: Checker, show_path: Callable[[Path], str]
) -> tuple[list[Pack], list[Problem]]:
    per_pack: list[tuple[Path, list[Raw]]] = []
    for directory in directories:
        if not directory.is_dir():
            checker.problems.append(Problem(show_path(directory), None, None, "not a pack folder"))
            continue
        per_pack.append((directory, read_pack_dir(directory, show_path, checker.problems, checker.unparsed_tables)))

    ids: dict[tuple[str, str], Raw] = {}
    built = [(directory, *_check_entries(directory, raws, checker, ids, show_path)) for directory, raws in per_pack]

    def known(kind: str, ident: str) -> bool:
        # Entries of a kind that a broken file holds are unknown, not missing: don't call references to them wrong.
        return kind in checker.unparsed_tables or (kind, ident) in ids

    datelines = {
        clean["file"]: clean["dateline"]
        for _d, _h, tables in built
        for _r, clean in tables["article"]
        if "file" in clean and "dateline" in clean
    }
    for _directory, _head, tables in built:
        _check_references(tables, checker, known, datelines)

    if checker.problems:
        return [], sorted(set(checker.problems), key=lambda p: (p.file, p.line or 0, p.message))
    return _build_packs(built, checker, show_path)


def _check_entries(
    directory: Path,
    raws: list[Raw],
    checker: Checker,
    ids: dict[tuple[str, str], Raw],
    show_path: Callable[[Path], str],
) -> tuple[dict[str, Any] | None, _Tables]:
    """Each entry of one pack checked on its own, and its id checked unique across every pack (``ids``).
    Returns the [pack] table's fields (None when it is missing or repeated) and the checked entries."""
    head: dict[str, Any] | None = None
    tables: _Tables = {table: [] for table in ARRAY_TABLES}
    heads = [raw for raw in raws if raw.table == "pack"]
    if len(heads) != 1:
        checker.problems.append(
            Problem(
                show_path(directory),
                None,
                None,
                "a pack needs exactly one [pack] table (in pack.toml)"
                if not heads
                else f"[pack] appears {len(heads)} times; keep one",
            )
        )
    for raw in raws:
        clean = checker.check(raw)
        if raw.table == "pack":
            head = clean if len(heads) == 1 else None
            continue
        id_key = "file" if raw.table == "article" else "id"
        ident = raw.data.get(id_key)
        if isinstance(ident, str):
            other = ids.get((raw.table, ident))
            if other is not None:
                checker.problem(raw, f"duplicate id {ident!r} (first defined at {other.file}:{other.line})", id_key)
                continue
            ids[(raw.table, ident)] = raw
        tables[raw.table].append((raw, clean))
    return head, tables


def _check_references(
    tables: _Tables, checker: Checker, known: Callable[[str, str], bool], datelines: dict[str, str]
) -> None:
    """The rules between entries of one pack: every reference names a known entry, a tour's first and
    finale shows are its earliest and latest, quotes and dates agree with their article's dateline."""
    for table in ("artist", "song", "tour", "show", "fact"):
        for raw, clean in tables[table]:
            _check_dateline_use(checker, raw, clean, datelines)
    for raw, clean in tables["song"]:
        for credit in clean.get("credits", ()):
            if not known("artist", credit.artist):
                checker.problem(raw, f"credit names unknown artist {credit.artist!r}", "credits")
    for raw, clean in tables["tour"]:
        if "artist" in clean and not known("artist", clean["artist"]):
            checker.problem(raw, f"unknown artist {clean['artist']!r}", "artist")
    _check_shows(tables["show"], checker, known)
    for raw, clean in tables["fact"]:
        for ref in clean.get("about", ()):
            kind, _, ident = ref.partition(":")
            if not known(kind, ident):
                checker.problem(raw, f"'about' names unknown {kind} {ident!r}", "about")
        if "date" in clean and "zone" not in raw.data:
            checker.problem(raw, "'date' needs a 'zone' (the IANA zone the day is in)", "date")
    for raw, clean in tables["question"]:
        if "fact" in clean and not known("fact", clean["fact"]):
            checker.problem(raw, f"unknown fact {clean['fact']!r}", "fact")


def _check_shows(shows: list[tuple[Raw, dict[str, Any]]], checker: Checker, known: Callable[[str, str], bool]) -> None:
    """Each show's tour is known; per tour, one 'first' show on the earliest date, one 'finale' on the latest."""
    by_tour: dict[str, list[tuple[Raw, dict[str, Any]]]] = {}
    for raw, clean in shows:
        if "tour" in clean and not known("tour", clean["tour"]):
            checker.problem(raw, f"unknown tour {clean['tour']!r}", "tour")
        if "tour" in clean:
            by_tour.setdefault(clean["tour"], []).append((raw, clean))
    for tour_id, tour_shows in by_tour.items():
        dates = [clean["date"] for _raw, clean in tour_shows if "date" in clean]
        for milestone, extreme, word in (("first", min, "earliest"), ("finale", max, "latest")):
            marked = [(raw, clean) for raw, clean in tour_shows if clean.get("milestone") == milestone]
            for raw, _clean in marked[1:]:
                checker.problem(
                    raw, f"tour {tour_id!r} already has a {milestone!r} show ({marked[0][0].label})", "milestone"
                )
            if marked and dates and "date" in marked[0][1] and marked[0][1]["date"] != extreme(dates):
                checker.problem(
                    marked[0][0], f"the {milestone!r} show is not the {word} date of tour {tour_id!r}", "milestone"
                )


def _build_packs(
    built: list[tuple[Path, dict[str, Any] | None, _Tables]], checker: Checker, show_path: Callable[[Path], str]
) -> tuple[list[Pack], list[Problem]]:
    """The records of packs that passed every check; a pack id used twice rejects them all."""
    packs: list[Pack] = []
    pack_ids: set[str] = set()
    for directory, head, tables in built:
        assert head is not None
        if head["id"] in pack_ids:
            checker.problems.append(Problem(show_path(directory), None, f"pack {head['id']!r}", "duplicate pack id"))
            continue
        pack_ids.add(head["id"])
        records = {t: tuple(_build(t, clean, head["id"]) for _raw, clean in rows) for t, rows in tables.items()}
        packs.append(
            Pack(
                id=head["id"],
                name=head["name"],
                path=show_path(directory),
                name_ko=head.get("name_ko"),
                description=head.get("description"),
                description_ko=head.get("description_ko"),
                artists=records["artist"],
                songs=records["song"],
                tours=records["tour"],
                shows=records["show"],
                facts=records["fact"],
                questions=records["question"],
                articles=records["article"],
            )
        )
    if checker.problems:
        return [], checker.problems
    return packs, []


def discover(packs_dir: Path) -> list[Path]:
    """Every pack folder under ``packs_dir`` (a folder holding a pack.toml or any .toml file)."""
    if not packs_dir.is_dir():
        return []
    return sorted(p for p in packs_dir.iterdir() if p.is_dir() and any(p.glob("*.toml")))
