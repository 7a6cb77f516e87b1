"""Payload checks the way Discord's API does them.

Every ``check_*`` function appends problems to a :class:`FormErrors`; the emulator turns
a non-empty ``FormErrors`` into Discord's 400 body::

    {"message": "Invalid Form Body", "code": 50035,
     "errors": {"embeds": {"0": {"description": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "..."}]}}}}}

Limits follow discord.com/developers/docs (messages, embeds, components, modals,
application commands, autocomplete, scheduled events) as of 2025.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Callable, Iterable, List, Optional, Tuple

import discord

# ----------------------------------------------------------------------------- limits
CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
ACTION_ROWS_MAX = 5
BUTTONS_PER_ROW_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
SELECT_OPTION_LABEL_MAX = 100
SELECT_OPTION_VALUE_MAX = 100
SELECT_OPTION_DESCRIPTION_MAX = 100
SELECT_PLACEHOLDER_MAX = 150
MODAL_TITLE_MAX = 45
MODAL_ROWS_MAX = 5
TEXT_INPUT_LABEL_MAX = 45
TEXT_INPUT_VALUE_MAX = 4000
TEXT_INPUT_PLACEHOLDER_MAX = 100
LABEL_DESCRIPTION_MAX = 100
AUTOCOMPLETE_CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_STRING_VALUE_MAX = 100
COMMAND_NAME_MAX = 32
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_TOTAL_CHARS_MAX = 4000
GLOBAL_CHAT_COMMANDS_MAX = 100
CONTEXT_MENU_COMMANDS_MAX = 5
V2_COMPONENTS_MAX = 40
V2_TEXT_MAX = 4000

# Discord's CHAT_INPUT name regex is ^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ ; Python's
# unicode \w covers letters, digits (and '_'), Devanagari/Thai combining marks are added.
_CHAT_NAME_RE = re.compile(r"^[-_\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")

VALID_LOCALES = frozenset(l.value for l in discord.Locale)

FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

Path = Tuple[Any, ...]


class FormErrors:
    """Accumulates (path, code, message) triples and renders Discord's error body."""

    def __init__(self) -> None:
        self.items: List[Tuple[Path, str, str]] = []
        # a non-form error Discord answers instead (e.g. 50006 "Cannot send an empty message")
        self.top: Optional[Tuple[int, str]] = None

    def add(self, path: Iterable[Any], code: str, message: str) -> None:
        self.items.append((tuple(path), code, message))

    def __bool__(self) -> bool:
        return bool(self.items) or self.top is not None

    def to_body(self) -> dict:
        if self.top is not None and not self.items:
            return {"message": self.top[1], "code": self.top[0]}
        errors: dict = {}
        for path, code, message in self.items:
            node = errors
            for part in path:
                node = node.setdefault(str(part), {})
            node.setdefault("_errors", []).append({"code": code, "message": message})
        return {"message": "Invalid Form Body", "code": 50035, "errors": errors}

    def describe(self) -> str:
        return "; ".join(f"{'.'.join(map(str, p)) or '<root>'}: {m}" for p, _, m in self.items) or (
            self.top[1] if self.top else ""
        )


# ----------------------------------------------------------------------------- helpers
def _maxlen(errs: FormErrors, path: Path, value: Any, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        errs.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _bad_length(errs: FormErrors, path: Path, value: Any, lo: int, hi: int, *, required: bool = True) -> None:
    if value is None:
        if required:
            errs.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    if not isinstance(value, str):
        errs.add(path, "BASE_TYPE_STRING", "Could not interpret value as string.")
        return
    if not lo <= len(value) <= hi:
        errs.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {lo} and {hi} in length.")


def _max_items(errs: FormErrors, path: Path, value: Any, limit: int) -> None:
    if isinstance(value, list) and len(value) > limit:
        errs.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _text(v: Any) -> str:
    return v if isinstance(v, str) else ""


# ----------------------------------------------------------------------------- embeds
def embed_length(embed: dict) -> int:
    """Characters counted towards the 6000 total (title, description, field names/values, footer, author)."""
    total = len(_text(embed.get("title"))) + len(_text(embed.get("description")))
    for f in embed.get("fields") or []:
        total += len(_text(f.get("name"))) + len(_text(f.get("value")))
    total += len(_text((embed.get("footer") or {}).get("text")))
    total += len(_text((embed.get("author") or {}).get("name")))
    return total


def check_embeds(embeds: Any, errs: FormErrors, path: Path = ("embeds",)) -> None:
    if embeds is None:
        return
    if not isinstance(embeds, list):
        errs.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    _max_items(errs, path, embeds, EMBEDS_MAX)
    total = 0
    for i, e in enumerate(embeds):
        p = path + (i,)
        if not isinstance(e, dict):
            errs.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        _maxlen(errs, p + ("title",), e.get("title"), EMBED_TITLE_MAX)
        _maxlen(errs, p + ("description",), e.get("description"), EMBED_DESCRIPTION_MAX)
        fields = e.get("fields") or []
        _max_items(errs, p + ("fields",), fields, EMBED_FIELDS_MAX)
        for j, f in enumerate(fields):
            fp = p + ("fields", j)
            _bad_length(errs, fp + ("name",), f.get("name"), 1, EMBED_FIELD_NAME_MAX)
            _bad_length(errs, fp + ("value",), f.get("value"), 1, EMBED_FIELD_VALUE_MAX)
        footer = e.get("footer")
        if footer:
            _maxlen(errs, p + ("footer", "text"), footer.get("text"), EMBED_FOOTER_MAX)
        author = e.get("author")
        if author:
            _maxlen(errs, p + ("author", "name"), author.get("name"), EMBED_AUTHOR_MAX)
        total += embed_length(e)
    if total > EMBED_TOTAL_MAX:
        errs.add(path, "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}")


# ----------------------------------------------------------------------------- components
def _check_button(b: dict, errs: FormErrors, p: Path, ids: set) -> None:
    style = b.get("style")
    if style not in (1, 2, 3, 4, 5, 6):
        errs.add(p + ("style",), "BASE_TYPE_CHOICES", f"Value must be one of {{1, 2, 3, 4, 5, 6}}.")
    _maxlen(errs, p + ("label",), b.get("label"), BUTTON_LABEL_MAX)
    if style == 5:
        if not b.get("url"):
            errs.add(p + ("url",), "BASE_TYPE_REQUIRED", "This field is required")
        if b.get("custom_id"):
            errs.add(p + ("custom_id",), "COMPONENT_INVALID_FIELD", "Link buttons cannot have a custom_id")
    elif style == 6:
        if not b.get("sku_id"):
            errs.add(p + ("sku_id",), "BASE_TYPE_REQUIRED", "This field is required")
    else:
        _check_custom_id(b.get("custom_id"), errs, p, ids)
        if not b.get("label") and not b.get("emoji"):
            errs.add(p, "COMPONENT_INVALID_FIELD", "A label or emoji is required")


def _check_custom_id(cid: Any, errs: FormErrors, p: Path, ids: set) -> None:
    _bad_length(errs, p + ("custom_id",), cid, 1, CUSTOM_ID_MAX)
    if isinstance(cid, str):
        if cid in ids:
            errs.add(p + ("custom_id",), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
        ids.add(cid)


def _check_select(s: dict, errs: FormErrors, p: Path, ids: set) -> None:
    _check_custom_id(s.get("custom_id"), errs, p, ids)
    _maxlen(errs, p + ("placeholder",), s.get("placeholder"), SELECT_PLACEHOLDER_MAX)
    lo, hi = s.get("min_values", 1), s.get("max_values", 1)
    if not (isinstance(lo, int) and 0 <= lo <= 25):
        errs.add(p + ("min_values",), "NUMBER_TYPE_MAX", "min_values must be between 0 and 25")
    if not (isinstance(hi, int) and 1 <= hi <= 25):
        errs.add(p + ("max_values",), "NUMBER_TYPE_MAX", "max_values must be between 1 and 25")
    if s.get("type") == 3:
        options = s.get("options")
        if not options:
            errs.add(p + ("options",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
            return
        _max_items(errs, p + ("options",), options, SELECT_OPTIONS_MAX)
        if isinstance(hi, int) and hi > len(options):
            errs.add(p + ("max_values",), "NUMBER_TYPE_MAX", f"max_values must be <= {len(options)}")
        seen = set()
        for k, o in enumerate(options):
            op = p + ("options", k)
            _bad_length(errs, op + ("label",), o.get("label"), 1, SELECT_OPTION_LABEL_MAX)
            _bad_length(errs, op + ("value",), o.get("value"), 1, SELECT_OPTION_VALUE_MAX)
            _maxlen(errs, op + ("description",), o.get("description"), SELECT_OPTION_DESCRIPTION_MAX)
            if o.get("value") in seen:
                errs.add(op + ("value",), "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Option values must be unique")
            seen.add(o.get("value"))


_SELECT_TYPES = (3, 5, 6, 7, 8)


def check_components(components: Any, errs: FormErrors, path: Path = ("components",), *, flags: int = 0) -> None:
    if components is None:
        return
    if not isinstance(components, list):
        errs.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    ids: set = set()
    if flags & FLAG_COMPONENTS_V2:
        _check_v2(components, errs, path, ids)
        return
    _max_items(errs, path, components, ACTION_ROWS_MAX)
    for i, row in enumerate(components):
        p = path + (i,)
        if not isinstance(row, dict) or row.get("type") != 1:
            errs.add(p + ("type",), "UNION_TYPE_CHOICES", "Top-level components must be action rows (type 1) unless IS_COMPONENTS_V2 is set")
            continue
        children = row.get("components") or []
        if not children:
            errs.add(p + ("components",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        has_select = any(c.get("type") in _SELECT_TYPES for c in children)
        if has_select and len(children) > 1:
            errs.add(p + ("components",), "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                     "The specified component exceeds the maximum width")
        elif len(children) > BUTTONS_PER_ROW_MAX:
            errs.add(p + ("components",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        for j, c in enumerate(children):
            cp = p + ("components", j)
            t = c.get("type")
            if t == 2:
                _check_button(c, errs, cp, ids)
            elif t in _SELECT_TYPES:
                _check_select(c, errs, cp, ids)
            else:
                errs.add(cp + ("type",), "UNION_TYPE_CHOICES", f"Component type {t} is not allowed in a message action row")


def _check_v2(components: list, errs: FormErrors, path: Path, ids: set) -> None:
    count = 0
    text_total = 0

    def walk(items: list, p: Path) -> None:
        nonlocal count, text_total
        for i, c in enumerate(items):
            cp = p + (i,)
            count += 1
            t = c.get("type")
            if t == 2:
                _check_button(c, errs, cp, ids)
            elif t in _SELECT_TYPES:
                _check_select(c, errs, cp, ids)
            elif t == 10:
                text_total += len(_text(c.get("content")))
            if c.get("components"):
                walk(c["components"], cp + ("components",))
            if c.get("accessory"):
                walk([c["accessory"]], cp + ("accessory",))

    walk(components, path)
    if count > V2_COMPONENTS_MAX:
        errs.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {V2_COMPONENTS_MAX} or fewer components in total.")
    if text_total > V2_TEXT_MAX:
        errs.add(path, "BASE_TYPE_MAX_LENGTH", f"Text display content must be {V2_TEXT_MAX} or fewer characters in total.")


# ----------------------------------------------------------------------------- messages
def check_message(payload: Any, errs: FormErrors, *, creating: bool = True, has_files: bool = False,
                  path: Path = ()) -> None:
    """Message create/edit (channel messages, interaction responses, webhooks)."""
    if not isinstance(payload, dict):
        errs.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    content = payload.get("content")
    if content is not None and not isinstance(content, str):
        errs.add(path + ("content",), "BASE_TYPE_STRING", "Could not interpret value as string.")
    _maxlen(errs, path + ("content",), content, CONTENT_MAX)
    check_embeds(payload.get("embeds"), errs, path + ("embeds",))
    flags = payload.get("flags") or 0
    check_components(payload.get("components"), errs, path + ("components",), flags=flags)
    if flags & FLAG_COMPONENTS_V2 and (payload.get("content") or payload.get("embeds")):
        errs.add(path + ("content",), "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                 "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2")
    nonce = payload.get("nonce")
    if isinstance(nonce, str) and len(nonce) > 25:
        errs.add(path + ("nonce",), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    if creating and not errs:
        empty = not (content or payload.get("embeds") or payload.get("components") or has_files
                     or payload.get("sticker_ids") or payload.get("poll") or payload.get("attachments"))
        if empty:
            errs.top = (50006, "Cannot send an empty message")


# ----------------------------------------------------------------------------- modals & autocomplete
def _check_text_input(ti: dict, errs: FormErrors, p: Path, ids: set, *, needs_label: bool) -> None:
    _check_custom_id(ti.get("custom_id"), errs, p, ids)
    if needs_label:
        _bad_length(errs, p + ("label",), ti.get("label"), 1, TEXT_INPUT_LABEL_MAX)
    else:
        _maxlen(errs, p + ("label",), ti.get("label"), TEXT_INPUT_LABEL_MAX)
    if ti.get("style") not in (1, 2):
        errs.add(p + ("style",), "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
    lo, hi = ti.get("min_length"), ti.get("max_length")
    if lo is not None and not (0 <= lo <= TEXT_INPUT_VALUE_MAX):
        errs.add(p + ("min_length",), "NUMBER_TYPE_MAX", "min_length must be between 0 and 4000")
    if hi is not None and not (1 <= hi <= TEXT_INPUT_VALUE_MAX):
        errs.add(p + ("max_length",), "NUMBER_TYPE_MAX", "max_length must be between 1 and 4000")
    _maxlen(errs, p + ("value",), ti.get("value"), TEXT_INPUT_VALUE_MAX)
    _maxlen(errs, p + ("placeholder",), ti.get("placeholder"), TEXT_INPUT_PLACEHOLDER_MAX)


def check_modal(data: Any, errs: FormErrors, path: Path = ("data",)) -> None:
    if not isinstance(data, dict):
        errs.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    _bad_length(errs, path + ("title",), data.get("title"), 1, MODAL_TITLE_MAX)
    ids: set = set()
    _check_custom_id(data.get("custom_id"), errs, path, ids)
    comps = data.get("components") or []
    if not 1 <= len(comps) <= MODAL_ROWS_MAX:
        errs.add(path + ("components",), "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {MODAL_ROWS_MAX} in length.")
    ids = set()
    for i, row in enumerate(comps):
        p = path + ("components", i)
        t = row.get("type")
        if t == 1:
            children = row.get("components") or []
            if len(children) != 1:
                errs.add(p + ("components",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 1 in length.")
            for j, c in enumerate(children):
                if c.get("type") == 4:
                    _check_text_input(c, errs, p + ("components", j), ids, needs_label=True)
                else:
                    errs.add(p + ("components", j, "type"), "UNION_TYPE_CHOICES",
                             "Only text inputs may be placed in a modal action row")
        elif t == 18:  # Label
            _bad_length(errs, p + ("label",), row.get("label"), 1, TEXT_INPUT_LABEL_MAX)
            _maxlen(errs, p + ("description",), row.get("description"), LABEL_DESCRIPTION_MAX)
            inner = row.get("component") or {}
            if inner.get("type") == 4:
                _check_text_input(inner, errs, p + ("component",), ids, needs_label=False)
            elif inner.get("type") in _SELECT_TYPES:
                _check_select(inner, errs, p + ("component",), ids)
            elif inner.get("type") != 19:  # file upload
                errs.add(p + ("component",), "UNION_TYPE_CHOICES", "Unsupported component in a label")
        elif t == 10:  # Text display
            _maxlen(errs, p + ("content",), row.get("content"), V2_TEXT_MAX)
        else:
            errs.add(p + ("type",), "UNION_TYPE_CHOICES", f"Component type {t} is not allowed in a modal")


def check_choice(c: Any, errs: FormErrors, p: Path, *, option_type: Optional[int] = None) -> None:
    if not isinstance(c, dict):
        errs.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return
    _bad_length(errs, p + ("name",), c.get("name"), 1, CHOICE_NAME_MAX)
    for loc, v in (c.get("name_localizations") or {}).items():
        if loc not in VALID_LOCALES:
            errs.add(p + ("name_localizations", loc), "LOCALE_INVALID", "Invalid locale")
        _bad_length(errs, p + ("name_localizations", loc), v, 1, CHOICE_NAME_MAX)
    v = c.get("value")
    if v is None:
        errs.add(p + ("value",), "BASE_TYPE_REQUIRED", "This field is required")
    elif isinstance(v, str):
        _bad_length(errs, p + ("value",), v, 1 if option_type == 3 else 0, CHOICE_STRING_VALUE_MAX)
    elif option_type == 3:
        errs.add(p + ("value",), "BASE_TYPE_STRING", "Could not interpret value as string.")


def check_autocomplete(data: Any, errs: FormErrors, path: Path = ("data",), *, option_type: Optional[int] = None) -> None:
    if not isinstance(data, dict):
        errs.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    choices = data.get("choices")
    if choices is None:
        errs.add(path + ("choices",), "BASE_TYPE_REQUIRED", "This field is required")
        return
    _max_items(errs, path + ("choices",), choices, AUTOCOMPLETE_CHOICES_MAX)
    for i, c in enumerate(choices):
        check_choice(c, errs, path + ("choices", i), option_type=option_type)


# ----------------------------------------------------------------------------- application commands
def _check_name(name: Any, errs: FormErrors, p: Path, *, chat: bool) -> None:
    if not isinstance(name, str) or not name:
        errs.add(p, "BASE_TYPE_REQUIRED" if name is None else "BASE_TYPE_BAD_LENGTH",
                 "Must be between 1 and 32 in length.")
        return
    if len(name) > COMMAND_NAME_MAX:
        errs.add(p, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
        return
    if chat:
        if not _CHAT_NAME_RE.match(name):
            errs.add(p, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        elif name != name.lower():
            errs.add(p, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid (must be lowercase)")


def _check_localized(payload: dict, key: str, errs: FormErrors, p: Path, checker: Callable[..., None]) -> None:
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


def _check_description(desc: Any, errs: FormErrors, p: Path) -> None:
    _bad_length(errs, p, desc, 1, COMMAND_DESCRIPTION_MAX)


def _command_chars(payload: dict) -> int:
    """Name + description + option/choice names & values, per locale-independent count (max 4000)."""
    total = len(_text(payload.get("name"))) + len(_text(payload.get("description")))
    for o in payload.get("options") or []:
        total += _command_chars(o)
        for c in o.get("choices") or []:
            total += len(_text(c.get("name"))) + len(str(c.get("value", "")))
    return total


def _check_options(options: Any, errs: FormErrors, p: Path, *, depth: int) -> None:
    if options is None:
        return
    if not isinstance(options, list):
        errs.add(p, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    _max_items(errs, p, options, COMMAND_OPTIONS_MAX)
    seen_optional = False
    names = set()
    kinds = {o.get("type") for o in options if isinstance(o, dict)}
    if kinds & {1, 2} and kinds - {1, 2}:
        errs.add(p, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                 "Sub-command and sub-command group option types are mutually exclusive to all other types")
    for i, o in enumerate(options):
        op = p + (i,)
        if not isinstance(o, dict):
            errs.add(op, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
            continue
        t = o.get("type")
        if t not in range(1, 12):
            errs.add(op + ("type",), "BASE_TYPE_CHOICES", "Value must be one of 1..11.")
        _check_name(o.get("name"), errs, op + ("name",), chat=True)
        _check_localized(o, "name_localizations", errs, op,
                         lambda v, pp: _check_name(v, errs, pp, chat=True))
        _check_description(o.get("description"), errs, op + ("description",))
        _check_localized(o, "description_localizations", errs, op,
                         lambda v, pp: _check_description(v, errs, pp))
        if o.get("name") in names:
            errs.add(op + ("name",), "APPLICATION_COMMAND_OPTION_NAME_NOT_UNIQUE", "Option names must be unique")
        names.add(o.get("name"))
        if t in (1, 2):
            if o.get("required"):
                errs.add(op + ("required",), "APPLICATION_COMMAND_OPTION_INVALID", "Sub-commands cannot be required")
            if t == 2 and depth > 0:
                errs.add(op + ("type",), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command groups cannot be nested")
            if t == 1 and depth > 1:
                errs.add(op + ("type",), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Too deeply nested")
            _check_options(o.get("options"), errs, op + ("options",), depth=depth + 1)
            continue
        if o.get("required"):
            if seen_optional:
                errs.add(op + ("required",), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                         "Required options must be placed before non-required options")
        else:
            seen_optional = True
        choices = o.get("choices")
        if choices:
            if t not in (3, 4, 10):
                errs.add(op + ("choices",), "APPLICATION_COMMAND_OPTION_INVALID", "Choices are only for string/integer/number")
            if o.get("autocomplete"):
                errs.add(op + ("autocomplete",), "APPLICATION_COMMAND_OPTION_INVALID",
                         "Autocomplete cannot be used with choices")
            _max_items(errs, op + ("choices",), choices, AUTOCOMPLETE_CHOICES_MAX)
            for k, c in enumerate(choices):
                check_choice(c, errs, op + ("choices", k), option_type=t)
        if t == 3:
            lo, hi = o.get("min_length"), o.get("max_length")
            if lo is not None and not 0 <= lo <= 6000:
                errs.add(op + ("min_length",), "NUMBER_TYPE_MAX", "min_length must be between 0 and 6000")
            if hi is not None and not 1 <= hi <= 6000:
                errs.add(op + ("max_length",), "NUMBER_TYPE_MAX", "max_length must be between 1 and 6000")


def check_command(cmd: Any, errs: FormErrors, path: Path = ()) -> None:
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
            errs.add(path + ("description",), "APPLICATION_COMMAND_INVALID_DESCRIPTION",
                     "Context menu commands cannot have a description")
        if cmd.get("options"):
            errs.add(path + ("options",), "APPLICATION_COMMAND_INVALID_OPTIONS", "Context menu commands cannot have options")


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
                errs.add((i, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", f"Application command names must be unique")
            seen.add(key)
            counts[c.get("type", 1)] = counts.get(c.get("type", 1), 0) + 1
    if counts.get(1, 0) > GLOBAL_CHAT_COMMANDS_MAX:
        errs.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {GLOBAL_CHAT_COMMANDS_MAX} or fewer chat input commands.")
    for t in (2, 3):
        if counts.get(t, 0) > CONTEXT_MENU_COMMANDS_MAX:
            errs.add((), "BASE_TYPE_MAX_LENGTH", f"Must be {CONTEXT_MENU_COMMANDS_MAX} or fewer context menu commands of type {t}.")


# ----------------------------------------------------------------------------- scheduled events
def _parse_time(v: Any) -> Optional[_dt.datetime]:
    if not isinstance(v, str):
        return None
    try:
        t = _dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=_dt.timezone.utc)


def check_scheduled_event(ev: dict, errs: FormErrors, *, creating: bool, now: Optional[_dt.datetime] = None) -> None:
    """``ev`` is the merged event (for PATCH: existing fields updated with the payload)."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    _bad_length(errs, ("name",), ev.get("name"), 1, 100)
    _maxlen(errs, ("description",), ev.get("description"), 1000)
    if ev.get("privacy_level") != 2:
        errs.add(("privacy_level",), "BASE_TYPE_CHOICES", "Value must be one of {2}.")
    et = ev.get("entity_type")
    if et not in (1, 2, 3):
        errs.add(("entity_type",), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
    start = _parse_time(ev.get("scheduled_start_time"))
    end = _parse_time(ev.get("scheduled_end_time")) if ev.get("scheduled_end_time") else None
    if start is None:
        errs.add(("scheduled_start_time",), "BASE_TYPE_REQUIRED" if ev.get("scheduled_start_time") is None
                 else "DATE_TIME_TYPE_PARSE", "This field is required")
    elif creating and start < now:
        errs.add(("scheduled_start_time",), "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", "Cannot schedule event in the past.")
    if ev.get("scheduled_end_time") and end is None:
        errs.add(("scheduled_end_time",), "DATE_TIME_TYPE_PARSE", "Could not parse datetime.")
    if start and end and end <= start:
        errs.add(("scheduled_end_time",), "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
                 "The scheduled end time must be after the start time.")
    if et == 3:
        loc = (ev.get("entity_metadata") or {}).get("location")
        _bad_length(errs, ("entity_metadata", "location"), loc, 1, 100)
        if not ev.get("scheduled_end_time"):
            errs.add(("scheduled_end_time",), "BASE_TYPE_REQUIRED", "This field is required for external events")
        if ev.get("channel_id"):
            errs.add(("channel_id",), "GUILD_SCHEDULED_EVENT_INVALID", "External events cannot have a channel_id")
    elif et in (1, 2) and not ev.get("channel_id"):
        errs.add(("channel_id",), "BASE_TYPE_REQUIRED", "This field is required")
