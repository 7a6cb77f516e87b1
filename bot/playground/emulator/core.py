"""The :class:`Emulator`: the mixins of this package put together, plus start, stop, install and uninstall."""

from __future__ import annotations

import contextlib
from typing import Any

import discord
import yarl
from aiohttp import web

from .actions import UserActions
from .base import Signal
from .commands import CommandRoutes
from .faults import FaultInjection
from .gateway import GatewayServer
from .guilds import GuildRoutes
from .interactions import InteractionRoutes
from .messages import MessageRoutes
from .ratelimit import GlobalLimit
from .rest import RestServer
from .world import WorldState


class Emulator(
    UserActions,
    InteractionRoutes,
    GuildRoutes,
    MessageRoutes,
    CommandRoutes,
    RestServer,
    FaultInjection,
    GlobalLimit,
    GatewayServer,
    WorldState,
):
    """A loopback Discord (REST v10 and gateway v10 on 127.0.0.1); see the package docstring for a quick start.

    Each concern lives in its own mixin module: world building and permissions (``world``), the gateway
    (``gateway``), fault injection (``faults``), REST plumbing (``rest``), application commands
    (``commands``), messages (``messages``), guilds and scheduled events (``guilds``), interaction callbacks
    and webhooks (``interactions``), and acting as a user (``actions``).  Their shared state is declared
    once, in :class:`~bot.playground.emulator.base.EmulatorBase`.
    """

    async def start(self) -> Emulator:
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
        self._gw_changed = Signal()
        self._msg_changed = Signal()
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

    async def __aenter__(self) -> Emulator:
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
