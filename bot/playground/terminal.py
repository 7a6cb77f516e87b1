"""``python -m bot playground``: use the production bot from a terminal, against the loopback Discord emulator.

No Discord account, no token, no network (only 127.0.0.1). Type slash commands the way Discord's client
would send them (``/song love wins all``, ``/tour name:her city:seoul``), press buttons by number, and
travel in time with ``:advance 3d``. When standard input is not a terminal (or ``--script FILE`` is
given) lines are read as a script: each is echoed as ``> line`` and followed by the bot's answer.

The pure parts (:func:`parse_command`, :func:`render_timestamps`, :func:`parse_duration`, :func:`render`)
know nothing about the emulator and are unit-tested directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import difflib
import logging
import os
import queue
import re
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.playground.emulator import walk_components
from bot.settings import Settings

EXIT_OK, EXIT_FAIL = 0, 1

# option types in a synced command payload
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
TYPE_NAMES = {STRING: "text", INTEGER: "whole number", BOOLEAN: "yes/no", USER: "member", CHANNEL: "channel",
              ROLE: "role", MENTIONABLE: "member or role", NUMBER: "number", ATTACHMENT: "file"}
TRUE_WORDS = {"true", "yes", "y", "on", "1", "네", "예"}
FALSE_WORDS = {"false", "no", "n", "off", "0", "아니요", "아니오"}

HELP = """\
Slash commands (as Discord sends them):
  /song love wins all          free text fills the first option
  /tour name:her city:seoul    name:value for any option; /trivia start rounds:5 for subcommands
  /song lov?                   list autocomplete suggestions (also :complete /song lov)
Buttons, menus, forms:
  2  or  :press 2  or  :press Sources    press a button on the last message that had buttons
  :select N value[,value]      pick from select menu N
  :fill field=value ...        fill the open form (or answer its prompts); :cancel abandons it
Playground:
  :as member|mod|admin         who you are          :locale ko|en     your Discord language
  :guild 1|2|name              switch server        :channel NAME     switch channel
  :advance 3d|2h|30m|1w        travel in time       :time             the playground clock
  :messages                    recent messages here :commands         the synced commands
  :help                        this help            :quit             leave (or Ctrl-D)
Start with --fresh to rebuild the playground database from the packs."""


class PlaygroundError(Exception):
    """Something the person typed can't be done; the message is one line they can act on."""


# ============================================================================ text helpers
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[O\]]?.?|[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def clean_line(line: str) -> str:
    """Strip terminal escape sequences and control characters; tabs become spaces."""
    return _CONTROL.sub("", line.replace("\t", " ")).strip()


def close(word: str, candidates: Iterable[str], n: int = 1) -> list[str]:
    options = list(candidates)
    lowered = {c.lower(): c for c in options}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.5)
    return [lowered[f] for f in found]


def _did_you_mean(word: str, candidates: Iterable[str], fmt: str = "{}") -> str:
    found = close(word, candidates)
    return f" Did you mean {fmt.format(found[0])}?" if found else ""


# ============================================================================ durations and time
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|s)", re.I)
_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_UNIT_WORDS = {"weeks": "w", "week": "w", "days": "d", "day": "d", "hours": "h", "hour": "h", "minutes": "m",
               "minute": "m", "mins": "m", "min": "m", "seconds": "s", "second": "s", "secs": "s", "sec": "s"}


def parse_duration(text: str) -> dt.timedelta:
    """``3d``, ``2h``, ``30m``, ``1w``, ``1d12h``, ``2 days``, ``-1d``; raises PlaygroundError otherwise."""
    raw = text.strip().lower()
    sign = -1 if raw.startswith("-") else 1
    raw = raw.lstrip("+-").strip()
    for word, unit in sorted(_UNIT_WORDS.items(), key=lambda kv: -len(kv[0])):
        raw = re.sub(rf"(?<=[\d\s]){word}\b", unit, raw)
    raw = raw.replace(" ", "")
    if not raw or _DURATION_PART.sub("", raw):
        raise PlaygroundError(f"can't read {text.strip()!r} as a time span; try 3d, 2h, 30m, 1w or 1d12h")
    seconds = sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in _DURATION_PART.findall(raw))
    if seconds > 100 * 365 * 86400:
        raise PlaygroundError("that's more than a century; try something smaller")
    return dt.timedelta(seconds=sign * seconds)


def describe_span(delta: dt.timedelta) -> str:
    seconds = abs(delta.total_seconds())
    parts = []
    for name, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{int(count)} {name}{'s' if count != 1 else ''}")
    return ", ".join(parts) or "less than a minute"


_UNITS_KO = {"minute": "분", "hour": "시간", "day": "일", "month": "달", "year": "년"}
_ONE_KO = {"minute": "1분", "hour": "한 시간", "day": "하루", "month": "한 달", "year": "일 년"}
_WEEKDAYS_KO = "월화수목금토일"


def relative(when: dt.datetime, now: dt.datetime, lang: str = "en") -> str:
    """Like Discord's ``<t:...:R>``: "in 3 days", "2 years ago", "in a few seconds" (Korean: "3일 후")."""
    seconds = (when - now).total_seconds()
    past = seconds < 0
    s = abs(seconds)
    minutes, hours, days = s / 60, s / 3600, s / 86400
    if s < 45:
        n, unit = 0, "second"
    elif minutes < 45:
        n, unit = round(minutes) or 1, "minute"
    elif hours < 22:
        n, unit = round(hours) or 1, "hour"
    elif days < 26:
        n, unit = round(days) or 1, "day"
    elif days < 320:
        n, unit = round(days / 30.4375) or 1, "month"
    else:
        n, unit = round(days / 365.25) or 1, "year"
    if lang == "ko":
        amount = "몇 초" if unit == "second" else (_ONE_KO[unit] if n == 1 else f"{n}{_UNITS_KO[unit]}")
        return f"{amount} {'전' if past else '후'}"
    if unit == "second":
        amount = "a few seconds"
    elif n == 1:
        amount = "an hour" if unit == "hour" else f"a {unit}"
    else:
        amount = f"{n} {unit}s"
    return f"{amount} ago" if past else f"in {amount}"


def format_stamp(when: dt.datetime, style: str, now: dt.datetime, tz: dt.tzinfo | None = None,
                 lang: str = "en") -> str:
    """One Discord timestamp style as a reader in ``tz`` (default: this computer's zone) would see it."""
    if style == "R":
        return relative(when, now, lang)
    local = when.astimezone(tz) if tz is not None else when.astimezone()
    if lang == "ko":
        noon = "오전" if local.hour < 12 else "오후"
        clock = f"{noon} {local.hour % 12 or 12}:{local:%M}"
        day = f"{local.year}년 {local.month}월 {local.day}일"
        return {"t": clock, "T": f"{clock}:{local:%S}", "d": f"{local:%Y. %m. %d.}", "D": day,
                "F": f"{day} {_WEEKDAYS_KO[local.weekday()]}요일 {clock}"}.get(style, f"{day} {clock}")
    day = f"{local.day} {local:%B %Y}"
    return {"t": f"{local:%H:%M}", "T": f"{local:%H:%M:%S}", "d": f"{local:%d/%m/%Y}", "D": day,
            "F": f"{local:%A}, {day} {local:%H:%M}"}.get(style, f"{day} {local:%H:%M}")


_STAMP = re.compile(r"<t:(-?\d{1,13})(?::([tTdDfFR]))?>")


def render_timestamps(text: str, now: dt.datetime, tz: dt.tzinfo | None = None, lang: str = "en") -> str:
    """Replace Discord's ``<t:UNIX:STYLE>`` with what a reader would see in ``tz``, relative to ``now``."""

    def one(match: re.Match[str]) -> str:
        try:
            when = dt.datetime.fromtimestamp(int(match[1]), dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return match[0]
        return format_stamp(when, match[2] or "f", now, tz, lang)

    return _STAMP.sub(one, text)


# ============================================================================ markdown and mentions
@dataclasses.dataclass(frozen=True)
class Style:
    """ANSI styling, or none at all (pipes, files, NO_COLOR)."""

    enabled: bool = False

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def italic(self, text: str) -> str:
        return self._wrap("3", text)

    def accent(self, text: str) -> str:
        return self._wrap("36", text)

    def warn(self, text: str) -> str:
        return self._wrap("33", text)


PLAIN = Style(False)


@dataclasses.dataclass
class RenderContext:
    """What the renderer needs from the world: the clock, the reader's time zone and names for ids."""

    now: dt.datetime
    tz: dt.tzinfo | None = None
    names: Callable[[str, int], str | None] = lambda kind, _id: None  # kind: user, role, channel
    style: Style = PLAIN
    lang: str = "en"  # the reader's Discord language: timestamps are drawn by their client


_MENTION = re.compile(r"<(@[!&]?|#)(\d{1,20})>|</([\w\- ]{1,100}):\d{1,20}>|<a?:(\w{1,32}):\d{1,20}>")


def render_mentions(text: str, ctx: RenderContext) -> str:
    def one(match: re.Match[str]) -> str:
        if match[3]:
            return ctx.style.accent("/" + match[3])
        if match[4]:
            return f":{match[4]}:"
        kind = {"@": "user", "@!": "user", "@&": "role", "#": "channel"}[match[1]]
        name = ctx.names(kind, int(match[2]))
        prefix = "#" if kind == "channel" else "@"
        return ctx.style.accent(prefix + (name or f"unknown-{kind}"))

    return _MENTION.sub(one, text)


def render_markdown(text: str, ctx: RenderContext) -> str:
    """Discord markdown for a terminal: emphasis becomes ANSI (or is dropped), code loses its backticks."""
    st = ctx.style
    text = render_mentions(render_timestamps(text, ctx.now, ctx.tz, ctx.lang), ctx)
    text = re.sub(r"^```\w*\n?|\n?```$", "", text, flags=re.M)
    text = re.sub(r"`([^`\n]+)`", lambda m: st.accent(m[1]), text)
    text = re.sub(r"\*\*(.+?)\*\*", lambda m: st.bold(m[1]), text)
    text = re.sub(r"__(.+?)__", lambda m: st.bold(m[1]), text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])", lambda m: st.italic(m[1]), text)
    text = re.sub(r"(?<!\w)_(?!\s)([^_\n]+?)(?<!\s)_(?!\w)", lambda m: st.italic(m[1]), text)
    text = re.sub(r"~~(.+?)~~", r"\1", text)
    text = re.sub(r"\|\|(.+?)\|\|", r"[spoiler: \1]", text)
    text = re.sub(r"\[([^\]\n]+)\]\(<?(https?://[^)\s>]+)>?\)", r"\1 <\2>", text)
    text = re.sub(r"^#{1,3} (.+)$", lambda m: st.bold(m[1]), text, flags=re.M)
    text = re.sub(r"^-# (.+)$", lambda m: st.dim(m[1]), text, flags=re.M)
    text = re.sub(r"^>>?>? ?", "» ", text, flags=re.M)
    return re.sub(r"\\([*_`~|>#\\-])", r"\1", text)


_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")


walk = walk_components  # every component, depth first, in the order the emulator numbers them


def buttons_of(message: dict | None) -> list[dict]:
    return [c for c in walk((message or {}).get("components")) if c.get("type") == 2]


def selects_of(message: dict | None) -> list[dict]:
    return [c for c in walk((message or {}).get("components")) if c.get("type") in (3, 5, 6, 7, 8)]


def _indented(prefix: str, text: str, hang: str) -> list[str]:
    lines = text.splitlines() or [""]
    return [prefix + lines[0]] + [hang + line for line in lines[1:]]


def render(message: dict | None, ctx: RenderContext) -> str:
    """A message as a reader would take it in: content, embeds (``|`` bar), numbered buttons and menus."""
    if not message:
        return ""
    st = ctx.style
    md = lambda text: render_markdown(text or "", ctx)  # noqa: E731
    lines: list[str] = []
    flags = message.get("flags") or 0
    if flags & 64:
        lines.append(st.dim("(only you can see this)"))
    if flags & 128:
        lines.append(st.dim("(Lightstick is thinking...)"))
    if message.get("content"):
        lines.extend(md(message["content"]).splitlines())
    for embed in message.get("embeds") or []:
        bar = st.accent("| ")
        block: list[str] = []
        if (embed.get("author") or {}).get("name"):
            block.append(st.dim(md(embed["author"]["name"])))
        if embed.get("title"):
            title = st.bold(md(embed["title"]))
            block.append(title + (f"  <{embed['url']}>" if embed.get("url") else ""))
        if embed.get("description"):
            block.extend(md(embed["description"]).splitlines())
        for field in embed.get("fields") or []:
            name = md(_INVISIBLE.sub("", field.get("name") or "")).strip()
            value = md(field.get("value") or "")
            if len(name) > 40:  # a sentence as a field name: give it its own line
                block.append(st.bold(name))
                block.extend("  " + line for line in value.splitlines())
            else:
                block.extend(_indented(f"{st.bold(name)}: " if name else "", value, "  "))
        if (embed.get("image") or {}).get("url"):
            block.append(st.dim(f"[image] {embed['image']['url']}"))
        footer = (embed.get("footer") or {}).get("text")
        if footer or embed.get("timestamp"):
            stamp = ""
            if embed.get("timestamp"):
                with contextlib.suppress(ValueError):
                    when = dt.datetime.fromisoformat(str(embed["timestamp"]).replace("Z", "+00:00"))
                    stamp = format_stamp(when, "f", ctx.now, ctx.tz, ctx.lang)
            block.append(st.dim("-- " + " · ".join(p for p in (md(footer or ""), stamp) if p)))
        lines.extend(bar + line if line else bar.rstrip() for line in block)
    button_no = select_no = 0
    for row in message.get("components") or []:
        parts: list[str] = []
        for c in walk([row]):
            kind = c.get("type")
            if kind == 10:
                lines.extend(md(c.get("content", "")).splitlines())
            elif kind == 2:
                button_no += 1
                label = c.get("label") or (c.get("emoji") or {}).get("name") or "?"
                text = f"[{button_no}] {label}"
                if c.get("style") == 5:
                    text += f" <{c.get('url')}>"
                parts.append(st.dim(text + " (disabled)") if c.get("disabled") else st.accent(text))
            elif kind in (3, 5, 6, 7, 8):
                select_no += 1
                what = c.get("placeholder") or {5: "pick a member", 6: "pick a role", 7: "pick someone",
                                                8: "pick a channel"}.get(kind, "choose")
                options = " / ".join(f"{o.get('label')}" for o in c.get("options") or [])
                parts.append(st.accent(f"<menu {select_no}: {what}>") + (f" {options}" if options else ""))
        if parts:
            lines.append("  ".join(parts))
    for attachment in message.get("attachments") or []:
        lines.append(st.dim(f"[file] {attachment.get('filename')}"))
    return "\n".join(lines)


def render_modal(modal: dict, ctx: RenderContext) -> str:
    lines = [ctx.style.bold(f"[form] {modal.get('title', '')}")]
    for n, field in enumerate(modal_fields(modal), 1):
        required = "" if field["required"] else " (optional)"
        lines.append(f"  {n}. {field['label']}{required}")
    return "\n".join(lines)


def modal_fields(modal: dict) -> list[dict[str, Any]]:
    """The text inputs of a modal: custom_id, label, required, placeholder, default value."""
    out = []
    for row in modal.get("components") or []:
        for c in walk([row]):
            if c.get("type") == 4:
                out.append({"id": c.get("custom_id"), "label": c.get("label") or row.get("label") or c.get("custom_id"),
                            "required": c.get("required", True), "value": c.get("value") or "",
                            "placeholder": c.get("placeholder") or ""})
    return out


# ============================================================================ parsing a slash command
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


def _names(item: dict) -> list[str]:
    return [item.get("name", ""), *(item.get("name_localizations") or {}).values()]


def _find(items: Sequence[dict], word: str) -> dict | None:
    low = word.lower()
    for item in items:
        if low in (n.lower() for n in _names(item)):
            return item
    return None


_KEY = re.compile(r"(?:(?<=\s)|^)([^\s:=]+):")


def split_options(text: str, known: Callable[[str], bool], first_is_key: bool = True,
                  looks_like: Callable[[str], bool] = lambda _word: False) -> tuple[str, list[tuple[str, str]]]:
    """``free text key:value key2:more text`` -> ("free text", [(key, value), (key2, "more text")]).

    A ``word:`` starts an option when the word is a known option name; an unknown one is taken as an
    option (a typo to report) only where it stands first and is glued to its value (``/tour nmae:x``) or
    ``looks_like`` an option name, so that colons inside free text (``/song re: love``) survive.
    """
    marks = []
    for match in _KEY.finditer(text):
        word = match[1]
        glued = text[match.end():match.end() + 1] not in ("", " ")
        if known(word) or (first_is_key and not text[:match.start()].strip() and word[0].isalpha()
                           and (glued or looks_like(word))):
            marks.append(match)
    if not marks:
        return text.strip(), []
    free = text[:marks[0].start()].strip()
    pairs = []
    for i, match in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        pairs.append((match[1], _unquote(text[match.end():end].strip())))
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
            names = [str(choice.get("value")), *_names(choice)]
            if text.lower() in (n.lower() for n in names):
                return choice["value"]
        shown = ", ".join(str(c.get("value")) for c in choices)
        hint = _did_you_mean(text, [str(c.get("value")) for c in choices] + [c.get("name", "") for c in choices])
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
    if option.get("min_value") is not None and value < option["min_value"] or \
            option.get("max_value") is not None and value > option["max_value"]:
        raise PlaygroundError(f"/{command} {name}: {value} is out of range "
                              f"({option.get('min_value', '…')} to {option.get('max_value', '…')})")
    return value


def parse_command(line: str, commands: Sequence[dict]) -> ParsedCommand:
    """``/tour name:her city:seoul`` against the synced command payloads; PlaygroundError explains mistakes."""
    body = line.strip()
    if body.startswith("/"):
        body = body[1:]
    body = body.strip()
    slash = [c for c in commands if c.get("type", 1) == 1]
    if not body:
        raise PlaygroundError("type a command after the slash, like /song love wins all (:commands lists them)")
    word, _, rest = body.partition(" ")
    word = word.rstrip(":")
    cmd = _find(slash, word)
    if cmd is None:
        hint = _did_you_mean(word, [c["name"] for c in slash], "/{}")
        raise PlaygroundError(f"there is no /{word}.{hint} (:commands lists them)")
    name = cmd["name"]
    spec: list[dict] = cmd.get("options") or []
    path: list[str] = []
    while any(o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in spec):
        subs = [o for o in spec if o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        word, _, after = rest.strip().partition(" ")
        sub = _find(subs, word) if word else None
        if sub is None:
            listing = ", ".join(s["name"] for s in subs)
            hint = _did_you_mean(word, [s["name"] for s in subs]) if word else ""
            where = " ".join([name, *path])
            raise PlaygroundError(f"/{where} needs one of: {listing}.{hint}")
        path.append(sub["name"])
        spec = sub.get("options") or []
        rest = after
    label = " ".join([name, *path])

    completing = rest.rstrip().endswith("?")
    if completing:
        rest = rest.rstrip()[:-1]

    def known(key: str) -> bool:
        return _find(spec, key) is not None

    free, pairs = split_options(rest, known, looks_like=lambda key: bool(close(key, [n for o in spec for n in _names(o)])))
    raw: dict[str, str] = {}
    order: list[str] = []
    for key, value in pairs:
        option = _find(spec, key)
        if option is None:
            if not spec:
                raise PlaygroundError(f"/{label} takes no options")
            hint = _did_you_mean(key, [n for o in spec for n in _names(o)], "{}:")
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
        if first.get("type") not in (STRING, INTEGER, NUMBER, BOOLEAN) or first["name"] in raw:
            have = " ".join(o["name"] + ":…" for o in spec)
            raise PlaygroundError(f"/{label}: say which option {free!r} is for, e.g. /{label} {have}")
        raw = {first["name"]: free, **raw}
        order.insert(0, first["name"])
    last = order[-1] if order else (spec[0]["name"] if spec else None)
    if completing and pairs and rest.rstrip().endswith(":") and last is not None:
        raw[last] = ""
    values: dict[str, Any] = {}
    for key, text in raw.items():
        if text == "" and not (completing and key == last):
            continue  # Discord's client leaves an emptied option out
        option = _find(spec, key)
        assert option is not None
        if completing or option.get("autocomplete") or option.get("type") in (USER, CHANNEL, ROLE, MENTIONABLE):
            values[key] = text
        else:
            values[key] = convert(option, text, label)
    if not completing:
        missing = [o["name"] for o in spec if o.get("required") and o["name"] not in values]
        if missing:
            raise PlaygroundError(f"/{label} needs {', '.join(m + ':' for m in missing)} "
                                  f"(e.g. /{label} {missing[0]}:…)")
    return ParsedCommand(name=name, subcommand=" ".join(path) or None, values=values, spec=spec, last=last, raw=raw)


# ============================================================================ input
class LineReader:
    """Lines from a terminal (prompted, via readline when present), a pipe or a file, without blocking the loop.

    A daemon thread does the blocking reads, so the bot keeps serving while the person thinks and a
    Ctrl-C or the end of the program never waits for a read to finish.
    """

    def __init__(self, stream: TextIO, interactive: bool) -> None:
        self.stream = stream
        self.interactive = interactive
        self._requests: queue.Queue[str] = queue.Queue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._answers: asyncio.Queue[str | None] | None = None
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        assert self._loop is not None and self._answers is not None
        while True:
            prompt = self._requests.get()
            try:
                if self.interactive:
                    line: str | None = input(prompt)
                else:
                    read = self.stream.readline()
                    line = read.rstrip("\r\n") if read else None
            except (EOFError, KeyboardInterrupt):
                line = None
            except (OSError, ValueError, UnicodeDecodeError):
                line = None
            self._loop.call_soon_threadsafe(self._answers.put_nowait, line)
            if line is None:
                return

    async def read(self, prompt: str = "") -> str | None:
        if self._thread is None:
            self._loop = asyncio.get_running_loop()
            self._answers = asyncio.Queue()
            self._thread = threading.Thread(target=self._run, name="playground-input", daemon=True)
            self._thread.start()
        assert self._answers is not None
        self._requests.put(prompt)
        return await self._answers.get()


# ============================================================================ the session
@dataclasses.dataclass
class Identity:
    key: str
    name: str
    user: Any  # emulator User, shared by both servers
    members: dict[int, Any]  # guild id -> emulator Member


class BotErrorHandler(logging.Handler):
    """The bot's warnings and errors as one line each (the traceback is kept for ``:trace``)."""

    def __init__(self, out: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.out = out
        self.last_trace: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if "PyNaCl" in message or "davey is not installed" in message:
                return
            if record.exc_info and record.exc_info[1] is not None:
                exc = record.exc_info[1]
                message += f" ({type(exc).__name__}: {exc})".replace("\n", " ")
                self.last_trace = logging.Formatter().formatException(record.exc_info)
            self.out(f"! {record.levelname.lower()} in {record.name}: {message.splitlines()[0] if message else ''}")
        except Exception:  # noqa: BLE001 - logging must never take the playground down
            pass


class Session:
    """One person at the keyboard: the world, who they are, where they are, and what they can press."""

    def __init__(self, emu: Any, bot: Any, clock: Any, out: TextIO, style: Style, interactive: bool) -> None:
        self.emu, self.bot, self.clock = emu, bot, clock
        self.out = out
        self.style = style
        self.interactive = interactive
        self.real_start = clock.now()
        self.guilds: list[Any] = []
        self.identities: dict[str, Identity] = {}
        self.identity = "member"
        self.guild: Any = None
        self.channel: Any = None
        self.button_message: dict | None = None  # the last message that had buttons or menus
        self.modal: dict[str, Any] | None = None  # {"result", "fields", "values"} while a form is open
        self.seen_channel_messages: set[str] = set()
        self.seen_violations = 0
        self.done = False
        self.logger: BotErrorHandler | None = None

    # ------------------------------------------------------------------ world
    def build_world(self) -> None:
        import discord

        emu = self.emu
        fan_club = emu.add_guild("IU Fan Club", locale="en-US")
        second = emu.add_guild("Second Server", locale="en-US")
        self.guilds = [fan_club, second]
        moderators = {}
        for guild in self.guilds:
            moderators[guild.id] = emu.add_role(guild, "Moderators",
                                                permissions=discord.Permissions(manage_guild=True).value)
            emu.add_channel(guild, "general")
            emu.add_channel(guild, "announcements")
        emu.add_channel(fan_club, "read-only", bot_can_send=False)
        people = {"member": "Uaena", "mod": "Min", "admin": "Ada"}
        for key, name in people.items():
            user = None
            members = {}
            for guild in self.guilds:
                member = emu.add_member(guild, name, user=user, locale="en-US",
                                        roles=[moderators[guild.id]] if key == "mod" else (),
                                        administrator=key == "admin")
                user = member.user
                members[guild.id] = member
            self.identities[key] = Identity(key, name, user, members)
        self.guild = fan_club
        self.channel = self._channel_named(fan_club, "general")

    def _channel_named(self, guild: Any, name: str) -> Any:
        return next(c for c in guild.channels.values() if c.name == name)

    @property
    def member(self) -> Any:
        return self.identities[self.identity].members[self.guild.id]

    @property
    def lang(self) -> str:
        return "ko" if self.member.locale.startswith("ko") else "en"

    def prompt(self) -> str:
        if self.modal is not None:
            field = self.modal["fields"][len(self.modal["values"])]
            optional = " (optional, Enter to skip)" if not field["required"] else ""
            return f"  {field['label']}{optional}: "
        where = f"#{self.channel.name}" if self.guild is self.guilds[0] else f"{self.guild.name} #{self.channel.name}"
        return f"lightstick {where} ({self.identity}, {self.lang}) > "

    def commands(self) -> list[dict]:
        found = {c["name"]: c for c in self.emu.registered_commands()}
        found.update({c["name"]: c for c in self.emu.registered_commands(self.guild)})
        return sorted(found.values(), key=lambda c: c["name"])

    def names(self, kind: str, ident: int) -> str | None:
        for guild in self.guilds:
            if kind == "role" and ident in guild.roles:
                return guild.roles[ident].name.lstrip("@")
            if kind == "channel" and ident in guild.channels:
                return guild.channels[ident].name
            if kind == "user" and ident in guild.members:
                member = guild.members[ident]
                return member.nick or member.user.global_name or member.name
        return None

    def ctx(self) -> RenderContext:
        return RenderContext(now=self.clock.now(), names=self.names, style=self.style, lang=self.lang)

    # ------------------------------------------------------------------ output
    def say(self, text: str = "") -> None:
        try:
            print(text, file=self.out, flush=True)
        except UnicodeEncodeError:
            print(text.encode(self.out.encoding or "utf-8", "replace").decode(self.out.encoding or "utf-8"),
                  file=self.out, flush=True)

    def hint(self, text: str) -> None:
        self.say(self.style.warn(text))

    def show_result(self, result: Any) -> None:
        ctx = self.ctx()
        shown = False
        messages = []
        if result.message is not None:
            messages.append(result.message)
        messages += [f for f in result.followups if result.message is None or f.get("id") != result.message.get("id")]
        for n, message in enumerate(messages):
            if n:
                self.say(self.style.dim("---"))
            self.say(render(message, ctx))
            shown = True
            if buttons_of(message) or selects_of(message):
                self.button_message = message
        if result.choices is not None:
            self.show_choices(result.choices)
            shown = True
        if result.modal:
            self.open_modal(result)
            shown = True
        if result.error:
            self.hint(f"(Discord rejected the bot's reply: {result.error.get('message')} "
                      f"[{result.error.get('code')}])")
            shown = True
        if not shown:
            if result.type is None:
                self.hint("(no answer: Discord would say \"The application did not respond\")")
            elif result.type == 6:
                self.say(self.style.dim("(the bot acknowledged silently)"))
            else:
                self.say(self.style.dim("(no visible reply)"))

    def show_choices(self, choices: list[dict]) -> None:
        if not choices:
            self.say(self.style.dim("(no suggestions)"))
        for n, choice in enumerate(choices, 1):
            value = choice.get("value")
            extra = f"  {self.style.dim('= ' + str(value))}" if str(value) != choice.get("name") else ""
            self.say(f"  {n}. {choice.get('name')}{extra}")

    def report_world_changes(self) -> None:
        """New channel posts (announcements and the like) and payloads Discord would have refused."""
        ctx = self.ctx()
        for guild in self.guilds:
            for channel in list(guild.channels.values()):
                for message in self.emu.channel_messages(channel):
                    if message["id"] in self.seen_channel_messages:
                        continue
                    self.seen_channel_messages.add(message["id"])
                    where = f"#{channel.name}" + ("" if guild is self.guild else f" in {guild.name}")
                    self.say(self.style.bold(f"-- new message in {where} --"))
                    self.say(render(message, ctx))
                    if buttons_of(message) or selects_of(message):
                        self.button_message = message
        violations = self.emu.violations
        for violation in violations[self.seen_violations:]:
            error = violation.error or {}
            self.hint(f"! Discord would have rejected {violation.route}: {error.get('message')} "
                      f"{_first_error(error.get('errors'))}".rstrip())
        self.seen_violations = len(violations)

    # ------------------------------------------------------------------ dispatch
    async def handle(self, line: str) -> None:
        line = clean_line(line)
        if self.modal is not None and not line.startswith(":"):
            await self.modal_answer(line)
            return
        if not line or line.startswith("#") or line.startswith("//"):
            return
        if line.startswith(":"):
            await self.meta(line[1:].strip())
        elif line.startswith("/"):
            if line.rstrip().endswith("?"):
                await self.complete(line)
            else:
                await self.slash(line)
        elif re.fullmatch(r"\d{1,3}", line):
            await self.press(line)
        else:
            word = line.split()[0].lower()
            if _find(self.commands(), word):
                self.hint(f"commands start with a slash: /{line}")
            else:
                self.hint("commands start with / (try /song love wins all); playground commands with : (:help)")

    async def meta(self, text: str) -> None:
        word, _, arg = text.partition(" ")
        word, arg = word.lower(), arg.strip()
        handlers: dict[str, Callable[[str], Any]] = {
            "help": self.cmd_help, "h": self.cmd_help, "?": self.cmd_help, "quit": self.cmd_quit, "q": self.cmd_quit,
            "exit": self.cmd_quit, "as": self.cmd_as, "locale": self.cmd_locale, "guild": self.cmd_guild,
            "server": self.cmd_guild, "channel": self.cmd_channel, "advance": self.cmd_advance,
            "time": self.cmd_time, "messages": self.cmd_messages, "commands": self.cmd_commands,
            "complete": self.complete, "press": self.press, "select": self.cmd_select, "fill": self.cmd_fill,
            "cancel": self.cmd_cancel, "trace": self.cmd_trace,
        }
        if not word:
            self.hint("playground commands: :help, :as, :locale, :guild, :channel, :advance, :time, :messages, "
                      ":commands, :quit")
            return
        handler = handlers.get(word)
        if handler is None:
            public = [h for h in handlers if len(h) > 2]
            self.hint(f"unknown playground command :{word}.{_did_you_mean(word, public, ':{}')} (:help lists them)")
            return
        result = handler(arg)
        if asyncio.iscoroutine(result):
            await result

    # ------------------------------------------------------------------ meta commands
    def cmd_help(self, _arg: str) -> None:
        self.say(HELP)

    def cmd_quit(self, _arg: str) -> None:
        self.done = True

    def cmd_trace(self, _arg: str) -> None:
        trace = self.logger.last_trace if self.logger else None
        self.say(trace or "(no bot error so far)")

    def cmd_as(self, arg: str) -> None:
        key = arg.lower().lstrip("@")
        by_name = {i.name.lower(): k for k, i in self.identities.items()}
        key = by_name.get(key, key)
        if key not in self.identities:
            self.hint(f"be one of: {', '.join(self.identities)}.{_did_you_mean(arg, self.identities)}")
            return
        self.identity = key
        who = self.identities[key]
        role = {"member": "a fan", "mod": "a moderator (Moderators role)", "admin": "an administrator"}[key]
        self.say(f"You are now {who.name}, {role}, locale {who.user.locale}.")

    def cmd_locale(self, arg: str) -> None:
        import discord

        wanted = arg.strip()
        aliases = {"en": "en-US", "english": "en-US", "ko": "ko", "kr": "ko", "korean": "ko", "한국어": "ko"}
        locale = aliases.get(wanted.lower())
        if locale is None:
            known = {loc.value.lower(): loc.value for loc in discord.Locale}
            locale = known.get(wanted.lower())
        if locale is None:
            self.hint(f"locale: ko or en (or any Discord locale like ja, en-GB).{_did_you_mean(wanted, aliases)}")
            return
        user = self.identities[self.identity].user
        user.locale = locale
        self.say(f"{self.identities[self.identity].name}'s Discord language is now {locale}"
                 + (" (replies in Korean)." if locale == "ko" else "."))

    def cmd_guild(self, arg: str) -> None:
        guild = None
        if arg.isdigit() and 1 <= int(arg) <= len(self.guilds):
            guild = self.guilds[int(arg) - 1]
        elif arg:
            guild = next((g for g in self.guilds if g.name.lower().startswith(arg.lower())), None)
        if guild is None:
            listing = ", ".join(f"{n}. {g.name}" for n, g in enumerate(self.guilds, 1))
            self.say(f"Servers: {listing}. Now in {self.guild.name}.")
            return
        self.guild = guild
        self.channel = self._channel_named(guild, "general")
        self.button_message = None
        self.say(f"Now in {guild.name}, #general.")

    def cmd_channel(self, arg: str) -> None:
        name = arg.strip().lstrip("#").lower()
        channels = {c.name: c for c in self.guild.channels.values()}
        if name not in channels:
            listing = ", ".join("#" + c for c in channels)
            self.hint(f"channels here: {listing}.{_did_you_mean(name, channels, '#{}') if name else ''}")
            return
        self.channel = channels[name]
        note = " (the bot can't post here)" if channels[name].overwrites.get(self.emu.bot_user.id) else ""
        self.say(f"Now in #{name}{note}.")

    async def cmd_advance(self, arg: str) -> None:
        if not arg:
            self.hint("advance by how much? e.g. :advance 3d (also 2h, 30m, 1w)")
            return
        delta = parse_duration(arg)
        scheduler = getattr(self.bot, "scheduler", None)
        if scheduler is not None and delta > dt.timedelta(0):
            # stop at each due time on the way, so every announcement posts on time and in order
            await scheduler.travel(self.clock, self.clock.now() + delta)
        else:
            self.clock.advance(delta)
            await asyncio.sleep(0.2)  # let the scheduler notice the new time and post
        direction = "forward" if delta >= dt.timedelta(0) else "back"
        self.say(f"Travelled {direction} {describe_span(delta)}: it is now {self.describe_now()}.")
        self.report_world_changes()

    def describe_now(self) -> str:
        now = self.clock.now()
        local = now.astimezone()
        return f"{format_stamp(now, 'F', now)} {local.tzname() or ''}".rstrip()

    def cmd_time(self, _arg: str) -> None:
        offset = self.clock.now() - self.real_start
        ahead = ""
        if abs(offset.total_seconds()) >= 60:
            ahead = f" ({describe_span(offset)} {'ahead of' if offset > dt.timedelta(0) else 'behind'} real time)"
        self.say(f"Playground time: {self.describe_now()}{ahead}")

    def cmd_messages(self, arg: str) -> None:
        ids = self.channel.message_ids[-(int(arg) if arg.isdigit() else 10):]
        messages = [self.emu._messages[i] for i in ids if i in self.emu._messages]
        if not messages:
            self.say(f"(no messages in #{self.channel.name} yet)")
            return
        ctx = self.ctx()
        for message in messages:
            author = (message.get("author") or {}).get("global_name") or "?"
            when = dt.datetime.fromisoformat(message["timestamp"])
            via = message.get("interaction", {}).get("name")
            head = f"{author}" + (f" (/{via})" if via else "") + f" · {format_stamp(when, 't', ctx.now)}"
            self.say(self.style.bold(head))
            self.say(render(message, ctx))
            if buttons_of(message) or selects_of(message):
                self.button_message = message

    def cmd_commands(self, _arg: str) -> None:
        commands = self.commands()
        if not commands:
            self.say("(no commands synced)")
            return
        for command in commands:
            name = command["name"]
            desc = command.get("description", "")
            if self.lang == "ko":
                name_ko = (command.get("name_localizations") or {}).get("ko")
                desc = (command.get("description_localizations") or {}).get("ko", desc)
                name = f"{name} ({name_ko})" if name_ko else name
            self.say(f"  /{name:<16} {desc}")
            for option in command.get("options") or []:
                if option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
                    self.say(f"     {option['name']:<15} {option.get('description', '')}")
            opts = [o for o in command.get("options") or [] if o.get("type") not in (SUB_COMMAND, SUB_COMMAND_GROUP)]
            if opts:
                usage = " ".join(f"{o['name']}:…" if o.get("required") else f"[{o['name']}:…]" for o in opts)
                self.say(self.style.dim(f"     {usage}"))

    # ------------------------------------------------------------------ slash commands
    async def _autocomplete(self, parsed: ParsedCommand, focused: str, values: dict[str, Any]) -> list[dict] | None:
        options = {k: v for k, v in values.items()}
        options[focused] = parsed.raw.get(focused, "")
        choices = await self.emu.autocomplete(self.channel, self.member, parsed.name, options, focused,
                                              subcommand=parsed.subcommand)
        return choices

    def _resolve_entity(self, option: dict, text: str) -> Any:
        kind = option.get("type")
        name = text.strip()
        guild = self.guild
        if kind == CHANNEL:
            found = [c for c in guild.channels.values() if c.name.lower() == name.lstrip("#").lower()]
            if found:
                return found[0]
            raise PlaygroundError(f"{option['name']}: no channel {name!r} here."
                                  f"{_did_you_mean(name.lstrip('#'), [c.name for c in guild.channels.values()], '#{}')}")
        people = {}
        for key, ident in self.identities.items():
            people[key] = ident.members[guild.id]
            people[ident.name.lower()] = ident.members[guild.id]
        people["me"] = self.member
        people["bot"] = self.emu.bot_member(guild)
        roles = {r.name.lower().lstrip("@"): r for r in guild.roles.values()}
        low = name.lstrip("@").lower()
        if kind in (USER, MENTIONABLE) and low in people:
            return people[low]
        if kind in (ROLE, MENTIONABLE) and low in roles:
            return roles[low]
        candidates = ([*people] if kind in (USER, MENTIONABLE) else []) + ([*roles] if kind in (ROLE, MENTIONABLE) else [])
        raise PlaygroundError(f"{option['name']}: no {TYPE_NAMES.get(kind, 'one')} called {name!r}."
                              f"{_did_you_mean(low, candidates, '@{}')}")

    async def build_values(self, parsed: ParsedCommand) -> dict[str, Any]:
        """Typed text -> what the client would send: autocomplete options take the top suggestion."""
        values: dict[str, Any] = {}
        for option in parsed.spec:
            key = option["name"]
            if key not in parsed.values:
                continue
            text = parsed.values[key]
            if option.get("type") in (USER, CHANNEL, ROLE, MENTIONABLE):
                values[key] = self._resolve_entity(option, str(text))
            elif option.get("autocomplete"):
                try:
                    choices = await self._autocomplete(parsed, key, values)
                except (ValueError, asyncio.TimeoutError):
                    choices = None
                picked: Any = text
                if choices:
                    if text not in [c.get("value") for c in choices]:
                        picked = choices[0].get("value")
                if option.get("type") != STRING and not isinstance(picked, (int, float)):
                    picked = convert({**option, "choices": None}, str(picked), parsed.name)
                values[key] = picked
            else:
                values[key] = text
        return values

    async def slash(self, line: str) -> None:
        parsed = parse_command(line, self.commands())
        values = await self.build_values(parsed)
        result = await self.emu.command(self.channel, self.member, parsed.name, values, subcommand=parsed.subcommand)
        self.show_result(result)
        self.report_world_changes()

    async def complete(self, arg: str) -> None:
        line = arg.strip()
        if not line:
            self.hint("complete what? e.g. :complete /song lov")
            return
        if not line.startswith("/"):
            line = "/" + line
        if not line.endswith("?"):
            line += "?"
        parsed = parse_command(line, self.commands())
        if parsed.last is None:
            self.hint(f"/{parsed.name} has no options to complete")
            return
        option = parsed.option(parsed.last)
        typed = parsed.raw.get(parsed.last, "")
        if option.get("choices"):
            low = typed.lower()
            self.show_choices([c for c in option["choices"]
                               if not low or any(low in n.lower() for n in [str(c.get("value")), *_names(c)])])
            return
        if not option.get("autocomplete"):
            self.hint(f"{option['name']}: ({TYPE_NAMES.get(option.get('type'), 'value')}) "
                      f"{option.get('description', '')} - no suggestions for this one")
            return
        values = {}
        for other in parsed.spec:  # the options before the focused one, as the client would send them
            if other["name"] == parsed.last:
                break
            if other["name"] in parsed.values:
                sub = ParsedCommand(parsed.name, parsed.subcommand, {other["name"]: parsed.values[other["name"]]},
                                    parsed.spec, other["name"], parsed.raw)
                values.update(await self.build_values(sub))
        self.show_choices(await self._autocomplete(parsed, parsed.last, values) or [])

    # ------------------------------------------------------------------ components
    def _need_components(self) -> dict:
        if self.button_message is None:
            raise PlaygroundError("no message with buttons yet; try /song love wins all first")
        return self.emu._messages.get(int(self.button_message["id"]), self.button_message)

    async def press(self, arg: str) -> None:
        message = self._need_components()
        buttons = buttons_of(message)
        if not buttons:
            raise PlaygroundError("the last message has no buttons")
        listing = "  ".join(f"[{n}] {b.get('label') or (b.get('emoji') or {}).get('name')}"
                            for n, b in enumerate(buttons, 1))
        arg = arg.strip().strip("[]")
        if arg.isdigit():
            index = int(arg) - 1
            if not 0 <= index < len(buttons):
                raise PlaygroundError(f"there is no button {arg}: {listing}")
        elif arg:
            labels = [(b.get("label") or "").lower() for b in buttons]
            low = arg.lower()
            matches = [i for i, label in enumerate(labels) if label == low] or \
                      [i for i, label in enumerate(labels) if label.startswith(low)]
            if not matches:
                raise PlaygroundError(f"no button {arg!r}: {listing}")
            index = matches[0]
        else:
            raise PlaygroundError(f"press which? {listing}")
        button = buttons[index]
        if button.get("style") == 5:
            self.say(f"(a link: {button.get('url')})")
            return
        result = await self.emu.click(message, self.member, index=index)
        if result.type == 7 and result.message is not None:
            self.say(self.style.dim("(message updated)"))
        self.show_result(result)
        self.report_world_changes()

    async def cmd_select(self, arg: str) -> None:
        message = self._need_components()
        selects = selects_of(message)
        if not selects:
            raise PlaygroundError("the last message has no menus")
        number, _, rest = arg.partition(" ")
        if not number.isdigit() or not 1 <= int(number) <= len(selects):
            if len(selects) == 1 and arg:
                number, rest = "1", arg
            else:
                raise PlaygroundError(f"usage: :select N value (menus 1..{len(selects)})")
        menu = selects[int(number) - 1]
        wanted = [v.strip() for v in rest.split(",") if v.strip()]
        if not wanted:
            labels = " / ".join(o.get("label", "") for o in menu.get("options") or [])
            raise PlaygroundError(f"select what? {labels}")
        values: list[Any] = []
        if menu.get("type") == 3:
            options = menu.get("options") or []
            for item in wanted:
                found = next((o["value"] for o in options if item.lower() in
                              (str(o.get("value")).lower(), str(o.get("label")).lower())), None)
                if found is None and item.isdigit() and 1 <= int(item) <= len(options):
                    found = options[int(item) - 1]["value"]
                if found is None:
                    labels = " / ".join(o.get("label", "") for o in options)
                    raise PlaygroundError(f"{item!r} is not in the menu: {labels}")
                values.append(found)
        else:
            kind = {5: USER, 6: ROLE, 7: MENTIONABLE, 8: CHANNEL}[menu["type"]]
            values = [self._resolve_entity({"name": "menu", "type": kind}, item) for item in wanted]
        result = await self.emu.select(message, self.member, menu.get("custom_id"), values)
        self.show_result(result)
        self.report_world_changes()

    # ------------------------------------------------------------------ modals
    def open_modal(self, result: Any) -> None:
        fields = modal_fields(result.modal)
        self.say(render_modal(result.modal, self.ctx()))
        if not fields:
            self.say(self.style.dim("(the form has no text fields; submitting it)"))
        self.modal = {"result": result, "fields": fields, "values": {}}
        hint = ("answer each prompt, or :fill field=value ...; :cancel abandons the form" if self.interactive else
                "the next lines fill the fields in order (or :fill field=value ...); :cancel abandons the form")
        self.say(self.style.dim(hint))

    async def modal_answer(self, line: str) -> None:
        assert self.modal is not None
        fields, values = self.modal["fields"], self.modal["values"]
        field = fields[len(values)]
        values[field["id"]] = line
        if len(values) >= len(fields):
            await self.submit_modal()

    async def cmd_fill(self, arg: str) -> None:
        if self.modal is None:
            raise PlaygroundError("no form is open")
        fields = self.modal["fields"]
        lookup = {}
        for n, field in enumerate(fields, 1):
            for key in (field["id"], field["label"], str(n)):
                lookup[str(key).lower()] = field["id"]
        _free, pairs = split_options(arg.replace("=", ": ").replace(":  ", ": ") if "=" in arg else arg,
                                     lambda k: k.lower() in lookup, first_is_key=True)
        if not pairs:
            raise PlaygroundError("usage: :fill field=value ... (fields: "
                                  + ", ".join(f["id"] for f in fields) + ")")
        for key, value in pairs:
            target = lookup.get(key.lower())
            if target is None:
                raise PlaygroundError(f"the form has no field {key!r}; fields: {', '.join(f['id'] for f in fields)}")
            self.modal["values"][target] = value
        missing = [f["label"] for f in fields if f["id"] not in self.modal["values"] and f["required"]]
        if missing:
            self.say(self.style.dim(f"(still needed: {', '.join(missing)})"))
            # keep prompting in field order for what's left
            ordered = {f["id"]: self.modal["values"].get(f["id"], "") for f in fields if f["id"] in self.modal["values"]}
            self.modal["values"] = ordered
            return
        await self.submit_modal()

    async def submit_modal(self) -> None:
        assert self.modal is not None
        pending, self.modal = self.modal, None
        values = {k: v for k, v in pending["values"].items() if v != "" or
                  any(f["id"] == k and f["required"] for f in pending["fields"])}
        result = await self.emu.submit_modal(pending["result"], self.member, values)
        self.show_result(result)
        self.report_world_changes()

    def cmd_cancel(self, _arg: str) -> None:
        if self.modal is None:
            self.say("(nothing to cancel)")
            return
        self.modal = None
        self.say("Form abandoned (the bot is never told, as on Discord).")


def _first_error(errors: Any, path: str = "") -> str:
    """The first leaf of Discord's nested form errors, as ``path: message``."""
    if not isinstance(errors, dict):
        return ""
    if "_errors" in errors and errors["_errors"]:
        return f"({path or 'body'}: {errors['_errors'][0].get('message')})"
    for key, value in errors.items():
        found = _first_error(value, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return ""


# ============================================================================ running it
def playground_settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, database_path=settings.database_path.with_name("playground.sqlite3"),
                               dev_guild_id=None)


def _remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                      path.with_name(path.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def _packs_newer_than(database: Path, packs_dir: Path) -> bool:
    try:
        built = database.stat().st_mtime
        return any(p.stat().st_mtime > built for p in packs_dir.rglob("*") if p.is_file())
    except OSError:
        return False


async def run(settings: Settings, lines: LineReader, out: TextIO, style: Style, interactive: bool) -> int:
    from bot.app import open_bot
    from bot.clock import FrozenClock
    from bot.playground.emulator import Emulator, run_client

    emu = Emulator()
    await emu.start()
    clock = FrozenClock(dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    session = Session(emu, None, clock, out, style, interactive)
    handler = BotErrorHandler(session.hint)
    session.logger = handler
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if settings.log_level == "DEBUG" else logging.WARNING)
    try:
        session.build_world()
        async with open_bot(settings, clock, sync_on_start=False) as bot, run_client(emu, bot):
            session.bot = bot
            await bot.sync_commands()
            if interactive:
                songs = len(bot.catalog.songs)
                session.say(style.bold("Lightstick playground") + style.dim(
                    f"  a local Discord with {songs} song{'s' if songs != 1 else ''} loaded; nothing leaves this computer"))
                session.say(f"You are {session.identities['member'].name} in {session.guild.name} #general. "
                            "Try /song love wins all")
                session.say(style.dim(":help for help"))
            session.report_world_changes()
            while not session.done:
                line = await lines.read(session.prompt() if interactive else "")
                if line is None:
                    break
                shown = clean_line(line)
                if not interactive:
                    if not shown or shown.startswith("#") and session.modal is None:
                        continue
                    session.say(("> " if session.modal is None else f"> [{session.prompt().strip()}] ") + shown)
                try:
                    await session.handle(line)
                except PlaygroundError as error:
                    session.hint(str(error))
                except ValueError as error:  # the emulator harness refusing what a client would refuse
                    session.hint(f"! {str(error).splitlines()[0] if str(error) else 'not possible'}")
                except asyncio.TimeoutError:
                    session.hint("! the bot did not answer in time")
                except Exception as error:  # noqa: BLE001 - nothing typed may crash the playground
                    session.hint(f"! unexpected {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
                                 .rstrip(": "))
                if not interactive:
                    session.say()
            if interactive:
                session.say("bye")
        return EXIT_OK
    finally:
        with contextlib.suppress(Exception):
            await emu.stop()
        root.handlers[:], root.level = saved[0], saved[1]


def main(settings: Settings, script: str | None = None, fresh: bool = False) -> int:
    """Entry point for ``python -m bot playground``; returns the exit status."""
    settings = playground_settings(settings)
    if fresh:
        _remove_database(settings.database_path)
    settings.database_path.parent.mkdir(parents=True, exist_ok=True)
    if script is not None:
        try:
            stream: TextIO = open(script, encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as error:
            print(f"lightstick: can't read {script}: {error.strerror or error}", file=sys.stderr)
            return EXIT_FAIL
        interactive = False
    else:
        stream = sys.stdin
        interactive = stream is not None and stream.isatty()
        if not interactive:
            with contextlib.suppress(AttributeError, ValueError):
                sys.stdin.reconfigure(errors="replace")  # type: ignore[union-attr]
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
    style = Style(sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb")
    if interactive and settings.database_path.exists() and _packs_newer_than(settings.database_path,
                                                                              settings.packs_dir):
        print(style.dim("(the packs changed since the playground database was built; --fresh rebuilds it)"))
    try:
        return asyncio.run(run(settings, LineReader(stream, interactive), sys.stdout, style, interactive))
    except KeyboardInterrupt:
        print()
        return 130
    except SystemExit as error:  # ensure_content refusing broken packs
        if isinstance(error.code, str):
            print(f"lightstick: {error.code}", file=sys.stderr)
            return EXIT_FAIL
        raise
    finally:
        if stream is not sys.stdin:
            stream.close()
