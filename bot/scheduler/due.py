"""Due-time logic for announcements: pure functions, no Discord and no SQL.

Inputs are dated targets (a pack's show or a server's own event: a local calendar date, an optional local
time and the IANA zone they are in), yearly dates (a release, a tour's first show and finale), a server's
:class:`Plan` (milestones, zone, post time, anniversaries on or off) and ``now`` (aware, UTC). The output is
a list of :class:`DueItem`: a key unique within the server, the UTC instant it is due, and what to post.

The rules (issue 11):

* ``0`` posts when a timed target starts; for a date-only target, on its day at the server's post time.
* ``Nd`` / ``Nw`` post on the calendar day N days (weeks) before the target's local date, at the server's
  post time in the server's zone. Wall-clock arithmetic through :mod:`zoneinfo`, so a daylight-saving
  change between now and the target moves nothing by an hour.
* ``Nh`` / ``Nm`` post exactly that long before a timed target's start (elapsed time, UTC arithmetic).
  A date-only target has no start time, so hour and minute steps do not apply to it.
* Anniversaries: once a year on the date (29 February falls on the 28th in common years) at the server's
  post time, from the first anniversary on.
* A local time that does not exist (a daylight-saving gap) is refused for a target (:class:`LocalTimeGap`
  says which hour is skipped). For the server's daily post time, a day on which it falls in a gap posts at
  the moment the clocks jump (:func:`gap_days` lets /config warn about it up front).
* A local time that happens twice (clocks go back) means its first occurrence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo, available_timezones

from bot.content.dates import anniversary


@functools.cache
def server_zones() -> tuple[str, ...]:
    """The IANA zones a server may choose for its posts, sorted: every ``Area/Location`` name of the tz
    database ("Asia/Seoul"), without the fixed offsets of ``Etc/`` (Etc/GMT+5 ignores daylight saving and
    reads backwards) and the obsolete ``SystemV/``; "UTC" is added by whoever offers it. Read once per
    process: walking the tz database takes tens of milliseconds, and discord.py runs a cog module afresh
    each time the bot loads it."""
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))))


UTC = dt.timezone.utc

DEFAULT_MILESTONES = "30d,7d,1d,0"
MAX_STEPS = 10
MAX_STEP = dt.timedelta(days=366)
UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
_TOKEN = re.compile(r"^(\d{1,4})\s*([a-z]*)$")


class MilestoneError(ValueError):
    """A milestone list that can't be read: ``token`` is the part at fault (as typed), ``reason`` one of
    ``empty`` (nothing given), ``unit`` (not d/w/h/m), ``number`` (not a whole number), ``too_far`` (over a
    year), ``too_many`` (over :data:`MAX_STEPS`)."""

    def __init__(self, token: str, reason: str) -> None:
        super().__init__(f"{reason}: {token!r}")
        self.token = token
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class Step:
    """One countdown step: ``amount`` of ``unit`` (``d`` days, ``h`` hours, ``m`` minutes) before a target.

    Weeks are stored as days (``2w`` is ``14d``); ``0`` is ``Step(0, "d")``.
    """

    amount: int
    unit: str

    @property
    def text(self) -> str:
        return "0" if self.amount == 0 else f"{self.amount}{self.unit}"

    @property
    def delta(self) -> dt.timedelta:
        return dt.timedelta(**{UNITS[self.unit]: self.amount})

    @property
    def by_day(self) -> bool:
        """Day steps post at the server's post time; hour and minute steps count elapsed time."""
        return self.unit == "d"


def parse_milestones(text: str) -> tuple[Step, ...]:
    """Read ``"30d, 7d, 1d, 3h, 0"`` (commas or spaces; ``w``, ``d``, ``h``, ``m``; ``0`` = when it starts).

    Returns the steps furthest first, without repeats. Raises :class:`MilestoneError` for the first part
    that can't be read (``45x``: unit), for none at all, over :data:`MAX_STEPS`, or a step over a year.
    """
    tokens = [t for t in re.split(r"[,\s]+", text.strip().lower()) if t]
    if not tokens:
        raise MilestoneError(text, "empty")
    steps: set[Step] = set()
    for token in tokens:
        found = _TOKEN.match(token)
        if found is None:
            raise MilestoneError(token, "number" if not token[:1].isdigit() else "unit")
        amount, unit = int(found.group(1)), found.group(2)
        if unit in ("", "0") and amount == 0:
            steps.add(Step(0, "d"))
            continue
        if unit not in UNITS:
            raise MilestoneError(token, "unit")
        step = Step(amount * 7, "d") if unit == "w" else Step(amount, unit)
        if step.delta > MAX_STEP:
            raise MilestoneError(token, "too_far")
        steps.add(Step(0, "d") if amount == 0 else step)
    if len(steps) > MAX_STEPS:
        raise MilestoneError(text, "too_many")
    # furthest first; a day step and an hour step of the same length (5d, 120h) are different steps (one posts
    # at the post time, one counts hours) and both stay, in a fixed order
    return tuple(sorted(steps, key=lambda s: (s.delta, s.by_day), reverse=True))


def format_milestones(steps: Iterable[Step]) -> str:
    """The canonical text of a milestone list (what /config show prints and the database stores)."""
    return ",".join(step.text for step in steps)


@dataclasses.dataclass(frozen=True)
class Plan:
    """A server's announcement settings: its IANA zone, daily post time (local), steps, anniversaries."""

    zone: str
    post_time: dt.time
    milestones: tuple[Step, ...]
    anniversaries: bool = True


@dataclasses.dataclass(frozen=True)
class Target:
    """Something to count down to: ``ref`` (``show:<id>`` or ``event:<n>``), local date, time, zone."""

    ref: str
    day: dt.date
    time: dt.time | None
    zone: str


@dataclasses.dataclass(frozen=True)
class Yearly:
    """A date to remember every year: ``ref`` (``song:<id>``/``show:<id>``), the date, and ``kind``
    (``release``, ``first`` or ``finale``)."""

    ref: str
    day: dt.date
    kind: str


@dataclasses.dataclass(frozen=True)
class DueItem:
    """One announcement: ``key`` (unique per server), ``due_at`` (aware UTC), ``kind`` (``countdown`` or
    ``anniversary``), ``ref`` (what it is about) and ``step`` (a milestone's text, or the years)."""

    key: str
    due_at: dt.datetime
    kind: str
    ref: str
    step: str


class LocalTimeGap(ValueError):
    """``time`` does not exist on ``day`` in ``zone``: the clocks jump from ``skipped_from`` to
    ``skipped_to`` (local wall times) at that moment."""

    def __init__(self, day: dt.date, time: dt.time, zone: str, skipped_from: dt.time, skipped_to: dt.time) -> None:
        super().__init__(f"{time:%H:%M} does not exist on {day} in {zone}")
        self.day, self.time, self.zone = day, time, zone
        self.skipped_from, self.skipped_to = skipped_from, skipped_to


def _transition(lo: dt.datetime, hi: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant (to the second) in (lo, hi] where ``zone``'s offset changes."""
    before = lo.astimezone(zone).utcoffset()
    while (hi - lo) > dt.timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(zone).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return hi.replace(microsecond=0)


def resolve_local(day: dt.date, time: dt.time, zone: str) -> dt.datetime:
    """The UTC instant of a local date and time in an IANA zone.

    A time that happens twice (clocks go back) is its first occurrence. Raises :class:`LocalTimeGap` for a
    time the clocks skip, and ``zoneinfo.ZoneInfoNotFoundError`` for an unknown zone.
    """
    tz = ZoneInfo(zone)
    local = dt.datetime.combine(day, time, tzinfo=tz)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    early = local.replace(fold=1).astimezone(UTC)  # read with the offset after the jump: the earlier instant
    jump = _transition(min(early, instant), max(early, instant), tz)
    skipped_to = jump.astimezone(tz).time()
    skipped_from = (jump - dt.timedelta(seconds=1)).astimezone(tz) + dt.timedelta(seconds=1)
    raise LocalTimeGap(day, time, zone, skipped_from.time(), skipped_to)


def post_instant(day: dt.date, plan: Plan) -> dt.datetime:
    """When the server posts on ``day``: its post time in its zone (UTC). On a day where the post time
    falls in a daylight-saving gap, the moment the clocks jump (the first local time after the gap)."""
    try:
        return resolve_local(day, plan.post_time, plan.zone)
    except LocalTimeGap as gap:
        return resolve_local(day, gap.skipped_to, plan.zone)


def gap_days(post_time: dt.time, zone: str, year: int) -> list[dt.date]:
    """The days of ``year`` on which ``post_time`` does not exist in ``zone`` (at most a few; often none)."""
    tz = ZoneInfo(zone)
    days, day = [], dt.date(year, 1, 1)
    # Offsets change only on a handful of days: find them by comparing consecutive noons.
    while day.year == year:
        nxt = day + dt.timedelta(days=1)
        a = dt.datetime.combine(day, dt.time(0), tzinfo=tz).utcoffset()
        b = dt.datetime.combine(nxt, dt.time(0), tzinfo=tz).utcoffset()
        if a != b:
            for candidate in (day, nxt):
                try:
                    resolve_local(candidate, post_time, zone)
                except LocalTimeGap:
                    if candidate.year == year and candidate not in days:
                        days.append(candidate)
        day = nxt
    return days


def target_start(target: Target) -> dt.datetime | None:
    """A timed target's start (UTC); None for a date-only one."""
    return resolve_local(target.day, target.time, target.zone) if target.time is not None else None


def step_due(target: Target, step: Step, plan: Plan) -> dt.datetime | None:
    """When ``step`` of ``target`` is due for a server with ``plan`` (UTC), or None when it doesn't apply
    (an hour step of a date-only target; a day step that would fall after a timed target has started)."""
    start = target_start(target)
    if step.amount == 0:
        return start if start is not None else post_instant(target.day, plan)
    if not step.by_day:
        return start - step.delta if start is not None else None
    due = post_instant(target.day - step.delta, plan)
    return None if start is not None and due >= start else due


def countdown_items(target: Target, plan: Plan, lo: dt.datetime, hi: dt.datetime) -> list[DueItem]:
    """The countdown items of one target due in the window ``lo < due_at <= hi`` (UTC)."""
    out = []
    for step in plan.milestones:
        due = step_due(target, step, plan)
        if due is not None and lo < due <= hi:
            out.append(DueItem(f"{target.ref}:{step.text}", due, "countdown", target.ref, step.text))
    return out


def anniversary_items(yearly: Yearly, plan: Plan, lo: dt.datetime, hi: dt.datetime) -> list[DueItem]:
    """The anniversaries of one date due in ``lo < due_at <= hi`` (UTC), from the first anniversary on."""
    out = []
    first_year = lo.astimezone(ZoneInfo(plan.zone)).year - 1
    for year in range(max(first_year, yearly.day.year + 1), hi.astimezone(ZoneInfo(plan.zone)).year + 2):
        due = post_instant(anniversary(yearly.day, year), plan)
        if lo < due <= hi:
            years = year - yearly.day.year
            out.append(DueItem(f"anniv:{yearly.ref}:{yearly.kind}:{year}", due, "anniversary", yearly.ref, str(years)))
    return out


def plan_items(
    targets: Sequence[Target],
    yearlies: Sequence[Yearly],
    plan: Plan,
    now: dt.datetime,
    *,
    grace: dt.timedelta,
    horizon: dt.timedelta,
) -> list[DueItem]:
    """Every item due in ``(now - grace, now + horizon]``, soonest first (ties by key).

    Targets whose local time falls in a gap are left out (they were refused when typed; a pack's shows are
    checked by ``bot check``). Anniversaries only when ``plan.anniversaries``.
    """
    lo, hi = now - grace, now + horizon
    items: list[DueItem] = []
    for target in targets:
        try:
            items.extend(countdown_items(target, plan, lo, hi))
        except LocalTimeGap:
            continue
    if plan.anniversaries:
        for yearly in yearlies:
            items.extend(anniversary_items(yearly, plan, lo, hi))
    items.sort(key=lambda item: (item.due_at, item.key))
    return items


def says_today(kind: str, step: str) -> bool:
    """Whether an item's post is only true on its own day: an anniversary ("… years ago today") and a target's
    ``0`` step ("🎤 Today: …", or "Starting now" for a timed one). Other countdown steps ("3 days to go")
    stay true enough when posted late, with the line saying when they were due."""
    return kind == "anniversary" or step == "0"


def lateness(
    due_at: dt.datetime,
    now: dt.datetime,
    grace: dt.timedelta,
    late_after: dt.timedelta,
    day_ends: dt.datetime | None = None,
) -> str:
    """How a due item stands at ``now``: ``on_time`` (due, and less than ``late_after`` ago), ``late``
    (missed, but within ``grace``: post it and say so) or ``missed`` (older: record it as skipped, never post
    a burst of stale announcements after an outage). Issue 11, "Outages".

    ``day_ends`` (UTC) is given for an item that :func:`says_today`: the end of its day, the next local
    midnight in the event's own IANA zone (:func:`bot.content.model.local_day_end`, 23 or 25 hours after the
    day began on a daylight-saving change day). A late item whose day has ended is ``day_over``: posted, it
    would call a day that is over "today", so it is recorded as skipped too. An on-time post is never held
    back (a server west of the event posts its "today" on its own calendar day, possibly after the event's
    day ended where it happens)."""
    overdue = now - due_at
    if overdue > grace:
        return "missed"
    if overdue <= late_after:
        return "on_time"
    return "day_over" if day_ends is not None and now >= day_ends else "late"
