"""Fault injection: 429s and 5xx on chosen REST routes, dropped, reconnected, invalidated or stalled gateways."""

from __future__ import annotations

import contextlib
import re
import time

from aiohttp import web

from .base import EmulatorBase
from .protocol import json_response


class Fault:
    def __init__(
        self,
        method: str,
        regex: str,
        status: int,
        retry_after: float,
        is_global: bool,
        count: int,
        after_processing: bool,
    ):
        self.method = method.upper()
        self.regex = re.compile(regex)
        self.status = status
        self.retry_after = retry_after
        self.is_global = is_global
        self.count = count
        self.after_processing = after_processing

    def matches(self, method: str, path: str) -> bool:
        return self.count > 0 and self.method in ("*", method) and bool(self.regex.search(path))


class FaultInjection(EmulatorBase):
    """Make Discord misbehave the ways it documents (rate limits, server errors, gateway closes)."""

    # ------------------------------------------------------------------ fault injection
    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int = 429,
        retry_after: float = 0.2,
        is_global: bool = False,
        count: int = 1,
        *,
        after_processing: bool = False,
    ) -> None:
        """Answer the next ``count`` matching REST requests with ``status``.

        ``path_regex`` is searched in the path after ``/api/v10`` (e.g. ``r"/channels/\\d+/messages$"``,
        ``r"/callback"``).  With ``after_processing=True`` the request takes effect first and only the
        answer is lost (a retry then sees the side effect -- e.g. a duplicate message without nonce).
        """
        self._faults.append(Fault(method, path_regex, status, retry_after, is_global, count, after_processing))

    def _fault_response(self, f: Fault) -> web.Response:
        if f.status == 429:
            body = {"message": "You are being rate limited.", "retry_after": f.retry_after, "global": f.is_global}
            if f.is_global:
                body["code"] = 0
            headers = {
                "Via": "1.1 google",
                "Retry-After": str(max(1, int(f.retry_after + 0.999))),
                "X-RateLimit-Scope": "global" if f.is_global else "user",
            }
            if f.is_global:
                headers["X-RateLimit-Global"] = "true"
            else:
                headers.update(
                    {
                        "X-RateLimit-Limit": "5",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset": f"{time.time() + f.retry_after:.3f}",
                        "X-RateLimit-Reset-After": f"{f.retry_after:.3f}",
                        "X-RateLimit-Bucket": "emulated-bucket",
                    }
                )
            return json_response(429, body, headers)
        reason = {
            500: "Internal Server Error",
            502: "Bad Gateway",
            503: "Service Unavailable",
            504: "Gateway Timeout",
        }.get(f.status, "Error")
        return json_response(f.status, {"message": f"{f.status}: {reason}", "code": 0}, {"Via": "1.1 google"})

    def _gw_fault(self) -> None:
        self._epoch += 1
        self._fire_gw()

    async def drop_gateway(self, code: int | None = 4000) -> None:
        """Close every gateway connection (``code=None``: abort the TCP connection, like a 1006)."""
        self._gw_fault()
        for c in list(self._conns):
            c.ready = False
            c.closed = True
            if code is None:
                transport = c.ws._req.transport if c.ws._req else None
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
