"""Pack files -> validated records, with every problem reported by file, line and entry.

A pack is rejected whole: :func:`load_packs` returns records only when the problem list is empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:  # the compiled build of tomllib's upstream parses large packs about 3x faster
    import tomli as tomllib
except ImportError:  # pragma: no cover - the standard library's pure-Python parser
    import tomllib  # type: ignore[no-redef]

from bot.content.matching import normalize
from bot.content.model import (
    CREDIT_ROLES,
    FACT_KINDS,
    MILESTONES,
    REF_KINDS,
    Article,
    Artist,
    Credit,
    Fact,
    Pack,
    Question,
    Show,
    Song,
    Tour,
)

log = logging.getLogger(__name__)

# \Z, not $: "$" also matches before a trailing newline, and "iu\n" is not an id.
ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\Z")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\Z")
TIME_RE = re.compile(r"^(\d{2}):(\d{2})\Z")
MIN_QUOTE_WORDS = 3  # a quote of one or two words would "support" almost any claim
#: Largest pack file read (bytes). A 100,000-fact pack file is about 30 MB; /dev/zero is not a file at all.
MAX_PACK_FILE_BYTES = 64 * 1024 * 1024
#: Largest seed article read (bytes).
MAX_SEED_BYTES = 16 * 1024 * 1024
#: A seed file name: no folders, no leading dot, a length every file system takes.
SEED_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}\Z")
_WS = re.compile(r"\s+")


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    entry: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.entry}: {self.message}" if self.entry else f"{where}: {self.message}"


class PackError(Exception):
    """Raised by :func:`load_packs_or_raise`; ``problems`` lists everything wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in packs")
        self.problems = problems


# ---------------------------------------------------------------- time
_OFFSET_RE = re.compile(r"^[+-](\d{2}):(\d{2})\Z")


def local_time_problem(day: dt.date, time: dt.time, zone_name: str,
                       offset: str | None = None) -> tuple[int, str | None, str]:
    """Whether a local wall time names exactly one instant in an IANA zone (issue 9 item 6).

    Returns ``(fold, problem, key)``: ``fold`` 0 or 1 picks the occurrence (as :class:`datetime.datetime`
    does), ``problem`` is None when the time is usable, else the sentence for the problem line, about ``key``
    ("time" or "offset"). A time in a daylight-saving gap never happens; a time in a fold happens twice and
    needs ``offset`` ("+HH:MM"/"-HH:MM", the UTC offset in force then) to say which."""
    zone = ZoneInfo(zone_name)
    naive = dt.datetime.combine(day, time)
    first, second = (naive.replace(tzinfo=zone, fold=f) for f in (0, 1))
    at = f"in {zone_name} on {day.isoformat()}"
    hhmm = f"{time:%H:%M}"
    if first.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None) != naive:
        before, after = _gap_edges(first, second)
        return 0, f"{hhmm} does not exist {at}: clocks jump from {before} to {after}", "time"
    labels = [_offset_text(first.utcoffset()), _offset_text(second.utcoffset())]
    if labels[0] != labels[1]:
        if offset is None:
            return 0, (f"{hhmm} happens twice {at} (clocks go back): say which with offset = \"{labels[0]}\" "
                       f"for the first or offset = \"{labels[1]}\" for the second"), "time"
        if offset not in labels:
            return 0, (f"'offset' {offset!r} is neither of the times {hhmm} {at} "
                       f"(\"{labels[0]}\" first, \"{labels[1]}\" second)"), "offset"
        return labels.index(offset), None, "time"
    if offset is not None and offset != labels[0]:
        return 0, f"'offset' {offset!r} is wrong: {hhmm} {at} is at UTC{labels[0]}", "offset"
    return 0, None, "time"


def _offset_text(offset: dt.timedelta | None) -> str:
    minutes = int((offset or dt.timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _gap_edges(first: dt.datetime, second: dt.datetime) -> tuple[str, str]:
    """The wall-clock times either side of the daylight-saving jump that skips ``first``'s local time.

    ``first``/``second`` are the same naive time with fold 0 and 1: read with the offset before and after
    the jump. The jump happens at one UTC instant between their two readings; found by bisection."""
    lo = second.astimezone(dt.timezone.utc)
    hi = first.astimezone(dt.timezone.utc)
    lo, hi = min(lo, hi), max(lo, hi)
    zone = first.tzinfo
    before = lo.astimezone(zone).utcoffset()
    while hi - lo > dt.timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(zone).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    after = hi.astimezone(zone).utcoffset() or dt.timedelta()
    jump = hi.replace(tzinfo=None, second=0, microsecond=0)  # transitions fall on whole minutes
    before_local, after_local = jump + (before or dt.timedelta()), jump + after

    def show(t: dt.datetime) -> str:
        return f"{t:%H:%M}" if t.date() == first.date() else f"{t:%Y-%m-%d %H:%M}"

    return show(before_local), show(after_local)


# ---------------------------------------------------------------- field specs
# Each table maps key -> (kind, required). Kinds are checked by _FIELD_CHECKS.
_TEXT = "text"
SPECS: dict[str, dict[str, tuple[str, bool]]] = {
    "pack": {
        "id": ("id", True), "name": ("name", True), "name_ko": ("name", False),
        "description": (_TEXT, False), "description_ko": (_TEXT, False),
    },
    "artist": {
        "id": ("id", True), "name": ("name", True), "name_ko": ("name", False),
        "aliases": ("names", False), "group": ("name", False),
        "source": ("source", False), "quote": ("quote", False),
    },
    "song": {
        "id": ("id", True), "title": ("name", True), "title_ko": ("name", False),
        "aliases": ("names", False), "released": ("date", False), "zone": ("zone", False),
        "credits": ("credits", True), "source": ("source", True), "quote": ("quote", True),
    },
    "tour": {
        "id": ("id", True), "name": ("name", True), "name_ko": ("name", False),
        "artist": ("artist_id", True), "aliases": ("names", False), "regions": ("names", False),
        "regions_ko": ("names", False),
        "source": ("source", True), "quote": ("quote", True),
    },
    "show": {
        "id": ("id", True), "tour": ("tour_id", True), "date": ("date", True), "time": ("time", False),
        "zone": ("zone", True), "city": ("name", True), "city_ko": ("name", False),
        "country": ("name", False), "country_ko": ("name", False), "venue": ("name", False),
        "venue_ko": ("name", False), "milestone": ("milestone", False), "aliases": ("names", False),
        "offset": ("offset", False),
        "source": ("source", True), "quote": ("quote", True),
    },
    "fact": {
        "id": ("id", True), "kind": ("kind", True), "about": ("refs", True), "text": ("fact_text", True),
        "text_ko": ("fact_text", False), "date": ("date", False), "zone": ("zone", False),
        "source": ("source", True), "quote": ("quote", True),
    },
    "article": {
        "file": ("source", True), "title": ("name_quoted", True), "title_ko": ("name", False),
        "publisher": ("name", True), "author": ("name", False), "published": ("date", False),
        "dateline": ("name_quoted", False),
    },
    "question": {
        "id": ("id", True), "question": ("question", True), "question_ko": ("question", False),
        "answer": ("answer", True), "answer_ko": ("answer", False), "aliases": ("answers", False),
        "wrong": ("wrong", True), "fact": ("fact_id", True),
    },
}
TABLES = tuple(SPECS)
# The name fields of entries fans look up by name: (main name, Korean name); aliases come from "aliases".
_NAME_FIELDS = {"artist": ("name", "name_ko"), "song": ("title", "title_ko"), "tour": ("name", "name_ko"),
                "show": ("city", "city_ko")}
ARRAY_TABLES = tuple(t for t in TABLES if t != "pack")

LIMITS = {"name": 100, "name_quoted": 200, "text": 1000, "fact_text": 600, "question": 300, "answer": 80}


class _Lines:
    """Finds the line of an entry and of its keys in a TOML file written with [[table]] headers."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        for number, line in enumerate(self.lines, start=1):
            found = self._HEADER.match(line)
            if found:
                self.headers.setdefault(found.group(1), []).append(number)

    def entry(self, table: str, index: int) -> int | None:
        starts = self.headers.get(table, [])
        return starts[index] if index < len(starts) else None

    def key(self, table: str, index: int, key: str) -> int | None:
        start = self.entry(table, index)
        if start is None:
            return None
        for number in range(start + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if self._HEADER.match(line):
                break
            found = self._KEY.match(line)
            if found and found.group(1) == key:
                return number
        return start


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Seed:
    """A seed article, whitespace-collapsed, indexed by every 8-character window.

    Checking a quote then looks only where its first 8 characters occur, instead of scanning the whole
    article: with 100,000 facts against a long article this is most of the validation time.
    """

    K = 8

    def __init__(self, text: str) -> None:
        self.text = _collapse(text)
        self.starts: dict[str, list[int]] = {}
        for position in range(len(self.text) - self.K + 1):
            self.starts.setdefault(self.text[position:position + self.K], []).append(position)

    def __contains__(self, quote: str) -> bool:
        quote = _collapse(quote)
        if len(quote) < self.K:
            return quote in self.text
        return any(self.text.startswith(quote, p) for p in self.starts.get(quote[: self.K], ()))


# Control and invisible formatting characters (Unicode Cc and Cf), except the zero-width joiner emoji use.
_INVISIBLE = (
    r"\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b\u200c\u200e\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_CONTROL_MULTILINE = re.compile(rf"[\x00-\x08{_INVISIBLE}]")
_CONTROL = re.compile(rf"[\x00-\x0a{_INVISIBLE}]")


def _has_control(text: str, allow_newline: bool) -> bool:
    return (_CONTROL_MULTILINE if allow_newline else _CONTROL).search(text) is not None


def read_regular_file(path: Path, root: Path, limit: int) -> tuple[str | None, str | None]:
    """Read ``path`` as UTF-8 text if it is a regular file inside ``root`` of at most ``limit`` bytes.

    Returns ``(text, None)``, or ``(None, why)`` with a sentence for the problem line. A symlink is followed
    only to a regular file inside ``root`` (the folder, itself resolved); dangling and looping links, folders,
    named pipes (which would block the reader forever), devices (``/dev/zero`` never ends) and files over the
    limit are refused without being read. Never raises OSError. Issue 9 item 13.
    """
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):  # dangling (FileNotFoundError) or looping (ELOOP / RuntimeError)
                return None, "is a symlink that leads nowhere (dangling or looping)"
            try:
                inside = target.is_relative_to(root.resolve(strict=True))
            except (OSError, RuntimeError):
                inside = False
            if not inside:
                return None, f"is a symlink to {target}, outside {root.name}/; only files inside the folder are read"
            path = target
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None, f"is not a regular file ({_file_kind(info.st_mode)})"
        if info.st_size > limit:
            return None, f"is {info.st_size:,} bytes; the limit is {limit:,}"
        # O_NONBLOCK: should the file be swapped for a named pipe after the check, open() still returns.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None, "is not a regular file"
            data = handle.read(limit + 1)
    except OSError as error:
        return None, f"can't be read: {error.strerror or error}"
    if len(data) > limit:
        return None, f"is over {limit:,} bytes"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return None, "not UTF-8 text"


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


@dataclasses.dataclass
class _Raw:
    """One table entry as read, with where it came from."""

    table: str
    data: dict[str, Any]
    file: str
    line: int | None
    lines: _Lines
    index: int

    @property
    def label(self) -> str:
        ident = self.data.get("id", self.data.get("file"))
        return f"{self.table} {ident!r}" if isinstance(ident, str) else f"{self.table} #{self.index + 1}"

    def key_line(self, key: str) -> int | None:
        return self.lines.key(self.table, self.index, key) or self.line


class _Checker:
    def __init__(self, seeds_dir: Path) -> None:
        self.seeds_dir = seeds_dir
        self.problems: list[Problem] = []
        self._seeds: dict[str, _Seed | None] = {}
        self._zones: dict[str, bool] = {}
        self.unparsed_tables: set[str] = set()  # tables seen in files that didn't parse
        self.warnings: list[Problem] = []  # reported, but don't reject the pack

    def problem(self, raw: _Raw, message: str, key: str | None = None) -> None:
        line = raw.key_line(key) if key else raw.line
        self.problems.append(Problem(raw.file, line, raw.label, message))

    # -- value checks; each returns the cleaned value or None after recording a problem
    def seed(self, name: str) -> _Seed | None:
        """The seed article ``name`` (a plain file name in the seeds folder), or None when there is no such
        readable regular file of at most :data:`MAX_SEED_BYTES`."""
        if name not in self._seeds:
            seed = None
            if SEED_NAME_RE.match(name):
                text, _why = read_regular_file(self.seeds_dir / name, self.seeds_dir, MAX_SEED_BYTES)
                seed = _Seed(text) if text is not None else None
            self._seeds[name] = seed
        return self._seeds[name]

    def zone_ok(self, name: str) -> bool:
        if name not in self._zones:
            try:
                ZoneInfo(name)
                # IANA region zones only: Etc/GMT+9 and EST are fixed offsets that ignore daylight saving.
                self._zones[name] = ("/" in name and not name.startswith("Etc/")) or name in ("UTC", "Etc/UTC")
            except (ZoneInfoNotFoundError, ValueError, OSError, UnicodeError):
                # OSError: a name such as "America" is a folder of the zone database, not a zone (issue 9 item 13)
                self._zones[name] = False
        return self._zones[name]

    def check_local_time(self, raw: _Raw, clean: dict[str, Any]) -> None:
        """A show's local time must exist, and happen once, in its zone on its date (issue 9 item 6).

        In a daylight-saving gap (02:30 on the day New York springs forward) the time is refused; for a time
        that happens twice (01:30 on the day clocks go back) ``offset`` must say which: the UTC offset in
        force then, "-04:00" for the first, "-05:00" for the second. ``clean`` gets ``fold`` (0 or 1, as in
        :class:`datetime.datetime`) and loses ``offset``."""
        offset = clean.pop("offset", None)
        if "offset" in raw.data and "time" not in raw.data:
            self.problem(raw, "'offset' is only needed with a 'time' that happens twice; remove it", "offset")
            return
        if not {"date", "time", "zone"} <= clean.keys():
            return
        fold, why, key = local_time_problem(clean["date"], clean["time"], clean["zone"], offset)
        if why is not None:
            self.problem(raw, why, key)
        elif fold:
            clean["fold"] = fold

    def check_typeable(self, raw: _Raw, clean: dict[str, Any]) -> None:
        """Warn when no name of the entry has a letter or digit (issue 9 item 8): ``♡`` is found only by
        typing ``♡`` exactly, which most keyboards make hard."""
        fields = _NAME_FIELDS[raw.table]
        given = [clean.get(f) for f in fields[:2]] + list(clean.get("aliases", ()))
        names = [n for n in given if isinstance(n, str)]
        if names and not any(normalize(n) for n in names):
            self.warnings.append(Problem(raw.file, raw.key_line(fields[0]), raw.label,
                                         f"warning: {fields[0]} {names[0]!r} has no letters or digits, so fans "
                                         "can only find it by typing it exactly; add an alias they can type to "
                                         "'aliases'"))

    def check(self, raw: _Raw) -> dict[str, Any]:
        """The entry's valid fields. Problems are recorded; the partial record still takes part in
        reference checks, so one run reports everything."""
        spec = SPECS[raw.table]
        clean: dict[str, Any] = {}
        before = len(self.problems)
        for key in raw.data:
            if key not in spec:
                close = [k for k in spec if k.replace("_", "") == key.replace("_", "").lower()]
                hint = f" (did you mean {close[0]!r}?)" if close else f"; allowed: {', '.join(spec)}"
                self.problem(raw, f"unknown key {key!r}{hint}", key)
        for key, (kind, required) in spec.items():
            if key not in raw.data:
                if required:
                    self.problem(raw, f"missing required key {key!r}")
                continue
            value = _FIELD_CHECKS[kind](self, raw, key, raw.data[key])
            if value is not None:
                clean[key] = value
        if raw.table == "song" and "released" in clean and "zone" not in raw.data:
            self.problem(raw, "'released' needs a 'zone' (the IANA zone the date is in, e.g. 'Asia/Seoul')", "released")
        if raw.table == "question" and "answer" in clean:
            accepted = {normalize(a) for a in (clean["answer"], clean.get("answer_ko"), *clean.get("aliases", ())) if a}
            for option in clean.get("wrong", ()):
                if normalize(option) in accepted:
                    self.problem(raw, f"wrong option {option!r} is an accepted answer", "wrong")
        if raw.table == "article" and "file" in clean:
            seed = self.seed(clean["file"])
            for key in ("title", "dateline"):
                if seed is not None and key in clean and clean[key] not in seed:
                    self.problem(raw, f"{key} not found in seeds/{clean['file']} (copy it exactly)", key)
            if "dateline" in clean and "published" in clean and str(clean["published"].year) not in clean["dateline"]:
                self.problem(raw, f"'published' is in {clean['published'].year} but the dateline "
                                  f"{clean['dateline']!r} doesn't say so", "published")
        if raw.table == "show":
            self.check_local_time(raw, clean)
        if raw.table in _NAME_FIELDS:
            self.check_typeable(raw, clean)
        if "quote" in raw.data and "source" not in raw.data:
            self.problem(raw, "a 'quote' needs its 'source' (a file name in seeds/)", "quote")
        if "source" in clean and "quote" in clean:
            seed = self.seed(clean["source"])
            if seed is not None and clean["quote"] not in seed:
                self.problem(raw, f"quote not found in seeds/{clean['source']}", "quote")
        del before
        return clean


def _string(checker: _Checker, raw: _Raw, key: str, value: Any, limit: int, multiline: bool = False) -> str | None:
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
    if _has_control(text, allow_newline=multiline):
        checker.problem(raw, f"{key!r} contains control characters", key)
        return None
    why = invisible_problem(text) or markup_problem(text)
    if why:
        checker.problem(raw, f"{key!r} {why}", key)
        return None
    return text


# ---------------------------------------------------------------- what a fan would see (issue 9 items 14, 15)
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
    (re.compile(r"\[[^\]\n]*\]\(\s*<?\s*[^)\s]*\)?"), "a masked link {found!r}; packs can't carry links, write the words only"),
    (re.compile(r"(?i)\b(?:https?|ftp|steam|discord)://\S*|\bwww\.[a-z0-9-]+\.[a-z]\S*"
                r"|\b(?:discord\.gg|discord(?:app)?\.com/invite)/\S*"),
     "a web address {found!r}; packs can't carry links (the source is cited from seeds/)"),
    (re.compile(r"(?m)^[ \t]*(?:#{1,3}|-#)[ \t]+\S.*"), "heading markup {found!r}; write the text without the leading '#'"),
    (re.compile(r"(?m)^[ \t]*>(?:>>)?[ \t]+\S.*"), "quote markup {found!r}; write the text without the leading '>'"),
    (re.compile(r"```"), "a code fence (```); write the text without it"),
    (re.compile(r"<(?:@[!&]?|#|/[^\s:>]+:)\d+>|<t:-?\d+(?::[tTdDfFR])?>|@(?:everyone|here)\b"),
     "Discord mention or timestamp markup {found!r}; write the name or date as text"),
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


def _limited(kind: str, multiline: bool = False) -> Callable[..., str | None]:
    return lambda c, r, k, v: _string(c, r, k, v, LIMITS[kind], multiline)


def _quote(checker: _Checker, raw: _Raw, key: str, value: Any) -> str | None:
    text = _string(checker, raw, key, value, 2000, multiline=True)
    if text is not None and len(text.split()) < MIN_QUOTE_WORDS:
        checker.problem(raw, f"{key!r} is too short to support a claim; quote at least {MIN_QUOTE_WORDS} words", key)
        return None
    return text


def _id(checker: _Checker, raw: _Raw, key: str, value: Any) -> str | None:
    if not isinstance(value, str) or not ID_RE.match(value):
        checker.problem(raw, f"{key!r} must be lowercase letters, digits and hyphens (1-64), got {value!r}", key)
        return None
    return value


def _list(checker: _Checker, raw: _Raw, key: str, value: Any, limit: int, most: int = 50) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        checker.problem(raw, f"{key!r} must be a list of text", key)
        return None
    if len(value) > most:
        checker.problem(raw, f"{key!r} has {len(value)} items; the limit is {most}", key)
        return None
    items = [_string(checker, raw, key, item, limit) for item in value]
    return None if any(i is None for i in items) else tuple(items)  # type: ignore[arg-type]


def _date(checker: _Checker, raw: _Raw, key: str, value: Any) -> dt.date | None:
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


def _time(checker: _Checker, raw: _Raw, key: str, value: Any) -> dt.time | None:
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


def _zone(checker: _Checker, raw: _Raw, key: str, value: Any) -> str | None:
    if not isinstance(value, str) or not checker.zone_ok(value):
        checker.problem(raw, f"unknown time zone {value!r}; use an IANA region name such as 'Asia/Seoul' "
                             "(fixed offsets like Etc/GMT+9 ignore daylight saving)", key)
        return None
    return value


def _offset(checker: _Checker, raw: _Raw, key: str, value: Any) -> str | None:
    found = _OFFSET_RE.match(value) if isinstance(value, str) else None
    if not found or int(found.group(1)) > 14 or int(found.group(2)) > 59:
        checker.problem(raw, f"{key!r} must be a UTC offset written +HH:MM or -HH:MM, got {value!r}", key)
        return None
    return str(value)


def _choice(options: tuple[str, ...]) -> Callable[..., str | None]:
    def check(checker: _Checker, raw: _Raw, key: str, value: Any) -> str | None:
        if value not in options:
            checker.problem(raw, f"{key!r} must be one of {', '.join(options)}; got {value!r}", key)
            return None
        return value

    return check


def _source(checker: _Checker, raw: _Raw, key: str, value: Any) -> str | None:
    if not isinstance(value, str) or checker.seed(value) is None:
        checker.problem(raw, f"source {value!r} is not a file in {checker.seeds_dir.name}/", key)
        return None
    return value


def _refs(checker: _Checker, raw: _Raw, key: str, value: Any) -> tuple[str, ...] | None:
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


def _wrong(checker: _Checker, raw: _Raw, key: str, value: Any) -> tuple[str, ...] | None:
    items = _list(checker, raw, key, value, LIMITS["answer"])
    if items is not None and len(items) != 3:
        checker.problem(raw, f"{key!r} needs exactly 3 wrong options, got {len(items)}", key)
        return None
    if items is not None and len({i.casefold() for i in items}) != 3:
        checker.problem(raw, f"{key!r} has the same option twice", key)
        return None
    return items


def _credits(checker: _Checker, raw: _Raw, key: str, value: Any) -> tuple[Credit, ...] | None:
    if not isinstance(value, list) or not value:
        checker.problem(raw, f"{key!r} must be a list like [{{ artist = \"iu\", role = \"vocals\" }}]", key)
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


def _ref_id(checker: _Checker, raw: _Raw, key: str, value: Any) -> str | None:
    return _id(checker, raw, key, value)


_FIELD_CHECKS: dict[str, Callable[..., Any]] = {
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
    "artist_id": _ref_id,
    "tour_id": _ref_id,
    "fact_id": _ref_id,
}


# ---------------------------------------------------------------- reading files
def _read_pack_dir(directory: Path, checker: _Checker, display: Callable[[Path], str]) -> list[_Raw]:
    raws: list[_Raw] = []
    files = sorted(directory.glob("*.toml"))
    if not files:
        checker.problems.append(Problem(display(directory), None, None, "no .toml files in this pack folder"))
        return raws
    for path in files:
        name = display(path)
        text, why = read_regular_file(path, directory, MAX_PACK_FILE_BYTES)
        if text is None:
            message = why if why == "not UTF-8 text" else f"{path.name} {why}"
            if why not in (None, "not UTF-8 text") and " read" not in why:
                message += "; nothing in it was read"
            checker.problems.append(Problem(name, None, None, message))
            continue
        try:
            data = tomllib.loads(text)
        except RecursionError:  # tomli's own limit on nested arrays/tables and on dotted keys
            checker.unparsed_tables.update(_Lines(text).headers)
            checker.problems.append(Problem(name, None, None, "TOML nested too deeply; a pack needs a few levels"))
            continue
        except tomllib.TOMLDecodeError as error:
            checker.unparsed_tables.update(_Lines(text).headers)
            found = re.search(r"line (\d+)", str(error))
            checker.problems.append(
                Problem(name, int(found.group(1)) if found else None, None, f"broken TOML: {error} (references into this file are checked once it parses)")
            )
            continue
        lines = _Lines(text)
        for table, value in data.items():
            if table not in SPECS:
                checker.problems.append(
                    Problem(name, lines.entry(table, 0), None,
                            f"unknown table [{table}]; allowed: [pack], " + ", ".join(f"[[{t}]]" for t in ARRAY_TABLES))
                )
                continue
            if table == "pack":
                if not isinstance(value, dict):
                    checker.problems.append(Problem(name, lines.entry(table, 0), None, "[pack] must be a table"))
                    continue
                raws.append(_Raw(table, value, name, lines.entry(table, 0), lines, 0))
                continue
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                checker.problems.append(
                    Problem(name, lines.entry(table, 0), None, f"{table} entries must be written [[{table}]]")
                )
                continue
            for index, entry in enumerate(value):
                raws.append(_Raw(table, entry, name, lines.entry(table, index), lines, index))
    return raws


def _tuple(clean: dict[str, Any], key: str) -> tuple[Any, ...]:
    return tuple(clean.get(key, ()))


def _build(table: str, clean: dict[str, Any], pack_id: str) -> Any:
    fields = dict(clean)
    fields["pack"] = pack_id
    fields.setdefault("source", None)
    fields.setdefault("quote", None)
    if table == "song":
        return Song(**fields)
    if table == "artist":
        return Artist(**fields)
    if table == "tour":
        return Tour(**fields)
    if table == "show":
        return Show(**fields)
    if table == "fact":
        return Fact(**fields)
    if table == "article":
        fields.pop("source")
        fields.pop("quote")
        fields["id"] = fields.pop("file")
        return Article(**fields)
    fields.pop("source")
    fields.pop("quote")
    return Question(**fields)


_DATE_FIELDS = {"song": "released", "show": "date", "fact": "date"}


def _check_dateline_use(checker: _Checker, raw: _Raw, clean: dict[str, Any], datelines: dict[str, str]) -> None:
    """Quotes are the sentences that make a claim, not the page around them (issue 9 item 11): a quote that
    takes in its article's dateline is refused (the dateline is recorded once, on the [[article]]), and a
    dated claim's year must be in its quote or in that dateline."""
    dateline = datelines.get(clean.get("source", ""))
    quote = clean.get("quote")
    if dateline is None or quote is None:
        return
    if _collapse(dateline) in _collapse(quote):
        checker.problem(raw, f"quote includes the article's dateline {dateline!r}; it is recorded on the "
                             "[[article]], so quote only the sentences that make the claim", "quote")
        return
    key = _DATE_FIELDS.get(raw.table)
    day = clean.get(key) if key else None
    if isinstance(day, dt.date) and str(day.year) not in quote and str(day.year) not in dateline:
        checker.problem(raw, f"the year of {key!r} ({day.year}) is in neither the quote nor the dateline "
                             f"{dateline!r} of seeds/{clean['source']}", key)


def load_packs(
    directories: Iterable[Path],
    seeds_dir: Path,
    display: Callable[[Path], str] | None = None,
    warnings: list[Problem] | None = None,
) -> tuple[list[Pack], list[Problem]]:
    """Read and validate every pack. Returns (packs, problems); packs is empty when problems isn't.

    Warnings (a name fans can't type, issue 9 item 8) don't reject a pack: they are appended to
    ``warnings`` when a list is given, and logged at WARNING level otherwise (which Python prints to stderr
    when logging isn't configured, as in ``python -m bot check``)."""
    show_path = display or (lambda p: str(p))
    checker = _Checker(seeds_dir)
    try:
        return _load_packs(directories, checker, show_path)
    finally:
        found = sorted(set(checker.warnings), key=lambda p: (p.file, p.line or 0, p.message))
        if warnings is not None:
            warnings.extend(found)
        else:
            for warning in found:
                log.warning("%s", warning)


def _load_packs(directories: Iterable[Path], checker: _Checker,
                show_path: Callable[[Path], str]) -> tuple[list[Pack], list[Problem]]:
    per_pack: list[tuple[Path, list[_Raw]]] = []
    for directory in directories:
        if not directory.is_dir():
            checker.problems.append(Problem(show_path(directory), None, None, "not a pack folder"))
            continue
        per_pack.append((directory, _read_pack_dir(directory, checker, show_path)))

    ids: dict[tuple[str, str], _Raw] = {}
    built: list[tuple[Path, dict[str, Any] | None, dict[str, list[tuple[_Raw, dict[str, Any]]]]]] = []
    for directory, raws in per_pack:
        head: dict[str, Any] | None = None
        tables: dict[str, list[tuple[_Raw, dict[str, Any]]]] = {t: [] for t in ARRAY_TABLES}
        heads = [r for r in raws if r.table == "pack"]
        if len(heads) != 1:
            checker.problems.append(
                Problem(show_path(directory), None, None,
                        "a pack needs exactly one [pack] table (in pack.toml)" if not heads
                        else f"[pack] appears {len(heads)} times; keep one")
            )
        for raw in raws:
            clean = checker.check(raw)
            if raw.table == "pack":
                head = clean if len(heads) == 1 else None
                continue
            ident = raw.data.get("file" if raw.table == "article" else "id")
            if isinstance(ident, str):
                other = ids.get((raw.table, ident))
                if other is not None:
                    checker.problem(raw, f"duplicate id {ident!r} (first defined at {other.file}:{other.line})",
                                "file" if raw.table == "article" else "id")
                    continue
                ids[(raw.table, ident)] = raw
            tables[raw.table].append((raw, clean))
        built.append((directory, head, tables))

    def known(kind: str, ident: str) -> bool:
        # Entries of a kind that a broken file holds are unknown, not missing: don't call references to them wrong.
        return kind in checker.unparsed_tables or (kind, ident) in ids

    datelines = {clean["file"]: clean["dateline"] for _d, _h, tables in built for _r, clean in tables["article"]
                 if "file" in clean and "dateline" in clean}
    for _directory, _head, tables in built:
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
        by_tour: dict[str, list[tuple[_Raw, dict[str, Any]]]] = {}
        for raw, clean in tables["show"]:
            if "tour" in clean and not known("tour", clean["tour"]):
                checker.problem(raw, f"unknown tour {clean['tour']!r}", "tour")
            if "tour" in clean:
                by_tour.setdefault(clean["tour"], []).append((raw, clean))
        for tour_id, shows in by_tour.items():
            dates = [c["date"] for _r, c in shows if "date" in c]
            for milestone, extreme, word in (("first", min, "earliest"), ("finale", max, "latest")):
                marked = [(r, c) for r, c in shows if c.get("milestone") == milestone]
                for raw, _clean in marked[1:]:
                    checker.problem(raw, f"tour {tour_id!r} already has a {milestone!r} show "
                                         f"({marked[0][0].label})", "milestone")
                if marked and dates and "date" in marked[0][1] and marked[0][1]["date"] != extreme(dates):
                    checker.problem(marked[0][0], f"the {milestone!r} show is not the {word} date of tour "
                                                  f"{tour_id!r}", "milestone")
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

    if checker.problems:
        return [], sorted(set(checker.problems), key=lambda p: (p.file, p.line or 0, p.message))

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
                id=head["id"], name=head["name"], path=show_path(directory), name_ko=head.get("name_ko"),
                description=head.get("description"), description_ko=head.get("description_ko"),
                artists=records["artist"], songs=records["song"], tours=records["tour"],
                shows=records["show"], facts=records["fact"], questions=records["question"],
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
