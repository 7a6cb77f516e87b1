"""The scheduler task: sleeps until the earliest due item, posts what is due, and sleeps again.

One asyncio task per bot, started from ``setup_hook`` and cancelled in ``close()``. It sleeps with
``await bot.clock.sleep_until(...)`` (so the playground's ``:advance`` and the tests' FrozenClock drive
it) and is woken early by :meth:`Scheduler.wake` whenever something that changes the schedule happens
(a setting, an event, an ingest). There is no periodic scan: besides due items it wakes once a day to
extend the schedule's horizon (anniversaries and far milestones enter it as their time nears), and once a
minute asks (one PRAGMA query) whether an ``ingest`` in another process changed the packs.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
from typing import TYPE_CHECKING

import discord

from bot.content.dates import anniversary
from bot.content.model import Show, Song, local_day_end
from bot.i18n import t
from bot.render import announcements
from bot.render.announcements import Subject
from bot.scheduler.due import Target, Yearly, plan_items
from bot.scheduler.model import DueRow, GuildConfig
from bot.scheduler.poster import GRACE, MARKER, Pacer, Poster

if TYPE_CHECKING:
    from bot.app import Lightstick
    from bot.clock import FrozenClock

log = logging.getLogger(__name__)

HORIZON = dt.timedelta(days=400)  # items are written this far ahead (past the longest step, 366d, and a year of
# anniversaries), so an outage never leaves an item unwritten; the daily refresh moves the horizon on
REFRESH = dt.timedelta(days=1)
CONTENT_POLL = dt.timedelta(minutes=1)  # how often an idle scheduler asks whether an `ingest` (another process)
# changed the packs: one PRAGMA query (bot/db/store.py, content_changed), no scan
ERROR_PAUSE = dt.timedelta(seconds=30)


@dataclasses.dataclass(frozen=True)
class ContentIndex:
    """The pack dates the scheduler counts down to and remembers, by ref ("show:<id>", "song:<id>")."""

    shows: dict[str, Show]
    songs: dict[str, Song]
    targets: tuple[Target, ...]
    yearlies: tuple[Yearly, ...]

    @classmethod
    async def load(cls, bot: Lightstick) -> ContentIndex:
        shows = {f"show:{s.id}": s for s in await bot.store.tours.all_shows()}
        songs = {f"song:{s.id}": s for s in await bot.store.songs.all() if s.released and s.zone}
        targets = tuple(Target(ref, s.date, s.time, s.zone) for ref, s in shows.items())
        yearlies = [Yearly(ref, s.released, "release") for ref, s in songs.items() if s.released]
        yearlies += [Yearly(ref, s.date, s.milestone) for ref, s in shows.items() if s.milestone]
        return cls(shows, songs, targets, tuple(yearlies))


class Scheduler:
    """Keeps every configured server's due items in step with its settings and dates, and posts them."""

    def __init__(
        self,
        bot: Lightstick,
        *,
        pacer: Pacer | None = None,
        concurrency: int | None = None,
        grace: dt.timedelta = GRACE,
        horizon: dt.timedelta = HORIZON,
    ) -> None:
        self.bot = bot
        self.grace, self.horizon = grace, horizon
        extra = {"concurrency": concurrency} if concurrency else {}
        self.poster = Poster(bot, self.render, pacer=pacer, grace=grace, day_end=self.day_end, **extra)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._content: ContentIndex | None = None
        self.refresh_at: dt.datetime | None = None
        self.runs = 0  # how many times the loop woke and looked (tests and the benchmark read it)
        self.idle = asyncio.Event()  # set while the task sleeps

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="lightstick-scheduler")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """Look again now (something changed)."""
        self._wake.set()

    # ------------------------------------------------------------------ schedule upkeep
    async def content(self) -> ContentIndex:
        if self._content is None:
            self._content = await ContentIndex.load(self.bot)
        return self._content

    async def content_changed(self) -> None:
        """An ingest changed the packs: recompute every server's items."""
        self._content = None
        await self.recompute_all()

    async def recompute(self, guild_id: int, *, retry_failed: bool = False) -> dict[str, int]:
        """Bring one server's due items in step with its settings and dates (after any change); with
        ``retry_failed`` (a setting was fixed) recent failed items are tried again. Wakes the task."""
        config = await self.bot.store.guild_settings.get(guild_id)
        counts = await self._sync(config, await self.content(), retry_failed)
        self.wake()
        return counts

    async def recompute_all(self) -> None:
        """Every configured server's items (at start, once a day, after an ingest)."""
        configs = await self.bot.store.guild_settings.configured()
        if configs:
            content = await self.content()
            for config in configs:
                await self._sync(config, content, False)
        self.wake()

    async def _sync(self, config: GuildConfig, content: ContentIndex, retry_failed: bool) -> dict[str, int]:
        now = self.bot.clock.now()
        items = []
        if config.channel_id is not None:
            events = [e.target for e in await self.bot.store.server_events.all(config.guild_id)]
            items = plan_items(
                [*content.targets, *events], content.yearlies, config.plan, now, grace=self.grace, horizon=self.horizon
            )
        return await self.bot.store.due.sync(config.guild_id, items, now, self.grace, retry_failed=retry_failed)

    # ------------------------------------------------------------------ the task
    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                now = self.bot.clock.now()
                # an ingest nobody has noticed yet recomputes everything, before anything due is posted
                await self.bot.refresh_content(wait=True)
                if self.refresh_at is None or now >= self.refresh_at:
                    self.refresh_at = now + REFRESH
                    await self.recompute_all()
                    self._wake.clear()
                self.runs += 1
                await self.poster.run_due()
                upcoming = await self.bot.store.due.next_at()
                poll = self.bot.clock.now() + CONTENT_POLL
                until = min(poll, upcoming, self.refresh_at) if upcoming else min(poll, self.refresh_at)
            except Exception:  # noqa: BLE001 - the schedule is in the database; look again a little later
                log.exception("the scheduler failed; trying again shortly")
                until = self.bot.clock.now() + ERROR_PAUSE
            await self._sleep(until)

    async def step(self, timeout: float = 30.0) -> None:
        """Look now, and return once the task has handled what is due and sleeps again (tests, playground).
        Raises TimeoutError after ``timeout`` seconds (real time)."""
        before = self.runs
        self.wake()
        async with asyncio.timeout(timeout):
            while self.runs <= before or not self.idle.is_set():
                await asyncio.sleep(0.005)

    async def travel(self, clock: FrozenClock, to: dt.datetime, timeout: float = 60.0) -> None:
        """Move a frozen clock forward to ``to``, stopping at every due time on the way so each post goes out
        at its own instant, in order, as it would have in real time (the playground's ``:advance`` and the
        tests). A jump straight to ``to`` would instead look like an outage (late or missed posts)."""
        while True:
            upcoming = await self.bot.store.due.next_at()
            if upcoming is None or upcoming > to:
                break
            clock.set(max(upcoming, clock.now()))
            await clock.settle()
            await self.step(timeout)
            if upcoming <= clock.now() and await self.bot.store.due.next_at() == upcoming:
                break  # nothing moved (e.g. an item held by another process): don't spin
        clock.set(max(to, clock.now()))
        await clock.settle()
        await self.step(timeout)

    async def _sleep(self, until: dt.datetime) -> None:
        self.idle.set()
        sleeper = asyncio.ensure_future(self.bot.clock.sleep_until(until))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.idle.clear()
            for task in (sleeper, waker):
                task.cancel()

    # ------------------------------------------------------------------ what a due item looks like
    async def subject(self, guild_id: int, ref: str) -> Subject | None:
        """What ``ref`` names, or None when it is gone (a removed event, a show dropped from its pack)."""
        kind, _, ident = ref.partition(":")
        if kind == "event":
            event = await self.bot.store.server_events.get(guild_id, int(ident))
            return Subject(event=event) if event else None
        content = await self.content()
        if kind == "show" and ref in content.shows:
            return Subject(show=content.shows[ref])
        if kind == "song" and ref in content.songs:
            return Subject(song=content.songs[ref])
        return None

    async def day_end(self, row: DueRow) -> dt.datetime | None:
        """When the day an item says "today" about ends (UTC): the next local midnight in the zone of what it is
        about (a show's, a server event's, a release's), DST-aware through :func:`local_day_end`. For a
        countdown that is the target's own date; for an anniversary (key ``anniv:<ref>:<kind>:<year>``) that
        date's anniversary in the item's year (29 February on the 28th in common years). None when the thing
        is gone (the item then fails as "gone") or has no zone."""
        subject = await self.subject(row.guild_id, row.ref)
        if subject is None:
            return None
        if subject.event is not None:
            day, zone = subject.event.day, subject.event.zone
        elif subject.show is not None:
            day, zone = subject.show.date, subject.show.zone
        else:
            assert subject.song is not None
            if subject.song.released is None or subject.song.zone is None:
                return None
            day, zone = subject.song.released, subject.song.zone
        if row.kind == "anniversary":
            day = anniversary(day, int(row.key.rsplit(":", 1)[1]))
        return local_day_end(day, zone)

    async def render(
        self, row: DueRow, config: GuildConfig, late: bool
    ) -> tuple[discord.Embed, discord.ui.View] | None:
        subject = await self.subject(row.guild_id, row.ref)
        if subject is None:
            return None
        lang, catalog = config.language, self.bot.catalog
        late_by = announcements.Late(row.due_at, row.retried) if late else None
        if row.kind == "anniversary":
            kind = row.key.split(":")[-2]
            embed = announcements.anniversary(int(row.step), kind, subject, catalog, lang, late_by)
        else:
            embed = announcements.countdown(row.step, subject, catalog, lang, late_by)
        return embed, upcoming_view(row.id, lang)


def upcoming_view(row_id: int, lang: str) -> discord.ui.View:
    """The "Upcoming" button under an announcement. Its custom id carries the item id: it is how the poster
    recognises its own post when reconciling (and a click shows the server's next announcements)."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label=t(lang, "ann.button.upcoming"),
            custom_id=f"{MARKER}{row_id}",
            style=discord.ButtonStyle.secondary,
            emoji="🗓️",
        )
    )
    return view
