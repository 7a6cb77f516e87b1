"""A loopback Discord: REST API v10 + gateway v10 (JSON, uncompressed text frames) on 127.0.0.1.

The real discord.py client is pointed at it with :meth:`Emulator.install` (patches
``discord.http.Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``) and then behaves
exactly as against Discord.  Tests act as users (:meth:`Emulator.command`, :meth:`click`,
:meth:`select`, :meth:`submit_modal`, :meth:`autocomplete`) and read what the bot answered
through :class:`InteractionResult`.  Payloads are checked the way Discord does
(:mod:`bot.playground.limits`); rejections are answered with Discord's error bodies and
recorded in :attr:`Emulator.violations`.

Quick start::

    emu = Emulator()
    g = emu.add_guild("Fan Club")
    ch = emu.add_channel(g, "general")
    fan = emu.add_member(g, "Fan")
    await emu.start()
    async with run_client(emu, my_bot):          # installs, starts, waits for on_ready
        await my_bot.tree.sync()
        r = await emu.command(ch, fan, "ping")
        assert r.content == "pong"
    await emu.stop()

discord.py facts this relies on (2.7):
* a response body is parsed as JSON only if Content-Type is exactly ``application/json``;
* a 429 is retried only if the response carries a ``Via`` header (else it is taken as a
  Cloudflare ban) -- the emulator sends ``Via: 1.1 google`` like Discord;
* ``HTTPClient`` retries 500/502/504/524 (sleeping 1 s, 3 s, ...); 503 raises
  ``DiscordServerError`` at once.  Webhook/interaction routes retry every 5xx;
* ``on_ready`` fires ``guild_ready_timeout`` (default 2 s) after the *last* GUILD_CREATE --
  there is no early exit, so pass ``guild_ready_timeout=0.05`` or use :func:`run_client`;
* a non-initial IDENTIFY sleeps 5 s in ``Client.before_identify_hook`` (patched by
  :func:`run_client`);
* the client gives up on a silent gateway after ``heartbeat_timeout`` (Client kwarg,
  default 60 s) -- the stall fault needs a small one.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as _dt
import itertools
import json
import re
import secrets
import time
from collections import deque
from typing import Any, AsyncIterator, Callable, Dict, Iterable, List, NamedTuple, Optional, Tuple, Union

import aiohttp
import discord
import yarl
from aiohttp import web
from discord import Permissions  # re-exported: use Permissions(...).value or plain ints

from . import limits
from .limits import FLAG_COMPONENTS_V2, FLAG_EPHEMERAL, FLAG_LOADING, FormErrors

__all__ = [
    "Emulator", "Permissions", "InteractionResult", "render_message", "run_client", "start_bot",
    "Guild", "Channel", "Role", "Member", "User", "Violation", "BotHandle",
]

DISCORD_EPOCH = 1420070400000
ALL_PERMISSIONS = Permissions.all().value
P = discord.Permissions
ADMINISTRATOR = P(administrator=True).value
VIEW_CHANNEL = P(view_channel=True).value
SEND_MESSAGES = P(send_messages=True).value
READ_HISTORY = P(read_message_history=True).value
MANAGE_MESSAGES = P(manage_messages=True).value
MANAGE_EVENTS = P(manage_events=True).value
CREATE_EVENTS = P(create_events=True).value

DEFAULT_EVERYONE_PERMISSIONS = P(
    view_channel=True, send_messages=True, send_messages_in_threads=True, create_public_threads=True,
    embed_links=True, attach_files=True, add_reactions=True, read_message_history=True,
    use_application_commands=True, use_external_emojis=True, use_external_stickers=True,
    connect=True, speak=True, stream=True, use_voice_activation=True, change_nickname=True,
    create_instant_invite=True, request_to_speak=True, use_embedded_activities=True,
).value
DEFAULT_BOT_PERMISSIONS = P(
    view_channel=True, send_messages=True, send_messages_in_threads=True, embed_links=True, attach_files=True,
    read_message_history=True, add_reactions=True, use_application_commands=True, use_external_emojis=True,
    manage_events=True, create_events=True,
).value

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_SCHEDULED_EVENTS = 1 << 16

# interaction types
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
# callback types
PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = (
    1, 4, 5, 6, 7, 8, 9)
_ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}
INTERACTION_TOKEN_TTL = 15 * 60.0


def _now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat()


def _perm_value(p: Any) -> int:
    if p is None:
        return 0
    return int(getattr(p, "value", p))


def _copy_tree(obj: Any) -> Any:
    """A copy of parsed JSON (dicts, lists, scalars): what copy.deepcopy does here, several times faster."""
    if isinstance(obj, dict):
        return {k: _copy_tree(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_copy_tree(v) for v in obj]
    return obj


def _jdump(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


# ============================================================================ world model
@dataclasses.dataclass(eq=False)
class User:
    id: int
    name: str
    bot: bool = False
    locale: str = "en-US"
    global_name: Optional[str] = None

    def to_dict(self) -> dict:
        return {
            "id": str(self.id), "username": self.name.lower().replace(" ", "_"), "global_name": self.global_name or self.name,
            "discriminator": "0", "avatar": None, "bot": self.bot, "public_flags": 0, "flags": 0,
            "avatar_decoration_data": None, "banner": None, "accent_color": None,
        }


@dataclasses.dataclass(eq=False)
class Role:
    id: int
    guild: "Guild"
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    bot_id: Optional[int] = None
    color: int = 0

    def to_dict(self) -> dict:
        d = {
            "id": str(self.id), "name": self.name, "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": None, "tertiary_color": None},
            "hoist": False, "icon": None, "unicode_emoji": None, "position": self.position,
            "permissions": str(self.permissions), "managed": self.managed, "mentionable": False, "flags": 0,
        }
        if self.bot_id:
            d["tags"] = {"bot_id": str(self.bot_id)}
        return d


@dataclasses.dataclass(eq=False)
class Member:
    user: User
    guild: "Guild"
    roles: List[Role] = dataclasses.field(default_factory=list)
    nick: Optional[str] = None
    joined_at: str = dataclasses.field(default_factory=_now_iso)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def locale(self) -> str:
        return self.user.locale

    def to_dict(self, *, with_user: bool = True) -> dict:
        d = {
            "roles": [str(r.id) for r in self.roles], "nick": self.nick, "avatar": None, "banner": None,
            "joined_at": self.joined_at, "premium_since": None, "deaf": False, "mute": False, "flags": 0,
            "pending": False, "communication_disabled_until": None,
        }
        if with_user:
            d["user"] = self.user.to_dict()
        return d


@dataclasses.dataclass(eq=False)
class Channel:
    id: int
    guild: "Guild"
    name: str
    type: int = 0
    position: int = 0
    topic: Optional[str] = None
    parent_id: Optional[int] = None
    # target id -> [type (0 role, 1 member), allow, deny]
    overwrites: Dict[int, List[int]] = dataclasses.field(default_factory=dict)
    deleted: bool = False
    message_ids: List[int] = dataclasses.field(default_factory=list)  # every message, in order

    def to_dict(self) -> dict:
        return {
            "id": str(self.id), "type": self.type, "guild_id": str(self.guild.id), "name": self.name,
            "position": self.position, "topic": self.topic, "nsfw": False, "last_message_id":
                str(self.message_ids[-1]) if self.message_ids else None,
            "rate_limit_per_user": 0, "parent_id": str(self.parent_id) if self.parent_id else None, "flags": 0,
            "permission_overwrites": [
                {"id": str(t), "type": v[0], "allow": str(v[1]), "deny": str(v[2])} for t, v in self.overwrites.items()
            ],
            **({"bitrate": 64000, "user_limit": 0, "rtc_region": None} if self.type in (2, 13) else {}),
        }


@dataclasses.dataclass(eq=False)
class Guild:
    id: int
    name: str
    locale: str = "en-US"
    owner_id: int = 0
    channels: Dict[int, Channel] = dataclasses.field(default_factory=dict)
    roles: Dict[int, Role] = dataclasses.field(default_factory=dict)
    members: Dict[int, Member] = dataclasses.field(default_factory=dict)
    scheduled_events: Dict[int, dict] = dataclasses.field(default_factory=dict)
    bot_role: Optional[Role] = None
    admin_role: Optional[Role] = None

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def to_dict(self) -> dict:
        return {
            "id": str(self.id), "name": self.name, "icon": None, "icon_hash": None, "splash": None,
            "discovery_splash": None, "owner_id": str(self.owner_id), "afk_channel_id": None, "afk_timeout": 300,
            "widget_enabled": False, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "roles": [r.to_dict() for r in self.roles.values()], "emojis": [],
            "features": [], "mfa_level": 0, "application_id": None, "system_channel_id": None,
            "system_channel_flags": 0, "rules_channel_id": None, "max_presences": None, "max_members": 500000,
            "vanity_url_code": None, "description": None, "banner": None, "premium_tier": 0,
            "premium_subscription_count": 0, "preferred_locale": self.locale, "public_updates_channel_id": None,
            "max_video_channel_users": 25, "nsfw_level": 0, "stickers": [], "premium_progress_bar_enabled": False,
            "safety_alerts_channel_id": None, "incidents_data": None,
        }


class Violation(NamedTuple):
    route: str
    body: Any
    error: dict


class _ApiError(Exception):
    def __init__(self, status: int, body: dict, *, violation: bool = False):
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.violation = violation


def _form_error(errs: FormErrors) -> _ApiError:
    return _ApiError(400, errs.to_body(), violation=True)


def _unknown(what: str, code: int) -> _ApiError:
    return _ApiError(404, {"message": f"Unknown {what}", "code": code})


MISSING_PERMISSIONS = lambda: _ApiError(403, {"message": "Missing Permissions", "code": 50013})  # noqa: E731
MISSING_ACCESS = lambda: _ApiError(403, {"message": "Missing Access", "code": 50001})  # noqa: E731


# ============================================================================ interactions
class _Signal:
    """Edge-triggered change notification usable from sync code."""

    def __init__(self) -> None:
        self._ev = asyncio.Event()

    def fire(self) -> None:
        self._ev.set()
        self._ev = asyncio.Event()

    async def wait_for(self, pred: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not pred():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._ev.wait(), remaining)
            except asyncio.TimeoutError:
                return pred()
        return True


@dataclasses.dataclass(eq=False)
class _Interaction:
    id: int
    token: str
    type: int
    channel: Channel
    member: Member
    payload: dict
    created: float  # loop time INTERACTION_CREATE was queued
    option_type: Optional[int] = None  # focused option type (autocomplete)
    source_message_id: Optional[int] = None  # the message a component sits on
    response_type: Optional[int] = None
    responded_at: Optional[float] = None
    attempts: List[Tuple[int, int]] = dataclasses.field(default_factory=list)  # (callback type, http status)
    error: Optional[dict] = None
    original_id: Optional[int] = None
    original_edited: bool = False
    followup_ids: List[int] = dataclasses.field(default_factory=list)
    modal: Optional[dict] = None
    choices: Optional[List[dict]] = None
    changed: _Signal = dataclasses.field(default_factory=_Signal)


def walk_components(components: Any) -> Iterable[dict]:
    """Every component of a message or modal, depth first, in the order Discord numbers them."""
    for c in components or []:
        if not isinstance(c, dict):
            continue
        yield c
        yield from walk_components(c.get("components"))
        if c.get("accessory"):
            yield from walk_components([c["accessory"]])
        if c.get("component"):
            yield from walk_components([c["component"]])


class InteractionResult:
    """What the user sees after an interaction.  Live: reads the emulator's current state."""

    def __init__(self, emu: "Emulator", rec: _Interaction):
        self._emu = emu
        self._rec = rec

    # raw
    @property
    def interaction(self) -> dict:
        return self._rec.payload

    @property
    def id(self) -> int:
        return self._rec.id

    @property
    def type(self) -> Optional[int]:
        """Accepted callback type; if every attempt was rejected, the first attempted type."""
        if self._rec.response_type is not None:
            return self._rec.response_type
        return self._rec.attempts[0][0] if self._rec.attempts else None

    @property
    def latency(self) -> Optional[float]:
        """Seconds from INTERACTION_CREATE queued to the accepted callback."""
        r = self._rec
        return None if r.responded_at is None else r.responded_at - r.created

    @property
    def error(self) -> Optional[dict]:
        return self._rec.error

    @property
    def message(self) -> Optional[dict]:
        mid = self._rec.original_id
        return None if mid is None else self._emu._messages.get(mid)

    @property
    def followups(self) -> List[dict]:
        return [self._emu._messages[m] for m in self._rec.followup_ids if m in self._emu._messages]

    @property
    def content(self) -> Optional[str]:
        m = self.message
        return None if m is None else m.get("content")

    @property
    def embeds(self) -> List[dict]:
        m = self.message
        return [] if m is None else m.get("embeds", [])

    @property
    def components(self) -> List[dict]:
        m = self.message
        return [] if m is None else m.get("components", [])

    @property
    def flags(self) -> int:
        m = self.message
        return 0 if m is None else m.get("flags", 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def modal(self) -> Optional[dict]:
        return self._rec.modal

    @property
    def choices(self) -> Optional[List[dict]]:
        return self._rec.choices

    @property
    def buttons(self) -> List[dict]:
        return [c for c in walk_components(self.components) if c.get("type") == 2]

    @property
    def selects(self) -> List[dict]:
        return [c for c in walk_components(self.components) if c.get("type") in (3, 5, 6, 7, 8)]

    @property
    def text(self) -> str:
        parts = []
        if self.message is not None:
            parts.append(render_message(self.message))
        for f in self.followups:
            if self.message is None or f.get("id") != self.message.get("id"):
                parts.append(render_message(f))
        if self.modal:
            parts.append(render_modal(self.modal))
        if self.choices is not None:
            parts.append("\n".join(f"- {c.get('name')} = {c.get('value')!r}" for c in self.choices))
        if self.error:
            parts.append(f"(error {self.error.get('code')}: {self.error.get('message')})")
        return "\n---\n".join(p for p in parts if p)

    def __repr__(self) -> str:
        return f"<InteractionResult type={self.type} error={self.error and self.error.get('code')} text={self.text[:80]!r}>"


def render_modal(modal: dict) -> str:
    lines = [f"[modal] {modal.get('title', '')}"]
    for row in modal.get("components") or []:
        for c in walk_components([row]):
            if c.get("type") == 4:
                label = c.get("label") or row.get("label") or ""
                lines.append(f"  {label} ({c.get('custom_id')}){' *' if c.get('required', True) else ''}")
            elif c.get("type") == 10:
                lines.append(f"  {c.get('content', '')}")
    return "\n".join(lines)


def render_message(message: Optional[dict]) -> str:
    """Plain-text rendering: content, embeds (| prefixed), v2 text, then numbered buttons [1] Label."""
    if not message:
        return ""
    lines: List[str] = []
    flags = message.get("flags", 0) or 0
    if flags & FLAG_EPHEMERAL:
        lines.append("(only you can see this)")
    if flags & FLAG_LOADING:
        lines.append("(thinking...)")
    if message.get("content"):
        lines.append(message["content"])
    for e in message.get("embeds") or []:
        if e.get("author", {}).get("name"):
            lines.append(f"| {e['author']['name']}")
        if e.get("title"):
            lines.append(f"| {e['title']}")
        for ln in (e.get("description") or "").splitlines():
            lines.append(f"| {ln}")
        for f in e.get("fields") or []:
            value = (f.get("value") or "").splitlines() or [""]
            lines.append(f"| {f.get('name')}: {value[0]}")
            lines.extend(f"|   {v}" for v in value[1:])
        if e.get("footer", {}).get("text"):
            lines.append(f"| -- {e['footer']['text']}")
    n = 0
    for row in message.get("components") or []:
        row_parts: List[str] = []
        for c in walk_components([row]):
            t = c.get("type")
            if t == 10:
                lines.append(c.get("content", ""))
            elif t == 2:
                n += 1
                label = c.get("label") or (c.get("emoji") or {}).get("name") or "?"
                extra = " (disabled)" if c.get("disabled") else ""
                if c.get("style") == 5:
                    extra += f" <{c.get('url')}>"
                row_parts.append(f"[{n}] {label}{extra}")
            elif t in (3, 5, 6, 7, 8):
                opts = " / ".join(o.get("label", "") for o in c.get("options") or [])
                row_parts.append(f"<{c.get('placeholder') or c.get('custom_id')}>" + (f": {opts}" if opts else ""))
        if row_parts:
            lines.append("  ".join(row_parts))
    for a in message.get("attachments") or []:
        lines.append(f"[file] {a.get('filename')}")
    return "\n".join(lines)


# ============================================================================ gateway plumbing
class _Conn:
    def __init__(self, ws: web.WebSocketResponse, path: str):
        self.ws = ws
        self.path = path
        self.queue: asyncio.Queue = asyncio.Queue()
        self.session: Optional[_Session] = None
        self.stalled = False
        self.ready = False
        self.closed = False
        self.writer: Optional[asyncio.Task] = None

    @property
    def live(self) -> bool:
        return self.ready and not self.closed and not self.stalled

    def send(self, text: str) -> None:
        if not self.closed:
            self.queue.put_nowait(text)


class _Session:
    def __init__(self, sid: str, intents: int, shard: Optional[List[int]]):
        self.id = sid
        self.intents = intents
        self.shard = shard
        self.seq = 0
        self.log: deque = deque(maxlen=10000)
        self.conn: Optional[_Conn] = None

    def wants_guild(self, guild_id: Optional[int]) -> bool:
        if not self.shard or guild_id is None:
            return True
        i, n = self.shard
        return (guild_id >> 22) % n == i


class _Fault:
    def __init__(self, method: str, regex: str, status: int, retry_after: float, is_global: bool, count: int,
                 after_processing: bool):
        self.method = method.upper()
        self.regex = re.compile(regex)
        self.status = status
        self.retry_after = retry_after
        self.is_global = is_global
        self.count = count
        self.after_processing = after_processing

    def matches(self, method: str, path: str) -> bool:
        return self.count > 0 and self.method in ("*", method) and bool(self.regex.search(path))


class _Req(NamedTuple):
    method: str
    path: str
    query: Any
    json: Any
    files: List[dict]
    headers: Any


# ============================================================================ the emulator
class Emulator:
    def __init__(self, *, heartbeat_interval: float = 41.25, interaction_deadline: float = 3.0,
                 token: Optional[str] = None, bot_name: str = "Lightstick", nonce_window: float = 300.0,
                 host: str = "127.0.0.1", port: int = 0):
        self.heartbeat_interval = heartbeat_interval
        self.interaction_deadline = interaction_deadline
        self.nonce_window = nonce_window
        self.token = token or ("emu." + secrets.token_urlsafe(18))
        self.host, self.port = host, port
        self._sf_last = 0
        self._sf_inc = 0
        self.application_id = self._snowflake()
        self.bot_user = User(self.application_id, bot_name, bot=True)
        self.app_owner = User(self._snowflake(), "AppOwner")
        self.guilds: Dict[int, Guild] = {}
        self.users: Dict[int, User] = {self.bot_user.id: self.bot_user}
        self._channels: Dict[int, Channel] = {}
        self._messages: Dict[int, dict] = {}
        self._msg_meta: Dict[int, dict] = {}
        self._nonces: Dict[Tuple[int, int, str], Tuple[int, float]] = {}
        self._global_commands: Dict[int, dict] = {}
        self._guild_commands: Dict[int, Dict[int, dict]] = {}
        self._command_version = itertools.count(1)
        self._interactions: Dict[str, _Interaction] = {}
        self._faults: List[_Fault] = []
        self._sessions: Dict[str, _Session] = {}
        self._conns: List[_Conn] = []
        self._runner: Optional[web.AppRunner] = None
        self._installed: List[Tuple[str, yarl.URL]] = []
        self._gw_changed: Optional[_Signal] = None
        self._msg_changed: Optional[_Signal] = None
        self._epoch = 0
        self._ready_epoch = -1
        self._resumed_epoch = -1
        # observability
        self.violations: List[Violation] = []
        self.requests: List[Tuple[str, str, int]] = []  # (method, path, status)
        self.faults_served: List[Tuple[str, str, int]] = []
        self.unhandled: List[Tuple[str, str]] = []
        self.gateway_log: List[Tuple[str, Any]] = []  # ("recv"/"send-op", op or event name)
        self.identify_count = 0
        self.resume_count = 0
        self.heartbeat_count = 0
        self.api_base = ""
        self.gateway_url = ""
        self._routes = self._build_routes()

    # ------------------------------------------------------------------ ids
    def _snowflake(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH
        if ms <= self._sf_last:
            ms = self._sf_last
            self._sf_inc += 1
            if self._sf_inc > 0xFFF:
                ms += 1
                self._sf_inc = 0
        else:
            self._sf_inc = 0
        self._sf_last = ms
        return (ms << 22) | (1 << 17) | self._sf_inc

    # ------------------------------------------------------------------ world building
    def add_guild(self, name: str, *, locale: str = "en-US", bot_permissions: Any = None,
                  everyone_permissions: Any = None) -> Guild:
        gid = self._snowflake()
        g = Guild(gid, name, locale=locale, owner_id=self.app_owner.id)
        g.roles[gid] = Role(gid, g, "@everyone", _perm_value(everyone_permissions) if everyone_permissions is not None
                            else DEFAULT_EVERYONE_PERMISSIONS, position=0)
        g.bot_role = Role(self._snowflake(), g, self.bot_user.name, DEFAULT_BOT_PERMISSIONS if bot_permissions is None
                          else _perm_value(bot_permissions), position=1, managed=True, bot_id=self.bot_user.id)
        g.roles[g.bot_role.id] = g.bot_role
        g.members[self.bot_user.id] = Member(self.bot_user, g, [g.bot_role])
        self.guilds[gid] = g
        if self._runner:
            self._dispatch("GUILD_CREATE", self._guild_create_payload(g), guild_id=gid)
        return g

    def add_channel(self, guild: Guild, name: str, *, bot_can_send: bool = True, bot_can_view: bool = True,
                    type: int = 0, topic: Optional[str] = None) -> Channel:
        ch = Channel(self._snowflake(), guild, name, type=type, position=len(guild.channels), topic=topic)
        deny = (0 if bot_can_send else SEND_MESSAGES) | (0 if bot_can_view else VIEW_CHANNEL)
        if deny:
            ch.overwrites[self.bot_user.id] = [1, 0, deny]
        guild.channels[ch.id] = ch
        self._channels[ch.id] = ch
        if self._runner:
            self._dispatch("CHANNEL_CREATE", ch.to_dict(), guild_id=guild.id)
        return ch

    def add_role(self, guild: Guild, name: str, *, permissions: Any = 0, color: int = 0) -> Role:
        r = Role(self._snowflake(), guild, name, _perm_value(permissions), position=len(guild.roles), color=color)
        guild.roles[r.id] = r
        if self._runner:
            self._dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": r.to_dict()}, guild_id=guild.id)
        return r

    def add_member(self, guild: Guild, name: str, *, roles: Iterable[Role] = (), administrator: bool = False,
                   locale: str = "en-US", owner: bool = False, user: Optional[User] = None,
                   nick: Optional[str] = None) -> Member:
        if user is None:
            user = User(self._snowflake(), name, locale=locale)
            self.users[user.id] = user
        role_list = list(roles)
        if administrator:
            if guild.admin_role is None:
                guild.admin_role = self.add_role(guild, "Admin", permissions=ADMINISTRATOR)
            role_list.append(guild.admin_role)
        m = Member(user, guild, role_list, nick=nick)
        guild.members[user.id] = m
        if owner:
            guild.owner_id = user.id
        if self._runner:
            self._dispatch("GUILD_MEMBER_ADD", {**m.to_dict(), "guild_id": str(guild.id)}, guild_id=guild.id,
                           intent=INTENT_GUILD_MEMBERS)
        return m

    def set_overwrite(self, channel: Channel, target: Union[Role, Member, User, int], *, allow: Any = 0,
                      deny: Any = 0) -> None:
        tid = target if isinstance(target, int) else target.id
        kind = 0 if isinstance(target, Role) or tid in channel.guild.roles else 1
        channel.overwrites[tid] = [kind, _perm_value(allow), _perm_value(deny)]
        if self._runner:
            self._dispatch("CHANNEL_UPDATE", channel.to_dict(), guild_id=channel.guild.id)

    def set_role_permissions(self, role: Role, permissions: Any) -> None:
        role.permissions = _perm_value(permissions)
        if self._runner:
            self._dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(role.guild.id), "role": role.to_dict()},
                           guild_id=role.guild.id)

    def delete_channel(self, channel: Channel) -> None:
        channel.deleted = True
        channel.guild.channels.pop(channel.id, None)
        if self._runner:
            self._dispatch("CHANNEL_DELETE", channel.to_dict(), guild_id=channel.guild.id)

    # ------------------------------------------------------------------ permissions
    def base_permissions(self, guild: Guild, member: Member) -> int:
        if member.id == guild.owner_id:
            return ALL_PERMISSIONS
        p = guild.everyone.permissions
        for r in member.roles:
            p |= r.permissions
        return ALL_PERMISSIONS if p & ADMINISTRATOR else p

    def channel_permissions(self, channel: Channel, member: Member) -> int:
        base = self.base_permissions(channel.guild, member)
        if base == ALL_PERMISSIONS:
            return base
        ow = channel.overwrites
        e = ow.get(channel.guild.id)
        if e:
            base = (base & ~e[2]) | e[1]
        allow = deny = 0
        for r in member.roles:
            o = ow.get(r.id)
            if o:
                allow |= o[1]
                deny |= o[2]
        base = (base & ~deny) | allow
        m = ow.get(member.id)
        if m:
            base = (base & ~m[2]) | m[1]
        return base if base & VIEW_CHANNEL else 0

    def bot_member(self, guild: Guild) -> Member:
        return guild.members[self.bot_user.id]

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> "Emulator":
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/", self._ws_handler)
        app.router.add_route("GET", "/resume/", self._ws_handler)
        app.router.add_route("*", "/api/v{version:\\d+}/{tail:.*}", self._rest_handler)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.api_base = f"http://{self.host}:{self.port}/api/v10"
        self.gateway_url = f"ws://{self.host}:{self.port}/"
        self._gw_changed = _Signal()
        self._msg_changed = _Signal()
        return self

    async def stop(self) -> None:
        for c in list(self._conns):
            c.closed = True
            if c.writer:
                c.writer.cancel()
            with contextlib.suppress(Exception):
                await c.ws.close(code=1001)
        if self._runner:
            await self._runner.cleanup()
            self._runner = None
        while self._installed:
            self.uninstall()

    async def __aenter__(self) -> "Emulator":
        return await self.start()

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    def install(self) -> None:
        """Point discord.py (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY) at this emulator."""
        self._installed.append((discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY))
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    def uninstall(self) -> None:
        if self._installed:
            base, gw = self._installed.pop()
            discord.http.Route.BASE = base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gw

    # ------------------------------------------------------------------ fault injection
    def fail_next(self, method: str, path_regex: str, status: int = 429, retry_after: float = 0.2,
                  is_global: bool = False, count: int = 1, *, after_processing: bool = False) -> None:
        """Answer the next ``count`` matching REST requests with ``status``.

        ``path_regex`` is searched in the path after ``/api/v10`` (e.g. ``r"/channels/\\d+/messages$"``,
        ``r"/callback"``).  With ``after_processing=True`` the request takes effect first and only the
        answer is lost (a retry then sees the side effect -- e.g. a duplicate message without nonce).
        """
        self._faults.append(_Fault(method, path_regex, status, retry_after, is_global, count, after_processing))

    def _fault_response(self, f: _Fault) -> web.Response:
        if f.status == 429:
            body = {"message": "You are being rate limited.", "retry_after": f.retry_after, "global": f.is_global}
            if f.is_global:
                body["code"] = 0
            headers = {
                "Via": "1.1 google", "Retry-After": str(max(1, int(f.retry_after + 0.999))),
                "X-RateLimit-Scope": "global" if f.is_global else "user",
            }
            if f.is_global:
                headers["X-RateLimit-Global"] = "true"
            else:
                headers.update({
                    "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": f"{time.time() + f.retry_after:.3f}",
                    "X-RateLimit-Reset-After": f"{f.retry_after:.3f}", "X-RateLimit-Bucket": "emulated-bucket",
                })
            return self._json(429, body, headers)
        reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                  504: "Gateway Timeout"}.get(f.status, "Error")
        return self._json(f.status, {"message": f"{f.status}: {reason}", "code": 0}, {"Via": "1.1 google"})

    def _gw_fault(self) -> None:
        self._epoch += 1
        self._fire_gw()

    async def drop_gateway(self, code: Optional[int] = 4000) -> None:
        """Close every gateway connection (``code=None``: abort the TCP connection, like a 1006)."""
        self._gw_fault()
        for c in list(self._conns):
            c.ready = False
            c.closed = True
            if code is None:
                transport = c.ws._req.transport if c.ws._req else None  # type: ignore[attr-defined]
                if transport:
                    transport.abort()
            else:
                with contextlib.suppress(Exception):
                    await c.ws.close(code=code, message=b"emulated drop")

    async def send_reconnect(self) -> None:
        self._gw_fault()
        for c in self._live_conns():
            c.ready = False
            await self._send_now(c, {"op": 7, "d": None})

    async def invalidate_session(self, resumable: bool = False) -> None:
        self._gw_fault()
        for c in self._live_conns():
            c.ready = False
            if not resumable and c.session:
                self._sessions.pop(c.session.id, None)
            await self._send_now(c, {"op": 9, "d": resumable})

    def stall_gateway(self) -> None:
        """Stop answering heartbeats and sending events on current connections (zombie connection)."""
        self._gw_fault()
        for c in self._conns:
            c.stalled = True

    async def wait_ready(self, timeout: float = 10.0) -> None:
        """Wait until a gateway connection is READY or RESUMED after the latest injected gateway fault."""
        ok = await self._gw_changed.wait_for(
            lambda: self._ready_epoch >= self._epoch and bool(self._live_conns()), timeout)
        if not ok:
            raise asyncio.TimeoutError("bot did not (re)connect to the emulated gateway")

    async def wait_resumed(self, timeout: float = 10.0) -> None:
        ok = await self._gw_changed.wait_for(
            lambda: self._resumed_epoch >= self._epoch and bool(self._live_conns()), timeout)
        if not ok:
            raise asyncio.TimeoutError("bot did not RESUME on the emulated gateway")

    def _live_conns(self) -> List[_Conn]:
        return [c for c in self._conns if c.live]

    def _fire_gw(self) -> None:
        if self._gw_changed:
            self._gw_changed.fire()

    # ------------------------------------------------------------------ gateway
    async def _ws_handler(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = _Conn(ws, request.path)
        self._conns.append(conn)
        conn.writer = asyncio.create_task(self._writer(conn))
        conn.send(_jdump({"op": 10, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}}))
        try:
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT or conn.stalled:
                    continue
                try:
                    payload = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                await self._on_gateway(conn, payload)
        finally:
            conn.closed = True
            conn.ready = False
            if conn.session and conn.session.conn is conn:
                conn.session.conn = None
            if conn.writer:
                conn.writer.cancel()
            with contextlib.suppress(ValueError):
                self._conns.remove(conn)
            self._fire_gw()
        return ws

    async def _writer(self, conn: _Conn) -> None:
        try:
            while True:
                text = await conn.queue.get()
                if conn.stalled:
                    return
                if conn.closed or conn.ws.closed:
                    return
                await conn.ws.send_str(text)
        except (ConnectionError, RuntimeError, asyncio.CancelledError):
            return

    async def _send_now(self, conn: _Conn, obj: dict) -> None:
        with contextlib.suppress(Exception):
            await conn.ws.send_str(_jdump(obj))

    async def _on_gateway(self, conn: _Conn, p: dict) -> None:
        op, d = p.get("op"), p.get("d")
        self.gateway_log.append(("recv", op))
        if op == 1:
            self.heartbeat_count += 1
            conn.send('{"op":11,"d":null}')
        elif op == 2:
            await self._identify(conn, d or {})
        elif op == 6:
            await self._resume(conn, d or {})
        elif op == 8:
            self._request_members(conn, d or {})
        elif op in (3, 4):
            pass  # presence / voice state: accepted, ignored
        else:
            await ws_close(conn, 4001, "Unknown opcode.")

    async def _identify(self, conn: _Conn, d: dict) -> None:
        if d.get("token") != self.token:
            await ws_close(conn, 4004, "Authentication failed.")
            return
        if conn.session is not None:
            await ws_close(conn, 4005, "Already authenticated.")
            return
        self.identify_count += 1
        shard = d.get("shard")
        # a new IDENTIFY for the same shard supersedes detached sessions
        for sid, s in list(self._sessions.items()):
            if s.conn is None and s.shard == shard:
                del self._sessions[sid]
        s = _Session(secrets.token_hex(16), int(d.get("intents", 0)), shard)
        self._sessions[s.id] = s
        conn.session = s
        s.conn = conn
        guilds = [g for g in self.guilds.values() if s.wants_guild(g.id)]
        ready = {
            "v": 10, "user": {**self.bot_user.to_dict(), "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": s.id, "session_type": "normal",
            "resume_gateway_url": f"ws://{self.host}:{self.port}/resume/",
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [], "relationships": [], "presences": [], "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["emulated"], "user_settings": {}, "auth": {},
            "_trace": ["[\"emulated-gateway\",{\"micros\":0}]"],
        }
        if shard:
            ready["shard"] = shard
        self._session_dispatch(s, "READY", ready)
        for g in guilds:
            self._session_dispatch(s, "GUILD_CREATE", self._guild_create_payload(g))
        conn.ready = True
        self._ready_epoch = self._epoch
        self._fire_gw()

    async def _resume(self, conn: _Conn, d: dict) -> None:
        if d.get("token") != self.token:
            await ws_close(conn, 4004, "Authentication failed.")
            return
        s = self._sessions.get(d.get("session_id") or "")
        if s is None:
            conn.send(_jdump({"op": 9, "d": False}))
            return
        if s.conn is not None and s.conn is not conn:
            old = s.conn
            old.ready = False
            old.closed = True
            with contextlib.suppress(Exception):
                await old.ws.close(code=4000)
        self.resume_count += 1
        seq = d.get("seq") or 0
        conn.session = s
        s.conn = conn
        for n, text in list(s.log):
            if n > seq:
                conn.send(text)
        self._session_dispatch(s, "RESUMED", {"_trace": ["emulated-gateway"]})
        conn.ready = True
        self._ready_epoch = self._epoch
        self._resumed_epoch = self._epoch
        self._fire_gw()

    def _request_members(self, conn: _Conn, d: dict) -> None:
        g = self.guilds.get(int(d.get("guild_id", 0)))
        if not g or not conn.session:
            return
        members = list(g.members.values())
        if d.get("user_ids"):
            ids = {int(u) for u in (d["user_ids"] if isinstance(d["user_ids"], list) else [d["user_ids"]])}
            members = [m for m in members if m.id in ids]
        elif d.get("query"):
            members = [m for m in members if m.name.lower().startswith(d["query"].lower())]
        if d.get("limit"):
            members = members[: d["limit"]]
        payload = {"guild_id": str(g.id), "members": [m.to_dict() for m in members], "chunk_index": 0,
                   "chunk_count": 1, "not_found": []}
        if d.get("nonce") is not None:
            payload["nonce"] = d["nonce"]
        self._session_dispatch(conn.session, "GUILD_MEMBERS_CHUNK", payload)

    def _session_dispatch(self, s: _Session, event: str, data: Any) -> None:
        s.seq += 1
        text = _jdump({"op": 0, "t": event, "s": s.seq, "d": data})
        s.log.append((s.seq, text))
        self.gateway_log.append(("send", event))
        if s.conn is not None and not s.conn.closed:
            s.conn.send(text)

    def _dispatch(self, event: str, data: Any, *, guild_id: Optional[int] = None, intent: Optional[int] = None) -> int:
        """Send a DISPATCH to every session (that has the intent); returns how many sessions got it."""
        n = 0
        for s in list(self._sessions.values()):
            if intent is not None and not (s.intents & intent):
                continue
            if not s.wants_guild(guild_id):
                continue
            self._session_dispatch(s, event, data)
            n += 1
        return n

    def _guild_create_payload(self, g: Guild) -> dict:
        d = g.to_dict()
        d.update({
            "unavailable": False, "large": False, "member_count": len(g.members), "joined_at": _now_iso(),
            "channels": [c.to_dict() for c in g.channels.values() if not c.deleted],
            "members": [m.to_dict() for m in g.members.values()], "threads": [], "presences": [],
            "voice_states": [], "stage_instances": [], "soundboard_sounds": [],
            "guild_scheduled_events": list(g.scheduled_events.values()),
        })
        return d

    # ------------------------------------------------------------------ REST plumbing
    @staticmethod
    def _json(status: int, body: Any, headers: Optional[dict] = None) -> web.Response:
        # body= (bytes) so aiohttp does not append "; charset=utf-8" -- discord.py wants exactly application/json
        return web.Response(status=status, body=_jdump(body).encode(), content_type="application/json",
                            headers=headers)

    async def _read_body(self, request: web.Request) -> Tuple[Any, List[dict]]:
        if not request.body_exists:
            return None, []
        ctype = request.content_type
        if ctype == "multipart/form-data":
            payload, files = None, []
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":
                    payload = json.loads(await part.text())
                elif part.filename is not None:
                    data = await part.read()
                    files.append({"name": part.name, "filename": part.filename, "size": len(data),
                                  "content_type": part.headers.get("Content-Type"), "data": data})
            return payload, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError:
            raise _ApiError(400, {"message": "400: Bad Request", "code": 50109,
                                  "errors": {"_errors": [{"code": "JSON_INVALID", "message": "The request body contains invalid JSON."}]}})

    async def _rest_handler(self, request: web.Request) -> web.StreamResponse:
        method = request.method
        path = "/" + request.match_info["tail"]
        try:
            body, files = await self._read_body(request)
        except _ApiError as e:
            self.requests.append((method, path, e.status))
            return self._json(e.status, e.body)
        fault = next((f for f in self._faults if f.matches(method, path)), None)
        if fault is not None:
            fault.count -= 1
            if fault.count <= 0:
                self._faults.remove(fault)
            if not fault.after_processing:
                self.faults_served.append((method, path, fault.status))
                self.requests.append((method, path, fault.status))
                return self._fault_response(fault)
        req = _Req(method, path, request.query, body, files, request.headers)
        status, resp = await self._route(req)
        if fault is not None:
            self.faults_served.append((method, path, fault.status))
            self.requests.append((method, path, fault.status))
            return self._fault_response(fault)
        self.requests.append((method, path, status))
        if status == 204:
            return web.Response(status=204)
        return self._json(status, resp)

    async def _route(self, req: _Req) -> Tuple[int, Any]:
        for m, rx, handler, auth in self._routes:
            if m != req.method:
                continue
            mt = rx.fullmatch(req.path)
            if mt is None:
                continue
            if auth and req.headers.get("Authorization") != f"Bot {self.token}":
                return 401, {"message": "401: Unauthorized", "code": 0}
            try:
                result = await handler(req, **mt.groupdict())
            except _ApiError as e:
                if e.violation:
                    self.violations.append(Violation(f"{req.method} {req.path}", req.json, e.body))
                return e.status, e.body
            if result is None:
                return 204, None
            if isinstance(result, tuple):
                return result
            return 200, result
        self.unhandled.append((req.method, req.path))
        return 404, {"message": "404: Not Found", "code": 0}

    def _build_routes(self) -> list:
        S = r"(?P<{}>\d+)"
        spec = [
            ("GET", r"/users/@me", self._h_me, True),
            ("GET", r"/users/" + S.format("user_id"), self._h_user, True),
            ("GET", r"/oauth2/applications/@me", self._h_app, True),
            ("GET", r"/applications/@me", self._h_app, True),
            ("GET", r"/gateway", self._h_gateway, False),
            ("GET", r"/gateway/bot", self._h_gateway_bot, True),
            # commands
            ("GET", r"/applications/(?P<app>\d+)/commands", self._h_cmd_list, True),
            ("PUT", r"/applications/(?P<app>\d+)/commands", self._h_cmd_bulk, True),
            ("POST", r"/applications/(?P<app>\d+)/commands", self._h_cmd_create, True),
            ("GET", r"/applications/(?P<app>\d+)/commands/(?P<cid>\d+)", self._h_cmd_get, True),
            ("PATCH", r"/applications/(?P<app>\d+)/commands/(?P<cid>\d+)", self._h_cmd_edit, True),
            ("DELETE", r"/applications/(?P<app>\d+)/commands/(?P<cid>\d+)", self._h_cmd_delete, True),
            ("GET", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands", self._h_cmd_list, True),
            ("PUT", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands", self._h_cmd_bulk, True),
            ("POST", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands", self._h_cmd_create, True),
            ("GET", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands/(?P<cid>\d+)", self._h_cmd_get, True),
            ("PATCH", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands/(?P<cid>\d+)", self._h_cmd_edit, True),
            ("DELETE", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands/(?P<cid>\d+)", self._h_cmd_delete, True),
            # interactions & webhooks (token-authenticated, no Authorization header)
            ("POST", r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback", self._h_callback, False),
            ("POST", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)", self._h_followup, False),
            ("GET", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", self._h_wh_get, False),
            ("PATCH", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", self._h_wh_edit, False),
            ("DELETE", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", self._h_wh_delete, False),
            # channels
            ("GET", r"/channels/(?P<cid>\d+)", self._h_channel_get, True),
            ("GET", r"/channels/(?P<cid>\d+)/messages", self._h_msg_list, True),
            ("POST", r"/channels/(?P<cid>\d+)/messages", self._h_msg_create, True),
            ("GET", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._h_msg_get, True),
            ("PATCH", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._h_msg_edit, True),
            ("DELETE", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._h_msg_delete, True),
            ("POST", r"/channels/(?P<cid>\d+)/typing", self._h_typing, True),
            # guilds
            ("GET", r"/guilds/(?P<gid>\d+)", self._h_guild_get, True),
            ("GET", r"/guilds/(?P<gid>\d+)/channels", self._h_guild_channels, True),
            ("GET", r"/guilds/(?P<gid>\d+)/roles", self._h_guild_roles, True),
            ("GET", r"/guilds/(?P<gid>\d+)/members/(?P<uid>\d+)", self._h_guild_member, True),
            ("GET", r"/guilds/(?P<gid>\d+)/scheduled-events", self._h_ev_list, True),
            ("POST", r"/guilds/(?P<gid>\d+)/scheduled-events", self._h_ev_create, True),
            ("GET", r"/guilds/(?P<gid>\d+)/scheduled-events/(?P<eid>\d+)", self._h_ev_get, True),
            ("PATCH", r"/guilds/(?P<gid>\d+)/scheduled-events/(?P<eid>\d+)", self._h_ev_edit, True),
            ("DELETE", r"/guilds/(?P<gid>\d+)/scheduled-events/(?P<eid>\d+)", self._h_ev_delete, True),
        ]
        return [(m, re.compile(rx), h, auth) for m, rx, h, auth in spec]

    # ------------------------------------------------------------------ REST: login / users
    async def _h_me(self, req: _Req) -> dict:
        return {**self.bot_user.to_dict(), "verified": True, "mfa_enabled": False, "locale": "en-US", "email": None}

    async def _h_user(self, req: _Req, user_id: str) -> dict:
        u = self.users.get(int(user_id))
        if u is None:
            raise _unknown("User", 10013)
        return u.to_dict()

    async def _h_app(self, req: _Req) -> dict:
        return {
            "id": str(self.application_id), "name": self.bot_user.name, "icon": None, "description": "",
            "summary": "", "rpc_origins": [], "bot_public": True, "bot_require_code_grant": False,
            "owner": self.app_owner.to_dict(), "verify_key": "0" * 64, "team": None, "flags": 0,
            "bot": self.bot_user.to_dict(), "interactions_endpoint_url": None, "redirect_uris": [],
            "tags": [], "approximate_guild_count": len(self.guilds), "integration_types_config": {},
            "custom_install_url": None, "role_connections_verification_url": None,
        }

    async def _h_gateway(self, req: _Req) -> dict:
        return {"url": self.gateway_url.rstrip("/")}

    async def _h_gateway_bot(self, req: _Req) -> dict:
        return {"url": self.gateway_url.rstrip("/"), "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000,
                                        "max_concurrency": 1}}

    # ------------------------------------------------------------------ REST: commands
    def _cmd_store(self, app: str, gid: Optional[str]) -> Dict[int, dict]:
        if int(app) != self.application_id:
            raise _ApiError(403, {"message": "Missing Access", "code": 50001})
        if gid is None:
            return self._global_commands
        if int(gid) not in self.guilds:
            raise MISSING_ACCESS()
        return self._guild_commands.setdefault(int(gid), {})

    def _materialize_cmd(self, payload: dict, gid: Optional[str], existing: Optional[dict]) -> dict:
        cmd = _copy_tree(payload)
        cmd.setdefault("type", 1)
        cmd.setdefault("description", "" if cmd["type"] != 1 else cmd.get("description"))
        cmd.setdefault("options", []) if cmd["type"] == 1 else None
        cmd.setdefault("name_localizations", None)
        cmd.setdefault("description_localizations", None)
        cmd.setdefault("default_member_permissions", None)
        cmd.setdefault("nsfw", False)
        if gid is None:
            cmd.setdefault("integration_types", [0])
            cmd.setdefault("contexts", None)
            cmd.setdefault("dm_permission", True)
        else:
            cmd["guild_id"] = str(gid)
        cmd["id"] = existing["id"] if existing else str(self._snowflake())
        cmd["application_id"] = str(self.application_id)
        cmd["version"] = str(self._snowflake())
        return cmd

    async def _h_cmd_list(self, req: _Req, app: str, gid: Optional[str] = None) -> list:
        return list(self._cmd_store(app, gid).values())

    async def _h_cmd_bulk(self, req: _Req, app: str, gid: Optional[str] = None) -> list:
        store = self._cmd_store(app, gid)
        errs = FormErrors()
        limits.check_commands_bulk(req.json, errs)
        if errs:
            raise _form_error(errs)
        by_key = {(c.get("type", 1), c["name"]): c for c in store.values()}
        new = [self._materialize_cmd(c, gid, by_key.get((c.get("type", 1), c["name"]))) for c in req.json]
        store.clear()
        store.update({int(c["id"]): c for c in new})
        return new

    async def _h_cmd_create(self, req: _Req, app: str, gid: Optional[str] = None) -> Tuple[int, dict]:
        store = self._cmd_store(app, gid)
        errs = FormErrors()
        limits.check_command(req.json, errs)
        if errs:
            raise _form_error(errs)
        existing = next((c for c in store.values() if c["name"] == req.json["name"]
                         and c.get("type", 1) == req.json.get("type", 1)), None)
        cmd = self._materialize_cmd(req.json, gid, existing)
        store[int(cmd["id"])] = cmd
        return (200 if existing else 201), cmd

    async def _h_cmd_get(self, req: _Req, app: str, cid: str, gid: Optional[str] = None) -> dict:
        cmd = self._cmd_store(app, gid).get(int(cid))
        if cmd is None:
            raise _unknown("application command", 10063)
        return cmd

    async def _h_cmd_edit(self, req: _Req, app: str, cid: str, gid: Optional[str] = None) -> dict:
        store = self._cmd_store(app, gid)
        cmd = store.get(int(cid))
        if cmd is None:
            raise _unknown("application command", 10063)
        merged = {**cmd, **(req.json or {})}
        errs = FormErrors()
        limits.check_command(merged, errs)
        if errs:
            raise _form_error(errs)
        store[int(cid)] = self._materialize_cmd(merged, gid, cmd)
        return store[int(cid)]

    async def _h_cmd_delete(self, req: _Req, app: str, cid: str, gid: Optional[str] = None) -> None:
        if self._cmd_store(app, gid).pop(int(cid), None) is None:
            raise _unknown("application command", 10063)

    def registered_commands(self, guild: Optional[Guild] = None) -> List[dict]:
        if guild is None:
            return list(self._global_commands.values())
        return list(self._guild_commands.get(guild.id, {}).values())

    # ------------------------------------------------------------------ messages (shared)
    def _normalize_components(self, comps: Any) -> list:
        comps = _copy_tree(comps or [])
        counter = itertools.count(1)
        for c in walk_components(comps):
            c.setdefault("id", next(counter))
        return comps

    def _normalize_embeds(self, embeds: Any) -> list:
        out = []
        for e in embeds or []:
            e = _copy_tree(e)
            e.setdefault("type", "rich")
            e.setdefault("content_scan_version", 0)
            out.append(e)
        return out

    def _attachments(self, files: List[dict], payload: dict) -> List[dict]:
        meta = {str(a.get("id")): a for a in payload.get("attachments") or []}
        out = []
        for i, f in enumerate(files):
            aid = self._snowflake()
            m = re.match(r"files\[(\d+)\]", f["name"] or "")
            desc = meta.get(m.group(1) if m else str(i), {}).get("description")
            out.append({"id": str(aid), "filename": f["filename"], "size": f["size"], "description": desc,
                        "content_type": f["content_type"], "url": f"{self.api_base}/attachments/{aid}/{f['filename']}",
                        "proxy_url": f"{self.api_base}/attachments/{aid}/{f['filename']}"})
        return out

    def _new_message(self, channel: Channel, author: User, payload: dict, files: List[dict], *, source: str,
                     msg_type: int = 0, flags: int = 0, rec: Optional[_Interaction] = None) -> dict:
        mid = self._snowflake()
        f = (payload.get("flags") or 0) | flags
        msg = {
            "id": str(mid), "channel_id": str(channel.id), "guild_id": str(channel.guild.id),
            "author": author.to_dict(), "content": payload.get("content") or "", "timestamp": _now_iso(),
            "edited_timestamp": None, "tts": bool(payload.get("tts")), "mention_everyone": False, "mentions": [],
            "mention_roles": [], "attachments": self._attachments(files, payload),
            "embeds": self._normalize_embeds(payload.get("embeds")),
            "components": self._normalize_components(payload.get("components")),
            "pinned": False, "type": msg_type, "flags": f,
        }
        if payload.get("nonce") is not None:
            msg["nonce"] = payload["nonce"]
        if payload.get("message_reference"):
            ref = payload["message_reference"]
            msg["message_reference"] = {"type": 0, "channel_id": str(channel.id), "guild_id": str(channel.guild.id),
                                        "message_id": str(ref.get("message_id"))}
            ref_msg = self._messages.get(int(ref.get("message_id") or 0))
            msg["referenced_message"] = _copy_tree(ref_msg) if ref_msg else None
            if ref_msg:
                msg["type"] = 19
        if rec is not None:
            msg["webhook_id"] = str(self.application_id)
            msg["application_id"] = str(self.application_id)
            meta = {"id": str(rec.id), "type": rec.type, "user": rec.member.user.to_dict(),
                    "authorizing_integration_owners": {"0": str(channel.guild.id)}}
            if rec.type == APPLICATION_COMMAND:
                meta["name"] = rec.payload["data"]["name"]
                msg["interaction"] = {"id": str(rec.id), "type": rec.type, "name": rec.payload["data"]["name"],
                                      "user": rec.member.user.to_dict()}
            elif rec.source_message_id:
                meta["interacted_message_id"] = str(rec.source_message_id)
            msg["interaction_metadata"] = meta
        self._messages[mid] = msg
        self._msg_meta[mid] = {"source": source, "channel": channel, "created": time.monotonic(),
                               "author_id": author.id}
        if not f & FLAG_EPHEMERAL:
            channel.message_ids.append(mid)
            self._dispatch("MESSAGE_CREATE", {**msg, "member": self.bot_member(channel.guild).to_dict(with_user=False)}
                           if author.id == self.bot_user.id else msg,
                           guild_id=channel.guild.id, intent=INTENT_GUILD_MESSAGES)
        if self._msg_changed:
            self._msg_changed.fire()
        return msg

    def _edit_message(self, msg: dict, payload: dict, files: List[dict]) -> dict:
        if "content" in payload:
            msg["content"] = payload["content"] or ""
        if "embeds" in payload:
            msg["embeds"] = self._normalize_embeds(payload["embeds"])
        if "components" in payload:
            msg["components"] = self._normalize_components(payload["components"])
        if "flags" in payload and payload["flags"] is not None:
            keep = msg["flags"] & FLAG_EPHEMERAL
            msg["flags"] = (payload["flags"] & ((1 << 2) | FLAG_COMPONENTS_V2)) | keep
        if "attachments" in payload or files:
            keep_ids = {str(a.get("id")) for a in payload.get("attachments") or []}
            kept = [a for a in msg["attachments"] if a["id"] in keep_ids] if "attachments" in payload else msg["attachments"]
            msg["attachments"] = kept + self._attachments(files, payload)
        msg["flags"] &= ~FLAG_LOADING
        msg["edited_timestamp"] = _now_iso()
        if not msg["flags"] & FLAG_EPHEMERAL:
            self._dispatch("MESSAGE_UPDATE", msg, guild_id=int(msg["guild_id"]), intent=INTENT_GUILD_MESSAGES)
        if self._msg_changed:
            self._msg_changed.fire()
        return msg

    def _delete_message(self, mid: int) -> None:
        msg = self._messages.pop(mid, None)
        meta = self._msg_meta.pop(mid, None)
        if msg is None:
            return
        if meta:
            with contextlib.suppress(ValueError):
                meta["channel"].message_ids.remove(mid)
        if not msg["flags"] & FLAG_EPHEMERAL:
            self._dispatch("MESSAGE_DELETE", {"id": str(mid), "channel_id": msg["channel_id"],
                                              "guild_id": msg["guild_id"]},
                           guild_id=int(msg["guild_id"]), intent=INTENT_GUILD_MESSAGES)
        if self._msg_changed:
            self._msg_changed.fire()

    def _check_message(self, payload: Any, files: List[dict], *, creating: bool) -> None:
        errs = FormErrors()
        limits.check_message(payload, errs, creating=creating, has_files=bool(files))
        if errs:
            raise _form_error(errs)

    # ------------------------------------------------------------------ REST: channels
    def _channel(self, cid: str) -> Channel:
        ch = self._channels.get(int(cid))
        if ch is None or ch.deleted:
            raise _unknown("Channel", 10003)
        return ch

    def _require(self, ch: Channel, perms: int) -> None:
        have = self.channel_permissions(ch, self.bot_member(ch.guild))
        if not have & VIEW_CHANNEL:
            raise MISSING_ACCESS()
        if have & perms != perms:
            raise MISSING_PERMISSIONS()

    async def _h_channel_get(self, req: _Req, cid: str) -> dict:
        ch = self._channel(cid)
        self._require(ch, VIEW_CHANNEL)
        return ch.to_dict()

    async def _h_typing(self, req: _Req, cid: str) -> None:
        self._require(self._channel(cid), SEND_MESSAGES)

    async def _h_msg_create(self, req: _Req, cid: str) -> dict:
        ch = self._channel(cid)
        self._require(ch, SEND_MESSAGES)
        payload = req.json or {}
        self._check_message(payload, req.files, creating=True)
        nonce = payload.get("nonce")
        key = None
        if nonce is not None:
            key = (ch.id, self.bot_user.id, str(nonce))
            if payload.get("enforce_nonce"):
                hit = self._nonces.get(key)
                if hit and time.monotonic() - hit[1] <= self.nonce_window:
                    if hit[0] in self._messages:
                        return self._messages[hit[0]]
                    # Discord: same nonce as a message explicitly deleted shortly before
                    raise _unknown("Message", 10008)
        if payload.get("message_reference"):
            ref = payload["message_reference"]
            if int(ref.get("message_id") or 0) not in self._messages and ref.get("fail_if_not_exists", True):
                errs = FormErrors()
                errs.add(("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
                raise _form_error(errs)
        msg = self._new_message(ch, self.bot_user, payload, req.files, source="channel")
        if key is not None:
            self._nonces[key] = (int(msg["id"]), time.monotonic())
        return msg

    def _channel_message(self, ch: Channel, mid: str) -> dict:
        msg = self._messages.get(int(mid))
        if msg is None or msg["channel_id"] != str(ch.id) or msg["flags"] & FLAG_EPHEMERAL:
            raise _unknown("Message", 10008)
        return msg

    async def _h_msg_get(self, req: _Req, cid: str, mid: str) -> dict:
        ch = self._channel(cid)
        self._require(ch, READ_HISTORY)
        return self._channel_message(ch, mid)

    async def _h_msg_list(self, req: _Req, cid: str) -> list:
        ch = self._channel(cid)
        self._require(ch, READ_HISTORY)
        lim = max(1, min(100, int(req.query.get("limit", 50))))
        ids = list(ch.message_ids)
        if "before" in req.query:
            ids = [i for i in ids if i < int(req.query["before"])]
        if "after" in req.query:
            ids = [i for i in ids if i > int(req.query["after"])][:lim]
        ids = sorted(ids, reverse=True)[:lim]
        return [self._messages[i] for i in ids if i in self._messages]

    async def _h_msg_edit(self, req: _Req, cid: str, mid: str) -> dict:
        ch = self._channel(cid)
        self._require(ch, VIEW_CHANNEL)
        msg = self._channel_message(ch, mid)
        if msg["author"]["id"] != str(self.bot_user.id):
            raise _ApiError(403, {"message": "Cannot edit a message authored by another user", "code": 50005})
        self._check_message(req.json or {}, req.files, creating=False)
        return self._edit_message(msg, req.json or {}, req.files)

    async def _h_msg_delete(self, req: _Req, cid: str, mid: str) -> None:
        ch = self._channel(cid)
        msg = self._channel_message(ch, mid)
        if msg["author"]["id"] != str(self.bot_user.id):
            self._require(ch, MANAGE_MESSAGES)
        self._delete_message(int(mid))

    def channel_messages(self, channel: Channel) -> List[dict]:
        """Messages the bot posted with POST /channels/{id}/messages (not interaction responses), oldest first."""
        return [self._messages[i] for i in channel.message_ids
                if i in self._messages and self._msg_meta.get(i, {}).get("source") == "channel"]

    async def wait_for_channel_message(self, channel: Channel, count: int = 1, timeout: float = 5.0) -> List[dict]:
        ok = await self._msg_changed.wait_for(lambda: len(self.channel_messages(channel)) >= count, timeout)
        if not ok:
            raise asyncio.TimeoutError(f"fewer than {count} messages in #{channel.name}")
        return self.channel_messages(channel)

    def post_user_message(self, channel: Channel, member: Member, content: str) -> dict:
        """A user types a message in a channel (dispatches MESSAGE_CREATE)."""
        msg = self._new_message(channel, member.user, {"content": content}, [], source="user")
        return msg

    # ------------------------------------------------------------------ REST: guilds & scheduled events
    def _guild(self, gid: str) -> Guild:
        g = self.guilds.get(int(gid))
        if g is None:
            raise _unknown("Guild", 10004)
        return g

    async def _h_guild_get(self, req: _Req, gid: str) -> dict:
        return self._guild(gid).to_dict()

    async def _h_guild_channels(self, req: _Req, gid: str) -> list:
        return [c.to_dict() for c in self._guild(gid).channels.values() if not c.deleted]

    async def _h_guild_roles(self, req: _Req, gid: str) -> list:
        return [r.to_dict() for r in self._guild(gid).roles.values()]

    async def _h_guild_member(self, req: _Req, gid: str, uid: str) -> dict:
        m = self._guild(gid).members.get(int(uid))
        if m is None:
            raise _unknown("Member", 10007)
        return m.to_dict()

    def _require_events(self, g: Guild) -> None:
        if not self.base_permissions(g, self.bot_member(g)) & (MANAGE_EVENTS | CREATE_EVENTS):
            raise MISSING_PERMISSIONS()

    async def _h_ev_list(self, req: _Req, gid: str) -> list:
        return list(self._guild(gid).scheduled_events.values())

    async def _h_ev_get(self, req: _Req, gid: str, eid: str) -> dict:
        ev = self._guild(gid).scheduled_events.get(int(eid))
        if ev is None:
            raise _unknown("Guild Scheduled Event", 10070)
        return ev

    _EV_FIELDS = ("name", "description", "privacy_level", "scheduled_start_time", "scheduled_end_time",
                  "entity_type", "channel_id", "entity_metadata", "image", "recurrence_rule", "status")

    async def _h_ev_create(self, req: _Req, gid: str) -> dict:
        g = self._guild(gid)
        self._require_events(g)
        p = req.json or {}
        ev = {k: p.get(k) for k in self._EV_FIELDS}
        errs = FormErrors()
        limits.check_scheduled_event(ev, errs, creating=True)
        if ev.get("channel_id") and int(ev["channel_id"]) not in g.channels:
            errs.add(("channel_id",), "CHANNEL_INVALID", "Unknown channel")
        if errs:
            raise _form_error(errs)
        eid = self._snowflake()
        ev.update({"id": str(eid), "guild_id": str(g.id), "creator_id": str(self.bot_user.id),
                   "creator": self.bot_user.to_dict(), "status": 1, "entity_id": None, "user_count": 0,
                   "image": None})
        if ev["entity_metadata"] is None:
            ev["entity_metadata"] = None if ev["entity_type"] != 3 else {}
        g.scheduled_events[eid] = ev
        self._dispatch("GUILD_SCHEDULED_EVENT_CREATE", ev, guild_id=g.id, intent=INTENT_GUILD_SCHEDULED_EVENTS)
        return ev

    async def _h_ev_edit(self, req: _Req, gid: str, eid: str) -> dict:
        g = self._guild(gid)
        self._require_events(g)
        ev = g.scheduled_events.get(int(eid))
        if ev is None:
            raise _unknown("Guild Scheduled Event", 10070)
        p = req.json or {}
        merged = {**ev, **{k: v for k, v in p.items() if k in self._EV_FIELDS}}
        if merged.get("entity_type") != 3 and "entity_metadata" not in p and p.get("entity_type"):
            merged["entity_metadata"] = None
        errs = FormErrors()
        limits.check_scheduled_event(merged, errs, creating="scheduled_start_time" in p)
        status = p.get("status")
        if status is not None and (ev["status"], status) not in {(1, 2), (1, 4), (2, 3), (ev["status"], ev["status"])}:
            errs.add(("status",), "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION", "Invalid status transition")
        if errs:
            raise _form_error(errs)
        ev.clear()
        ev.update(merged)
        self._dispatch("GUILD_SCHEDULED_EVENT_UPDATE", ev, guild_id=g.id, intent=INTENT_GUILD_SCHEDULED_EVENTS)
        return ev

    async def _h_ev_delete(self, req: _Req, gid: str, eid: str) -> None:
        g = self._guild(gid)
        self._require_events(g)
        ev = g.scheduled_events.pop(int(eid), None)
        if ev is None:
            raise _unknown("Guild Scheduled Event", 10070)
        self._dispatch("GUILD_SCHEDULED_EVENT_DELETE", ev, guild_id=g.id, intent=INTENT_GUILD_SCHEDULED_EVENTS)

    def scheduled_events(self, guild: Guild) -> List[dict]:
        return list(guild.scheduled_events.values())

    # ------------------------------------------------------------------ REST: interaction callback
    async def _h_callback(self, req: _Req, iid: str, token: str) -> dict:
        rec = self._interactions.get(token)
        if rec is None or str(rec.id) != iid:
            raise _ApiError(404, {"message": "Unknown interaction", "code": 10062}, violation=True)
        body = req.json or {}
        t = body.get("type")
        loop = asyncio.get_running_loop()
        try:
            if rec.response_type is not None:
                raise _ApiError(400, {"message": "Interaction has already been acknowledged.", "code": 40060},
                                violation=True)
            if loop.time() - rec.created > self.interaction_deadline:
                raise _ApiError(404, {"message": "Unknown interaction", "code": 10062}, violation=True)
            result = self._apply_callback(rec, t, body.get("data") or {}, req.files)
        except _ApiError as e:
            rec.attempts.append((t, e.status))
            if rec.error is None or rec.response_type is None:
                rec.error = e.body
            rec.changed.fire()
            raise
        rec.attempts.append((t, 200))
        rec.response_type = t
        rec.responded_at = loop.time()
        rec.changed.fire()
        if self.interaction_observer:
            self.interaction_observer(rec)
        return result

    interaction_observer: Optional[Callable[[_Interaction], None]] = None

    def _apply_callback(self, rec: _Interaction, t: Any, data: dict, files: List[dict]) -> dict:
        errs = FormErrors()
        if t not in _ALLOWED_CALLBACKS.get(rec.type, set()):
            errs.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID",
                     f"Callback type {t} is not valid for interaction type {rec.type}")
            raise _form_error(errs)
        if t in (DEFERRED_UPDATE, UPDATE_MESSAGE) and rec.source_message_id is None:
            errs.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "This interaction is not on a message")
            raise _form_error(errs)
        inter = {"id": str(rec.id), "type": rec.type, "response_message_loading": False,
                 "response_message_ephemeral": False}
        resource: dict = {"type": t}
        if t == CHANNEL_MESSAGE:
            limits.check_message(data, errs, creating=True, has_files=bool(files), path=("data",))
            if errs:
                raise _form_error(errs)
            msg = self._new_message(rec.channel, self.bot_user, data, files, source="interaction",
                                    msg_type=20 if rec.type == APPLICATION_COMMAND else 0, rec=rec)
            rec.original_id = int(msg["id"])
            resource["message"] = msg
        elif t == DEFERRED_CHANNEL_MESSAGE:
            flags = FLAG_LOADING | ((data.get("flags") or 0) & FLAG_EPHEMERAL)
            msg = self._new_message(rec.channel, self.bot_user, {}, [], source="interaction",
                                    msg_type=20 if rec.type == APPLICATION_COMMAND else 0, flags=flags, rec=rec)
            rec.original_id = int(msg["id"])
            resource["message"] = msg
            inter["response_message_loading"] = True
        elif t == DEFERRED_UPDATE:
            rec.original_id = rec.source_message_id
        elif t == UPDATE_MESSAGE:
            limits.check_message(data, errs, creating=False, has_files=bool(files), path=("data",))
            if errs:
                raise _form_error(errs)
            msg = self._messages.get(rec.source_message_id or 0)
            if msg is None:
                raise _unknown("Message", 10008)
            self._edit_message(msg, data, files)
            rec.original_id = rec.source_message_id
            rec.original_edited = True
            resource["message"] = msg
        elif t == AUTOCOMPLETE_RESULT:
            limits.check_autocomplete(data, errs, option_type=rec.option_type)
            if errs:
                raise _form_error(errs)
            rec.choices = _copy_tree(data.get("choices") or [])
        elif t == MODAL:
            limits.check_modal(data, errs)
            if errs:
                raise _form_error(errs)
            rec.modal = _copy_tree(data)
        if rec.original_id is not None and t in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, UPDATE_MESSAGE):
            inter["response_message_id"] = str(rec.original_id)
            inter["response_message_ephemeral"] = bool(self._messages[rec.original_id]["flags"] & FLAG_EPHEMERAL)
        return {"interaction": inter, "resource": resource}

    # ------------------------------------------------------------------ REST: interaction webhooks
    def _webhook_rec(self, app: str, token: str) -> _Interaction:
        rec = self._interactions.get(token)
        if int(app) != self.application_id or rec is None:
            raise _unknown("Webhook", 10015)
        if asyncio.get_running_loop().time() - rec.created > INTERACTION_TOKEN_TTL:
            raise _ApiError(401, {"message": "Invalid Webhook Token", "code": 50027})
        return rec

    def _webhook_message(self, rec: _Interaction, mid: str) -> dict:
        if mid == "@original":
            if rec.original_id is None or rec.original_id not in self._messages:
                raise _unknown("Message", 10008)
            return self._messages[rec.original_id]
        m = int(mid)
        if m not in rec.followup_ids and m != rec.original_id or m not in self._messages:
            raise _unknown("Message", 10008)
        return self._messages[m]

    async def _h_followup(self, req: _Req, app: str, token: str) -> Any:
        rec = self._webhook_rec(app, token)
        if rec.response_type is None:
            raise _unknown("Webhook", 10015)
        payload = req.json or {}
        self._check_message(payload, req.files, creating=True)
        original = self._messages.get(rec.original_id or 0)
        if (rec.response_type == DEFERRED_CHANNEL_MESSAGE and original is not None and not rec.original_edited
                and original["flags"] & FLAG_LOADING):
            # Discord: the first followup after a "thinking" deferral replaces the loading message
            payload = {k: v for k, v in payload.items() if k != "flags"}
            msg = self._edit_message(original, payload, req.files)
            rec.original_edited = True
        else:
            msg = self._new_message(rec.channel, self.bot_user, payload, req.files, source="followup",
                                    rec=rec, msg_type=0)
        rec.followup_ids.append(int(msg["id"]))
        rec.changed.fire()
        if req.query.get("wait", "false").lower() not in ("true", "1"):
            return None
        return msg

    async def _h_wh_get(self, req: _Req, app: str, token: str, mid: str) -> dict:
        return self._webhook_message(self._webhook_rec(app, token), mid)

    async def _h_wh_edit(self, req: _Req, app: str, token: str, mid: str) -> dict:
        rec = self._webhook_rec(app, token)
        msg = self._webhook_message(rec, mid)
        payload = req.json or {}
        self._check_message(payload, req.files, creating=False)
        self._edit_message(msg, payload, req.files)
        if int(msg["id"]) == rec.original_id:
            rec.original_edited = True
        rec.changed.fire()
        return msg

    async def _h_wh_delete(self, req: _Req, app: str, token: str, mid: str) -> None:
        rec = self._webhook_rec(app, token)
        msg = self._webhook_message(rec, mid)
        self._delete_message(int(msg["id"]))
        rec.changed.fire()

    # ------------------------------------------------------------------ acting as a user
    def _find_command(self, guild: Guild, name: str, ctype: int = 1) -> Optional[dict]:
        for store in (self._guild_commands.get(guild.id, {}), self._global_commands):
            for c in store.values():
                if c["name"] == name and c.get("type", 1) == ctype:
                    return c
        return None

    def _partial_channel(self, ch: Channel, member: Member) -> dict:
        d = ch.to_dict()
        d.pop("permission_overwrites", None)
        d["permissions"] = str(self.channel_permissions(ch, member))
        return d

    def _resolve_option(self, otype: int, value: Any, ch: Channel, member: Member, resolved: dict) -> Any:
        g = ch.guild
        if otype in (6, 9) and isinstance(value, (Member, User)) or (otype in (6, 9) and isinstance(value, int)
                                                                     and value in g.members):
            m = value if isinstance(value, Member) else g.members.get(getattr(value, "id", value))
            u = value.user if isinstance(value, Member) else (value if isinstance(value, User) else m.user)
            resolved.setdefault("users", {})[str(u.id)] = u.to_dict()
            if m is not None:
                md = m.to_dict(with_user=False)
                md["permissions"] = str(self.channel_permissions(ch, m))
                resolved.setdefault("members", {})[str(u.id)] = md
            return str(u.id)
        if otype in (8, 9) and isinstance(value, (Role, int)):
            r = value if isinstance(value, Role) else g.roles[value]
            resolved.setdefault("roles", {})[str(r.id)] = r.to_dict()
            return str(r.id)
        if otype == 7:
            c = value if isinstance(value, Channel) else self._channels[int(value)]
            resolved.setdefault("channels", {})[str(c.id)] = self._partial_channel(c, member)
            return str(c.id)
        if otype == 11:
            aid = str(self._snowflake())
            att = dict(value) if isinstance(value, dict) else {"filename": str(value)}
            att.setdefault("size", 0)
            att.setdefault("url", f"{self.api_base}/attachments/{aid}/{att['filename']}")
            att.setdefault("proxy_url", att["url"])
            att["id"] = aid
            resolved.setdefault("attachments", {})[aid] = att
            return aid
        if otype == 4:
            return int(value)
        if otype == 10:
            return float(value)
        if otype == 5:
            return bool(value)
        return str(value) if otype == 3 else value

    @staticmethod
    def _guess_type(value: Any) -> int:
        if isinstance(value, bool):
            return 5
        if isinstance(value, int):
            return 4
        if isinstance(value, float):
            return 10
        if isinstance(value, (Member, User)):
            return 6
        if isinstance(value, Role):
            return 8
        if isinstance(value, Channel):
            return 7
        return 3

    def _build_options(self, cmd: Optional[dict], name: str, values: Dict[str, Any], subcommand: Optional[str],
                       ch: Channel, member: Member, focused: Optional[str]) -> Tuple[list, dict, Optional[int]]:
        resolved: dict = {}
        spec = (cmd or {}).get("options") or []
        path = subcommand.split() if subcommand else []
        chain: List[Tuple[int, str]] = []
        for part in path:
            o = next((o for o in spec if o.get("name") == part), None)
            if cmd is not None and (o is None or o.get("type") not in (1, 2)):
                raise ValueError(f"/{name}: no subcommand {part!r} (have {[o.get('name') for o in spec]})")
            kind = o["type"] if o else (1 if part == path[-1] else 2)
            chain.append((kind, part))
            spec = (o or {}).get("options") or []
        if cmd is not None and any(o.get("type") in (1, 2) for o in spec):
            raise ValueError(f"/{name} needs a subcommand: {[o.get('name') for o in spec]}")
        focused_type = None
        opts = []
        by_name = {o.get("name"): o for o in spec}
        for o in spec:
            if o.get("required") and o["name"] not in values and focused is None:
                raise ValueError(f"/{name}: required option {o['name']!r} missing")
        for key, value in values.items():
            o = by_name.get(key)
            if o is None and cmd is not None:
                raise ValueError(f"/{name}: unknown option {key!r} (have {list(by_name)})")
            otype = o["type"] if o else self._guess_type(value)
            if key == focused:
                focused_type = otype
                opts.append({"name": key, "type": otype, "value": str(value), "focused": True})
                continue
            if o and o.get("choices") and value not in [c["value"] for c in o["choices"]]:
                raise ValueError(f"/{name}: {value!r} is not one of the choices for {key!r}")
            if o and otype == 3 and isinstance(value, str):
                if o.get("max_length") is not None and len(value) > o["max_length"] or \
                        o.get("min_length") is not None and len(value) < o["min_length"]:
                    raise ValueError(f"/{name}: {key!r} length out of range (Discord's client would refuse)")
            if o and otype in (4, 10) and (o.get("min_value") is not None and value < o["min_value"]
                                           or o.get("max_value") is not None and value > o["max_value"]):
                raise ValueError(f"/{name}: {key!r} out of range (Discord's client would refuse)")
            opts.append({"name": key, "type": otype,
                         "value": self._resolve_option(otype, value, ch, member, resolved)})
        for kind, part in reversed(chain):
            opts = [{"name": part, "type": kind, "options": opts}]
        return opts, resolved, focused_type

    def _interaction_payload(self, itype: int, ch: Channel, member: Member, data: Optional[dict],
                             locale: Optional[str], message: Optional[dict] = None) -> Tuple[int, str, dict]:
        iid = self._snowflake()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(32)
        g = ch.guild
        mdict = member.to_dict()
        mdict["permissions"] = str(self.channel_permissions(ch, member))
        p = {
            "id": str(iid), "application_id": str(self.application_id), "type": itype, "token": token,
            "version": 1, "guild_id": str(g.id), "guild": {"id": str(g.id), "locale": g.locale, "features": []},
            "channel_id": str(ch.id), "channel": self._partial_channel(ch, member), "member": mdict,
            "app_permissions": str(self.channel_permissions(ch, self.bot_member(g))),
            "locale": locale or member.locale, "guild_locale": g.locale, "entitlements": [],
            "entitlement_sku_ids": [], "authorizing_integration_owners": {"0": str(g.id)}, "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if data is not None:
            p["data"] = data
        if message is not None:
            p["message"] = _copy_tree(message)
        return iid, token, p

    def _member_of(self, ch: Channel, user: Union[Member, User]) -> Member:
        if isinstance(user, Member):
            return user
        m = ch.guild.members.get(user.id)
        if m is None:
            raise ValueError(f"{user.name} is not a member of {ch.guild.name}")
        return m

    async def _start_interaction(self, itype: int, ch: Channel, user: Union[Member, User], data: Optional[dict],
                                 locale: Optional[str], *, message: Optional[dict] = None,
                                 option_type: Optional[int] = None, ready_timeout: float = 10.0) -> _Interaction:
        if ch.deleted:
            raise ValueError(f"#{ch.name} was deleted")
        member = self._member_of(ch, user)
        if not self.channel_permissions(ch, member) & VIEW_CHANNEL:
            raise ValueError(f"{member.name} cannot see #{ch.name}")
        # like a user waiting for the bot to be online: don't dispatch into a broken connection
        await self.wait_ready(ready_timeout) if not self._live_conns() else None
        iid, token, payload = self._interaction_payload(itype, ch, member, data, locale, message)
        rec = _Interaction(iid, token, itype, ch, member, payload, asyncio.get_running_loop().time(),
                           option_type=option_type,
                           source_message_id=int(message["id"]) if message is not None else None)
        self._interactions[token] = rec
        self._dispatch("INTERACTION_CREATE", payload, guild_id=ch.guild.id)
        return rec

    async def _settle(self, rec: _Interaction, timeout: float) -> InteractionResult:
        await rec.changed.wait_for(lambda: bool(rec.attempts), timeout)
        if rec.response_type == DEFERRED_CHANNEL_MESSAGE:
            await rec.changed.wait_for(lambda: rec.original_edited or bool(rec.followup_ids), timeout)
        elif rec.response_type == DEFERRED_UPDATE:
            await rec.changed.wait_for(lambda: rec.original_edited or bool(rec.followup_ids), min(timeout, 2.0))
        return InteractionResult(self, rec)

    async def command(self, channel: Channel, user: Union[Member, User], name: str,
                      options: Optional[Dict[str, Any]] = None, *, locale: Optional[str] = None,
                      subcommand: Optional[str] = None, timeout: float = 5.0, wait: bool = True) -> InteractionResult:
        """Run a slash command as ``user``.  Option values may be str/int/float/bool or emulator
        Member/Role/Channel objects; types come from the synced command (guessed if not synced)."""
        cmd = self._find_command(channel.guild, name)
        opts, resolved, _ = self._build_options(cmd, name, options or {}, subcommand, channel,
                                                self._member_of(channel, user), None)
        data = {"id": cmd["id"] if cmd else str(self._snowflake()), "name": name, "type": 1, "options": opts}
        if cmd and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if resolved:
            data["resolved"] = resolved
        rec = await self._start_interaction(APPLICATION_COMMAND, channel, user, data, locale)
        if not wait:
            return InteractionResult(self, rec)
        return await self._settle(rec, timeout)

    async def autocomplete(self, channel: Channel, user: Union[Member, User], name: str, options: Dict[str, Any],
                           focused: str, *, locale: Optional[str] = None, subcommand: Optional[str] = None,
                           timeout: float = 5.0, result: bool = False) -> Any:
        """Type into option ``focused``; returns the list of choices (or the InteractionResult if result=True)."""
        cmd = self._find_command(channel.guild, name)
        opts, resolved, ftype = self._build_options(cmd, name, options, subcommand, channel,
                                                    self._member_of(channel, user), focused)
        data = {"id": cmd["id"] if cmd else str(self._snowflake()), "name": name, "type": 1, "options": opts}
        if cmd and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if resolved:
            data["resolved"] = resolved
        rec = await self._start_interaction(AUTOCOMPLETE, channel, user, data, locale, option_type=ftype)
        r = await self._settle(rec, timeout)
        return r if result else r.choices

    def _source(self, r: Union[InteractionResult, dict]) -> Tuple[dict, Channel]:
        msg = r.message if isinstance(r, InteractionResult) else r
        if msg is None:
            raise ValueError("that result has no message to interact with")
        msg = self._messages.get(int(msg["id"]), msg)
        return msg, self._channels[int(msg["channel_id"])]

    async def click(self, r: Union[InteractionResult, dict], user: Union[Member, User], custom_id: Optional[str] = None,
                    label: Optional[str] = None, index: Optional[int] = None, *, locale: Optional[str] = None,
                    timeout: float = 5.0) -> InteractionResult:
        """Press a button on ``r.message`` (or a message dict) chosen by custom_id, label or 0-based index."""
        msg, ch = self._source(r)
        buttons = [c for c in walk_components(msg.get("components")) if c.get("type") == 2]
        if custom_id is not None:
            found = [b for b in buttons if b.get("custom_id") == custom_id]
        elif label is not None:
            found = [b for b in buttons if b.get("label") == label]
        elif index is not None:
            found = buttons[index:index + 1]
        else:
            found = buttons[:1]
        if not found:
            raise ValueError(f"no such button; message has {[b.get('label') or b.get('custom_id') for b in buttons]}")
        b = found[0]
        if b.get("disabled"):
            raise ValueError(f"button {b.get('label')!r} is disabled")
        if b.get("style") in (5, 6):
            raise ValueError("link/premium buttons do not create interactions")
        data = {"custom_id": b["custom_id"], "component_type": 2, "id": b.get("id")}
        rec = await self._start_interaction(MESSAGE_COMPONENT, ch, user, data, locale, message=msg)
        return await self._settle(rec, timeout)

    async def select(self, r: Union[InteractionResult, dict], user: Union[Member, User], custom_id: Optional[str],
                     values: List[Any], *, locale: Optional[str] = None, timeout: float = 5.0) -> InteractionResult:
        msg, ch = self._source(r)
        selects = [c for c in walk_components(msg.get("components")) if c.get("type") in (3, 5, 6, 7, 8)]
        s = next((c for c in selects if custom_id is None or c.get("custom_id") == custom_id), None)
        if s is None:
            raise ValueError(f"no select {custom_id!r}; message has {[c.get('custom_id') for c in selects]}")
        if s.get("disabled"):
            raise ValueError("select is disabled")
        lo, hi = s.get("min_values", 1), s.get("max_values", 1)
        if not lo <= len(values) <= hi:
            raise ValueError(f"select takes {lo}..{hi} values, got {len(values)}")
        data: dict = {"custom_id": s["custom_id"], "component_type": s["type"], "id": s.get("id")}
        if s["type"] == 3:
            allowed = [o["value"] for o in s.get("options") or []]
            bad = [v for v in values if v not in allowed]
            if bad:
                raise ValueError(f"{bad} not among the select's options {allowed}")
            data["values"] = list(values)
        else:
            resolved: dict = {}
            member = self._member_of(ch, user)
            out = []
            for v in values:
                otype = {5: 6, 6: 8, 7: 9, 8: 7}[s["type"]]
                if s["type"] == 7:
                    otype = 8 if isinstance(v, Role) else 6
                out.append(self._resolve_option(otype, v, ch, member, resolved))
            data["values"] = out
            data["resolved"] = resolved
        rec = await self._start_interaction(MESSAGE_COMPONENT, ch, user, data, locale, message=msg)
        return await self._settle(rec, timeout)

    async def submit_modal(self, r: InteractionResult, user: Union[Member, User], values: Dict[str, str], *,
                           locale: Optional[str] = None, timeout: float = 5.0) -> InteractionResult:
        """Fill and submit the modal ``r`` opened; ``values`` maps text-input custom_id -> text."""
        modal = r.modal
        if not modal:
            raise ValueError("that result did not open a modal")
        ch = r._rec.channel
        comps = []
        known = set()
        for row in modal.get("components") or []:
            def answer(c: dict) -> dict:
                cid = c.get("custom_id")
                known.add(cid)
                v = values.get(cid, c.get("value") or "")
                if c.get("required", True) and not v:
                    raise ValueError(f"text input {cid!r} is required")
                if len(v) > c.get("max_length", 4000) or (v and len(v) < c.get("min_length", 0)):
                    raise ValueError(f"text input {cid!r}: length {len(v)} not allowed")
                return {"type": 4, "custom_id": cid, "value": v, "id": c.get("id")}
            if row.get("type") == 1:
                comps.append({"type": 1, "components": [answer(c) for c in row.get("components") or []
                                                        if c.get("type") == 4]})
            elif row.get("type") == 18 and (row.get("component") or {}).get("type") == 4:
                comps.append({"type": 18, "id": row.get("id"), "component": answer(row["component"])})
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"modal has no inputs {sorted(unknown)}; inputs: {sorted(known)}")
        data = {"custom_id": modal["custom_id"], "components": comps}
        src = self._messages.get(r._rec.source_message_id or 0)
        rec = await self._start_interaction(MODAL_SUBMIT, ch, user, data, locale, message=src)
        return await self._settle(rec, timeout)


async def ws_close(conn: _Conn, code: int, reason: str) -> None:
    conn.closed = True
    with contextlib.suppress(Exception):
        await conn.ws.close(code=code, message=reason.encode())


# ============================================================================ running a bot against it
class BotHandle:
    def __init__(self, emu: Emulator, client: discord.Client, task: asyncio.Task):
        self.emu, self.client, self.task = emu, client, task

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await self.client.close()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(self.task, 5)
        self.emu.uninstall()


async def _no_identify_wait(shard_id: Optional[int], *, initial: bool = False) -> None:
    return None


async def start_bot(emu: Emulator, client: discord.Client, token: Optional[str] = None, *,
                    timeout: float = 10.0, fast: bool = True) -> BotHandle:
    """Install the emulator, start ``client`` in the background, wait until ``client.is_ready()``.

    ``fast`` (default) makes discord.py quick against a loopback server: ``guild_ready_timeout``
    capped at 0.05 s and no 5 s sleep before a re-IDENTIFY.
    """
    if fast:
        conn = client._connection
        conn.guild_ready_timeout = min(conn.guild_ready_timeout, 0.05)
        client.before_identify_hook = _no_identify_wait  # type: ignore[method-assign]
    emu.install()
    task = asyncio.create_task(client.start(token or emu.token), name="emulated-bot")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not client.is_ready():
        if task.done():
            emu.uninstall()
            exc = task.exception()
            with contextlib.suppress(Exception):
                await client.close()
            if exc is not None:
                raise exc
            raise RuntimeError("bot exited before becoming ready")
        if loop.time() > deadline:
            await BotHandle(emu, client, task).stop()
            raise asyncio.TimeoutError("bot did not become ready against the emulator")
        await asyncio.sleep(0.01)
    return BotHandle(emu, client, task)


@contextlib.asynccontextmanager
async def run_client(emu: Emulator, client: discord.Client, token: Optional[str] = None, *,
                     timeout: float = 10.0, fast: bool = True) -> AsyncIterator[discord.Client]:
    handle = await start_bot(emu, client, token, timeout=timeout, fast=fast)
    try:
        yield client
    finally:
        await handle.stop()
