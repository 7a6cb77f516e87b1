"""Scheduler records: a server's settings, its own events, and its due items (no Discord, no SQL)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.content.model import local_day_end
from bot.scheduler.due import DEFAULT_MILESTONES, Plan, Target, parse_milestones

LANGUAGES = ("en", "ko")
DEFAULT_ZONE = "UTC"
DEFAULT_POST_TIME = "10:00"


@dataclasses.dataclass(frozen=True)
class GuildConfig:
    """A server's announcement settings; a server nobody configured has these defaults and no channel."""

    guild_id: int
    channel_id: int | None = None
    role_id: int | None = None
    milestones: str = DEFAULT_MILESTONES
    zone: str = DEFAULT_ZONE
    post_time: str = DEFAULT_POST_TIME  # local HH:MM in `zone`
    language: str = "en"
    anniversaries: bool = True

    @property
    def plan(self) -> Plan:
        return Plan(
            self.zone, dt.time.fromisoformat(self.post_time), parse_milestones(self.milestones), self.anniversaries
        )


@dataclasses.dataclass(frozen=True)
class ServerEvent:
    """A server's own date: ``day`` and optional ``time`` are local to ``zone``; ``starts_at`` is UTC (the
    local day's start when there is no time)."""

    id: int
    guild_id: int
    name: str
    day: dt.date
    time: dt.time | None
    zone: str
    starts_at: dt.datetime
    city: str | None = None
    venue: str | None = None

    @property
    def ref(self) -> str:
        return f"event:{self.id}"

    def is_over(self, now: dt.datetime) -> bool:
        """Whether the event is past at ``now`` (UTC): a timed one once it has started, a date-only one once
        its own local day has ended in its zone (:func:`bot.content.model.local_day_end`, the rule shows
        follow too: 23 or 25 hours on a daylight-saving change day)."""
        if self.time is not None:
            return now > self.starts_at
        return now >= local_day_end(self.day, self.zone)

    @property
    def target(self) -> Target:
        return Target(self.ref, self.day, self.time, self.zone)


@dataclasses.dataclass(frozen=True)
class DueRow:
    """A due item as stored: see bot/db/migrations/004-scheduler.sql for the columns' meaning."""

    id: int
    guild_id: int
    key: str
    kind: str
    ref: str
    step: str
    due_at: dt.datetime
    next_at: dt.datetime
    status: str
    claim_token: str | None = None
    claimed_at: dt.datetime | None = None
    attempts: int = 0
    channel_id: int | None = None
    message_id: int | None = None
    done_at: dt.datetime | None = None
    late: bool = False
    error: str | None = None

    @property
    def retried(self) -> bool:
        """An earlier attempt was answered and handed back (a 429, a 5xx, a lost connection: ``error`` holds
        it) or failed until a moderator fixed the channel (no error, no claim left): the bot was online and
        trying. A claim a crash left behind (a token, no error) is not: that process was down."""
        return self.attempts > 0 and (self.error is not None or self.claim_token is None)
