"""Rendered cards, reused while the content they show is unchanged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable

import discord


class CardCache:
    """Embeds by key, valid for one catalogue: a card shows only content (times are <t:...> markup that
    each reader's client renders), so it can be reused until an `ingest` rebuilds the catalogue."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: dict[Hashable, discord.Embed] = {}
        self._built_from: object = None

    async def get(self, catalog: object, key: Hashable,
                  render: Callable[[], Awaitable[discord.Embed]]) -> discord.Embed:
        if catalog is not self._built_from:
            self._items.clear()
            self._built_from = catalog
        embed = self._items.get(key)
        if embed is None:
            embed = await render()
            if self._built_from is catalog:  # not if the catalogue was swapped while this one rendered
                if len(self._items) >= self.size:
                    self._items.clear()
                self._items[key] = embed
        return embed
