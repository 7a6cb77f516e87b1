"""/event: a server's own dates (a show the pack lacks, a comeback, a watch party), for moderators.

Same permission rule as /config (visible to Manage Server, checked again on the server side). Dates are
local to a zone (the server's by default); a time the clocks skip is refused with the skipped hour, a date
already over is refused, and a server has at most 100 upcoming dates. Names are stored as typed (control
characters dropped) and always shown escaped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import Interaction, _, clamp_page, dynamic_view, pager_buttons
from bot.cogs.config import parse_hhmm, parse_zone, require_manager, zone_choices
from bot.content.model import local_day_end
from bot.db.schedule import EVENT_LIMIT, LimitReached
from bot.errors import UserError
from bot.i18n import lang_of, t
from bot.render import announcements
from bot.render.common import day_text, stamp
from bot.render.limits import CHOICES, choice_name, clean, echo
from bot.replies import GuardedButton, send_ephemeral
from bot.scheduler.due import LocalTimeGap, resolve_local
from bot.scheduler.model import ServerEvent

if TYPE_CHECKING:
    from bot.app import Lightstick

NAME_MAX = 100
CLEAR = "-"  # typed into an optional field of /event edit, removes it: Discord can't send an empty option


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError("event.bad_date", query=echo(text)) from None


def event_start(day: dt.date, time: dt.time | None, zone: str) -> dt.datetime:
    """The UTC start of a local date and time; raises UserError for a time the clocks skip. A date-only
    event starts when its day does: where the clocks skip midnight (America/Santiago), at the jump."""
    try:
        return resolve_local(day, time or dt.time(0), zone)
    except LocalTimeGap as gap:
        if time is None:
            return resolve_local(day, gap.skipped_to, zone)
        raise UserError(
            "event.gap",
            time=f"{gap.time:%H:%M}",
            day=day.isoformat(),
            zone=zone,
            skipped_from=f"{gap.skipped_from:%H:%M}",
            skipped_to=f"{gap.skipped_to:%H:%M}",
        ) from None


def check_future(day: dt.date, time: dt.time | None, zone: str, start: dt.datetime, now: dt.datetime) -> None:
    """Raise UserError ``event.past`` for a date already over: a timed one that has started, a date-only one
    whose own local day has ended (:func:`bot.content.model.local_day_end`, as /event list and /countdown)."""
    over = start <= now if time is not None else now >= local_day_end(day, zone)
    if over:
        raise UserError("event.past", zone=zone)


def when(event: ServerEvent, lang: str) -> str:
    if event.time is None:
        return day_text(event.day, lang)
    return f"{stamp(event.starts_at, 'F')} ({stamp(event.starts_at, 'R')})"


def clean_text(text: str | None) -> str | None:
    cleaned = clean(text or "")[:NAME_MAX]
    return cleaned or None


def optional_text(text: str | None, current: str | None = None) -> str | None:
    """An optional text option (city, venue): not given keeps ``current``, :data:`CLEAR` removes it."""
    if text is None:
        return current
    return None if text.strip() == CLEAR else clean_text(text)


def optional_time(text: str | None, current: dt.time | None = None) -> dt.time | None:
    """The optional start time: not given keeps ``current``, :data:`CLEAR` makes the event date-only,
    anything else must be ``HH:MM`` (UserError ``event.bad_time``)."""
    if text is None:
        return current
    return None if text.strip() == CLEAR else parse_hhmm(text, "event.bad_time")


def place(event: ServerEvent) -> str:
    """The place shown after a date, " · city · venue" (escaped), or "" when it has neither."""
    return "".join(f" · {echo(part)}" for part in (event.city, event.venue) if part)


async def event_list_message(interaction: Interaction, page: int) -> dict[str, Any]:
    """Page ``page`` (0-based; the nearest existing one if the list has shrunk) of the server's upcoming dates,
    every one of them, with its pager, as keyword arguments for edit_message (``view`` None for one page)."""
    bot, lang = interaction.client, lang_of(interaction)
    assert interaction.guild_id is not None
    events = await bot.store.server_events.upcoming(interaction.guild_id, bot.clock.now(), limit=None)
    pages = announcements.events_pages([f"**{echo(e.name)}** · {when(e, lang)}{place(e)}" for e in events], lang)
    page = clamp_page(page, len(pages))
    if len(pages) <= 1:
        return {"embed": pages[page], "view": None}
    buttons = pager_buttons("ls:events", page, len(pages), lang)
    return {"embed": pages[page], "view": dynamic_view(*(EventsPager(b) for b in buttons))}


class EventsPager(GuardedButton, template=r"ls:events:(?P<page>\d{1,3})(?::[fnl])?"):
    """A button of /event list's pager: its custom id holds the page it leads to, so it works after a restart.
    Checks Manage Server again: a click is not covered by the command's visibility."""

    async def run(self, interaction: Interaction) -> None:
        await require_manager(interaction)
        message = await event_list_message(interaction, int(self.fields()["page"]))
        await interaction.response.edit_message(**message)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class EventGroup(app_commands.Group, name=_("event"), description=_("This server's own dates (Manage Server)")):
    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await require_manager(interaction)

    async def _confirm(self, interaction: Interaction, key: str, event: ServerEvent) -> None:
        bot, lang = interaction.client, lang_of(interaction)
        await bot.scheduler.recompute(event.guild_id)
        lines = [t(lang, key, name=echo(event.name), when=when(event, lang) + place(event))]
        config = await bot.store.guild_settings.get(event.guild_id)
        if config.channel_id is None:
            lines.append(t(lang, "event.no_channel"))
        else:
            rows = [r for r in await bot.store.due.upcoming(event.guild_id, 200) if r.ref == event.ref]
            lines.append(
                t(lang, "event.next", when=f"{stamp(rows[0].due_at, 'f')} ({stamp(rows[0].due_at, 'R')})")
                if rows
                else t(lang, "event.none_scheduled")
            )
        await send_ephemeral(interaction, "\n".join(lines))

    async def _event(self, interaction: Interaction, value: str) -> ServerEvent:
        bot = interaction.client
        assert interaction.guild_id is not None
        event = await bot.store.server_events.get(interaction.guild_id, int(value)) if value.isdigit() else None
        if event is None:
            found = await bot.store.server_events.search(interaction.guild_id, value, 2)
            exact = [e for e in found if e.name.casefold() == value.strip().casefold()]
            event = exact[0] if len(exact) == 1 else None
        if event is None:
            raise UserError("event.not_found", query=echo(value))
        return event

    @app_commands.command(name=_("add"), description=_("Add a date: a show the pack lacks, a comeback, a watch party"))
    @app_commands.describe(
        name=_("What it is"),
        date=_("The local date, YYYY-MM-DD"),
        time=_("The local start time, HH:MM (leave empty if unknown)"),
        timezone=_("The date's time zone (default: the server's)"),
        city=_("Where it happens"),
        venue=_("The venue"),
    )
    async def add(
        self,
        interaction: Interaction,
        name: app_commands.Range[str, 1, NAME_MAX],
        date: app_commands.Range[str, 1, 20],
        time: app_commands.Range[str, 1, 10] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        city: app_commands.Range[str, 1, NAME_MAX] | None = None,
        venue: app_commands.Range[str, 1, NAME_MAX] | None = None,
    ) -> None:
        bot = interaction.client
        assert interaction.guild_id is not None
        title = clean_text(name)
        if title is None:
            raise UserError("event.empty_name")
        zone = parse_zone(timezone) if timezone else (await bot.store.guild_settings.get(interaction.guild_id)).zone
        day = parse_date(date)
        clock = optional_time(time)
        start = event_start(day, clock, zone)
        now = bot.clock.now()
        check_future(day, clock, zone, start, now)
        try:
            event = await bot.store.server_events.add(
                interaction.guild_id,
                title,
                day,
                clock,
                zone,
                start,
                optional_text(city),
                optional_text(venue),
                interaction.user.id,
                now,
            )
        except LimitReached:
            raise UserError("event.limit", limit=EVENT_LIMIT) from None
        await self._confirm(interaction, "event.added", event)

    @app_commands.command(
        name=_("edit"), description=_("Change one of this server's dates; - clears its time, city or venue")
    )
    @app_commands.describe(
        event=_("The date to change"),
        name=_("What it is"),
        date=_("The local date, YYYY-MM-DD"),
        time=_("The local start time, HH:MM; - makes it date-only"),
        timezone=_("The date's time zone (default: the server's)"),
        city=_("Where it happens; - clears it"),
        venue=_("The venue; - clears it"),
    )
    async def edit(
        self,
        interaction: Interaction,
        event: app_commands.Range[str, 1, 100],
        name: app_commands.Range[str, 1, NAME_MAX] | None = None,
        date: app_commands.Range[str, 1, 20] | None = None,
        time: app_commands.Range[str, 1, 10] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        city: app_commands.Range[str, 1, NAME_MAX] | None = None,
        venue: app_commands.Range[str, 1, NAME_MAX] | None = None,
    ) -> None:
        bot = interaction.client
        found = await self._event(interaction, event)
        zone = parse_zone(timezone) if timezone else found.zone
        day = parse_date(date) if date else found.day
        clock = optional_time(time, found.time)
        start = event_start(day, clock, zone)
        now = bot.clock.now()
        check_future(day, clock, zone, start, now)
        title = clean_text(name) if name else found.name
        changed = dataclasses.replace(
            found,
            name=title or found.name,
            day=day,
            time=clock,
            zone=zone,
            starts_at=start,
            city=optional_text(city, found.city),
            venue=optional_text(venue, found.venue),
        )
        await bot.store.server_events.edit(changed, now)
        await self._confirm(interaction, "event.edited", changed)

    @app_commands.command(
        name=_("remove"), description=_("Remove one of this server's dates and cancel its announcements")
    )
    @app_commands.describe(event=_("The date to remove"))
    async def remove(self, interaction: Interaction, event: app_commands.Range[str, 1, 100]) -> None:
        bot = interaction.client
        found = await self._event(interaction, event)
        cancelled = await bot.store.server_events.remove(found.guild_id, found.id, bot.clock.now())
        await bot.scheduler.recompute(found.guild_id)
        await send_ephemeral(
            interaction, t(lang_of(interaction), "event.removed", name=echo(found.name), count=cancelled)
        )

    @app_commands.command(name=_("list"), description=_("This server's dates, soonest first"))
    async def list_(self, interaction: Interaction) -> None:
        message = await event_list_message(interaction, 0)
        await interaction.response.send_message(
            embed=message["embed"], view=message["view"] or discord.utils.MISSING, ephemeral=True
        )

    @edit.autocomplete("event")
    @remove.autocomplete("event")
    async def _event_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        bot = interaction.client
        if interaction.guild_id is None:
            return []
        events = await bot.store.server_events.search(interaction.guild_id, current, CHOICES)
        return [
            app_commands.Choice(name=choice_name(f"{e.name} · {e.day.isoformat()}"), value=str(e.id)) for e in events
        ]

    @add.autocomplete("timezone")
    @edit.autocomplete("timezone")
    async def _zone_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return zone_choices(current)


class ServerEvents(commands.Cog):
    """Registers /event and its list's pager; removes them when unloaded."""

    def __init__(self, bot: Lightstick) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.tree.add_command(EventGroup())
        self.bot.add_dynamic_items(EventsPager)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command("event")
        self.bot.remove_dynamic_items(EventsPager)


async def setup(bot: Lightstick) -> None:
    await bot.add_cog(ServerEvents(bot))
