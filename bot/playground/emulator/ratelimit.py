"""Discord's global rate limit and command visibility, as Discord documents them.

Global rate limit (https://discord.com/developers/docs/topics/rate-limits#global-rate-limit): a bot may make
50 requests per second; interaction endpoints (callbacks and the interaction webhooks) are not bound to it.
Over the limit, Discord answers 429 with ``{"message": ..., "retry_after": <seconds, float>, "global": true}``
and the headers ``X-RateLimit-Global: true``, ``X-RateLimit-Scope: global`` and ``Retry-After`` (whole
seconds). Off by default; ``emu.global_limit = 50`` turns it on. It counts a sliding one-second window of the
requests it let through (stricter than a fixed window, so a client that passes here passes Discord).

Command visibility (https://discord.com/developers/docs/interactions/application-commands#permissions): a
command with ``default_member_permissions`` is shown only to members who have them, unless the server's
Integrations settings widen it; :meth:`GlobalLimit.widen_command` models that override.
"""

from __future__ import annotations

import collections
import re
import time

from aiohttp import web

from .base import EmulatorBase
from .protocol import json_response

EXEMPT = re.compile(r"^/(interactions/\d+/[^/]+/callback|webhooks/\d+/[^/]+)")
WINDOW = 1.0  # seconds


class GlobalLimit(EmulatorBase):
    """The per-bot global limit (50 requests/s when on) and per-guild command visibility overrides."""

    global_limit: int | None = None
    global_429s: int = 0
    _global_sent: collections.deque[float] | None = None
    _widened: set[tuple[int, str]] | None = None

    def _global_gate(self, path: str) -> web.Response | None:
        """None when the request may proceed (and is counted), else the 429 Discord would send."""
        if not self.global_limit or EXEMPT.match(path):
            return None
        if self._global_sent is None:
            self._global_sent = collections.deque()
        now = time.monotonic()
        sent = self._global_sent
        while sent and sent[0] <= now - WINDOW:
            sent.popleft()
        if len(sent) < self.global_limit:
            sent.append(now)
            return None
        self.global_429s += 1
        retry_after = max(0.001, sent[0] + WINDOW - now)
        body = {
            "message": "You are being rate limited.",
            "retry_after": round(retry_after, 3),
            "global": True,
            "code": 0,
        }
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(max(1, int(retry_after + 0.999))),
            "X-RateLimit-Global": "true",
            "X-RateLimit-Scope": "global",
        }
        return json_response(429, body, headers)

    def widen_command(self, guild_id: int, name: str) -> None:
        """The server lets every member see /``name`` (Server Settings -> Integrations), whatever the command's
        ``default_member_permissions``."""
        if self._widened is None:
            self._widened = set()
        self._widened.add((guild_id, name))

    def command_visible(self, guild_id: int, name: str, member_permissions: int, required: str | None) -> bool:
        """Whether Discord's client offers the command to a member with ``member_permissions``."""
        if required is None or (guild_id, name) in (self._widened or set()):
            return True
        needed = int(required)
        return member_permissions & needed == needed
