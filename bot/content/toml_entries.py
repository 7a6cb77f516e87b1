"""TOML pack files -> raw entries, each knowing its file and the line of every key.

Nothing is validated here beyond the shape of the tables; :mod:`bot.content.validation` checks the values.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:  # the compiled build of tomllib's upstream parses large packs about 3x faster
    import tomli as tomllib
except ImportError:  # pragma: no cover - the standard library's pure-Python parser
    import tomllib  # type: ignore[no-redef]

from bot.content.fields import ARRAY_TABLES, SPECS
from bot.content.files import MAX_PACK_FILE_BYTES, read_regular_file
from bot.content.problems import Problem

__all__ = ["Lines", "Raw", "read_pack_dir", "tomllib"]


class Lines:
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


@dataclasses.dataclass
class Raw:
    """One table entry as read, with where it came from."""

    table: str
    data: dict[str, Any]
    file: str
    line: int | None
    lines: Lines
    index: int

    @property
    def label(self) -> str:
        ident = self.data.get("id", self.data.get("file"))
        return f"{self.table} {ident!r}" if isinstance(ident, str) else f"{self.table} #{self.index + 1}"

    def key_line(self, key: str) -> int | None:
        return self.lines.key(self.table, self.index, key) or self.line


def read_pack_dir(
    directory: Path, display: Callable[[Path], str], problems: list[Problem], unparsed_tables: set[str]
) -> list[Raw]:
    """Every entry of every ``*.toml`` file in ``directory``, in file order, with its file and line.

    Problems (an unreadable file, broken TOML, an unknown table) are appended to ``problems``; the table
    names of a file that doesn't parse go to ``unparsed_tables``, so references into it aren't called wrong.
    """
    raws: list[Raw] = []
    files = sorted(directory.glob("*.toml"))
    if not files:
        problems.append(Problem(display(directory), None, None, "no .toml files in this pack folder"))
        return raws
    for path in files:
        name = display(path)
        parsed = _parse_file(path, directory, name, problems, unparsed_tables)
        if parsed is not None:
            raws += _entries(*parsed, name, problems)
    return raws


def _parse_file(
    path: Path, directory: Path, name: str, problems: list[Problem], unparsed_tables: set[str]
) -> tuple[dict[str, Any], Lines] | None:
    """A pack file's TOML document and its lines, or None with the reason appended to ``problems``."""
    text, why = read_regular_file(path, directory, MAX_PACK_FILE_BYTES)
    if text is None:
        message = why if why == "not UTF-8 text" else f"{path.name} {why}"
        if why not in (None, "not UTF-8 text") and " read" not in why:
            message += "; nothing in it was read"
        problems.append(Problem(name, None, None, message))
        return None
    try:
        return tomllib.loads(text), Lines(text)
    except RecursionError:  # tomli's own limit on nested arrays/tables and on dotted keys
        unparsed_tables.update(Lines(text).headers)
        problems.append(Problem(name, None, None, "TOML nested too deeply; a pack needs a few levels"))
    except tomllib.TOMLDecodeError as error:
        unparsed_tables.update(Lines(text).headers)
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        message = f"broken TOML: {error} (references into this file are checked once it parses)"
        problems.append(Problem(name, line, None, message))
    return None


def _entries(data: dict[str, Any], lines: Lines, name: str, problems: list[Problem]) -> list[Raw]:
    """The entries of one parsed file: its [pack] table and each [[table]] entry; a wrong shape is a problem."""
    raws: list[Raw] = []
    for table, value in data.items():
        where = lines.entry(table, 0)
        if table not in SPECS:
            allowed = "[pack], " + ", ".join(f"[[{t}]]" for t in ARRAY_TABLES)
            problems.append(Problem(name, where, None, f"unknown table [{table}]; allowed: {allowed}"))
        elif table == "pack":
            if isinstance(value, dict):
                raws.append(Raw(table, value, name, where, lines, 0))
            else:
                problems.append(Problem(name, where, None, "[pack] must be a table"))
        elif not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.append(Problem(name, where, None, f"{table} entries must be written [[{table}]]"))
        else:
            raws += (
                Raw(table, entry, name, lines.entry(table, index), lines, index) for index, entry in enumerate(value)
            )
    return raws
