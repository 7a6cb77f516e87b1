"""Interactions: what the emulator remembers of each one, what the user sees (:class:`InteractionResult`),
the callback with its 3-second deadline, and the 15-minute interaction webhooks
(https://discord.com/developers/docs/interactions/receiving-and-responding)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any

from . import limits
from .base import EmulatorBase, Signal
from .errors import ApiError, form_error, unknown
from .limits import FLAG_EPHEMERAL, FLAG_LOADING, FormErrors
from .protocol import (
    ALLOWED_CALLBACKS,
    APPLICATION_COMMAND,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE,
    INTERACTION_TOKEN_TTL,
    MODAL,
    UPDATE_MESSAGE,
    RestRequest,
    Route,
    copy_tree,
    jload,
)
from .state import Channel, Member
from .text import render_message, render_modal_text, walk_components


@dataclasses.dataclass(eq=False)
class InteractionRecord:
    id: int
    token: str
    type: int
    channel: Channel
    member: Member
    payload: dict  # built by the emulator; its "message" is the live message (read ``sent`` for what was sent)
    created: float  # loop time INTERACTION_CREATE was queued
    sent: str | None = None  # the INTERACTION_CREATE payload as sent (JSON text): a snapshot of the message
    option_type: int | None = None  # focused option type (autocomplete)
    source_message_id: int | None = None  # the message a component sits on
    response_type: int | None = None
    responded_at: float | None = None
    attempts: list[tuple[int | None, int]] = dataclasses.field(default_factory=list)  # (callback type, http status)
    error: dict | None = None
    original_id: int | None = None
    original_edited: bool = False
    followup_ids: list[int] = dataclasses.field(default_factory=list)
    modal: dict | None = None
    modal_closed: bool = False  # the modal this interaction opened was submitted (Discord closed it)
    choices: list[dict] | None = None
    changed: Signal = dataclasses.field(default_factory=Signal)


class InteractionResult:
    """What the user sees after an interaction.  Live: reads the emulator's current state."""

    def __init__(self, emu: EmulatorBase, rec: InteractionRecord):
        self._emu = emu
        self._rec = rec

    # raw
    @property
    def interaction(self) -> dict:
        """The INTERACTION_CREATE payload as the bot received it: a clicked message as it was at the click,
        whatever edits came after (decoded afresh from the frame on each read, so a caller may change it)."""
        sent = self._rec.sent
        return jload(sent)["d"] if sent is not None else copy_tree(self._rec.payload)

    @property
    def id(self) -> int:
        return self._rec.id

    @property
    def type(self) -> int | None:
        """Accepted callback type; if every attempt was rejected, the first attempted type."""
        if self._rec.response_type is not None:
            return self._rec.response_type
        return self._rec.attempts[0][0] if self._rec.attempts else None

    @property
    def latency(self) -> float | None:
        """Seconds from INTERACTION_CREATE queued to the accepted callback."""
        r = self._rec
        return None if r.responded_at is None else r.responded_at - r.created

    @property
    def error(self) -> dict | None:
        return self._rec.error

    @property
    def message(self) -> dict | None:
        mid = self._rec.original_id
        return None if mid is None else self._emu._messages.get(mid)

    @property
    def followups(self) -> list[dict]:
        return [self._emu._messages[m] for m in self._rec.followup_ids if m in self._emu._messages]

    @property
    def content(self) -> str | None:
        m = self.message
        return None if m is None else m.get("content")

    @property
    def embeds(self) -> list[dict]:
        m = self.message
        return [] if m is None else m.get("embeds", [])

    @property
    def components(self) -> list[dict]:
        m = self.message
        return [] if m is None else m.get("components", [])

    @property
    def flags(self) -> int:
        m = self.message
        return 0 if m is None else m.get("flags", 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def modal(self) -> dict | None:
        return self._rec.modal

    @property
    def choices(self) -> list[dict] | None:
        return self._rec.choices

    @property
    def buttons(self) -> list[dict]:
        return [c for c in walk_components(self.components) if c.get("type") == 2]

    @property
    def selects(self) -> list[dict]:
        return [c for c in walk_components(self.components) if c.get("type") in (3, 5, 6, 7, 8)]

    @property
    def text(self) -> str:
        parts = []
        if self.message is not None:
            parts.append(render_message(self.message))
        for f in self.followups:
            if self.message is None or f.get("id") != self.message.get("id"):
                parts.append(render_message(f))
        if self.modal:
            parts.append(render_modal_text(self.modal))
        if self.choices is not None:
            parts.append("\n".join(f"- {c.get('name')} = {c.get('value')!r}" for c in self.choices))
        if self.error:
            parts.append(f"(error {self.error.get('code')}: {self.error.get('message')})")
        return "\n---\n".join(p for p in parts if p)

    def __repr__(self) -> str:
        return f"<InteractionResult type={self.type} error={self.error and self.error.get('code')} text={self.text[:80]!r}>"


# interaction callback and webhooks (token-authenticated, no Authorization header): (method, path regex, handler name, needs the bot token)
INTERACTION_ROUTES: list[Route] = [
    ("POST", r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback", "_h_callback", False),
    ("POST", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)", "_h_followup", False),
    ("GET", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", "_h_wh_get", False),
    ("PATCH", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", "_h_wh_edit", False),
    ("DELETE", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)", "_h_wh_delete", False),
]


class InteractionRoutes(EmulatorBase):
    """The callback and webhook routes an interaction's token opens."""

    # ------------------------------------------------------------------ REST: interaction callback
    async def _h_callback(self, req: RestRequest, iid: str, token: str) -> dict:
        rec = self._interactions.get(token)
        if rec is None or str(rec.id) != iid:
            raise ApiError(404, {"message": "Unknown interaction", "code": 10062}, violation=True)
        body = req.json or {}
        t = body.get("type")
        loop = asyncio.get_running_loop()
        try:
            if rec.response_type is not None:
                raise ApiError(
                    400, {"message": "Interaction has already been acknowledged.", "code": 40060}, violation=True
                )
            if loop.time() - rec.created > self.interaction_deadline:
                raise ApiError(404, {"message": "Unknown interaction", "code": 10062}, violation=True)
            result = self._apply_callback(rec, t, body.get("data") or {}, req.files)
        except ApiError as e:
            rec.attempts.append((t, e.status))
            if rec.error is None or rec.response_type is None:
                rec.error = e.body
            rec.changed.fire()
            raise
        rec.attempts.append((t, 200))
        rec.response_type = t
        rec.responded_at = loop.time()
        rec.changed.fire()
        if self.interaction_observer:
            self.interaction_observer(rec)
        return result

    interaction_observer: Callable[[InteractionRecord], None] | None = None

    def _apply_callback(self, rec: InteractionRecord, t: Any, data: dict, files: list[dict]) -> dict:
        errs = FormErrors()
        if t not in ALLOWED_CALLBACKS.get(rec.type, set()):
            errs.add(
                ("type",),
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Callback type {t} is not valid for interaction type {rec.type}",
            )
            raise form_error(errs)
        if t in (DEFERRED_UPDATE, UPDATE_MESSAGE) and rec.source_message_id is None:
            errs.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "This interaction is not on a message")
            raise form_error(errs)
        inter = {
            "id": str(rec.id),
            "type": rec.type,
            "response_message_loading": False,
            "response_message_ephemeral": False,
        }
        resource: dict = {"type": t}
        if t in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            resource["message"] = self._respond_with_message(rec, t, data, files)
            inter["response_message_loading"] = t == DEFERRED_CHANNEL_MESSAGE
        elif t == DEFERRED_UPDATE:
            rec.original_id = rec.source_message_id
        elif t == UPDATE_MESSAGE:
            resource["message"] = self._respond_by_updating(rec, data, files)
        elif t == AUTOCOMPLETE_RESULT:
            limits.check_autocomplete(data, errs, option_type=rec.option_type)
            if errs:
                raise form_error(errs)
            rec.choices = copy_tree(data.get("choices") or [])
        elif t == MODAL:
            limits.check_modal(data, errs)
            if errs:
                raise form_error(errs)
            rec.modal = copy_tree(data)
        if rec.original_id is not None and t in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, UPDATE_MESSAGE):
            inter["response_message_id"] = str(rec.original_id)
            inter["response_message_ephemeral"] = bool(self._messages[rec.original_id]["flags"] & FLAG_EPHEMERAL)
        return {"interaction": inter, "resource": resource}

    def _respond_with_message(self, rec: InteractionRecord, t: int, data: dict, files: list[dict]) -> dict:
        """CHANNEL_MESSAGE (4) posts ``data``; DEFERRED_CHANNEL_MESSAGE (5) posts a "thinking" placeholder."""
        msg_type = 20 if rec.type == APPLICATION_COMMAND else 0
        if t == CHANNEL_MESSAGE:
            errs = FormErrors()
            limits.check_message(data, errs, creating=True, has_files=bool(files), path=("data",))
            if errs:
                raise form_error(errs)
            msg = self._new_message(
                rec.channel, self.bot_user, data, files, source="interaction", msg_type=msg_type, rec=rec
            )
        else:
            flags = FLAG_LOADING | ((data.get("flags") or 0) & FLAG_EPHEMERAL)
            msg = self._new_message(
                rec.channel, self.bot_user, {}, [], source="interaction", msg_type=msg_type, flags=flags, rec=rec
            )
        rec.original_id = int(msg["id"])
        return msg

    def _respond_by_updating(self, rec: InteractionRecord, data: dict, files: list[dict]) -> dict:
        """UPDATE_MESSAGE (7): edit the message the component sits on."""
        errs = FormErrors()
        limits.check_message(data, errs, creating=False, has_files=bool(files), path=("data",))
        if errs:
            raise form_error(errs)
        msg = self._messages.get(rec.source_message_id or 0)
        if msg is None:
            raise unknown("Message", 10008)
        self._edit_message(msg, data, files)
        rec.original_id = rec.source_message_id
        rec.original_edited = True
        return msg

    # ------------------------------------------------------------------ REST: interaction webhooks
    def _webhook_rec(self, app: str, token: str) -> InteractionRecord:
        rec = self._interactions.get(token)
        if int(app) != self.application_id or rec is None:
            raise unknown("Webhook", 10015)
        if asyncio.get_running_loop().time() - rec.created > INTERACTION_TOKEN_TTL:
            raise ApiError(401, {"message": "Invalid Webhook Token", "code": 50027})
        return rec

    def _webhook_message(self, rec: InteractionRecord, mid: str) -> dict:
        if mid == "@original":
            if rec.original_id is None or rec.original_id not in self._messages:
                raise unknown("Message", 10008)
            return self._messages[rec.original_id]
        m = int(mid)
        if (m not in rec.followup_ids and m != rec.original_id) or m not in self._messages:
            raise unknown("Message", 10008)
        return self._messages[m]

    async def _h_followup(self, req: RestRequest, app: str, token: str) -> Any:
        rec = self._webhook_rec(app, token)
        if rec.response_type is None:
            raise unknown("Webhook", 10015)
        payload = req.json or {}
        self._check_message(payload, req.files, creating=True)
        original = self._messages.get(rec.original_id or 0)
        if (
            rec.response_type == DEFERRED_CHANNEL_MESSAGE
            and original is not None
            and not rec.original_edited
            and original["flags"] & FLAG_LOADING
        ):
            # Discord: the first followup after a "thinking" deferral replaces the loading message
            payload = {k: v for k, v in payload.items() if k != "flags"}
            msg = self._edit_message(original, payload, req.files)
            rec.original_edited = True
        else:
            msg = self._new_message(
                rec.channel, self.bot_user, payload, req.files, source="followup", rec=rec, msg_type=0
            )
        rec.followup_ids.append(int(msg["id"]))
        rec.changed.fire()
        if req.query.get("wait", "false").lower() not in ("true", "1"):
            return None
        return msg

    async def _h_wh_get(self, req: RestRequest, app: str, token: str, mid: str) -> dict:
        return self._webhook_message(self._webhook_rec(app, token), mid)

    async def _h_wh_edit(self, req: RestRequest, app: str, token: str, mid: str) -> dict:
        rec = self._webhook_rec(app, token)
        msg = self._webhook_message(rec, mid)
        payload = req.json or {}
        self._check_message(payload, req.files, creating=False)
        self._edit_message(msg, payload, req.files)
        if int(msg["id"]) == rec.original_id:
            rec.original_edited = True
        rec.changed.fire()
        return msg

    async def _h_wh_delete(self, req: RestRequest, app: str, token: str, mid: str) -> None:
        rec = self._webhook_rec(app, token)
        msg = self._webhook_message(rec, mid)
        self._delete_message(int(msg["id"]))
        rec.changed.fire()
