"""Discord's documented limits for application commands, checked on every create, edit and bulk overwrite.

https://discord.com/developers/docs/interactions/application-commands (names, descriptions, options,
localisations, 4,000 characters per command, 100 global chat commands, 5 context menu commands of each kind).
Problems are added to a :class:`~bot.playground.emulator.limits.FormErrors` as Discord's error paths and codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .limits import (
    AUTOCOMPLETE_CHOICES_MAX,
    VALID_LOCALES,
    FieldPath,
    FormErrors,
    bad_length,
    check_choice,
    max_items,
    text_of,
)

COMMAND_NAME_MAX = 32
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_TOTAL_CHARS_MAX = 4000
GLOBAL_CHAT_COMMANDS_MAX = 100
CONTEXT_MENU_COMMANDS_MAX = 5

# Discord's CHAT_INPUT name regex is ^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ ; Python's
# unicode \w covers letters, digits (and '_'), Devanagari/Thai combining marks are added.
_CHAT_NAME_RE = re.compile(r"^[-_\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")


def _check_name(name: Any, errs: FormErrors, p: FieldPath, *, chat: bool) -> None:
    if not isinstance(name, str) or not name:
        errs.add(
            p, "BASE_TYPE_REQUIRED" if name is None else "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."
        )
        return
    if len(name) > COMMAND_NAME_MAX:
        errs.add(p, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
        return
    if chat:
        if not _CHAT_NAME_RE.match(name):
            errs.add(p, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        elif name != name.lower():
            errs.add(p, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid (must be lowercase)")


def _check_localized(payload: dict, key: str, errs: FormErrors, p: FieldPath, checker: Callable[..., None]) -> None:
    locs = payload.get(key)
    if locs is None:
        return
    if not isinstance(locs, dict):
        errs.add(p + (key,), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    for loc, v in locs.items():
        if loc not in VALID_LOCALES:
            errs.add(p + (key, loc), "LOCALE_INVALID", f"Invalid locale {loc!r}")
        checker(v, p + (key, loc))


def _check_description(desc: Any, errs: FormErrors, p: FieldPath) -> None:
    bad_length(errs, p, desc, 1, COMMAND_DESCRIPTION_MAX)


def _command_chars(payload: dict) -> int:
    """Name + description + option/choice names & values, per locale-independent count (max 4000)."""
    total = len(text_of(payload.get("name"))) + len(text_of(payload.get("description")))
    for o in payload.get("options") or []:
        total += _command_chars(o)
        for c in o.get("choices") or []:
            total += len(text_of(c.get("name"))) + len(str(c.get("value", "")))
    return total


def _check_options(options: Any, errs: FormErrors, p: FieldPath, *, depth: int) -> None:
    if options is None:
        return
    if not isinstance(options, list):
        errs.add(p, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    max_items(errs, p, options, COMMAND_OPTIONS_MAX)
    seen_optional = False
    names = set()
    kinds = {o.get("type") for o in options if isinstance(o, dict)}
    if kinds & {1, 2} and kinds - {1, 2}:
        errs.add(
            p,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all other types",
        )
    for i, o in enumerate(options):
        op = p + (i,)
        if not isinstance(o, dict):
            errs.add(op, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        t = o.get("type")
        if t not in range(1, 12):
            errs.add(op + ("type",), "BASE_TYPE_CHOICES", "Value must be one of 1..11.")
        _check_name(o.get("name"), errs, op + ("name",), chat=True)
        _check_localized(o, "name_localizations", errs, op, lambda v, pp: _check_name(v, errs, pp, chat=True))
        _check_description(o.get("description"), errs, op + ("description",))
        _check_localized(o, "description_localizations", errs, op, lambda v, pp: _check_description(v, errs, pp))
        if o.get("name") in names:
            errs.add(op + ("name",), "APPLICATION_COMMAND_OPTION_NAME_NOT_UNIQUE", "Option names must be unique")
        names.add(o.get("name"))
        if t in (1, 2):
            if o.get("required"):
                errs.add(op + ("required",), "APPLICATION_COMMAND_OPTION_INVALID", "Sub-commands cannot be required")
            if t == 2 and depth > 0:
                errs.add(
                    op + ("type",), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command groups cannot be nested"
                )
            if t == 1 and depth > 1:
                errs.add(op + ("type",), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Too deeply nested")
            _check_options(o.get("options"), errs, op + ("options",), depth=depth + 1)
            continue
        if o.get("required"):
            if seen_optional:
                errs.add(
                    op + ("required",),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        _check_value_option(o, t, errs, op)


def _check_value_option(o: dict, t: Any, errs: FormErrors, op: FieldPath) -> None:
    """Choices (string, integer, number only; not with autocomplete) and string length bounds."""
    choices = o.get("choices")
    if choices:
        if t not in (3, 4, 10):
            errs.add(
                op + ("choices",),
                "APPLICATION_COMMAND_OPTION_INVALID",
                "Choices are only for string/integer/number",
            )
        if o.get("autocomplete"):
            errs.add(
                op + ("autocomplete",),
                "APPLICATION_COMMAND_OPTION_INVALID",
                "Autocomplete cannot be used with choices",
            )
        max_items(errs, op + ("choices",), choices, AUTOCOMPLETE_CHOICES_MAX)
        for k, c in enumerate(choices):
            check_choice(c, errs, op + ("choices", k), option_type=t)
    if t == 3:
        lo, hi = o.get("min_length"), o.get("max_length")
        if lo is not None and not 0 <= lo <= 6000:
            errs.add(op + ("min_length",), "NUMBER_TYPE_MAX", "min_length must be between 0 and 6000")
        if hi is not None and not 1 <= hi <= 6000:
            errs.add(op + ("max_length",), "NUMBER_TYPE_MAX", "max_length must be between 1 and 6000")


def check_command(cmd: Any, errs: FormErrors, path: FieldPath = ()) -> None:
    if not isinstance(cmd, dict):
        errs.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    t = cmd.get("type", 1)
    chat = t == 1
    _check_name(cmd.get("name"), errs, path + ("name",), chat=chat)
    _check_localized(cmd, "name_localizations", errs, path, lambda v, pp: _check_name(v, errs, pp, chat=chat))
    if chat:
        _check_description(cmd.get("description"), errs, path + ("description",))
        _check_localized(cmd, "description_localizations", errs, path, lambda v, pp: _check_description(v, errs, pp))
        _check_options(cmd.get("options"), errs, path + ("options",), depth=0)
        if _command_chars(cmd) > COMMAND_TOTAL_CHARS_MAX:
            errs.add(path, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)")
    else:
        if cmd.get("description"):
            errs.add(
                path + ("description",),
                "APPLICATION_COMMAND_INVALID_DESCRIPTION",
                "Context menu commands cannot have a description",
            )
        if cmd.get("options"):
            errs.add(
                path + ("options",), "APPLICATION_COMMAND_INVALID_OPTIONS", "Context menu commands cannot have options"
            )


def check_commands_bulk(cmds: Any, errs: FormErrors) -> None:
    if not isinstance(cmds, list):
        errs.add((), "BASE_TYPE_ARRAY", "Must be an array.")
        return
    seen = set()
    counts = {1: 0, 2: 0, 3: 0}
    for i, c in enumerate(cmds):
        check_command(c, errs, (i,))
        if isinstance(c, dict):
            key = (c.get("type", 1), c.get("name"))
            if key in seen:
                errs.add((i, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
            seen.add(key)
            counts[c.get("type", 1)] = counts.get(c.get("type", 1), 0) + 1
    if counts.get(1, 0) > GLOBAL_CHAT_COMMANDS_MAX:
        errs.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {GLOBAL_CHAT_COMMANDS_MAX} or fewer chat input commands.")
    for t in (2, 3):
        if counts.get(t, 0) > CONTEXT_MENU_COMMANDS_MAX:
            errs.add(
                (),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {CONTEXT_MENU_COMMANDS_MAX} or fewer context menu commands of type {t}.",
            )
