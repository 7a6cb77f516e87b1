"""REST: application commands, global and per guild (bulk overwrite, create, edit, delete), checked
against Discord's limits (https://discord.com/developers/docs/interactions/application-commands)."""

from __future__ import annotations

from . import command_limits
from .base import EmulatorBase
from .errors import MISSING_ACCESS, ApiError, form_error, unknown
from .limits import FormErrors
from .protocol import RestRequest, Route, copy_tree
from .state import Guild

# application commands, global and per guild: (method, path regex, handler name, needs the bot token)
COMMAND_ROUTES: list[Route] = [
    ("GET", r"/applications/(?P<app>\d+)/commands", "_h_cmd_list", True),
    ("PUT", r"/applications/(?P<app>\d+)/commands", "_h_cmd_bulk", True),
    ("POST", r"/applications/(?P<app>\d+)/commands", "_h_cmd_create", True),
    ("GET", r"/applications/(?P<app>\d+)/commands/(?P<cid>\d+)", "_h_cmd_get", True),
    ("PATCH", r"/applications/(?P<app>\d+)/commands/(?P<cid>\d+)", "_h_cmd_edit", True),
    ("DELETE", r"/applications/(?P<app>\d+)/commands/(?P<cid>\d+)", "_h_cmd_delete", True),
    ("GET", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands", "_h_cmd_list", True),
    ("PUT", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands", "_h_cmd_bulk", True),
    ("POST", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands", "_h_cmd_create", True),
    ("GET", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands/(?P<cid>\d+)", "_h_cmd_get", True),
    ("PATCH", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands/(?P<cid>\d+)", "_h_cmd_edit", True),
    ("DELETE", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands/(?P<cid>\d+)", "_h_cmd_delete", True),
]


class CommandRoutes(EmulatorBase):
    """Application command storage and its REST routes."""

    # ------------------------------------------------------------------ REST: commands
    def _cmd_store(self, app: str, gid: str | None) -> dict[int, dict]:
        if int(app) != self.application_id:
            raise ApiError(403, {"message": "Missing Access", "code": 50001})
        if gid is None:
            return self._global_commands
        if int(gid) not in self.guilds:
            raise MISSING_ACCESS()
        return self._guild_commands.setdefault(int(gid), {})

    def _materialize_cmd(self, payload: dict, gid: str | None, existing: dict | None) -> dict:
        cmd = copy_tree(payload)
        cmd.setdefault("type", 1)
        cmd.setdefault("description", "" if cmd["type"] != 1 else cmd.get("description"))
        cmd.setdefault("options", []) if cmd["type"] == 1 else None
        cmd.setdefault("name_localizations", None)
        cmd.setdefault("description_localizations", None)
        cmd.setdefault("default_member_permissions", None)
        cmd.setdefault("nsfw", False)
        if gid is None:
            cmd.setdefault("integration_types", [0])
            cmd.setdefault("contexts", None)
            cmd.setdefault("dm_permission", True)
        else:
            cmd["guild_id"] = str(gid)
        cmd["id"] = existing["id"] if existing else str(self._snowflake())
        cmd["application_id"] = str(self.application_id)
        cmd["version"] = str(self._snowflake())
        return cmd

    async def _h_cmd_list(self, req: RestRequest, app: str, gid: str | None = None) -> list:
        return list(self._cmd_store(app, gid).values())

    async def _h_cmd_bulk(self, req: RestRequest, app: str, gid: str | None = None) -> list:
        store = self._cmd_store(app, gid)
        errs = FormErrors()
        command_limits.check_commands_bulk(req.json, errs)
        if errs:
            raise form_error(errs)
        by_key = {(c.get("type", 1), c["name"]): c for c in store.values()}
        new = [self._materialize_cmd(c, gid, by_key.get((c.get("type", 1), c["name"]))) for c in req.json]
        store.clear()
        store.update({int(c["id"]): c for c in new})
        return new

    async def _h_cmd_create(self, req: RestRequest, app: str, gid: str | None = None) -> tuple[int, dict]:
        store = self._cmd_store(app, gid)
        errs = FormErrors()
        command_limits.check_command(req.json, errs)
        if errs:
            raise form_error(errs)
        existing = next(
            (
                c
                for c in store.values()
                if c["name"] == req.json["name"] and c.get("type", 1) == req.json.get("type", 1)
            ),
            None,
        )
        cmd = self._materialize_cmd(req.json, gid, existing)
        store[int(cmd["id"])] = cmd
        return (200 if existing else 201), cmd

    async def _h_cmd_get(self, req: RestRequest, app: str, cid: str, gid: str | None = None) -> dict:
        cmd = self._cmd_store(app, gid).get(int(cid))
        if cmd is None:
            raise unknown("application command", 10063)
        return cmd

    async def _h_cmd_edit(self, req: RestRequest, app: str, cid: str, gid: str | None = None) -> dict:
        store = self._cmd_store(app, gid)
        cmd = store.get(int(cid))
        if cmd is None:
            raise unknown("application command", 10063)
        merged = {**cmd, **(req.json or {})}
        errs = FormErrors()
        command_limits.check_command(merged, errs)
        if errs:
            raise form_error(errs)
        store[int(cid)] = self._materialize_cmd(merged, gid, cmd)
        return store[int(cid)]

    async def _h_cmd_delete(self, req: RestRequest, app: str, cid: str, gid: str | None = None) -> None:
        if self._cmd_store(app, gid).pop(int(cid), None) is None:
            raise unknown("application command", 10063)

    def registered_commands(self, guild: Guild | None = None) -> list[dict]:
        if guild is None:
            return list(self._global_commands.values())
        return list(self._guild_commands.get(guild.id, {}).values())
