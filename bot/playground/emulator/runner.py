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
    ``fast`` (default) makes discord.py quick against a loopback server: ``guild_ready_timeout``
    capped at 0.05 s and no 5 s sleep before a re-IDENTIFY.
    """
    if fast:
        conn = client._connection
        conn.guild_ready_timeout = min(conn.guild_ready_timeout, 0.05)
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
            raise TimeoutError("bot did not become ready against the emulator")
        await asyncio.sleep(0.01)
    return BotHandle(emu, client, task)


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
