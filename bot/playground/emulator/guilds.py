"""REST: guilds, roles, members and scheduled events
(https://discord.com/developers/docs/resources/guild-scheduled-event)."""

from __future__ import annotations

from . import limits
from .base import EmulatorBase
from .errors import MISSING_PERMISSIONS, form_error, unknown
from .limits import FormErrors
from .protocol import (
    CREATE_EVENTS,
    INTENT_GUILD_SCHEDULED_EVENTS,
    MANAGE_EVENTS,
    RestRequest,
    Route,
)
from .state import Guild

# guilds and scheduled events: (method, path regex, handler name, needs the bot token)
GUILD_ROUTES: list[Route] = [
    ("GET", r"/guilds/(?P<gid>\d+)", "_h_guild_get", True),
    ("GET", r"/guilds/(?P<gid>\d+)/channels", "_h_guild_channels", True),
    ("GET", r"/guilds/(?P<gid>\d+)/roles", "_h_guild_roles", True),
    ("GET", r"/guilds/(?P<gid>\d+)/members/(?P<uid>\d+)", "_h_guild_member", True),
    ("GET", r"/guilds/(?P<gid>\d+)/scheduled-events", "_h_ev_list", True),
    ("POST", r"/guilds/(?P<gid>\d+)/scheduled-events", "_h_ev_create", True),
    ("GET", r"/guilds/(?P<gid>\d+)/scheduled-events/(?P<eid>\d+)", "_h_ev_get", True),
    ("PATCH", r"/guilds/(?P<gid>\d+)/scheduled-events/(?P<eid>\d+)", "_h_ev_edit", True),
    ("DELETE", r"/guilds/(?P<gid>\d+)/scheduled-events/(?P<eid>\d+)", "_h_ev_delete", True),
]


class GuildRoutes(EmulatorBase):
    """Guild reads and scheduled events."""

    # ------------------------------------------------------------------ REST: guilds & scheduled events
    def _guild(self, gid: str) -> Guild:
        g = self.guilds.get(int(gid))
        if g is None:
            raise unknown("Guild", 10004)
        return g

    async def _h_guild_get(self, req: RestRequest, gid: str) -> dict:
        return self._guild(gid).to_dict()

    async def _h_guild_channels(self, req: RestRequest, gid: str) -> list:
        return [c.to_dict() for c in self._guild(gid).channels.values() if not c.deleted]

    async def _h_guild_roles(self, req: RestRequest, gid: str) -> list:
        return [r.to_dict() for r in self._guild(gid).roles.values()]

    async def _h_guild_member(self, req: RestRequest, gid: str, uid: str) -> dict:
        m = self._guild(gid).members.get(int(uid))
        if m is None:
            raise unknown("Member", 10007)
        return m.to_dict()

    def _require_events(self, g: Guild) -> None:
        if not self.base_permissions(g, self.bot_member(g)) & (MANAGE_EVENTS | CREATE_EVENTS):
            raise MISSING_PERMISSIONS()

    async def _h_ev_list(self, req: RestRequest, gid: str) -> list:
        return list(self._guild(gid).scheduled_events.values())

    async def _h_ev_get(self, req: RestRequest, gid: str, eid: str) -> dict:
        ev = self._guild(gid).scheduled_events.get(int(eid))
        if ev is None:
            raise unknown("Guild Scheduled Event", 10070)
        return ev

    _EV_FIELDS = (
        "name",
        "description",
        "privacy_level",
        "scheduled_start_time",
        "scheduled_end_time",
        "entity_type",
        "channel_id",
        "entity_metadata",
        "image",
        "recurrence_rule",
        "status",
    )

    async def _h_ev_create(self, req: RestRequest, gid: str) -> dict:
        g = self._guild(gid)
        self._require_events(g)
        p = req.json or {}
        ev = {k: p.get(k) for k in self._EV_FIELDS}
        errs = FormErrors()
        limits.check_scheduled_event(ev, errs, creating=True)
        channel_id = ev.get("channel_id")
        if channel_id and int(channel_id) not in g.channels:
            errs.add(("channel_id",), "CHANNEL_INVALID", "Unknown channel")
        if errs:
            raise form_error(errs)
        eid = self._snowflake()
        ev.update(
            {
                "id": str(eid),
                "guild_id": str(g.id),
                "creator_id": str(self.bot_user.id),
                "creator": self.bot_user.to_dict(),
                "status": 1,
                "entity_id": None,
                "user_count": 0,
                "image": None,
            }
        )
        if ev["entity_metadata"] is None:
            ev["entity_metadata"] = None if ev["entity_type"] != 3 else {}
        g.scheduled_events[eid] = ev
        self._dispatch("GUILD_SCHEDULED_EVENT_CREATE", ev, guild_id=g.id, intent=INTENT_GUILD_SCHEDULED_EVENTS)
        return ev

    async def _h_ev_edit(self, req: RestRequest, gid: str, eid: str) -> dict:
        g = self._guild(gid)
        self._require_events(g)
        ev = g.scheduled_events.get(int(eid))
        if ev is None:
            raise unknown("Guild Scheduled Event", 10070)
        p = req.json or {}
        merged = {**ev, **{k: v for k, v in p.items() if k in self._EV_FIELDS}}
        if merged.get("entity_type") != 3 and "entity_metadata" not in p and p.get("entity_type"):
            merged["entity_metadata"] = None
        errs = FormErrors()
        limits.check_scheduled_event(merged, errs, creating="scheduled_start_time" in p)
        status = p.get("status")
        if status is not None and (ev["status"], status) not in {(1, 2), (1, 4), (2, 3), (ev["status"], ev["status"])}:
            errs.add(("status",), "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION", "Invalid status transition")
        if errs:
            raise form_error(errs)
        ev.clear()
        ev.update(merged)
        self._dispatch("GUILD_SCHEDULED_EVENT_UPDATE", ev, guild_id=g.id, intent=INTENT_GUILD_SCHEDULED_EVENTS)
        return ev

    async def _h_ev_delete(self, req: RestRequest, gid: str, eid: str) -> None:
        g = self._guild(gid)
        self._require_events(g)
        ev = g.scheduled_events.pop(int(eid), None)
        if ev is None:
            raise unknown("Guild Scheduled Event", 10070)
        self._dispatch("GUILD_SCHEDULED_EVENT_DELETE", ev, guild_id=g.id, intent=INTENT_GUILD_SCHEDULED_EVENTS)

    def scheduled_events(self, guild: Guild) -> list[dict]:
        return list(guild.scheduled_events.values())
