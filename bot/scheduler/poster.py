"""The poster: claims due items and sends them, exactly once, paced below Discord's global rate limit.

Thin on purpose: what is due comes from the database (bot/db/schedule.py), what to post from
bot/render/announcements.py. Per item:

1. skip it if the server has no channel, or it is older than the grace window (issue 11, "Outages"), or it
   is late and says "today" about a day that has ended in the event's own zone (:func:`due.lateness`);
2. claim it with one conditional UPDATE (several processes may share the database);
3. if an earlier attempt may have reached Discord (a crash, a 5xx), read the channel's recent messages for
   our own post of this item (its "Upcoming" button carries the item id) and record that one instead:
   Discord's ``enforce_nonce`` only de-duplicates for a few minutes;
4. send with a deterministic ``nonce`` and ``enforce_nonce`` (discord.py 2.7 sets it whenever a nonce is
   given), mentions allowed for the configured role only;
5. record the message id, or the reason: 429/5xx/network -> retried later with backoff (the claim is given
   back, so a slow server holds up nobody); 403/404 -> failed with a reason /config show reports.

Discord's global limit is 50 requests/s per bot (interaction callbacks exempt) and discord.py only reacts
to 429s, so :class:`Pacer` keeps the poster's own requests below it.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import logging
import random
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord.http import handle_message_parameters

from bot.scheduler.due import lateness, says_today
from bot.scheduler.model import DueRow, GuildConfig

if TYPE_CHECKING:
    from bot.app import Lightstick

log = logging.getLogger(__name__)

GLOBAL_RATE = 46.0  # requests/s: below Discord's 50/s global limit, leaving room for clock jitter
LEASE = dt.timedelta(minutes=2)  # a claim not finished by then is taken over (after reconciliation)
LATE_AFTER = dt.timedelta(minutes=15)  # posted later than this after its due time: the post says so
GRACE = dt.timedelta(hours=6)  # missed by more than this: recorded as skipped, not posted
CONCURRENCY = 16  # posts in flight: enough to keep the pace with slow channels, bounded for fairness
BACKOFF_MAX = 300.0  # seconds
SEND_TIMEOUT = 60.0  # seconds for one send, discord.py's own 429 and 5xx retries included
RECONCILE_PAGES = 5  # pages of 100 messages searched for our own post before a resend
CLAIM_BATCH = 200  # items claimed per transaction
RECORD_BATCH = 25  # deliveries recorded per transaction
MARKER = "ls:ann:"  # custom id prefix of the "Upcoming" button under every announcement


def nonce_for(guild_id: int, key: str) -> str:
    """The item's nonce: deterministic (the same on every retry and in every process), 22 characters
    (Discord allows 25)."""
    digest = hashlib.sha256(f"{guild_id}:{key}".encode()).digest()
    return "ls" + base64.b32encode(digest).decode()[:20].lower()


class Pacer:
    """A token bucket: at most ``rate`` acquisitions per second (real time, ``time.monotonic``) with a burst
    of ``burst``. Shared by everything the poster sends, so several posts in flight still keep the pace.

    The small burst lets the pace catch up after the event loop oversleeps (a busy machine), while any one
    second still sees at most ``rate + burst`` requests (46 + 3 < Discord's 50)."""

    def __init__(self, rate: float = GLOBAL_RATE, burst: float = 3.0) -> None:
        self.rate, self.burst = rate, burst
        self._tokens = burst
        self._stamp = time.monotonic()
        self._lock = asyncio.Lock()

    async def take(self) -> None:
        async with self._lock:
            self._refill()
            if self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1

    def _refill(self) -> None:
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now


MISSED = "missed: the bot was offline past the grace window"
GAVE_UP = "missed: Discord didn't take it within the grace window"
DAY_OVER = "missed: its day was over when the bot came back"
DAY_OVER_RETRIED = "missed: its day was over before Discord took it"
# Why a post was never made, as stored in due_items.error (every one starts "missed:"), and the message key
# suffix /config show explains it with (config.missed.<suffix>).
MISSED_REASONS = {MISSED: "offline", GAVE_UP: "gave_up", DAY_OVER: "day_over", DAY_OVER_RETRIED: "day_over_retried"}
SKIPPED = ("missed", "day_over")  # lateness() states that are recorded as skipped, never posted


def _missed(row: DueRow, state: str = "missed") -> str:
    """Why an item is skipped, truthfully: past the grace window or past its day, because the bot was down or
    because it was online and Discord didn't take the post."""
    if state == "day_over":
        return DAY_OVER_RETRIED if row.retried else DAY_OVER
    return GAVE_UP if row.retried else MISSED


def _maybe_sent(row: DueRow) -> bool:
    """An earlier attempt may have reached Discord (claimed and not finished, or a 5xx/lost answer): the
    channel is searched for that post before anything else, even when the item is past the grace window."""
    return row.claim_token is not None and row.channel_id is not None


def _reason(error: discord.HTTPException) -> str:
    """A 403/404 as a moderator can act on it (shown by /config show)."""
    if isinstance(error, discord.NotFound):
        return "channel_gone"
    if error.code == 50001:
        return "no_access"  # the bot can't see the channel
    return "no_permission"


def _backoff(attempts: int, retry_after: float | None = None) -> float:
    base = min(BACKOFF_MAX, 2.0 * 2 ** min(attempts, 8))
    return max(retry_after or 0.0, base * (0.5 + random.random() / 2))


Render = Callable[[DueRow, GuildConfig, bool], Awaitable[tuple[discord.Embed, discord.ui.View] | None]]
DayEnd = Callable[[DueRow], Awaitable[dt.datetime | None]]


class Poster:
    """Posts every item that is due now. ``render(row, config, late)`` builds the message (None: the thing
    it is about no longer exists, so the item fails with the reason "gone"); ``day_end(row)`` says when the
    day of an item that :func:`says_today` ends (UTC; None when unknown), asked only of late items."""

    def __init__(
        self,
        bot: Lightstick,
        render: Render,
        *,
        pacer: Pacer | None = None,
        concurrency: int = CONCURRENCY,
        grace: dt.timedelta = GRACE,
        day_end: DayEnd | None = None,
    ) -> None:
        self.bot = bot
        self.render = render
        self.day_end = day_end
        self.pacer = pacer or Pacer()
        self.slots = asyncio.Semaphore(concurrency)
        self.grace = grace
        self.stats = {"delivered": 0, "reconciled": 0, "retried": 0, "failed": 0, "skipped": 0}
        self.batch = CLAIM_BATCH
        self._delivered: list[tuple[int, str, int]] = []  # (item id, claim token, message id) not yet recorded

    async def run_due(self, batch: int | None = None) -> int:
        """Handle everything due at the clock's now; returns how many items were handled.

        Items are claimed a batch at a time (one transaction) and sent by a pool of at most ``concurrency``
        posts in flight; the next batch is claimed while the last one is still sending, so the pace never
        stalls between batches, and a slow channel holds up nobody (each send gives up after
        :data:`SEND_TIMEOUT` and is retried later). Deliveries are recorded a few per transaction; a crash in
        between leaves items claimed, to be reconciled, never posted twice.
        """
        batch = batch or self.batch
        handled = 0
        sending: set[asyncio.Task[None]] = set()
        try:
            while True:
                now = self.bot.clock.now()
                rows = await self.bot.store.due.due(now, limit=batch)
                if not rows:
                    if not sending:
                        return handled
                    await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
                    continue
                configs = await self.bot.store.guild_settings.many(sorted({r.guild_id for r in rows}))
                claims = await self._claimable(rows, configs, now)
                token = secrets.token_hex(8)
                won = await self.bot.store.due.claim_many(claims, token, now, LEASE)
                handled += len(rows)
                if not won and len(claims) == len(rows):
                    continue  # another process took them all; the next query won't return them
                for row, _, late in claims:
                    if row.id in won:
                        task = asyncio.create_task(self._guarded(row, configs[row.guild_id], token, late))
                        sending.add(task)
                        task.add_done_callback(sending.discard)
                while len(sending) > batch // 2:  # claim the next batch before this one runs dry
                    await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            for task in sending:  # the bot is closing: stop mid-send, like a crash (claims are reconciled later)
                task.cancel()
            raise
        finally:
            if sending:
                await asyncio.gather(*sending, return_exceptions=True)
            await self._flush()

    async def _claimable(
        self, rows: list[DueRow], configs: dict[int, GuildConfig], now: dt.datetime
    ) -> list[tuple[DueRow, int, bool]]:
        """(row, channel id, late) for the rows to send; the rest are recorded as skipped."""
        claims = []
        for row in rows:
            config = configs.get(row.guild_id)
            if config is None or config.channel_id is None:
                await self.bot.store.due.skip(row, "no announcement channel", now)
            elif (state := await self.state(row, now)) in SKIPPED and not _maybe_sent(row):
                if await self.bot.store.due.skip(row, _missed(row, state), now):
                    self._skipped(row, state)
            else:
                claims.append((row, config.channel_id, state == "late"))
        return claims

    async def state(self, row: DueRow, now: dt.datetime) -> str:
        """:func:`lateness` of ``row`` at ``now``, with its day's end for a late item that says "today"."""
        state = lateness(row.due_at, now, self.grace, LATE_AFTER)
        if state == "late" and self.day_end is not None and says_today(row.kind, row.step):
            state = lateness(row.due_at, now, self.grace, LATE_AFTER, await self.day_end(row))
        return state

    def _skipped(self, row: DueRow, state: str) -> None:
        self.stats["skipped"] += 1
        log.info(
            "due item %s (%s) for guild %s, due %s, not posted: %s",
            row.id,
            row.key,
            row.guild_id,
            row.due_at.isoformat(),
            _missed(row, state),
        )

    async def _guarded(self, row: DueRow, config: GuildConfig, token: str, late: bool) -> None:
        async with self.slots:
            try:
                await self.handle(row, config, token, late)
            except Exception:  # noqa: BLE001 - one bad item never stops the others; its lease lapses, it is retried
                log.exception("could not post due item %s (%s) for guild %s", row.id, row.key, row.guild_id)

    async def handle(self, row: DueRow, config: GuildConfig, token: str, late: bool) -> None:
        """Post one claimed item, or record why not (see the module docstring for the steps)."""
        store = self.bot.store
        if _maybe_sent(row):
            assert row.channel_id is not None
            found = await self.find_posted(row.channel_id, row.id)
            if found is not None:
                await store.due.deliver(row.id, token, found, self.bot.clock.now())
                self.stats["reconciled"] += 1
                log.info("due item %s was already posted as message %s; recorded it", row.id, found)
                return
            now = self.bot.clock.now()
            state = await self.state(row, now)
            if state in SKIPPED:
                # claimed before an outage past the grace window (or past the item's day), and not found in the
                # channel: missed
                if await store.due.skip_claimed(row.id, token, _missed(row, state), now):
                    self._skipped(row, state)
                return
        message = await self.render(row, config, late)
        if message is None:
            await store.due.fail(row.id, token, "gone", self.bot.clock.now())
            return
        await self._send(row, config, token, *message)

    async def _flush(self) -> None:
        """Record the deliveries collected so far (one transaction)."""
        done, self._delivered = self._delivered, []
        if done:
            await self.bot.store.due.deliver_many(done, self.bot.clock.now())

    async def _send(
        self, row: DueRow, config: GuildConfig, token: str, embed: discord.Embed, view: discord.ui.View
    ) -> None:
        store = self.bot.store
        assert config.channel_id is not None
        role = config.role_id
        mentions = (
            discord.AllowedMentions(everyone=False, users=False, replied_user=False, roles=[discord.Object(role)])
            if role
            else discord.AllowedMentions.none()
        )
        nonce = nonce_for(row.guild_id, row.key)
        content = f"<@&{role}>" if role else None
        try:
            await self.pacer.take()
            with handle_message_parameters(
                content=content, embed=embed, view=view, nonce=nonce, allowed_mentions=mentions
            ) as params:
                send = self.bot.http.send_message(config.channel_id, params=params)
                data = await asyncio.wait_for(send, SEND_TIMEOUT)
        except (discord.NotFound, discord.Forbidden) as error:
            reason = _reason(error)
            await store.due.fail(row.id, token, reason, self.bot.clock.now())
            self.stats["failed"] += 1
            log.warning(
                "due item %s for guild %s failed: %s (HTTP %s %s)",
                row.id,
                row.guild_id,
                reason,
                error.status,
                error.code,
            )
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError) as error:
            status = getattr(error, "status", None)
            retry_after = getattr(getattr(error, "response", None), "headers", {}).get("Retry-After")
            wait = _backoff(row.attempts, float(retry_after) if retry_after else None)
            again = self.bot.clock.now() + dt.timedelta(seconds=wait)
            reason = f"HTTP {status}" if status else type(error).__name__
            await store.due.retry(row.id, token, again, reason, maybe_sent=status != 429)
            self.stats["retried"] += 1
            log.info("due item %s for guild %s will be retried in %.0f s (%s)", row.id, row.guild_id, wait, error)
        else:
            self._delivered.append((row.id, token, int(data["id"])))
            self.stats["delivered"] += 1
            if len(self._delivered) >= RECORD_BATCH:
                await self._flush()

    async def find_posted(self, channel_id: int, row_id: int) -> int | None:
        """Our own message for item ``row_id`` among the channel's last :data:`RECONCILE_PAGES` x 100
        messages (GET /channels/{id}/messages, newest first, paged with ``before``), or None. A channel we can
        no longer read counts as "not found" (the send that follows then fails with the reason)."""
        me = str(self.bot.user.id if self.bot.user else self.bot.application_id)
        wanted = f"{MARKER}{row_id}"
        before: int | None = None
        for _ in range(RECONCILE_PAGES):
            try:
                await self.pacer.take()
                page: list[Any] = await self.bot.http.logs_from(channel_id, 100, before=before)  # raw messages
            except discord.HTTPException as error:
                log.info("could not read channel %s to reconcile item %s: %s", channel_id, row_id, error)
                return None
            for message in page:
                if (message.get("author") or {}).get("id") == me and wanted in _custom_ids(message.get("components")):
                    return int(message["id"])
            if len(page) < 100:
                return None
            before = min(int(message["id"]) for message in page)
        return None


def _custom_ids(components: Any) -> set[str]:
    found: set[str] = set()
    for component in components or ():
        if isinstance(component, dict):
            if component.get("custom_id"):
                found.add(component["custom_id"])
            found |= _custom_ids(component.get("components"))
    return found
