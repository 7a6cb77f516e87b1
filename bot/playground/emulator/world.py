"""World building (guilds, channels, roles, members, overwrites) and Discord's permission arithmetic
(https://discord.com/developers/docs/topics/permissions#permission-overwrites)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .base import EmulatorBase
from .protocol import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    INTENT_GUILD_MEMBERS,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    perm_value,
)
from .state import Channel, Guild, Member, Role, User


class WorldState(EmulatorBase):
    """Build the world a test stands in; changes made while running are dispatched like Discord does.

    Ids are fresh snowflakes, or with the emulator's ``world_seed`` derived from the names (a guild from
    its name, a channel or role from its guild and name, a user from its name), the same in every run.
    """

    # ------------------------------------------------------------------ world building
    def add_guild(
        self, name: str, *, locale: str = "en-US", bot_permissions: Any = None, everyone_permissions: Any = None
    ) -> Guild:
        gid = self._world_id("guild", name)
        g = Guild(gid, name, locale=locale, owner_id=self.app_owner.id)
        g.roles[gid] = Role(
            gid,
            g,
            "@everyone",
            perm_value(everyone_permissions) if everyone_permissions is not None else DEFAULT_EVERYONE_PERMISSIONS,
            position=0,
        )
        g.bot_role = Role(
            self._world_id("bot role", gid),
            g,
            self.bot_user.name,
            DEFAULT_BOT_PERMISSIONS if bot_permissions is None else perm_value(bot_permissions),
            position=1,
            managed=True,
            bot_id=self.bot_user.id,
        )
        g.roles[g.bot_role.id] = g.bot_role
        g.members[self.bot_user.id] = Member(self.bot_user, g, [g.bot_role])
        self.guilds[gid] = g
        if self._runner:
            self._dispatch("GUILD_CREATE", self._guild_create_payload(g), guild_id=gid)
        return g

    def add_channel(
        self,
        guild: Guild,
        name: str,
        *,
        bot_can_send: bool = True,
        bot_can_view: bool = True,
        type: int = 0,
        topic: str | None = None,
    ) -> Channel:
        ch = Channel(
            self._world_id("channel", guild.id, name), guild, name, type=type, position=len(guild.channels), topic=topic
        )
        deny = (0 if bot_can_send else SEND_MESSAGES) | (0 if bot_can_view else VIEW_CHANNEL)
        if deny:
            ch.overwrites[self.bot_user.id] = [1, 0, deny]
        guild.channels[ch.id] = ch
        self._channels[ch.id] = ch
        if self._runner:
            self._dispatch("CHANNEL_CREATE", ch.to_dict(), guild_id=guild.id)
        return ch

    def add_role(
        self, guild: Guild, name: str, *, permissions: Any = 0, color: int = 0, mentionable: bool = False
    ) -> Role:
        r = Role(
            self._world_id("role", guild.id, name),
            guild,
            name,
            perm_value(permissions),
            position=len(guild.roles),
            color=color,
            mentionable=mentionable,
        )
        guild.roles[r.id] = r
        if self._runner:
            self._dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": r.to_dict()}, guild_id=guild.id)
        return r

    def add_member(
        self,
        guild: Guild,
        name: str,
        *,
        roles: Iterable[Role] = (),
        administrator: bool = False,
        locale: str = "en-US",
        owner: bool = False,
        user: User | None = None,
        nick: str | None = None,
    ) -> Member:
        if user is None:
            user = User(self._world_id("user", name), name, locale=locale)
            self.users[user.id] = user
        role_list = list(roles)
        if administrator:
            if guild.admin_role is None:
                guild.admin_role = self.add_role(guild, "Admin", permissions=ADMINISTRATOR)
            role_list.append(guild.admin_role)
        m = Member(user, guild, role_list, nick=nick)
        guild.members[user.id] = m
        if owner:
            guild.owner_id = user.id
        if self._runner:
            self._dispatch(
                "GUILD_MEMBER_ADD",
                {**m.to_dict(), "guild_id": str(guild.id)},
                guild_id=guild.id,
                intent=INTENT_GUILD_MEMBERS,
            )
        return m

    def set_overwrite(
        self, channel: Channel, target: Role | Member | User | int, *, allow: Any = 0, deny: Any = 0
    ) -> None:
        tid = target if isinstance(target, int) else target.id
        kind = 0 if isinstance(target, Role) or tid in channel.guild.roles else 1
        channel.overwrites[tid] = [kind, perm_value(allow), perm_value(deny)]
        if self._runner:
            self._dispatch("CHANNEL_UPDATE", channel.to_dict(), guild_id=channel.guild.id)

    def set_role_permissions(self, role: Role, permissions: Any) -> None:
        role.permissions = perm_value(permissions)
        if self._runner:
            self._dispatch(
                "GUILD_ROLE_UPDATE", {"guild_id": str(role.guild.id), "role": role.to_dict()}, guild_id=role.guild.id
            )

    def delete_channel(self, channel: Channel) -> None:
        channel.deleted = True
        channel.guild.channels.pop(channel.id, None)
        if self._runner:
            self._dispatch("CHANNEL_DELETE", channel.to_dict(), guild_id=channel.guild.id)

    # ------------------------------------------------------------------ permissions
    def base_permissions(self, guild: Guild, member: Member) -> int:
        if member.id == guild.owner_id:
            return ALL_PERMISSIONS
        p = guild.everyone.permissions
        for r in member.roles:
            p |= r.permissions
        return ALL_PERMISSIONS if p & ADMINISTRATOR else p

    def channel_permissions(self, channel: Channel, member: Member) -> int:
        base = self.base_permissions(channel.guild, member)
        if base == ALL_PERMISSIONS:
            return base
        ow = channel.overwrites
        e = ow.get(channel.guild.id)
        if e:
            base = (base & ~e[2]) | e[1]
        allow = deny = 0
        for r in member.roles:
            o = ow.get(r.id)
            if o:
                allow |= o[1]
                deny |= o[2]
        base = (base & ~deny) | allow
        m = ow.get(member.id)
        if m:
            base = (base & ~m[2]) | m[1]
        return base if base & VIEW_CHANNEL else 0

    def bot_member(self, guild: Guild) -> Member:
        return guild.members[self.bot_user.id]
