"""Messages: the one store every route writes through (create, edit, delete, with their dispatches),
and the channel REST routes."""

from __future__ import annotations

import contextlib
import itertools
import re
import time
from typing import Any

from . import limits
from .base import EmulatorBase
from .errors import MISSING_ACCESS, MISSING_PERMISSIONS, ApiError, form_error, unknown
from .interactions import InteractionRecord
from .limits import FLAG_COMPONENTS_V2, FLAG_EPHEMERAL, FLAG_LOADING, FormErrors
from .protocol import (
    APPLICATION_COMMAND,
    INTENT_GUILD_MESSAGES,
    MANAGE_MESSAGES,
    READ_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    RestRequest,
    Route,
    copy_tree,
    now_iso,
)
from .state import Channel, Member, User
from .text import walk_components

# channels and their messages: (method, path regex, handler name, needs the bot token)
MESSAGE_ROUTES: list[Route] = [
    ("GET", r"/channels/(?P<cid>\d+)", "_h_channel_get", True),
    ("GET", r"/channels/(?P<cid>\d+)/messages", "_h_msg_list", True),
    ("POST", r"/channels/(?P<cid>\d+)/messages", "_h_msg_create", True),
    ("GET", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", "_h_msg_get", True),
    ("PATCH", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", "_h_msg_edit", True),
    ("DELETE", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", "_h_msg_delete", True),
    ("POST", r"/channels/(?P<cid>\d+)/typing", "_h_typing", True),
]


class MessageRoutes(EmulatorBase):
    """Channel messages: created by the bot, by interactions, or typed by users."""

    # ------------------------------------------------------------------ messages (shared)
    def _normalize_components(self, comps: Any) -> list:
        """``comps`` from a request body the emulator just parsed (it owns them): numbered in place, not copied."""
        comps = comps or []
        counter = itertools.count(1)
        for c in walk_components(comps):
            c.setdefault("id", next(counter))
        return comps

    def _normalize_embeds(self, embeds: Any) -> list:
        """``embeds`` from a request body the emulator just parsed (it owns them): completed in place."""
        out = []
        for e in embeds or []:
            e.setdefault("type", "rich")
            e.setdefault("content_scan_version", 0)
            out.append(e)
        return out

    def _attachments(self, files: list[dict], payload: dict) -> list[dict]:
        meta = {str(a.get("id")): a for a in payload.get("attachments") or []}
        out = []
        for i, f in enumerate(files):
            aid = self._snowflake()
            m = re.match(r"files\[(\d+)\]", f["name"] or "")
            desc = meta.get(m.group(1) if m else str(i), {}).get("description")
            out.append(
                {
                    "id": str(aid),
                    "filename": f["filename"],
                    "size": f["size"],
                    "description": desc,
                    "content_type": f["content_type"],
                    "url": f"{self.api_base}/attachments/{aid}/{f['filename']}",
                    "proxy_url": f"{self.api_base}/attachments/{aid}/{f['filename']}",
                }
            )
        return out

    def _new_message(
        self,
        channel: Channel,
        author: User,
        payload: dict,
        files: list[dict],
        *,
        source: str,
        msg_type: int = 0,
        flags: int = 0,
        rec: InteractionRecord | None = None,
    ) -> dict:
        mid = self._snowflake()
        f = (payload.get("flags") or 0) | flags
        msg = {
            "id": str(mid),
            "channel_id": str(channel.id),
            "guild_id": str(channel.guild.id),
            "author": author.to_dict(),
            "content": payload.get("content") or "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": bool(payload.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(files, payload),
            "embeds": self._normalize_embeds(payload.get("embeds")),
            "components": self._normalize_components(payload.get("components")),
            "pinned": False,
            "type": msg_type,
            "flags": f,
        }
        if payload.get("nonce") is not None:
            msg["nonce"] = payload["nonce"]
        if payload.get("message_reference"):
            self._add_reference(msg, channel, payload["message_reference"])
        if rec is not None:
            self._add_interaction_metadata(msg, channel, rec)
        self._messages[mid] = msg
        self._msg_meta[mid] = {
            "source": source,
            "channel": channel,
            "created": time.monotonic(),
            "author_id": author.id,
        }
        if not f & FLAG_EPHEMERAL:
            channel.message_ids.append(mid)
            self._dispatch(
                "MESSAGE_CREATE",
                {**msg, "member": self.bot_member(channel.guild).to_dict(with_user=False)}
                if author.id == self.bot_user.id
                else msg,
                guild_id=channel.guild.id,
                intent=INTENT_GUILD_MESSAGES,
            )
        if self._msg_changed:
            self._msg_changed.fire()
        return msg

    def _add_reference(self, msg: dict, channel: Channel, ref: dict) -> None:
        """A reply: the message_reference Discord echoes, and type 19 (REPLY) when the target exists."""
        msg["message_reference"] = {
            "type": 0,
            "channel_id": str(channel.id),
            "guild_id": str(channel.guild.id),
            "message_id": str(ref.get("message_id")),
        }
        ref_msg = self._messages.get(int(ref.get("message_id") or 0))
        msg["referenced_message"] = copy_tree(ref_msg) if ref_msg else None
        if ref_msg:
            msg["type"] = 19

    def _add_interaction_metadata(self, msg: dict, channel: Channel, rec: InteractionRecord) -> None:
        """What Discord attaches to an interaction's response: webhook id, interaction_metadata (and the
        deprecated ``interaction`` object for slash commands)."""
        msg["webhook_id"] = str(self.application_id)
        msg["application_id"] = str(self.application_id)
        meta = {
            "id": str(rec.id),
            "type": rec.type,
            "user": rec.member.user.to_dict(),
            "authorizing_integration_owners": {"0": str(channel.guild.id)},
        }
        if rec.type == APPLICATION_COMMAND:
            meta["name"] = rec.payload["data"]["name"]
            msg["interaction"] = {
                "id": str(rec.id),
                "type": rec.type,
                "name": rec.payload["data"]["name"],
                "user": rec.member.user.to_dict(),
            }
        elif rec.source_message_id:
            meta["interacted_message_id"] = str(rec.source_message_id)
        msg["interaction_metadata"] = meta

    def _edit_message(self, msg: dict, payload: dict, files: list[dict]) -> dict:
        if "content" in payload:
            msg["content"] = payload["content"] or ""
        if "embeds" in payload:
            msg["embeds"] = self._normalize_embeds(payload["embeds"])
        if "components" in payload:
            msg["components"] = self._normalize_components(payload["components"])
        if "flags" in payload and payload["flags"] is not None:
            keep = msg["flags"] & FLAG_EPHEMERAL
            msg["flags"] = (payload["flags"] & ((1 << 2) | FLAG_COMPONENTS_V2)) | keep
        if "attachments" in payload or files:
            keep_ids = {str(a.get("id")) for a in payload.get("attachments") or []}
            kept = (
                [a for a in msg["attachments"] if a["id"] in keep_ids]
                if "attachments" in payload
                else msg["attachments"]
            )
            msg["attachments"] = kept + self._attachments(files, payload)
        msg["flags"] &= ~FLAG_LOADING
        msg["edited_timestamp"] = now_iso()
        if not msg["flags"] & FLAG_EPHEMERAL:
            self._dispatch("MESSAGE_UPDATE", msg, guild_id=int(msg["guild_id"]), intent=INTENT_GUILD_MESSAGES)
        if self._msg_changed:
            self._msg_changed.fire()
        return msg

    def _delete_message(self, mid: int) -> None:
        msg = self._messages.pop(mid, None)
        meta = self._msg_meta.pop(mid, None)
        if msg is None:
            return
        if meta:
            with contextlib.suppress(ValueError):
                meta["channel"].message_ids.remove(mid)
        if not msg["flags"] & FLAG_EPHEMERAL:
            self._dispatch(
                "MESSAGE_DELETE",
                {"id": str(mid), "channel_id": msg["channel_id"], "guild_id": msg["guild_id"]},
                guild_id=int(msg["guild_id"]),
                intent=INTENT_GUILD_MESSAGES,
            )
        if self._msg_changed:
            self._msg_changed.fire()

    def _check_message(self, payload: Any, files: list[dict], *, creating: bool) -> None:
        errs = FormErrors()
        limits.check_message(payload, errs, creating=creating, has_files=bool(files))
        if errs:
            raise form_error(errs)

    # ------------------------------------------------------------------ REST: channels
    def _channel(self, cid: str) -> Channel:
        ch = self._channels.get(int(cid))
        if ch is None or ch.deleted:
            raise unknown("Channel", 10003)
        return ch

    def _require(self, ch: Channel, perms: int) -> None:
        have = self.channel_permissions(ch, self.bot_member(ch.guild))
        if not have & VIEW_CHANNEL:
            raise MISSING_ACCESS()
        if have & perms != perms:
            raise MISSING_PERMISSIONS()

    async def _h_channel_get(self, req: RestRequest, cid: str) -> dict:
        ch = self._channel(cid)
        self._require(ch, VIEW_CHANNEL)
        return ch.to_dict()

    async def _h_typing(self, req: RestRequest, cid: str) -> None:
        self._require(self._channel(cid), SEND_MESSAGES)

    async def _h_msg_create(self, req: RestRequest, cid: str) -> dict:
        ch = self._channel(cid)
        self._require(ch, SEND_MESSAGES)
        payload = req.json or {}
        self._check_message(payload, req.files, creating=True)
        nonce = payload.get("nonce")
        key = None
        if nonce is not None:
            key = (ch.id, self.bot_user.id, str(nonce))
            if payload.get("enforce_nonce"):
                hit = self._nonces.get(key)
                if hit and time.monotonic() - hit[1] <= self.nonce_window:
                    if hit[0] in self._messages:
                        return self._messages[hit[0]]
                    # Discord: same nonce as a message explicitly deleted shortly before
                    raise unknown("Message", 10008)
        if payload.get("message_reference"):
            ref = payload["message_reference"]
            if int(ref.get("message_id") or 0) not in self._messages and ref.get("fail_if_not_exists", True):
                errs = FormErrors()
                errs.add(("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
                raise form_error(errs)
        msg = self._new_message(ch, self.bot_user, payload, req.files, source="channel")
        if key is not None:
            self._nonces[key] = (int(msg["id"]), time.monotonic())
        return msg

    def _channel_message(self, ch: Channel, mid: str) -> dict:
        msg = self._messages.get(int(mid))
        if msg is None or msg["channel_id"] != str(ch.id) or msg["flags"] & FLAG_EPHEMERAL:
            raise unknown("Message", 10008)
        return msg

    async def _h_msg_get(self, req: RestRequest, cid: str, mid: str) -> dict:
        ch = self._channel(cid)
        self._require(ch, READ_HISTORY)
        return self._channel_message(ch, mid)

    async def _h_msg_list(self, req: RestRequest, cid: str) -> list:
        ch = self._channel(cid)
        self._require(ch, READ_HISTORY)
        lim = max(1, min(100, int(req.query.get("limit", 50))))
        ids = list(ch.message_ids)
        if "before" in req.query:
            ids = [i for i in ids if i < int(req.query["before"])]
        if "after" in req.query:
            ids = [i for i in ids if i > int(req.query["after"])][:lim]
        ids = sorted(ids, reverse=True)[:lim]
        return [self._messages[i] for i in ids if i in self._messages]

    async def _h_msg_edit(self, req: RestRequest, cid: str, mid: str) -> dict:
        ch = self._channel(cid)
        self._require(ch, VIEW_CHANNEL)
        msg = self._channel_message(ch, mid)
        if msg["author"]["id"] != str(self.bot_user.id):
            raise ApiError(403, {"message": "Cannot edit a message authored by another user", "code": 50005})
        self._check_message(req.json or {}, req.files, creating=False)
        return self._edit_message(msg, req.json or {}, req.files)

    async def _h_msg_delete(self, req: RestRequest, cid: str, mid: str) -> None:
        ch = self._channel(cid)
        msg = self._channel_message(ch, mid)
        if msg["author"]["id"] != str(self.bot_user.id):
            self._require(ch, MANAGE_MESSAGES)
        self._delete_message(int(mid))

    def message(self, message_id: int | str) -> dict | None:
        """The current state of a message by id (edits applied), or None once deleted."""
        return self._messages.get(int(message_id))

    def messages_in(self, channel: Channel) -> list[dict]:
        """Every message a member sees in ``channel`` (bot posts, interaction replies, people's), oldest first."""
        return [self._messages[i] for i in channel.message_ids if i in self._messages]

    def channel_messages(self, channel: Channel) -> list[dict]:
        """Messages the bot posted with POST /channels/{id}/messages (not interaction responses), oldest first."""
        return [
            self._messages[i]
            for i in channel.message_ids
            if i in self._messages and self._msg_meta.get(i, {}).get("source") == "channel"
        ]

    async def wait_for_channel_message(self, channel: Channel, count: int = 1, timeout: float = 5.0) -> list[dict]:
        ok = await self._msg_changed.wait_for(lambda: len(self.channel_messages(channel)) >= count, timeout)
        if not ok:
            raise TimeoutError(f"fewer than {count} messages in #{channel.name}")
        return self.channel_messages(channel)

    def post_user_message(self, channel: Channel, member: Member, content: str) -> dict:
        """A user types a message in a channel (dispatches MESSAGE_CREATE)."""
        msg = self._new_message(channel, member.user, {"content": content}, [], source="user")
        return msg
