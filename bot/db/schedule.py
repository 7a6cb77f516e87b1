"""Community repositories for announcements: server settings, server events and due items.

Reads use the store's read connection; every write goes through ``store.write()`` (one transaction).
The claim is one conditional UPDATE whose WHERE decides who owns an item, so it stays correct when
several bot processes share the database (issue 11, "Exactly once").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.scheduler.due import DueItem
from bot.scheduler.model import DueRow, GuildConfig, ServerEvent

if TYPE_CHECKING:
    from bot.db.store import Store

UTC = dt.timezone.utc
EVENT_LIMIT = 100  # upcoming events per server (issue 11)
# Events that started this long ago may still be upcoming: a date-only one lasts until its local day ends, at
# most 25 hours after it began (a day the clocks go back); the rest is margin. Which are is ServerEvent.is_over.
_SINCE = 2 * 86400
OPEN = ("pending", "claimed")


class LimitReached(Exception):
    """The server already has :data:`EVENT_LIMIT` upcoming events."""


def _ts(instant: dt.datetime) -> int:
    return int(instant.timestamp())


def _at(seconds: int | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(seconds, UTC) if seconds is not None else None


def _config(r: sqlite3.Row) -> GuildConfig:
    return GuildConfig(
        guild_id=r["guild_id"],
        channel_id=r["announce_channel_id"],
        role_id=r["ping_role_id"],
        milestones=r["milestones"],
        zone=r["zone"],
        post_time=r["post_time"],
        language=r["language"],
        anniversaries=bool(r["anniversaries"]),
    )


def _event(r: sqlite3.Row) -> ServerEvent:
    return ServerEvent(
        id=r["id"],
        guild_id=r["guild_id"],
        name=r["name"],
        day=dt.date.fromisoformat(r["day"]),
        time=dt.time.fromisoformat(r["time"]) if r["time"] else None,
        zone=r["zone"],
        starts_at=dt.datetime.fromtimestamp(r["starts_at"], UTC),
        city=r["city"],
        venue=r["venue"],
    )


def _row(r: sqlite3.Row) -> DueRow:
    return DueRow(
        id=r["id"],
        guild_id=r["guild_id"],
        key=r["item_key"],
        kind=r["kind"],
        ref=r["ref"],
        step=r["step"],
        due_at=dt.datetime.fromtimestamp(r["due_at"], UTC),
        next_at=dt.datetime.fromtimestamp(r["next_at"], UTC),
        status=r["status"],
        claim_token=r["claim_token"],
        claimed_at=_at(r["claimed_at"]),
        attempts=r["attempts"],
        channel_id=r["channel_id"],
        message_id=r["message_id"],
        done_at=_at(r["done_at"]),
        late=bool(r["late"]),
        error=r["error"],
    )


class _Community:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def _all(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        return list(await self.store.conn.execute_fetchall(sql, params))


class GuildSettings(_Community):
    ZONES_KEPT = 10_000  # servers whose zone is kept in memory for /onthisday (every write goes through update)

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self._zones: dict[int, str | None] = {}

    async def get(self, guild_id: int) -> GuildConfig:
        """The server's settings, or the defaults (no channel) when it was never configured."""
        rows = await self._all("SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return _config(rows[0]) if rows else GuildConfig(guild_id)

    async def update(self, guild_id: int, now: dt.datetime, **changes: Any) -> GuildConfig:
        """Change some settings (field names of :class:`GuildConfig`), creating the row if needed; read and
        written in one transaction. Raises TypeError for an unknown setting."""
        async with self.store.write() as tx:
            row = await tx.fetchone("SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,))
            config = dataclasses.replace(_config(row) if row else GuildConfig(guild_id), **changes)
            await tx.execute(
                "INSERT INTO guild_settings (guild_id, announce_channel_id, ping_role_id, milestones, zone, post_time, "
                "language, anniversaries, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(guild_id) DO UPDATE "
                "SET announce_channel_id = excluded.announce_channel_id, ping_role_id = excluded.ping_role_id, "
                "milestones = excluded.milestones, zone = excluded.zone, post_time = excluded.post_time, "
                "language = excluded.language, anniversaries = excluded.anniversaries, updated_at = excluded.updated_at",
                (
                    guild_id,
                    config.channel_id,
                    config.role_id,
                    config.milestones,
                    config.zone,
                    config.post_time,
                    config.language,
                    int(config.anniversaries),
                    _ts(now),
                ),
            )
        self._zones.pop(guild_id, None)  # committed: the next zone_of reads it again
        return config

    async def zone_of(self, guild_id: int) -> str | None:
        """The zone a server's moderators chose (the "today" of its /onthisday), or None if it has no settings."""
        if guild_id in self._zones:  # read once per server, then kept in step by update()
            return self._zones[guild_id]
        rows = await self._all("SELECT zone FROM guild_settings WHERE guild_id = ?", (guild_id,))
        zone = str(rows[0][0]) if rows and rows[0][0] is not None else None
        if len(self._zones) >= self.ZONES_KEPT:
            self._zones.clear()
        self._zones[guild_id] = zone
        return zone

    async def configured(self) -> list[GuildConfig]:
        """Every server with an announcement channel, by guild id."""
        rows = await self._all("SELECT * FROM guild_settings WHERE announce_channel_id IS NOT NULL ORDER BY guild_id")
        return [_config(r) for r in rows]

    async def many(self, guild_ids: Sequence[int]) -> dict[int, GuildConfig]:
        """Settings of many servers in one query, by guild id (servers never configured are left out)."""
        rows = await self._all(
            "SELECT * FROM guild_settings WHERE guild_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(guild_ids)),),
        )
        return {r["guild_id"]: _config(r) for r in rows}


class ServerEvents(_Community):
    async def all(self, guild_id: int) -> list[ServerEvent]:
        """The server's events, soonest first (then by id)."""
        rows = await self._all("SELECT * FROM server_events WHERE guild_id = ? ORDER BY starts_at, id", (guild_id,))
        return [_event(r) for r in rows]

    async def upcoming(self, guild_id: int, now: dt.datetime, limit: int | None = 25) -> list[ServerEvent]:
        """Events that are not over at ``now`` (:meth:`ServerEvent.is_over`: a date-only event counts until its
        own local day ends, 23 or 25 hours on a daylight-saving change day), soonest first; at most ``limit``
        (None: every one)."""
        rows = await self._all(
            "SELECT * FROM server_events WHERE guild_id = ? AND starts_at >= ? ORDER BY starts_at, id",
            (guild_id, _ts(now) - _SINCE),
        )
        return [event for event in map(_event, rows) if not event.is_over(now)][:limit]

    async def get(self, guild_id: int, event_id: int) -> ServerEvent | None:
        rows = await self._all("SELECT * FROM server_events WHERE guild_id = ? AND id = ?", (guild_id, event_id))
        return _event(rows[0]) if rows else None

    async def search(self, guild_id: int, text: str, limit: int = 25) -> list[ServerEvent]:
        """Autocomplete: the server's events whose name contains ``text`` (case-insensitive), soonest first."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await self._all(
            "SELECT * FROM server_events WHERE guild_id = ? AND name LIKE ? ESCAPE '\\' ORDER BY starts_at, id LIMIT ?",
            (guild_id, pattern, limit),
        )
        return [_event(r) for r in rows]

    async def add(
        self,
        guild_id: int,
        name: str,
        day: dt.date,
        time: dt.time | None,
        zone: str,
        starts_at: dt.datetime,
        city: str | None,
        venue: str | None,
        by: int,
        now: dt.datetime,
    ) -> ServerEvent:
        """Store a new event. Raises :class:`LimitReached` when the server has :data:`EVENT_LIMIT` upcoming
        events (counted in the same transaction, so two moderators at once can't both pass the limit)."""
        async with self.store.write() as tx:
            rows = await tx.fetchall(
                "SELECT * FROM server_events WHERE guild_id = ? AND starts_at >= ?", (guild_id, _ts(now) - _SINCE)
            )
            if sum(not _event(r).is_over(now) for r in rows) >= EVENT_LIMIT:
                raise LimitReached()
            await tx.execute(
                "INSERT INTO server_events (guild_id, name, day, time, zone, city, venue, starts_at, created_by, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    guild_id,
                    name,
                    day.isoformat(),
                    time.strftime("%H:%M") if time else None,
                    zone,
                    city,
                    venue,
                    _ts(starts_at),
                    by,
                    _ts(now),
                ),
            )
            event_id = tx.lastrowid
        event = await self.get(guild_id, int(event_id or 0))
        assert event is not None
        return event

    async def edit(self, event: ServerEvent, now: dt.datetime) -> None:
        """Save an edited event (every field but ids)."""
        async with self.store.write() as tx:
            await tx.execute(
                "UPDATE server_events SET name = ?, day = ?, time = ?, zone = ?, city = ?, venue = ?, starts_at = ?, "
                "updated_at = ? WHERE guild_id = ? AND id = ?",
                (
                    event.name,
                    event.day.isoformat(),
                    event.time.strftime("%H:%M") if event.time else None,
                    event.zone,
                    event.city,
                    event.venue,
                    _ts(event.starts_at),
                    _ts(now),
                    event.guild_id,
                    event.id,
                ),
            )

    async def remove(self, guild_id: int, event_id: int, now: dt.datetime) -> int:
        """Delete an event and cancel its pending announcements (delivered ones stay on record), in one
        transaction. Returns how many announcements were cancelled."""
        async with self.store.write() as tx:
            await tx.execute("DELETE FROM server_events WHERE guild_id = ? AND id = ?", (guild_id, event_id))
            return await tx.execute(
                "UPDATE due_items SET status = 'cancelled', done_at = ?, error = 'event removed' "
                "WHERE guild_id = ? AND ref = ? AND status = 'pending'",
                (_ts(now), guild_id, f"event:{event_id}"),
            )


class DueItems(_Community):
    """The due-item table: the scheduler's whole state (nothing lives only in a task's memory)."""

    async def sync(
        self,
        guild_id: int,
        items: Sequence[DueItem],
        now: dt.datetime,
        grace: dt.timedelta,
        *,
        retry_failed: bool = False,
    ) -> dict[str, int]:
        """Make the server's open items match ``items`` (what its settings and dates call for now), in one
        transaction, and return counts by what happened (added, moved, cancelled, skipped, retried).

        * a new key is added only if it is still to come (an item never pending at its due time isn't "missed");
        * a pending item whose time changed moves; moved into the past it is skipped (never posted out of step);
        * a pending item no longer called for is cancelled, unless it is already older than the grace window
          (the scheduler records those as missed);
        * delivered, failed, skipped and claimed items are never touched, so nothing is posted twice; a
          cancelled item called for again comes back, and with ``retry_failed`` (a setting was fixed) so
          does a failed one still within the grace window.
        """
        counts = dict.fromkeys(("added", "moved", "cancelled", "skipped", "retried"), 0)
        wanted = {item.key: item for item in items}
        async with self.store.write() as tx:
            rows = await tx.fetchall(
                "SELECT id, item_key, due_at, status FROM due_items WHERE guild_id = ? AND status IN "
                "('pending', 'cancelled', 'failed')",
                (guild_id,),
            )
            known = {r["item_key"]: r for r in rows}
            existing = await tx.fetchall("SELECT item_key FROM due_items WHERE guild_id = ?", (guild_id,))
            present = {r[0] for r in existing}
            fresh = [
                (guild_id, i.key, i.kind, i.ref, i.step, _ts(i.due_at), _ts(i.due_at))
                for key, i in wanted.items()
                if key not in present and i.due_at > now
            ]
            if fresh:
                await tx.executemany(
                    "INSERT INTO due_items (guild_id, item_key, kind, ref, step, due_at, next_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(guild_id, item_key) DO NOTHING",
                    fresh,
                )
                counts["added"] = len(fresh)
            for key, r in known.items():
                outcome = await self._update(tx, r, wanted.get(key), now, grace, retry_failed)
                if outcome:
                    counts[outcome] += 1
        return counts

    async def _update(
        self, tx: Any, r: sqlite3.Row, item: DueItem | None, now: dt.datetime, grace: dt.timedelta, retry_failed: bool
    ) -> str | None:
        """One known item against what is called for now (see :meth:`sync`); returns what happened, if anything."""
        stamp = _ts(now)
        if r["status"] == "pending":
            if item is None:
                if r["due_at"] > stamp - grace.total_seconds():
                    await self._close(tx, r["id"], "cancelled", "no longer scheduled", stamp)
                    return "cancelled"
                return None  # already missed: the scheduler records it as skipped
            if _ts(item.due_at) == r["due_at"]:
                return None
            if item.due_at <= now:
                await self._close(tx, r["id"], "skipped", "rescheduled into the past", stamp)
                return "skipped"
            await tx.execute(
                "UPDATE due_items SET due_at = ?, next_at = ?, step = ? WHERE id = ? AND status = 'pending'",
                (_ts(item.due_at), _ts(item.due_at), item.step, r["id"]),
            )
            return "moved"
        comes_back = item is not None and (
            (r["status"] == "cancelled" and item.due_at > now)
            or (r["status"] == "failed" and retry_failed and item.due_at > now - grace)
        )
        if not comes_back or item is None:
            return None
        await tx.execute(
            "UPDATE due_items SET status = 'pending', due_at = ?, next_at = ?, error = NULL, done_at = NULL, "
            "claim_token = NULL WHERE id = ? AND status = ?",
            (_ts(item.due_at), max(_ts(item.due_at), stamp), r["id"], r["status"]),
        )
        return "retried" if r["status"] == "failed" else "added"

    @staticmethod
    async def _close(tx: Any, row_id: int, status: str, reason: str | None, stamp: int) -> None:
        await tx.execute(
            "UPDATE due_items SET status = ?, error = ?, done_at = ? WHERE id = ?", (status, reason, stamp, row_id)
        )

    async def due(self, now: dt.datetime, limit: int = 500) -> list[DueRow]:
        """Open items the scheduler should act on at ``now`` (pending and due, or claimed with a lapsed
        lease), in the order they fell due."""
        rows = await self._all(
            "SELECT * FROM due_items WHERE status IN ('pending', 'claimed') AND next_at <= ? "
            "ORDER BY next_at, id LIMIT ?",
            (_ts(now), limit),
        )
        return [_row(r) for r in rows]

    async def next_at(self) -> dt.datetime | None:
        """When the scheduler next has something to do (UTC), or None when nothing is open."""
        rows = await self._all("SELECT min(next_at) FROM due_items WHERE status IN ('pending', 'claimed')")
        return _at(rows[0][0]) if rows and rows[0][0] is not None else None

    async def claim_many(
        self, claims: Sequence[tuple[DueRow, int, bool]], token: str, now: dt.datetime, lease: dt.timedelta
    ) -> set[int]:
        """Take items for sending, (row, channel id, late) each, in one transaction (a fan-out claims a batch
        at once instead of paying a transaction per post). Each item is its own conditional UPDATE: it must
        still be exactly as read (pending, or claimed under the same lapsed lease), so of several processes
        only one wins it. Returns the ids this caller now owns."""
        won: set[int] = set()
        async with self.store.write() as tx:
            for row, channel_id, late in claims:
                changed = await tx.execute(
                    "UPDATE due_items SET status = 'claimed', claim_token = ?, claimed_at = ?, next_at = ?, "
                    "attempts = attempts + 1, channel_id = ?, late = ? "
                    "WHERE id = ? AND status IN ('pending', 'claimed') AND next_at <= ? AND claim_token IS ?",
                    (token, _ts(now), _ts(now + lease), channel_id, int(late), row.id, _ts(now), row.claim_token),
                )
                if changed == 1:
                    won.add(row.id)
        return won

    async def deliver_many(self, delivered: Sequence[tuple[int, str, int]], now: dt.datetime) -> None:
        """Record many deliveries, (item id, claim token, message id) each, in one transaction (claims lost
        meanwhile are left alone)."""
        async with self.store.write() as tx:
            await tx.executemany(
                "UPDATE due_items SET status = 'delivered', message_id = ?, error = NULL, done_at = ? "
                "WHERE id = ? AND status = 'claimed' AND claim_token = ?",
                [(message_id, _ts(now), row_id, token) for row_id, token, message_id in delivered],
            )

    async def deliver(self, row_id: int, token: str, message_id: int, now: dt.datetime) -> bool:
        """Record the message that carries the item. False if the claim was lost meanwhile."""
        return await self._finish(row_id, token, "delivered", now, message_id=message_id)

    async def fail(self, row_id: int, token: str, reason: str, now: dt.datetime) -> bool:
        """Record a failure that retrying will not fix (a deleted channel, a missing permission)."""
        return await self._finish(row_id, token, "failed", now, error=reason)

    async def skip_claimed(self, row_id: int, token: str, reason: str, now: dt.datetime) -> bool:
        """Record a claimed item as skipped (missed, and the channel shows no earlier post of it)."""
        return await self._finish(row_id, token, "skipped", now, error=reason)

    async def _finish(
        self,
        row_id: int,
        token: str,
        status: str,
        now: dt.datetime,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> bool:
        async with self.store.write() as tx:
            changed = await tx.execute(
                "UPDATE due_items SET status = ?, message_id = ?, error = ?, done_at = ? "
                "WHERE id = ? AND status = 'claimed' AND claim_token = ?",
                (status, message_id, error, _ts(now), row_id, token),
            )
        return changed == 1

    async def retry(self, row_id: int, token: str, at: dt.datetime, reason: str, *, maybe_sent: bool = True) -> bool:
        """Hand a claimed item back for another try at ``at`` (a 429 or 5xx). It keeps its nonce; when the
        message may already exist (``maybe_sent``: a 5xx or a lost connection, not a 429) it also keeps its
        claim token, so the next attempt first looks for the message."""
        async with self.store.write() as tx:
            changed = await tx.execute(
                "UPDATE due_items SET status = 'pending', next_at = ?, error = ?, "
                "claim_token = CASE WHEN ? THEN claim_token END "
                "WHERE id = ? AND status = 'claimed' AND claim_token = ?",
                (_ts(at), reason, int(maybe_sent), row_id, token),
            )
        return changed == 1

    async def skip(self, row: DueRow, reason: str, now: dt.datetime) -> bool:
        """Record an open item as skipped (missed past the grace window; no channel any more)."""
        async with self.store.write() as tx:
            changed = await tx.execute(
                "UPDATE due_items SET status = 'skipped', error = ?, done_at = ? WHERE id = ? "
                "AND status IN ('pending', 'claimed') AND claim_token IS ? AND next_at <= ?",
                (reason, _ts(now), row.id, row.claim_token, _ts(now)),
            )
        return changed == 1

    async def upcoming(self, guild_id: int, limit: int = 5) -> list[DueRow]:
        """The server's next open items, soonest first."""
        rows = await self._all(
            "SELECT * FROM due_items WHERE guild_id = ? AND status IN ('pending', 'claimed') "
            "ORDER BY due_at, id LIMIT ?",
            (guild_id, limit),
        )
        return [_row(r) for r in rows]

    async def problems(self, guild_id: int, limit: int = 3) -> list[DueRow]:
        """Failures since the server's last delivery, newest first: what /config show reports."""
        rows = await self._all(
            "SELECT * FROM due_items WHERE guild_id = ? AND status = 'failed' AND done_at >= coalesce("
            "(SELECT max(done_at) FROM due_items WHERE guild_id = ?1 AND status = 'delivered'), 0) "
            "ORDER BY done_at DESC, id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [_row(r) for r in rows]

    async def missed(self, guild_id: int, since: dt.datetime, limit: int = 3) -> list[DueRow]:
        """Posts never made since ``since`` (UTC), newest first (by due time, then id): items skipped because
        the bot was down, or Discord didn't take them, past the grace window or past the day they said "today"
        about (their reason starts "missed:"). What /config show lists under "Missed posts"."""
        rows = await self._all(
            "SELECT * FROM due_items WHERE guild_id = ? AND status = 'skipped' AND error LIKE 'missed:%' "
            "AND done_at >= ? ORDER BY due_at DESC, id DESC LIMIT ?",
            (guild_id, _ts(since), limit),
        )
        return [_row(r) for r in rows]

    async def history(self, guild_id: int) -> list[DueRow]:
        """Every item of a server, by due time then id (tests and /config show's counts)."""
        rows = await self._all("SELECT * FROM due_items WHERE guild_id = ? ORDER BY due_at, id", (guild_id,))
        return [_row(r) for r in rows]
