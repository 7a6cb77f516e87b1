"""Running a discord.py client against the emulator until it is ready, and stopping it cleanly."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import discord

from .core import Emulator


class BotHandle:
    def __init__(self, emu: Emulator, client: discord.Client, task: asyncio.Task):
        self.emu, self.client, self.task = emu, client, task

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await self.client.close()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(self.task, 5)
        self.emu.uninstall()


async def _no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
    return None


async def _all_guilds_cached(emu: Emulator, client: discord.Client, deadline: float) -> bool:
    """Wait (until ``deadline``, loop time) for ``client`` to cache every guild the emulator sent it."""
    if (client.shard_count or 1) > 1:
        return True  # one shard holds only its share of the guilds
    loop = asyncio.get_running_loop()
    while not all(client.get_guild(gid) is not None for gid in emu.guilds):
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.001)
    return True


async def start_bot(
    emu: Emulator,
    client: discord.Client,
    token: str | None = None,
    *,
    timeout: float = 10.0,
    fast: bool = True,
    setup_timeout: float = 300.0,
) -> BotHandle:
    """Install the emulator, log ``client`` in, connect it in the background, wait until ``client.is_ready()``.

    What ``client.start`` does, in its two steps, so each wait is honest: logging in runs the bot's own
    ``setup_hook`` (catalogue, cogs, sync; CPU work whose length depends on the machine and the content),
    bounded only by ``setup_timeout`` seconds; ``timeout`` seconds then cover the gateway handshake with the
    emulator (HELLO, IDENTIFY, READY, GUILD_CREATE), which is what the emulator is answerable for.
    ``fast`` (default) makes discord.py quick against a loopback server: ``guild_ready_timeout`` capped at
    5 ms (the emulator sends every GUILD_CREATE right behind READY, a fraction of a millisecond apart) and no
    5 s sleep before a re-IDENTIFY. Either way this returns only once the client holds every guild of the
    emulator in its cache, so a GUILD_CREATE that a busy machine handles after ``on_ready`` (discord.py then
    dispatches ``guild_join`` instead of ``guild_available``) is still there when the caller goes on.
    """
    if fast:
        conn = client._connection
        conn.guild_ready_timeout = min(conn.guild_ready_timeout, 0.005)
        client.before_identify_hook = _no_identify_wait  # type: ignore[method-assign]
    emu.install()
    try:
        await asyncio.wait_for(client.login(token or emu.token), setup_timeout)
    except BaseException:
        emu.uninstall()
        with contextlib.suppress(Exception):
            await client.close()
        raise
    task = asyncio.create_task(client.connect(), name="emulated-bot")
    deadline = asyncio.get_running_loop().time() + timeout
    ready = asyncio.ensure_future(client.wait_until_ready())
    try:
        await asyncio.wait({task, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        ready.cancel()
    if client.is_ready() and await _all_guilds_cached(emu, client, deadline):
        return BotHandle(emu, client, task)
    if task.done():
        emu.uninstall()
        exc = task.exception()
        with contextlib.suppress(Exception):
            await client.close()
        if exc is not None:
            raise exc
        raise RuntimeError("bot exited before becoming ready")
    await BotHandle(emu, client, task).stop()
    raise TimeoutError("bot did not become ready against the emulator")


@contextlib.asynccontextmanager
async def run_client(
    emu: Emulator, client: discord.Client, token: str | None = None, *, timeout: float = 10.0, fast: bool = True
) -> AsyncIterator[discord.Client]:
    """:func:`start_bot`, stopped when the block ends."""
    handle = await start_bot(emu, client, token, timeout=timeout, fast=fast)
    try:
        yield client
    finally:
        await handle.stop()
