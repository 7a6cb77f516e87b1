"""The emulator's shared state (one place that lists every attribute the mixins use) and its change signal."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import yarl
from aiohttp import web

from .errors import Violation
from .protocol import DISCORD_EPOCH
from .state import Channel, Guild, Member, User

# Ids derived from a world seed are dated from here (2020-01-01 UTC, in Unix milliseconds).
WORLD_IDS_FROM = 1577836800000

if TYPE_CHECKING:
    from .faults import Fault
    from .gateway import Connection, GatewaySession
    from .interactions import InteractionRecord


class Signal:
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
            except TimeoutError:
                return pred()
        return True


class EmulatorBase:
    """State shared by the mixins that make up :class:`~bot.playground.emulator.Emulator`."""

    def __init__(
        self,
        *,
        heartbeat_interval: float = 41.25,
        interaction_deadline: float = 3.0,
        token: str | None = None,
        bot_name: str = "Lightstick",
        nonce_window: float = 300.0,
        host: str = "127.0.0.1",
        port: int = 0,
        world_seed: str | None = None,
    ):
        """Discord's timings, as Discord documents them, unless a test asks for shorter ones (all in seconds):

        ``heartbeat_interval``: sent in HELLO (Discord sends 41.25); ``interaction_deadline``: how long after an
        interaction is created its first response is accepted (Discord: 3 seconds, then 10062 Unknown
        interaction); ``nonce_window``: how long a message ``nonce`` with ``enforce_nonce`` de-duplicates
        (Discord: "a few minutes"). ``port`` 0 takes a free one on ``host``; ``token`` is made up if None.

        ``world_seed``: the application, its bot and owner, and every guild, channel, role and user built
        with the ``add_*`` methods get ids derived from the seed and their names (see :meth:`_world_id`),
        the same in every run that builds the same world, so a database kept between runs (the
        playground's) still finds its servers' settings. None: fresh snowflakes, as Discord would give."""
        self.world_seed = world_seed
        self._world_paths: dict[tuple[str, ...], int] = {}
        self._world_ids: set[int] = set()
        self.heartbeat_interval = heartbeat_interval
        self.interaction_deadline = interaction_deadline
        self.nonce_window = nonce_window
        self.token = token or ("emu." + secrets.token_urlsafe(18))
        self.host, self.port = host, port
        self._sf_last = 0
        self._sf_inc = 0
        self.application_id = self._world_id("application")
        self.bot_user = User(self.application_id, bot_name, bot=True)
        self.app_owner = User(self._world_id("application owner"), "AppOwner")
        self.guilds: dict[int, Guild] = {}
        self.users: dict[int, User] = {self.bot_user.id: self.bot_user}
        self._channels: dict[int, Channel] = {}
        self._messages: dict[int, dict] = {}
        self._msg_meta: dict[int, dict] = {}
        self._nonces: dict[tuple[int, int, str], tuple[int, float]] = {}
        self._global_commands: dict[int, dict] = {}
        self._guild_commands: dict[int, dict[int, dict]] = {}
        self._command_version = itertools.count(1)
        self._interactions: dict[str, InteractionRecord] = {}
        self._faults: list[Fault] = []
        self._sessions: dict[str, GatewaySession] = {}
        self._conns: list[Connection] = []
        self._runner: web.AppRunner | None = None
        self._installed: list[tuple[str, yarl.URL]] = []
        self._gw_changed = Signal()  # replaced by fresh ones in start()
        self._msg_changed = Signal()
        self._epoch = 0
        self._ready_epoch = -1
        self._resumed_epoch = -1
        self._init_observability()
        self.api_base = ""
        self.gateway_url = ""
        self._routes = self._build_routes()

    def _init_observability(self) -> None:
        """What tests read to see what happened: payloads Discord would have refused, every REST request
        (method, path, status), faults served, routes the emulator does not serve, gateway traffic, counts."""
        self.violations: list[Violation] = []
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status)
        self.faults_served: list[tuple[str, str, int]] = []
        self.unhandled: list[tuple[str, str]] = []
        self.gateway_log: list[tuple[str, Any]] = []  # ("recv"/"send-op", op or event name)
        self.last_frame: str | None = None  # the last DISPATCH frame sent (JSON text): see _dispatch
        self.identify_count = 0
        self.resume_count = 0
        self.heartbeat_count = 0

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

    def _world_id(self, kind: str, *names: object) -> int:
        """The id of a new world object: a fresh snowflake, or with a ``world_seed`` one derived from the
        seed, ``kind`` ("guild", "channel" ...) and ``names`` (its name and its guild's id).

        Derived ids are snowflakes of worker 3 (never equal to one from :meth:`_snowflake` or
        :meth:`_snowflake_at`) dated in 2020-2022, like objects created before the bot joined. The n-th
        object with the same kind and names gets the n-th id of that path (two channels both called
        "general" differ), so a world built in the same order gets the same ids in every run."""
        if self.world_seed is None:
            return self._snowflake()
        path = (kind, *map(str, names))
        n = self._world_paths.get(path, 0)
        self._world_paths[path] = n + 1
        salt = 0
        while True:
            key = "\x1f".join((self.world_seed, *path, str(n), str(salt))).encode()
            h = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")
            ms = WORLD_IDS_FROM - DISCORD_EPOCH + (h >> 12) % (1 << 36)  # about 2.2 years of milliseconds
            sid = (ms << 22) | (3 << 17) | (h & 0xFFF)
            if sid not in self._world_ids:  # a clash of 48-bit digests: the next salt, the same in every run
                self._world_ids.add(sid)
                return sid
            salt += 1

    def _snowflake_at(self, unix_seconds: float) -> int:
        """A snowflake whose timestamp (Discord's documented layout: milliseconds since 2015-01-01 in the top
        42 bits) is ``unix_seconds``: for interactions a test says were created at a given instant, as when
        several members click within the same second and Discord's workers hand them over out of order."""
        ms = int(unix_seconds * 1000) - DISCORD_EPOCH
        self._sf_at_inc = (getattr(self, "_sf_at_inc", 0) + 1) & 0xFFF
        return (ms << 22) | (2 << 17) | self._sf_at_inc  # worker 2: never equal to an id from _snowflake

    if TYPE_CHECKING:  # implemented by the mixins; declared here so each mixin type-checks on its own

        def _build_routes(self) -> list: ...
        def _dispatch(
            self, event: str, data: Any, *, guild_id: int | None = None, intent: int | None = None
        ) -> int: ...
        def _guild_create_payload(self, g: Guild) -> dict: ...
        def _live_conns(self) -> list[Connection]: ...
        def _fire_gw(self) -> None: ...
        async def _send_now(self, conn: Connection, obj: dict) -> None: ...
        async def wait_ready(self, timeout: float = 10.0) -> None: ...
        def _fault_response(self, f: Fault) -> web.Response: ...
        def _global_gate(self, path: str) -> web.Response | None: ...
        def command_visible(self, guild_id: int, name: str, member_permissions: int, required: str | None) -> bool: ...
        def base_permissions(self, guild: Guild, member: Member) -> int: ...
        def channel_permissions(self, channel: Channel, member: Member) -> int: ...
        def bot_member(self, guild: Guild) -> Member: ...
        def _new_message(
            self,
            channel: Channel,
            author: User,
            payload: dict,
            files: list[dict],
            *,
            source: str,
            msg_type: int = 0,
            flags: int = 0,
            rec: InteractionRecord | None = None,
        ) -> dict: ...
        def _edit_message(self, msg: dict, payload: dict, files: list[dict]) -> dict: ...
        def _delete_message(self, mid: int) -> None: ...
        def _check_message(self, payload: Any, files: list[dict], *, creating: bool) -> None: ...
