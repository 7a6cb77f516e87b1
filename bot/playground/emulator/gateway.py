"""The gateway v10 (JSON text frames): HELLO, IDENTIFY, RESUME, heartbeats, member requests, dispatches
(https://discord.com/developers/docs/topics/gateway)."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections import deque
from typing import Any

import aiohttp
from aiohttp import web

from .base import EmulatorBase
from .protocol import jdump, jload, now_iso
from .state import Guild


class Connection:
    def __init__(self, ws: web.WebSocketResponse, path: str):
        self.ws = ws
        self.path = path
        self.queue: asyncio.Queue = asyncio.Queue()
        self.session: GatewaySession | None = None
        self.stalled = False
        self.ready = False
        self.closed = False
        self.writer: asyncio.Task | None = None

    @property
    def live(self) -> bool:
        return self.ready and not self.closed and not self.stalled

    def send(self, text: str) -> None:
        if not self.closed:
            self.queue.put_nowait(text)


class GatewaySession:
    def __init__(self, sid: str, intents: int, shard: list[int] | None):
        self.id = sid
        self.intents = intents
        self.shard = shard
        self.seq = 0
        self.log: deque = deque(maxlen=10000)
        self.conn: Connection | None = None

    def wants_guild(self, guild_id: int | None) -> bool:
        if not self.shard or guild_id is None:
            return True
        i, n = self.shard
        return (guild_id >> 22) % n == i


class GatewayServer(EmulatorBase):
    """The websocket side: sessions, connections, dispatch to every session that wants an event."""

    async def wait_ready(self, timeout: float = 10.0) -> None:
        """Wait until a gateway connection is READY or RESUMED after the latest injected gateway fault."""
        ok = await self._gw_changed.wait_for(
            lambda: self._ready_epoch >= self._epoch and bool(self._live_conns()), timeout
        )
        if not ok:
            raise TimeoutError("bot did not (re)connect to the emulated gateway")

    async def wait_resumed(self, timeout: float = 10.0) -> None:
        ok = await self._gw_changed.wait_for(
            lambda: self._resumed_epoch >= self._epoch and bool(self._live_conns()), timeout
        )
        if not ok:
            raise TimeoutError("bot did not RESUME on the emulated gateway")

    def _live_conns(self) -> list[Connection]:
        return [c for c in self._conns if c.live]

    def _fire_gw(self) -> None:
        if self._gw_changed:
            self._gw_changed.fire()

    # ------------------------------------------------------------------ gateway
    async def _ws_handler(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = Connection(ws, request.path)
        self._conns.append(conn)
        conn.writer = asyncio.create_task(self._writer(conn))
        conn.send(jdump({"op": 10, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}}))
        try:
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT or conn.stalled:
                    continue
                try:
                    payload = jload(msg.data)
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

    async def _writer(self, conn: Connection) -> None:
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

    async def _send_now(self, conn: Connection, obj: dict) -> None:
        with contextlib.suppress(Exception):
            await conn.ws.send_str(jdump(obj))

    async def _on_gateway(self, conn: Connection, p: dict) -> None:
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

    async def _identify(self, conn: Connection, d: dict) -> None:
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
        s = GatewaySession(secrets.token_hex(16), int(d.get("intents", 0)), shard)
        self._sessions[s.id] = s
        conn.session = s
        s.conn = conn
        guilds = [g for g in self.guilds.values() if s.wants_guild(g.id)]
        ready = {
            "v": 10,
            "user": {**self.bot_user.to_dict(), "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": s.id,
            "session_type": "normal",
            "resume_gateway_url": f"ws://{self.host}:{self.port}/resume/",
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["emulated"],
            "user_settings": {},
            "auth": {},
            "_trace": ['["emulated-gateway",{"micros":0}]'],
        }
        if shard:
            ready["shard"] = shard
        self._session_dispatch(s, "READY", ready)
        for g in guilds:
            self._session_dispatch(s, "GUILD_CREATE", self._guild_create_payload(g))
        conn.ready = True
        self._ready_epoch = self._epoch
        self._fire_gw()

    async def _resume(self, conn: Connection, d: dict) -> None:
        if d.get("token") != self.token:
            await ws_close(conn, 4004, "Authentication failed.")
            return
        s = self._sessions.get(d.get("session_id") or "")
        if s is None:
            conn.send(jdump({"op": 9, "d": False}))
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

    def _request_members(self, conn: Connection, d: dict) -> None:
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
        payload = {
            "guild_id": str(g.id),
            "members": [m.to_dict() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce") is not None:
            payload["nonce"] = d["nonce"]
        self._session_dispatch(conn.session, "GUILD_MEMBERS_CHUNK", payload)

    def _session_dispatch(self, s: GatewaySession, event: str, data: Any) -> str:
        """Send ``event`` to session ``s`` (or keep it for a RESUME); returns the frame, JSON text."""
        s.seq += 1
        text = jdump({"op": 0, "t": event, "s": s.seq, "d": data})
        s.log.append((s.seq, text))
        self.gateway_log.append(("send", event))
        if s.conn is not None and not s.conn.closed:
            s.conn.send(text)
        return text

    def _dispatch(self, event: str, data: Any, *, guild_id: int | None = None, intent: int | None = None) -> int:
        """Send a DISPATCH to every session (that has the intent); returns how many sessions got it.

        ``data`` is serialised at once: the caller may change it afterwards (``last_frame`` keeps the text
        of the last frame sent, None when no session got it)."""
        n = 0
        self.last_frame = None
        for s in list(self._sessions.values()):
            if intent is not None and not (s.intents & intent):
                continue
            if not s.wants_guild(guild_id):
                continue
            self.last_frame = self._session_dispatch(s, event, data)
            n += 1
        return n

    def _guild_create_payload(self, g: Guild) -> dict:
        d = g.to_dict()
        d.update(
            {
                "unavailable": False,
                "large": False,
                "member_count": len(g.members),
                "joined_at": now_iso(),
                "channels": [c.to_dict() for c in g.channels.values() if not c.deleted],
                "members": [m.to_dict() for m in g.members.values()],
                "threads": [],
                "presences": [],
                "voice_states": [],
                "stage_instances": [],
                "soundboard_sounds": [],
                "guild_scheduled_events": list(g.scheduled_events.values()),
            }
        )
        return d


async def ws_close(conn: Connection, code: int, reason: str) -> None:
    conn.closed = True
    with contextlib.suppress(Exception):
        await conn.ws.close(code=code, message=reason.encode())
