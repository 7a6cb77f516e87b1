"""Reading what the person typed: a slash command against the synced payloads, as Discord's client would send it.

Pure functions (no emulator, no bot): :func:`parse_command`, :func:`split_options`, :func:`convert`,
:func:`clean_line`. Mistakes raise :class:`PlaygroundError` with one line the person can act on.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
)
TYPE_NAMES = {
    STRING: "text",
    INTEGER: "whole number",
    BOOLEAN: "yes/no",
    USER: "member",
    CHANNEL: "channel",
    ROLE: "role",
    MENTIONABLE: "member or role",
    NUMBER: "number",
    ATTACHMENT: "file",
}
TRUE_WORDS = {"true", "yes", "y", "on", "1", "네", "예"}
FALSE_WORDS = {"false", "no", "n", "off", "0", "아니요", "아니오"}


class PlaygroundError(Exception):
    """Something the person typed can't be done; the message is one line they can act on."""


# ============================================================================ text helpers
_CONTROL = re.compile(
    r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[O\]]?.?|[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]"
)


def clean_line(line: str) -> str:
    """Strip terminal escape sequences and control characters; tabs become spaces."""
    return _CONTROL.sub("", line.replace("\t", " ")).strip()


def close(word: str, candidates: Iterable[str], n: int = 1) -> list[str]:
    options = list(candidates)
    lowered = {c.lower(): c for c in options}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.5)
    return [lowered[f] for f in found]


def did_you_mean(word: str, candidates: Iterable[str], fmt: str = "{}") -> str:
    found = close(word, candidates)
    return f" Did you mean {fmt.format(found[0])}?" if found else ""


@dataclasses.dataclass
class ParsedCommand:
    name: str  # the command's real (English) name
    subcommand: str | None  # "start" or "group sub"
    values: dict[str, Any]  # option name -> converted value (str for user/role/channel names, resolved later)
    spec: list[dict]  # the options of the (sub)command
    last: str | None  # the option whose text ends the line (for completion)
    raw: dict[str, str]  # option name -> text as typed

    def option(self, name: str) -> dict:
        return next(o for o in self.spec if o.get("name") == name)


def names_of(item: dict) -> list[str]:
    return [item.get("name", ""), *(item.get("name_localizations") or {}).values()]


def find_named(items: Sequence[dict], word: str) -> dict | None:
    low = word.lower()
    for item in items:
        if low in (n.lower() for n in names_of(item)):
            return item
    return None


_KEY = re.compile(r"(?:(?<=\s)|^)([^\s:=]+):")


def split_options(
    text: str,
    known: Callable[[str], bool],
    first_is_key: bool = True,
    looks_like: Callable[[str], bool] = lambda _word: False,
) -> tuple[str, list[tuple[str, str]]]:
    """``free text key:value key2:more text`` -> ("free text", [(key, value), (key2, "more text")]).

    A ``word:`` starts an option when the word is a known option name; an unknown one is taken as an
    option (a typo to report) only where it stands first and is glued to its value (``/tour nmae:x``) or
    ``looks_like`` an option name, so that colons inside free text (``/song re: love``) survive.
    """
    marks = []
    for match in _KEY.finditer(text):
        word = match[1]
        glued = text[match.end() : match.end() + 1] not in ("", " ")
        if known(word) or (
            first_is_key and not text[: match.start()].strip() and word[0].isalpha() and (glued or looks_like(word))
        ):
            marks.append(match)
    if not marks:
        return text.strip(), []
    free = text[: marks[0].start()].strip()
    pairs = []
    for i, match in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        pairs.append((match[1], _unquote(text[match.end() : end].strip())))
    return free, pairs


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'“”":
        return value[1:-1]
    if len(value) >= 2 and value[0] == "“" and value[-1] == "”":
        return value[1:-1]
    return value


def convert(option: dict, text: str, command: str) -> Any:
    """Text typed for an option -> the value Discord's client would send (choices by value or name)."""
    kind = option.get("type", STRING)
    name = option.get("name")
    choices = option.get("choices") or []
    if choices:
        for choice in choices:
            names = [str(choice.get("value")), *names_of(choice)]
            if text.lower() in (n.lower() for n in names):
                return choice["value"]
        shown = ", ".join(str(c.get("value")) for c in choices)
        hint = did_you_mean(text, [str(c.get("value")) for c in choices] + [c.get("name", "") for c in choices])
        raise PlaygroundError(f"/{command} {name}: {text!r} is not one of the choices ({shown}).{hint}")
    try:
        if kind == INTEGER:
            value: Any = int(text.replace(",", "").replace("_", ""))
        elif kind == NUMBER:
            value = float(text.replace(",", ""))
        elif kind == BOOLEAN:
            low = text.lower()
            if low not in TRUE_WORDS | FALSE_WORDS:
                raise ValueError
            return low in TRUE_WORDS
        elif kind == ATTACHMENT:
            raise PlaygroundError(f"/{command} {name}: the playground can't upload files")
        else:
            return text
    except ValueError:
        raise PlaygroundError(f"/{command} {name}: expected a {TYPE_NAMES.get(kind, 'value')}, got {text!r}") from None
    if (option.get("min_value") is not None and value < option["min_value"]) or (
        option.get("max_value") is not None and value > option["max_value"]
    ):
        raise PlaygroundError(
            f"/{command} {name}: {value} is out of range "
            f"({option.get('min_value', '…')} to {option.get('max_value', '…')})"
        )
    return value


def parse_command(line: str, commands: Sequence[dict]) -> ParsedCommand:
    """``/tour name:her city:seoul`` against the synced command payloads; PlaygroundError explains mistakes.

    A line ending in ``?`` asks for completion: option values are kept as text and nothing is required.
    """
    name, path, spec, rest = _command_path(line, commands)
    label = " ".join([name, *path])
    completing = rest.rstrip().endswith("?")
    if completing:
        rest = rest.rstrip()[:-1]
    raw, order, pairs = _typed_options(label, spec, rest)
    last = order[-1] if order else (spec[0]["name"] if spec else None)
    if completing and pairs and rest.rstrip().endswith(":") and last is not None:
        raw[last] = ""
    values: dict[str, Any] = {}
    for key, text in raw.items():
        if text == "" and not (completing and key == last):
            continue  # Discord's client leaves an emptied option out
        option = find_named(spec, key)
        assert option is not None
        if completing or option.get("autocomplete") or option.get("type") in (USER, CHANNEL, ROLE, MENTIONABLE):
            values[key] = text
        else:
            values[key] = convert(option, text, label)
    if not completing:
        missing = [o["name"] for o in spec if o.get("required") and o["name"] not in values]
        if missing:
            raise PlaygroundError(
                f"/{label} needs {', '.join(m + ':' for m in missing)} (e.g. /{label} {missing[0]}:…)"
            )
    return ParsedCommand(name=name, subcommand=" ".join(path) or None, values=values, spec=spec, last=last, raw=raw)


def _command_path(line: str, commands: Sequence[dict]) -> tuple[str, list[str], list[dict], str]:
    """The command (by name or localised name), its subcommand path, the leaf's options and the rest."""
    body = line.strip()
    if body.startswith("/"):
        body = body[1:]
    body = body.strip()
    slash = [c for c in commands if c.get("type", 1) == 1]
    if not body:
        raise PlaygroundError("type a command after the slash, like /song love wins all (:commands lists them)")
    word, _, rest = body.partition(" ")
    word = word.rstrip(":")
    cmd = find_named(slash, word)
    if cmd is None:
        hint = did_you_mean(word, [c["name"] for c in slash], "/{}")
        raise PlaygroundError(f"there is no /{word}.{hint} (:commands lists them)")
    name = cmd["name"]
    spec: list[dict] = cmd.get("options") or []
    path: list[str] = []
    while any(o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in spec):
        subs = [o for o in spec if o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        word, _, after = rest.strip().partition(" ")
        sub = find_named(subs, word) if word else None
        if sub is None:
            listing = ", ".join(s["name"] for s in subs)
            hint = did_you_mean(word, [s["name"] for s in subs]) if word else ""
            where = " ".join([name, *path])
            raise PlaygroundError(f"/{where} needs one of: {listing}.{hint}")
        path.append(sub["name"])
        spec = sub.get("options") or []
        rest = after
    return name, path, spec, rest


def _typed_options(label: str, spec: list[dict], rest: str) -> tuple[dict[str, str], list[str], list[tuple[str, str]]]:
    """Option name -> text as typed (free text fills the first option), the order typed, the key:value pairs."""

    def known(key: str) -> bool:
        return find_named(spec, key) is not None

    free, pairs = split_options(
        rest, known, looks_like=lambda key: bool(close(key, [n for o in spec for n in names_of(o)]))
    )
    raw: dict[str, str] = {}
    order: list[str] = []
    for key, value in pairs:
        option = find_named(spec, key)
        if option is None:
            if not spec:
                raise PlaygroundError(f"/{label} takes no options")
            hint = did_you_mean(key, [n for o in spec for n in names_of(o)], "{}:")
            have = ", ".join(o["name"] + ":" for o in spec)
            raise PlaygroundError(f"/{label} has no option {key}:.{hint} Options: {have}")
        if option["name"] in raw:
            raise PlaygroundError(f"/{label}: {option['name']}: given twice")
        raw[option["name"]] = value
        order.append(option["name"])
    if free:
        first = spec[0] if spec else None
        if first is None:
            raise PlaygroundError(f"/{label} takes no options (drop {free!r})")
        if first.get("type") not in (STRING, INTEGER, NUMBER, BOOLEAN, CHANNEL) or first["name"] in raw:
            have = " ".join(o["name"] + ":…" for o in spec)
            raise PlaygroundError(f"/{label}: say which option {free!r} is for, e.g. /{label} {have}")
        raw = {first["name"]: free, **raw}
        order.insert(0, first["name"])
    return raw, order, pairs
