"""The playground's own commands, typed with a colon: who you are, where you are, what time it is."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import discord

from .parsing import SUB_COMMAND, SUB_COMMAND_GROUP, PlaygroundError, did_you_mean
from .render import render
from .state import SessionState
from .timefmt import describe_span, format_stamp, local_zone, parse_duration

LOCALE_ALIASES = {"en": "en-US", "english": "en-US", "ko": "ko", "kr": "ko", "korean": "ko", "한국어": "ko"}
LOCALE_NAMES = {"ko": "Korean", "en-US": "English", "en-GB": "English (UK)", "ja": "Japanese", "zh-CN": "Chinese"}
_NAME = re.compile(r"[a-z0-9_.]{2,32}")

PLAYGROUND_HELP = """\
Buttons, menus, forms:
  2  or  :press 2  or  :press Sources    press button 2 of the last message that had buttons
  :select N value|number[,…]   pick from menu N (by label, value or option number)
  :fill field=value ...        fill the open form (or answer its prompts); :cancel abandons it
Playground:
  :as NAME                     act as someone (member, mod, admin; a new name joins as a fan,
                               mod1/admin1 as a moderator/administrator)
  :locale ko|en                your Discord language  :say TEXT          post a chat message here
  :guild 1|2|name              switch server          :channel NAME      switch channel
  :advance 3d|2h|30m|1w        travel in time         :time              the playground clock
  :messages                    recent messages here   :commands          the synced commands
  :help                        this help              :quit              leave (or Ctrl-D)
Start with --fresh to rebuild the playground database from the packs."""


#: How the playground draws Discord's <t:...> times, said at the start and by :time.
TIMES_NOTE = (
    "Times read as Discord shows them to you: in your Discord language (en-US, or Korean after :locale ko) and "
    "this computer's time zone, {zone}; start with TZ set (TZ=Asia/Seoul) to read them in another."
)


class MetaCommands(SessionState):
    """``:help``, ``:as``, ``:locale``, ``:guild``, ``:channel``, ``:advance``, ``:time``, ``:messages`` ..."""

    def meta_handlers(self) -> dict[str, Callable[[str], Any]]:
        return {
            "help": self.cmd_help, "h": self.cmd_help, "?": self.cmd_help, "quit": self.cmd_quit,
            "q": self.cmd_quit, "exit": self.cmd_quit, "as": self.cmd_as, "locale": self.cmd_locale,
            "guild": self.cmd_guild, "server": self.cmd_guild, "channel": self.cmd_channel,
            "advance": self.cmd_advance, "time": self.cmd_time, "messages": self.cmd_messages,
            "commands": self.cmd_commands, "complete": self.complete, "press": self.press,
            "select": self.cmd_select, "fill": self.cmd_fill, "cancel": self.cmd_cancel, "trace": self.cmd_trace,
            "say": self.cmd_say,
        }  # fmt: skip

    async def meta(self, text: str) -> None:
        word, _, arg = text.partition(" ")
        word, arg = word.lower(), arg.strip()
        handlers = self.meta_handlers()
        if not word:
            self.hint("playground commands: " + ", ".join(":" + h for h in handlers if len(h) > 2))
            return
        handler = handlers.get(word)
        if handler is None:
            public = [h for h in handlers if len(h) > 2]
            self.hint(f"unknown playground command :{word}.{did_you_mean(word, public, ':{}')} (:help lists them)")
            return
        result = handler(arg)
        if asyncio.iscoroutine(result):
            await result

    def cmd_help(self, _arg: str) -> None:
        """Help built from what is synced: every real command with an example, then the playground's own."""
        commands = [c for c in self.commands() if c.get("type", 1) == 1]
        self.say("Slash commands (synced to this server):" if commands else "(no slash commands are synced)")
        for command in commands:
            self.say(f"  {_usage(command):<28} {command.get('description', '')}".rstrip())
        if commands:
            self.say("  /COMMAND text?               list autocomplete suggestions (also :complete)")
        self.say(PLAYGROUND_HELP)

    def cmd_quit(self, _arg: str) -> None:
        self.done = True

    def cmd_trace(self, _arg: str) -> None:
        trace = self.logger.last_trace if self.logger else None
        self.say(trace or "(no bot error so far)")

    def cmd_as(self, arg: str) -> None:
        """Act as someone; a name not seen before joins every server (``mod…`` as a moderator)."""
        wanted = arg.strip().lstrip("@")
        key = wanted.lower()
        by_name = {i.name.lower(): k for k, i in self.identities.items()}
        key = by_name.get(key, key)
        if not key:
            self.hint(f"act as whom? :as NAME (known: {', '.join(self.identities)})")
            return
        if key not in self.identities:
            if not _NAME.fullmatch(key):
                raise PlaygroundError("a name is 2 to 32 of a-z, 0-9, _ and . (like fan1 or mod2)")
            self.add_identity(key, wanted)
            self.say(f"{wanted} joined {' and '.join(g.name for g in self.guilds)}.")
        if self.modal is not None and key != self.identity:
            # on Discord a form is on the screen of the member who opened it: nobody else can submit it
            self.modal = None
            self.say(f"{self.identities[self.identity].name}'s open form was abandoned (a form is only theirs).")
        self.identity = key
        who = self.identities[key]
        self.say(f"You are now {who.name}, {who.role}, locale {who.user.locale}.")

    def cmd_locale(self, arg: str) -> None:
        wanted = arg.strip()
        locale = LOCALE_ALIASES.get(wanted.lower())
        if locale is None:
            known = {loc.value.lower(): loc.value for loc in discord.Locale}
            locale = known.get(wanted.lower())
        if locale is None:
            self.hint(f"locale: ko or en (or any Discord locale like ja, en-GB).{did_you_mean(wanted, LOCALE_ALIASES)}")
            return
        identity = self.identities[self.identity]
        identity.user.locale = locale
        self.say(f"{identity.name}'s Discord language is now {LOCALE_NAMES.get(locale, locale)} ({locale}).")

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
        self.channel = self.channel_named(guild, "general")
        self.button_message = None
        self.say(f"Now in {guild.name}, #general.")

    def cmd_channel(self, arg: str) -> None:
        name = arg.strip().lstrip("#").lower()
        channels = {c.name: c for c in self.guild.channels.values()}
        if name not in channels:
            listing = ", ".join("#" + c for c in channels)
            self.hint(f"channels here: {listing}.{did_you_mean(name, channels, '#{}') if name else ''}")
            return
        self.channel = channels[name]
        note = " (the bot can't post here)" if channels[name].overwrites.get(self.emu.bot_user.id) else ""
        self.say(f"Now in #{name}{note}.")

    async def cmd_advance(self, arg: str) -> None:
        """Move the frozen clock; whatever it wakes (the scheduler) runs, and its posts show, before the prompt."""
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
        await self.clock.settle()
        await self.quiesce()
        direction = "forward" if delta >= dt.timedelta(0) else "back"
        self.say(f"Travelled {direction} {describe_span(delta)}: it is now {self.describe_now()}.")
        self.report_world_changes()

    async def quiesce(self, quiet: float = 0.05, limit: float = 3.0) -> None:
        """Wait until the bot has made no request to Discord for ``quiet`` seconds (at most ``limit``)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        seen = -1
        while loop.time() < deadline and seen != len(self.emu.requests):
            seen = len(self.emu.requests)
            await asyncio.sleep(quiet)
            await self.clock.settle()

    def describe_now(self) -> str:
        """The playground clock as its reader sees it, naming the zone: "Monday, November 30, 2026 at 9:49 AM
        KST (UTC+09:00)"."""
        now = self.clock.now()
        return f"{format_stamp(now, 'F', now, self.tz)} {local_zone(now, self.tz)}"

    def cmd_time(self, _arg: str) -> None:
        offset = self.clock.now() - self.real_start
        ahead = ""
        if abs(offset.total_seconds()) >= 60:
            ahead = f" ({describe_span(offset)} {'ahead of' if offset > dt.timedelta(0) else 'behind'} real time)"
        self.say(f"Playground time: {self.describe_now()}{ahead}")
        self.say(TIMES_NOTE.format(zone=local_zone(self.clock.now(), self.tz)))

    def cmd_messages(self, arg: str) -> None:
        messages = self.emu.messages_in(self.channel)[-(int(arg) if arg.isdigit() else 10) :]
        if not messages:
            self.say(f"(no messages in #{self.channel.name} yet)")
            return
        ctx = self.ctx()
        for message in messages:
            author = (message.get("author") or {}).get("global_name") or "?"
            when = dt.datetime.fromisoformat(message["timestamp"])
            via = message.get("interaction", {}).get("name")
            edited = " (edited)" if message.get("edited_timestamp") else ""
            self.screen.bold(f"{author}" + (f" (/{via})" if via else "") + f" · {format_stamp(when, 't', ctx.now, ctx.tz, ctx.lang)}"
                             + edited)  # fmt: skip
            self.show_message(message)

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
                self.screen.dim(f"     {usage}")

    async def cmd_say(self, arg: str) -> None:
        """Post a chat message in the current channel as the acting member (MESSAGE_CREATE to the bot)."""
        if not arg.strip():
            raise PlaygroundError("say what? :say hello")
        message = self.emu.post_user_message(self.channel, self.member, arg.strip())
        self.seen[message["id"]] = None
        self.say(render(message, self.ctx()))
        await self.quiesce()
        self.report_world_changes()


def _usage(command: dict) -> str:
    """``/song title:…`` or ``/trivia start|stop``: how a command is typed."""
    options = command.get("options") or []
    subs = [o["name"] for o in options if o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)]
    if subs:
        return f"/{command['name']} {'|'.join(subs)}"
    shown = [f"{o['name']}:…" if o.get("required") else f"[{o['name']}:…]" for o in options[:3]]
    return " ".join([f"/{command['name']}", *shown])
