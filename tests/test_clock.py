"""The injectable clock: FrozenClock wakes exactly the sleepers whose instant has come, in instant order;
SystemClock sleeps in capped steps."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot import clock as clock_module
from bot.clock import FrozenClock, SystemClock

UTC = dt.timezone.utc
START = dt.datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


async def test_advance_wakes_due_sleepers_in_instant_order_and_no_others() -> None:
    clock = FrozenClock(START)
    woke: list[str] = []

    async def sleeper(name: str, minutes: int) -> None:
        await clock.sleep_until(START + dt.timedelta(minutes=minutes))
        woke.append(name)

    # started out of order, so the wake order can only come from the instants
    tasks = [
        asyncio.create_task(sleeper(name, minutes))
        for name, minutes in (("ten", 10), ("three", 3), ("sixty", 60), ("five", 5))
    ]
    await clock.settle()
    assert woke == [] and clock.sleepers == 4

    clock.advance(dt.timedelta(minutes=9, seconds=59))
    await clock.settle()
    assert woke == ["three", "five"]  # "ten" is a second away: still asleep
    assert clock.sleepers == 2

    clock.advance(dt.timedelta(seconds=1))
    await clock.settle()
    assert woke == ["three", "five", "ten"]

    clock.set(START + dt.timedelta(hours=1))
    await clock.settle()
    assert woke == ["three", "five", "ten", "sixty"]
    await asyncio.gather(*tasks)


async def test_a_past_instant_returns_at_once_and_cancelled_sleepers_are_dropped() -> None:
    clock = FrozenClock(START)
    await asyncio.wait_for(clock.sleep_until(START - dt.timedelta(days=1)), 1)
    task = asyncio.create_task(clock.sleep_until(START + dt.timedelta(minutes=1)))
    await clock.settle()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert clock.sleepers == 0
    clock.advance(dt.timedelta(minutes=2))  # waking a cancelled sleeper must not raise


async def test_a_cancelled_sleeper_leaves_the_clock_when_it_is_cancelled() -> None:
    # Nobody reads clock.sleepers here (it used to sweep cancelled sleepers out): the list itself must shrink.
    clock = FrozenClock(START)
    tasks = [asyncio.create_task(clock.sleep_until(START + dt.timedelta(minutes=m))) for m in (5, 1, 3, 2, 4)]
    await clock.settle()
    assert len(clock._sleepers) == 5
    for task in tasks[1:4]:  # the 1, 3 and 2 minute sleepers, from the middle of the heap
        task.cancel()
    await asyncio.gather(*tasks[1:4], return_exceptions=True)
    assert sorted(instant for instant, _, _ in clock._sleepers) == [
        dt.datetime(2026, 11, 29, 12, 4, tzinfo=UTC),
        dt.datetime(2026, 11, 29, 12, 5, tzinfo=UTC),
    ]
    clock.advance(dt.timedelta(minutes=4))  # the heap still wakes the earliest first
    await clock.settle()
    assert [task.done() for task in (tasks[4], tasks[0])] == [True, False]
    tasks[0].cancel()
    await asyncio.gather(tasks[0], return_exceptions=True)
    assert clock._sleepers == []


async def test_a_sleeper_cancelled_after_it_was_woken_is_not_looked_for_twice() -> None:
    clock = FrozenClock(START)
    task = asyncio.create_task(clock.sleep_until(START + dt.timedelta(minutes=1)))
    await clock.settle()
    task.cancel()  # cancelled first, then woken by set() before it runs again
    clock.advance(dt.timedelta(minutes=1))
    await asyncio.gather(task, return_exceptions=True)
    assert (task.cancelled(), clock._sleepers) == (True, [])


async def test_naive_instants_are_refused() -> None:
    clock = FrozenClock(START)
    with pytest.raises(ValueError, match="timezone-aware"):
        await clock.sleep_until(dt.datetime(2026, 11, 29, 13, 0))
    with pytest.raises(ValueError, match="aware"):
        FrozenClock(dt.datetime(2026, 11, 29))


async def test_system_clock_sleeps_in_capped_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock_module, "MAX_SLEEP_SECONDS", 0.05)
    steps: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(seconds: float) -> None:
        steps.append(seconds)
        await real_sleep(seconds)

    monkeypatch.setattr(clock_module.asyncio, "sleep", recording_sleep)
    system = SystemClock()
    target = system.now() + dt.timedelta(seconds=0.3)
    await system.sleep_until(target)
    assert system.now() >= target
    assert len(steps) >= 6  # 0.3 s in steps of at most 0.05 s
    assert max(steps) <= 0.05
