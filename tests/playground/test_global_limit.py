"""The emulator's global rate limit (50 requests/s, interaction endpoints exempt) and command visibility."""

from __future__ import annotations

import asyncio

import aiohttp

from bot.playground.emulator import Emulator


async def test_over_fifty_requests_a_second_get_a_global_429(emulator: Emulator) -> None:
    guild = emulator.add_guild("G")
    channel = emulator.add_channel(guild, "c")
    emulator.global_limit = 50
    headers = {"Authorization": f"Bot {emulator.token}"}
    async with aiohttp.ClientSession() as http:

        async def get() -> tuple[int, dict, dict]:
            async with http.get(f"{emulator.api_base}/channels/{channel.id}", headers=headers) as r:
                return r.status, dict(r.headers), await r.json()

        results = await asyncio.gather(*(get() for _ in range(60)))
        statuses = sorted(status for status, _, _ in results)
        assert statuses == [200] * 50 + [429] * 10
        _, limited_headers, body = next(r for r in results if r[0] == 429)
        assert body["global"] is True and 0 < body["retry_after"] <= 1.0
        assert limited_headers["X-RateLimit-Global"] == "true"
        assert limited_headers["X-RateLimit-Scope"] == "global"
        assert limited_headers["Retry-After"] == "1"
        assert emulator.global_429s == 10
        # interaction callbacks are not bound to the global limit
        async with http.post(f"{emulator.api_base}/interactions/1/tok/callback", json={"type": 1}) as r:
            assert r.status != 429
        await asyncio.sleep(1.05)  # the window has passed
        status, _, _ = await get()
        assert status == 200


async def test_off_by_default(emulator: Emulator) -> None:
    guild = emulator.add_guild("G")
    channel = emulator.add_channel(guild, "c")
    headers = {"Authorization": f"Bot {emulator.token}"}
    async with aiohttp.ClientSession() as http:

        async def get() -> int:
            async with http.get(f"{emulator.api_base}/channels/{channel.id}", headers=headers) as r:
                return r.status

        assert set(await asyncio.gather(*(get() for _ in range(80)))) == {200}


def test_command_visibility_follows_default_member_permissions(emulator: Emulator) -> None:
    guild = emulator.add_guild("G")
    assert emulator.command_visible(guild.id, "config", 0, "32") is False
    assert emulator.command_visible(guild.id, "config", 32 | 8, "32") is True
    assert emulator.command_visible(guild.id, "config", 0, None) is True
    emulator.widen_command(guild.id, "config")
    assert emulator.command_visible(guild.id, "config", 0, "32") is True
    assert emulator.command_visible(guild.id, "event", 0, "32") is False
