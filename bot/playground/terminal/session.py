"""One person at the keyboard: the world they stand in, who they are, where they are, what they can press.

:class:`Session` is the command loop's state and its dispatch; the meta commands (``:as``, ``:advance`` ...)
are in :mod:`.meta` and the Discord actions (slash commands, buttons, menus, forms) in :mod:`.actions`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any

import discord

from .actions import DiscordActions
from .meta import MetaCommands
from .parsing import PlaygroundError, find_named
from .render import RenderContext, buttons_of, selects_of
from .screen import Screen

MANAGE_GUILD = discord.Permissions(manage_guild=True).value


@dataclasses.dataclass
class Identity:
    """Someone the person can act as: one user, a member of every playground server."""

    key: str
    name: str
    user: Any  # emulator User, shared by both servers
    members: dict[int, Any]  # guild id -> emulator Member
    role: str  # "a fan", "a moderator (Moderators role)", "an administrator"


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


class Session(MetaCommands, DiscordActions):
    """The playground's state and dispatch. ``screen`` is where everything is written."""

    def __init__(self, emu: Any, bot: Any, clock: Any, screen: Screen, interactive: bool) -> None:
        self.emu, self.bot, self.clock = emu, bot, clock
        self.screen = screen
        self.interactive = interactive
        self.real_start = clock.now()
        self.tz: dt.tzinfo | None = None  # the reader's time zone; None: this computer's (TZ changes it)
        self.guilds: list[Any] = []
        self.moderators: dict[int, Any] = {}  # guild id -> the Moderators role (Manage Server)
        self.identities: dict[str, Identity] = {}
        self.identity = "member"
        self.guild: Any = None
        self.channel: Any = None
        self.button_message: dict | None = None  # the last message that had buttons or menus
        self.modal: dict[str, Any] | None = None  # {"result", "fields", "values"} while a form is open
        self.seen: dict[str, str | None] = {}  # message id -> edited_timestamp when last shown
        self.seen_violations = 0
        self.done = False
        self.busy = False  # a line is being handled: world changes are reported at its end
        self.logger: BotErrorHandler | None = None

    # ------------------------------------------------------------------ world
    def build_world(self) -> None:
        """Two servers (IU Fan Club, Second Server), their channels, and a fan, a moderator, an administrator."""
        emu = self.emu
        fan_club = emu.add_guild("IU Fan Club", locale="en-US")
        second = emu.add_guild("Second Server", locale="en-US")
        self.guilds = [fan_club, second]
        for guild in self.guilds:
            self.moderators[guild.id] = emu.add_role(guild, "Moderators", permissions=MANAGE_GUILD)
            emu.add_channel(guild, "general")
            emu.add_channel(guild, "announcements")
        emu.add_channel(fan_club, "read-only", bot_can_send=False)
        for key, name in (("member", "Uaena"), ("mod", "Min"), ("admin", "Ada")):
            self.add_identity(key, name)
        self.guild = fan_club
        self.channel = self.channel_named(fan_club, "general")

    def add_identity(self, key: str, name: str) -> Identity:
        """A new member of every server: ``mod``-like names get the Moderators role (Manage Server),
        ``admin``-like names are administrators, everyone else is a fan."""
        kind = "admin" if key.startswith("admin") else "mod" if key.startswith("mod") else "fan"
        user = None
        members = {}
        for guild in self.guilds:
            member = self.emu.add_member(
                guild,
                name,
                user=user,
                locale="en-US",
                roles=[self.moderators[guild.id]] if kind == "mod" else (),
                administrator=kind == "admin",
            )
            user = member.user
            members[guild.id] = member
        role = {"fan": "a fan", "mod": "a moderator (Moderators role)", "admin": "an administrator"}[kind]
        identity = Identity(key, name, user, members, role)
        self.identities[key] = identity
        return identity

    def channel_named(self, guild: Any, name: str) -> Any:
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
        """The synced commands this server sees (global and guild), by name."""
        found = {c["name"]: c for c in self.emu.registered_commands()}
        found.update({c["name"]: c for c in self.emu.registered_commands(self.guild)})
        return sorted(found.values(), key=lambda c: c["name"])

    def names(self, kind: str, ident: int) -> str | None:
        for guild in self.guilds:
            if kind == "role" and ident in guild.roles:
                return str(guild.roles[ident].name).lstrip("@")
            if kind == "channel" and ident in guild.channels:
                return str(guild.channels[ident].name)
            if kind == "user" and ident in guild.members:
                member = guild.members[ident]
                return str(member.nick or member.user.global_name or member.name)
        return None

    def ctx(self) -> RenderContext:
        return RenderContext(
            now=self.clock.now(), tz=self.tz, names=self.names, lang=self.lang, plain=not self.screen.color
        )

    # ------------------------------------------------------------------ output
    def say(self, text: str = "") -> None:
        self.screen.say(text)

    def hint(self, text: str) -> None:
        self.screen.hint(text)

    def show_message(self, message: dict) -> None:
        self.screen.message(message, self.ctx())
        self.seen[message["id"]] = message.get("edited_timestamp")
        if buttons_of(message) or selects_of(message):
            self.button_message = message

    def show_result(self, result: Any) -> None:
        messages = [] if result.message is None else [result.message]
        messages += [f for f in result.followups if result.message is None or f.get("id") != result.message.get("id")]
        for n, message in enumerate(messages):
            if n:
                self.screen.dim("---")
            self.show_message(message)
        shown = bool(messages)
        if result.choices is not None:
            self.show_choices(result.choices)
            shown = True
        if result.modal:
            self.open_modal(result)
            shown = True
        if result.error:
            self.hint(f"(Discord rejected the bot's reply: {result.error.get('message')} [{result.error.get('code')}])")
            shown = True
        if not shown:
            if result.type is None:
                self.hint('(no answer: Discord would say "The application did not respond")')
            elif result.type == 6:
                self.screen.dim("(the bot acknowledged silently)")
            else:
                self.screen.dim("(no visible reply)")

    def show_choices(self, choices: list[dict]) -> None:
        if not choices:
            self.screen.dim("(no suggestions)")
        for n, choice in enumerate(choices, 1):
            value = choice.get("value")
            extra = f"  = {value}" if str(value) != choice.get("name") else ""
            self.say(f"  {n}. {choice.get('name')}{extra}")

    def report_world_changes(self) -> None:
        """Messages the bot posted or edited on its own (announcements, reveals), and payloads Discord refused."""
        for guild in self.guilds:
            for channel in list(guild.channels.values()):
                for message in self.emu.messages_in(channel):
                    self._report_message(guild, channel, message)
        violations = self.emu.violations
        for violation in violations[self.seen_violations :]:
            error = violation.error or {}
            self.hint(
                f"! Discord would have rejected {violation.route}: {error.get('message')} "
                f"{_first_error(error.get('errors'))}".rstrip()
            )
        self.seen_violations = len(violations)

    def _report_message(self, guild: Any, channel: Any, message: dict) -> None:
        mid = message["id"]
        if mid in self.seen and self.seen[mid] == message.get("edited_timestamp"):
            return
        where = f"#{channel.name}" + ("" if guild is self.guild else f" in {guild.name}")
        what = "edited" if mid in self.seen else "new message"
        if what == "new message" and message.get("author", {}).get("id") != str(self.emu.bot_user.id):
            self.seen[mid] = message.get("edited_timestamp")  # people's own messages: nothing to show
            return
        self.screen.bold(f"-- {what} in {where} --")
        self.show_message(message)

    # ------------------------------------------------------------------ dispatch
    async def handle(self, line: str) -> None:
        """One line typed: a form answer, a ``:meta`` command, a ``/slash`` command, or a button number."""
        from .parsing import clean_line

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
            if find_named(self.commands(), word):
                self.hint(f"commands start with a slash: /{line}")
            else:
                self.hint("commands start with / (try :help); playground commands with :; :say posts a chat message")

    async def handle_reporting(self, line: str) -> None:
        """:meth:`handle`, with mistakes as one line each (nothing typed may crash the playground)."""
        self.busy = True
        try:
            await self.handle(line)
        except PlaygroundError as error:
            self.hint(str(error))
        except (ValueError, PermissionError) as error:  # the emulator refusing what Discord's client would refuse
            self.hint(f"! {str(error).splitlines()[0] if str(error) else 'not possible'}")
        except TimeoutError:
            self.hint("! the bot did not answer in time")
        except Exception as error:  # noqa: BLE001 - nothing typed may crash the playground
            detail = str(error).splitlines()[0] if str(error) else ""
            self.hint(f"! unexpected {type(error).__name__}: {detail}".rstrip(": "))
        finally:
            self.busy = False

    async def watch(self, every: float = 0.25) -> None:
        """At a terminal: show what the bot posts or edits on its own while the person is at the prompt."""
        while not self.done:
            await asyncio.sleep(every)
            if not self.busy and self.modal is None:
                self.report_world_changes()


def _first_error(errors: Any, path: str = "") -> str:
    """The first leaf of Discord's nested form errors, as ``(path: message)``."""
    if not isinstance(errors, dict):
        return ""
    if errors.get("_errors"):
        return f"({path or 'body'}: {errors['_errors'][0].get('message')})"
    for key, value in errors.items():
        found = _first_error(value, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return ""
