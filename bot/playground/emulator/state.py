"""The world model: users, roles, members, channels and guilds as plain dataclasses that serialise to
Discord's JSON objects (https://discord.com/developers/docs/resources/guild)."""

from __future__ import annotations

import dataclasses
from typing import Any

from .protocol import now_iso


@dataclasses.dataclass(eq=False)
class User:
    id: int
    name: str
    bot: bool = False
    locale: str = "en-US"
    global_name: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": str(self.id),
            "username": self.name.lower().replace(" ", "_"),
            "global_name": self.global_name or self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
        }


@dataclasses.dataclass(eq=False)
class Role:
    id: int
    guild: Guild
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    bot_id: int | None = None
    color: int = 0
    mentionable: bool = False

    def to_dict(self) -> dict:
        d = {
            "id": str(self.id),
            "name": self.name,
            "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id:
            d["tags"] = {"bot_id": str(self.bot_id)}
        return d


@dataclasses.dataclass(eq=False)
class Member:
    user: User
    guild: Guild
    roles: list[Role] = dataclasses.field(default_factory=list)
    nick: str | None = None
    joined_at: str = dataclasses.field(default_factory=now_iso)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def locale(self) -> str:
        return self.user.locale

    def to_dict(self, *, with_user: bool = True) -> dict:
        d: dict[str, Any] = {
            "roles": [str(r.id) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            d["user"] = self.user.to_dict()
        return d


@dataclasses.dataclass(eq=False)
class Channel:
    id: int
    guild: Guild
    name: str
    type: int = 0
    position: int = 0
    topic: str | None = None
    parent_id: int | None = None
    # target id -> [type (0 role, 1 member), allow, deny]
    overwrites: dict[int, list[int]] = dataclasses.field(default_factory=dict)
    deleted: bool = False
    message_ids: list[int] = dataclasses.field(default_factory=list)  # every message, in order

    def to_dict(self) -> dict:
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "position": self.position,
            "topic": self.topic,
            "nsfw": False,
            "last_message_id": str(self.message_ids[-1]) if self.message_ids else None,
            "rate_limit_per_user": 0,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "flags": 0,
            "permission_overwrites": [
                {"id": str(t), "type": v[0], "allow": str(v[1]), "deny": str(v[2])} for t, v in self.overwrites.items()
            ],
            **({"bitrate": 64000, "user_limit": 0, "rtc_region": None} if self.type in (2, 13) else {}),
        }


@dataclasses.dataclass(eq=False)
class Guild:
    id: int
    name: str
    locale: str = "en-US"
    owner_id: int = 0
    channels: dict[int, Channel] = dataclasses.field(default_factory=dict)
    roles: dict[int, Role] = dataclasses.field(default_factory=dict)
    members: dict[int, Member] = dataclasses.field(default_factory=dict)
    scheduled_events: dict[int, dict] = dataclasses.field(default_factory=dict)
    bot_role: Role | None = None
    admin_role: Role | None = None

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def to_dict(self) -> dict:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "icon_hash": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "widget_enabled": False,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.to_dict() for r in self.roles.values()],
            "emojis": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "max_presences": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.locale,
            "public_updates_channel_id": None,
            "max_video_channel_users": 25,
            "nsfw_level": 0,
            "stickers": [],
            "premium_progress_bar_enabled": False,
            "safety_alerts_channel_id": None,
            "incidents_data": None,
        }
