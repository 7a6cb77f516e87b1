"""A loopback Discord: REST API v10 + gateway v10 (JSON, uncompressed text frames) on 127.0.0.1.

The real discord.py client is pointed at it with :meth:`Emulator.install` (patches
``discord.http.Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``) and then behaves
exactly as against Discord.  Tests act as users (:meth:`Emulator.command`, :meth:`click`,
:meth:`select`, :meth:`submit_modal`, :meth:`autocomplete`) and read what the bot answered
through :class:`InteractionResult`.  Payloads are checked the way Discord does
(:mod:`bot.playground.emulator.limits`); rejections are answered with Discord's error bodies and
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

``Emulator(world_seed="...")`` gives the world the same ids in every run (the playground's database keeps
servers' settings by guild, channel and role id); without it every run gets fresh snowflakes.

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

Package layout (one concern per module; the :class:`Emulator` class is their mixins put together)::

    protocol.py      Discord's numbers: permission bits, intents, interaction and callback types
    state.py         users, roles, members, channels, guilds (dataclasses -> Discord JSON)
    world.py         building the world; permission arithmetic with overwrites
    base.py          the shared state every mixin reads, and the change signal
    gateway.py       websocket sessions, IDENTIFY/RESUME, dispatch
    rest.py          HTTP plumbing and the route table
    commands.py      application command routes
    messages.py      the message store and channel routes
    guilds.py        guild reads and scheduled events
    interactions.py  interaction records, InteractionResult, callback and webhook routes
    actions.py       acting as a user: command, autocomplete, click, select, submit_modal
    limits.py        Discord's documented payload limits (messages, embeds, components, modals, events)
    command_limits.py  the same for application commands
    faults.py        injected 429s, 5xx and gateway failures
    text.py          plain-text views of messages and modals
    runner.py        start_bot / run_client: a discord.py client against the emulator
    core.py          the Emulator class, start/stop/install
"""

from discord import Permissions  # re-exported: use Permissions(...).value or plain ints

from .core import Emulator
from .errors import Violation
from .interactions import InteractionResult
from .runner import BotHandle, run_client, start_bot
from .state import Channel, Guild, Member, Role, User
from .text import render_message, walk_components

__all__ = [
    "BotHandle",
    "Channel",
    "Emulator",
    "Guild",
    "InteractionResult",
    "Member",
    "Permissions",
    "Role",
    "User",
    "Violation",
    "render_message",
    "run_client",
    "start_bot",
    "walk_components",
]
