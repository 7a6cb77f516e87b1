"""REST plumbing: reading bodies (JSON or multipart), authentication, the route table, login routes."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import BodyPartReader, web

from .base import EmulatorBase
from .commands import COMMAND_ROUTES
from .errors import ApiError, Violation, unknown
from .guilds import GUILD_ROUTES
from .interactions import INTERACTION_ROUTES
from .messages import MESSAGE_ROUTES
from .protocol import RestRequest, Route, jload, json_response

# login and users: (method, path regex, handler name, needs the bot token)
LOGIN_ROUTES: list[Route] = [
    ("GET", r"/users/@me", "_h_me", True),
    ("GET", r"/users/(?P<user_id>\d+)", "_h_user", True),
    ("GET", r"/oauth2/applications/@me", "_h_app", True),
    ("GET", r"/applications/@me", "_h_app", True),
    ("GET", r"/gateway", "_h_gateway", False),
    ("GET", r"/gateway/bot", "_h_gateway_bot", True),
]


class RestServer(EmulatorBase):
    """The HTTP side: one handler that reads, authenticates, routes and records every request."""

    # ------------------------------------------------------------------ REST plumbing
    async def _read_body(self, request: web.Request) -> tuple[Any, list[dict]]:
        if not request.body_exists:
            return None, []
        ctype = request.content_type
        if ctype == "multipart/form-data":
            payload, files = None, []
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):  # a nested multipart: Discord reads none
                    continue
                if part.name == "payload_json":
                    payload = jload(await part.text())
                elif part.filename is not None:
                    data = await part.read()
                    files.append(
                        {
                            "name": part.name,
                            "filename": part.filename,
                            "size": len(data),
                            "content_type": part.headers.get("Content-Type"),
                            "data": data,
                        }
                    )
            return payload, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return jload(raw), []
        except ValueError as error:
            raise ApiError(
                400,
                {
                    "message": "400: Bad Request",
                    "code": 50109,
                    "errors": {
                        "_errors": [{"code": "JSON_INVALID", "message": "The request body contains invalid JSON."}]
                    },
                },
            ) from error

    async def _rest_handler(self, request: web.Request) -> web.StreamResponse:
        method = request.method
        path = "/" + request.match_info["tail"]
        try:
            body, files = await self._read_body(request)
        except ApiError as e:
            self.requests.append((method, path, e.status))
            return json_response(e.status, e.body)
        limited = self._global_gate(path)
        if limited is not None:
            self.requests.append((method, path, 429))
            return limited
        fault = next((f for f in self._faults if f.matches(method, path)), None)
        if fault is not None:
            fault.count -= 1
            if fault.count <= 0:
                self._faults.remove(fault)
            if not fault.after_processing:
                self.faults_served.append((method, path, fault.status))
                self.requests.append((method, path, fault.status))
                return self._fault_response(fault)
        req = RestRequest(method, path, request.query, body, files, request.headers)
        status, resp = await self._route(req)
        if fault is not None:
            self.faults_served.append((method, path, fault.status))
            self.requests.append((method, path, fault.status))
            return self._fault_response(fault)
        self.requests.append((method, path, status))
        if status == 204:
            return web.Response(status=204)
        return json_response(status, resp)

    async def _route(self, req: RestRequest) -> tuple[int, Any]:
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
            except ApiError as e:
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
        """Every route of every mixin: (method, compiled path regex, bound handler, needs the bot token)."""
        spec = LOGIN_ROUTES + COMMAND_ROUTES + INTERACTION_ROUTES + MESSAGE_ROUTES + GUILD_ROUTES
        return [(m, re.compile(rx), getattr(self, h), auth) for m, rx, h, auth in spec]

    # ------------------------------------------------------------------ REST: login / users
    async def _h_me(self, req: RestRequest) -> dict:
        return {**self.bot_user.to_dict(), "verified": True, "mfa_enabled": False, "locale": "en-US", "email": None}

    async def _h_user(self, req: RestRequest, user_id: str) -> dict:
        u = self.users.get(int(user_id))
        if u is None:
            raise unknown("User", 10013)
        return u.to_dict()

    async def _h_app(self, req: RestRequest) -> dict:
        return {
            "id": str(self.application_id),
            "name": self.bot_user.name,
            "icon": None,
            "description": "",
            "summary": "",
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.app_owner.to_dict(),
            "verify_key": "0" * 64,
            "team": None,
            "flags": 0,
            "bot": self.bot_user.to_dict(),
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "tags": [],
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {},
            "custom_install_url": None,
            "role_connections_verification_url": None,
        }

    async def _h_gateway(self, req: RestRequest) -> dict:
        return {"url": self.gateway_url.rstrip("/")}

    async def _h_gateway_bot(self, req: RestRequest) -> dict:
        return {
            "url": self.gateway_url.rstrip("/"),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
        }
