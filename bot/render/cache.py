"""Rendered cards, reused while the content they show is unchanged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

import discord

T = TypeVar("T")


class CardCache:
    """Embeds by key, valid for one catalogue: a card shows only content (times are <t:...> markup that
    each reader's client renders), so it can be reused until an `ingest` rebuilds the catalogue.

    A card that also depends on the time (``/countdown``) is kept with the span of time it is right for
    (:meth:`get_timed`).
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: dict[Hashable, Any] = {}  # an embed, or a card's pages
        self._timed: dict[Hashable, tuple[discord.Embed, dt.datetime, dt.datetime]] = {}
        self._built_from: object = None

    def _retire(self, catalog: object) -> None:
        if catalog is not self._built_from:
            self._items.clear()
            self._timed.clear()
            self._built_from = catalog

    async def get(self, catalog: object, key: Hashable, render: Callable[[], Awaitable[T]]) -> T:
        """What ``render`` made for ``key`` while ``catalog`` is the current one (an embed, or a list of
        pages); rendered once per catalogue."""
        self._retire(catalog)
        embed: T | None = self._items.get(key)
        if embed is None:
            embed = await render()
            if self._built_from is catalog:  # not if the catalogue was swapped while this one rendered
                if len(self._items) >= self.size:
                    self._items.clear()
                self._items[key] = embed
        return embed

    async def get_timed(
        self,
        catalog: object,
        key: Hashable,
        now: dt.datetime,
        render: Callable[[], Awaitable[tuple[discord.Embed, dt.datetime]]],
    ) -> discord.Embed:
        """A card that depends on the time as well, reused while ``built <= now < until``.

        ``render`` returns the embed and the first instant (UTC) at which it could read differently: a show
        starts or its day ends, an anniversary passes. The lower bound makes a clock set backwards (the
        tests' and the playground's frozen clock) rebuild the card rather than show one from the future.
        """
        self._retire(catalog)
        entry = self._timed.get(key)
        if entry is not None and entry[1] <= now < entry[2]:
            return entry[0]
        embed, until = await render()
        if self._built_from is catalog:
            if len(self._timed) >= self.size:
                self._timed.clear()
            self._timed[key] = (embed, now, until)
        return embed
