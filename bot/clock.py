"""An injectable clock, so tests and the playground can travel in time.

Every instant is timezone-aware UTC. ``now()`` tells the time; ``await sleep_until(instant)`` waits for
it. The scheduler and trivia timers use nothing else, so a :class:`FrozenClock` moved by a test or by the
playground's ``:advance`` wakes exactly the sleepers whose instant has come.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import heapq
import itertools
from typing import Protocol

UTC = dt.timezone.utc

# asyncio's loop timers lose precision and eventually overflow for very long sleeps, and a machine that
# sleeps or has its clock stepped drifts from a single long wait: sleep in steps of at most this long.
MAX_SLEEP_SECONDS = 300.0


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, timezone-aware, in UTC."""

    async def sleep_until(self, instant: dt.datetime) -> None:
        """Return once ``now() >= instant`` (aware datetime; returns at once for an instant in the past).

        Raises ValueError for a naive datetime. Cancellable like any ``asyncio.sleep``.
        """


def _aware(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None:
        raise ValueError("clock instants must be timezone-aware")
    return instant.astimezone(UTC)


class SystemClock:
    """The real time, read from the system on every call."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC)

    async def sleep_until(self, instant: dt.datetime) -> None:
        target = _aware(instant)
        while True:
            left = (target - self.now()).total_seconds()
            if left <= 0:
                return
            await asyncio.sleep(min(left, MAX_SLEEP_SECONDS))


class FrozenClock:
    """A clock that only moves when told to (tests and the playground travel in time with it).

    :meth:`set` and :meth:`advance` wake every sleeper whose instant has come, in instant order. Sleepers
    resume on the next turns of the event loop: ``await clock.settle()`` after moving the clock lets them
    run before the caller looks at what they did. A sleeper cancelled while it waits leaves the clock's
    list at once (a playground left running for hours cancels a trivia timer every round).
    """

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._sleepers: list[tuple[dt.datetime, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> dt.datetime:
        return self._now

    def set(self, instant: dt.datetime) -> None:
        self._now = _aware(instant)
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, waiter = heapq.heappop(self._sleepers)
            if not waiter.done():
                waiter.set_result(None)

    def advance(self, delta: dt.timedelta) -> None:
        self.set(self._now + delta)

    async def sleep_until(self, instant: dt.datetime) -> None:
        target = _aware(instant)
        if target <= self._now:
            await asyncio.sleep(0)
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (target, next(self._order), waiter)
        heapq.heappush(self._sleepers, entry)
        try:
            await waiter
        finally:
            if waiter.cancelled() or not waiter.done():  # cancelled while waiting: set() never popped it
                self._drop(entry)

    def _drop(self, entry: tuple[dt.datetime, int, asyncio.Future[None]]) -> None:
        # Entries compare by (instant, order) and the order is unique, so the future is never compared.
        with contextlib.suppress(ValueError):
            self._sleepers.remove(entry)
            heapq.heapify(self._sleepers)

    @property
    def sleepers(self) -> int:
        """How many sleepers are still waiting (a cancelled one leaves when it is cancelled)."""
        return len(self._sleepers)

    async def settle(self, turns: int = 5) -> None:
        """Give woken sleepers a few event-loop turns to run."""
        for _ in range(turns):
            await asyncio.sleep(0)
