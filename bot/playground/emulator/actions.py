"""Acting as a user: run a slash command, type into an autocompleted option, press a button, pick from a
select, submit a modal -- with the checks Discord's client makes before sending."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from .base import EmulatorBase
from .interactions import InteractionRecord, InteractionResult
from .protocol import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    VIEW_CHANNEL,
)
from .state import Channel, Guild, Member, Role, User
from .text import walk_components


class UserActions(EmulatorBase):
    """What a member does in the client; each returns an :class:`InteractionResult`."""

    # ------------------------------------------------------------------ acting as a user
    def _find_command(self, guild: Guild, name: str, ctype: int = 1) -> dict | None:
        for store in (self._guild_commands.get(guild.id, {}), self._global_commands):
            for c in store.values():
                if c["name"] == name and c.get("type", 1) == ctype:
                    return c
        return None

    def _partial_channel(self, ch: Channel, member: Member) -> dict:
        d = ch.to_dict()
        d.pop("permission_overwrites", None)
        d["permissions"] = str(self.channel_permissions(ch, member))
        return d

    def _resolve_option(self, otype: int, value: Any, ch: Channel, member: Member, resolved: dict) -> Any:
        g = ch.guild
        if (otype in (6, 9) and isinstance(value, (Member, User))) or (
            otype in (6, 9) and isinstance(value, int) and value in g.members
        ):
            m: Member | None
            if isinstance(value, Member):
                m, u = value, value.user
            elif isinstance(value, User):
                m, u = g.members.get(value.id), value
            else:
                m = g.members[value]
                u = m.user
            resolved.setdefault("users", {})[str(u.id)] = u.to_dict()
            if m is not None:
                md = m.to_dict(with_user=False)
                md["permissions"] = str(self.channel_permissions(ch, m))
                resolved.setdefault("members", {})[str(u.id)] = md
            return str(u.id)
        if otype in (8, 9) and isinstance(value, (Role, int)):
            r = value if isinstance(value, Role) else g.roles[value]
            resolved.setdefault("roles", {})[str(r.id)] = r.to_dict()
            return str(r.id)
        if otype == 7:
            c = value if isinstance(value, Channel) else self._channels[int(value)]
            resolved.setdefault("channels", {})[str(c.id)] = self._partial_channel(c, member)
            return str(c.id)
        if otype == 11:
            aid = str(self._snowflake())
            att = dict(value) if isinstance(value, dict) else {"filename": str(value)}
            att.setdefault("size", 0)
            att.setdefault("url", f"{self.api_base}/attachments/{aid}/{att['filename']}")
            att.setdefault("proxy_url", att["url"])
            att["id"] = aid
            resolved.setdefault("attachments", {})[aid] = att
            return aid
        if otype == 4:
            return int(value)
        if otype == 10:
            return float(value)
        if otype == 5:
            return bool(value)
        return str(value) if otype == 3 else value

    @staticmethod
    def _guess_type(value: Any) -> int:
        if isinstance(value, bool):
            return 5
        if isinstance(value, int):
            return 4
        if isinstance(value, float):
            return 10
        if isinstance(value, (Member, User)):
            return 6
        if isinstance(value, Role):
            return 8
        if isinstance(value, Channel):
            return 7
        return 3

    def _build_options(
        self,
        cmd: dict | None,
        name: str,
        values: dict[str, Any],
        subcommand: str | None,
        ch: Channel,
        member: Member,
        focused: str | None,
    ) -> tuple[list, dict, int | None]:
        resolved: dict = {}
        spec = (cmd or {}).get("options") or []
        spec, chain = self._subcommand_chain(cmd, name, spec, subcommand)
        focused_type = None
        opts = []
        by_name = {o.get("name"): o for o in spec}
        for o in spec:
            if o.get("required") and o["name"] not in values and focused is None:
                raise ValueError(f"/{name}: required option {o['name']!r} missing")
        for key, value in values.items():
            o = by_name.get(key)
            if o is None and cmd is not None:
                raise ValueError(f"/{name}: unknown option {key!r} (have {list(by_name)})")
            otype = o["type"] if o else self._guess_type(value)
            if key == focused:
                focused_type = otype
                opts.append({"name": key, "type": otype, "value": str(value), "focused": True})
                continue
            if o:
                self._check_client_side(name, key, o, otype, value)
            opts.append({"name": key, "type": otype, "value": self._resolve_option(otype, value, ch, member, resolved)})
        for kind, part in reversed(chain):
            opts = [{"name": part, "type": kind, "options": opts}]
        return opts, resolved, focused_type

    @staticmethod
    def _subcommand_chain(
        cmd: dict | None, name: str, spec: list, subcommand: str | None
    ) -> tuple[list, list[tuple[int, str]]]:
        """Walk ``"group sub"`` down the command's options: the leaf's options and the (type, name) chain."""
        path = subcommand.split() if subcommand else []
        chain: list[tuple[int, str]] = []
        for part in path:
            o = next((o for o in spec if o.get("name") == part), None)
            if cmd is not None and (o is None or o.get("type") not in (1, 2)):
                raise ValueError(f"/{name}: no subcommand {part!r} (have {[o.get('name') for o in spec]})")
            kind = o["type"] if o else (1 if part == path[-1] else 2)
            chain.append((kind, part))
            spec = (o or {}).get("options") or []
        if cmd is not None and any(o.get("type") in (1, 2) for o in spec):
            raise ValueError(f"/{name} needs a subcommand: {[o.get('name') for o in spec]}")
        return spec, chain

    @staticmethod
    def _check_client_side(name: str, key: str, o: dict, otype: int, value: Any) -> None:
        """What Discord's client refuses to send: a value outside the choices, lengths or range."""
        if o.get("choices") and value not in [c["value"] for c in o["choices"]]:
            raise ValueError(f"/{name}: {value!r} is not one of the choices for {key!r}")
        if otype == 3 and isinstance(value, str):
            too_long = o.get("max_length") is not None and len(value) > o["max_length"]
            too_short = o.get("min_length") is not None and len(value) < o["min_length"]
            if too_long or too_short:
                raise ValueError(f"/{name}: {key!r} length out of range (Discord's client would refuse)")
        if otype in (4, 10):
            too_small = o.get("min_value") is not None and value < o["min_value"]
            too_big = o.get("max_value") is not None and value > o["max_value"]
            if too_small or too_big:
                raise ValueError(f"/{name}: {key!r} out of range (Discord's client would refuse)")

    def _interaction_payload(
        self,
        itype: int,
        ch: Channel,
        member: Member,
        data: dict | None,
        locale: str | None,
        message: dict | None = None,
        created_at: float | None = None,
    ) -> tuple[int, str, dict]:
        iid = self._snowflake() if created_at is None else self._snowflake_at(created_at)
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(32)
        g = ch.guild
        mdict = member.to_dict()
        mdict["permissions"] = str(self.channel_permissions(ch, member))
        p = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "token": token,
            "version": 1,
            "guild_id": str(g.id),
            "guild": {"id": str(g.id), "locale": g.locale, "features": []},
            "channel_id": str(ch.id),
            "channel": self._partial_channel(ch, member),
            "member": mdict,
            "app_permissions": str(self.channel_permissions(ch, self.bot_member(g))),
            "locale": locale or member.locale,
            "guild_locale": g.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "authorizing_integration_owners": {"0": str(g.id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if data is not None:
            p["data"] = data
        if message is not None:
            # The message as it is now: the gateway serialises the payload at once, so no copy is needed
            # (a copy of a song card per click was a third of the fake Discord's work on a button).
            p["message"] = message
        return iid, token, p

    def _member_of(self, ch: Channel, user: Member | User) -> Member:
        if isinstance(user, Member):
            return user
        m = ch.guild.members.get(user.id)
        if m is None:
            raise ValueError(f"{user.name} is not a member of {ch.guild.name}")
        return m

    async def _start_interaction(
        self,
        itype: int,
        ch: Channel,
        user: Member | User,
        data: dict | None,
        locale: str | None,
        *,
        message: dict | None = None,
        option_type: int | None = None,
        ready_timeout: float = 10.0,
        created_at: float | None = None,
    ) -> InteractionRecord:
        if ch.deleted:
            raise ValueError(f"#{ch.name} was deleted")
        member = self._member_of(ch, user)
        if not self.channel_permissions(ch, member) & VIEW_CHANNEL:
            raise ValueError(f"{member.name} cannot see #{ch.name}")
        # like a user waiting for the bot to be online: don't dispatch into a broken connection
        await self.wait_ready(ready_timeout) if not self._live_conns() else None
        iid, token, payload = self._interaction_payload(itype, ch, member, data, locale, message, created_at)
        rec = InteractionRecord(
            iid,
            token,
            itype,
            ch,
            member,
            payload,
            asyncio.get_running_loop().time(),
            option_type=option_type,
            source_message_id=int(message["id"]) if message is not None else None,
        )
        self._interactions[token] = rec
        self._dispatch("INTERACTION_CREATE", payload, guild_id=ch.guild.id)
        rec.sent = self.last_frame
        return rec

    async def _settle(self, rec: InteractionRecord, timeout: float) -> InteractionResult:
        await rec.changed.wait_for(lambda: bool(rec.attempts), timeout)
        if rec.response_type == DEFERRED_CHANNEL_MESSAGE:
            await rec.changed.wait_for(lambda: rec.original_edited or bool(rec.followup_ids), timeout)
        elif rec.response_type == DEFERRED_UPDATE:
            await rec.changed.wait_for(lambda: rec.original_edited or bool(rec.followup_ids), min(timeout, 2.0))
        return InteractionResult(self, rec)

    async def command(
        self,
        channel: Channel,
        user: Member | User,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        locale: str | None = None,
        subcommand: str | None = None,
        timeout: float = 5.0,
        wait: bool = True,
    ) -> InteractionResult:
        """Run a slash command as ``user``.  Option values may be str/int/float/bool or emulator
        Member/Role/Channel objects; types come from the synced command (guessed if not synced)."""
        cmd = self._find_command(channel.guild, name)
        member = self._member_of(channel, user)
        if cmd is not None and not self.command_visible(
            channel.guild.id, name, self.base_permissions(channel.guild, member), cmd.get("default_member_permissions")
        ):
            raise PermissionError(f"Discord doesn't show /{name} to {member.name} (default_member_permissions)")
        opts, resolved, _ = self._build_options(cmd, name, options or {}, subcommand, channel, member, None)
        data = {"id": cmd["id"] if cmd else str(self._snowflake()), "name": name, "type": 1, "options": opts}
        if cmd and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if resolved:
            data["resolved"] = resolved
        rec = await self._start_interaction(APPLICATION_COMMAND, channel, user, data, locale)
        if not wait:
            return InteractionResult(self, rec)
        return await self._settle(rec, timeout)

    async def autocomplete(
        self,
        channel: Channel,
        user: Member | User,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        locale: str | None = None,
        subcommand: str | None = None,
        timeout: float = 5.0,
        result: bool = False,
    ) -> Any:
        """Type into option ``focused``; returns the list of choices (or the InteractionResult if result=True)."""
        cmd = self._find_command(channel.guild, name)
        opts, resolved, ftype = self._build_options(
            cmd, name, options, subcommand, channel, self._member_of(channel, user), focused
        )
        data = {"id": cmd["id"] if cmd else str(self._snowflake()), "name": name, "type": 1, "options": opts}
        if cmd and cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if resolved:
            data["resolved"] = resolved
        rec = await self._start_interaction(AUTOCOMPLETE, channel, user, data, locale, option_type=ftype)
        r = await self._settle(rec, timeout)
        return r if result else r.choices

    def _source(self, r: InteractionResult | dict) -> tuple[dict, Channel]:
        msg = r.message if isinstance(r, InteractionResult) else r
        if msg is None:
            raise ValueError("that result has no message to interact with")
        msg = self._messages.get(int(msg["id"]), msg)
        return msg, self._channels[int(msg["channel_id"])]

    async def click(
        self,
        r: InteractionResult | dict,
        user: Member | User,
        custom_id: str | None = None,
        label: str | None = None,
        index: int | None = None,
        *,
        locale: str | None = None,
        timeout: float = 5.0,
        created_at: float | None = None,
    ) -> InteractionResult:
        """Press a button on ``r.message`` (or a message dict) chosen by custom_id, label or 0-based index.

        ``created_at`` (Unix seconds) sets the time in the interaction's snowflake id, when Discord created it."""
        msg, ch = self._source(r)
        buttons = [c for c in walk_components(msg.get("components")) if c.get("type") == 2]
        if custom_id is not None:
            found = [b for b in buttons if b.get("custom_id") == custom_id]
        elif label is not None:
            found = [b for b in buttons if b.get("label") == label]
        elif index is not None:
            found = buttons[index : index + 1]
        else:
            found = buttons[:1]
        if not found:
            raise ValueError(f"no such button; message has {[b.get('label') or b.get('custom_id') for b in buttons]}")
        b = found[0]
        if b.get("disabled"):
            raise ValueError(f"button {b.get('label')!r} is disabled")
        if b.get("style") in (5, 6):
            raise ValueError("link/premium buttons do not create interactions")
        data = {"custom_id": b["custom_id"], "component_type": 2, "id": b.get("id")}
        rec = await self._start_interaction(
            MESSAGE_COMPONENT, ch, user, data, locale, message=msg, created_at=created_at
        )
        return await self._settle(rec, timeout)

    async def select(
        self,
        r: InteractionResult | dict,
        user: Member | User,
        custom_id: str | None,
        values: list[Any],
        *,
        locale: str | None = None,
        timeout: float = 5.0,
    ) -> InteractionResult:
        msg, ch = self._source(r)
        selects = [c for c in walk_components(msg.get("components")) if c.get("type") in (3, 5, 6, 7, 8)]
        s = next((c for c in selects if custom_id is None or c.get("custom_id") == custom_id), None)
        if s is None:
            raise ValueError(f"no select {custom_id!r}; message has {[c.get('custom_id') for c in selects]}")
        if s.get("disabled"):
            raise ValueError("select is disabled")
        lo, hi = s.get("min_values", 1), s.get("max_values", 1)
        if not lo <= len(values) <= hi:
            raise ValueError(f"select takes {lo}..{hi} values, got {len(values)}")
        data: dict = {"custom_id": s["custom_id"], "component_type": s["type"], "id": s.get("id")}
        if s["type"] == 3:
            allowed = [o["value"] for o in s.get("options") or []]
            bad = [v for v in values if v not in allowed]
            if bad:
                raise ValueError(f"{bad} not among the select's options {allowed}")
            data["values"] = list(values)
        else:
            resolved: dict = {}
            member = self._member_of(ch, user)
            out = []
            for v in values:
                otype = {5: 6, 6: 8, 7: 9, 8: 7}[s["type"]]
                if s["type"] == 7:
                    otype = 8 if isinstance(v, Role) else 6
                out.append(self._resolve_option(otype, v, ch, member, resolved))
            data["values"] = out
            data["resolved"] = resolved
        rec = await self._start_interaction(MESSAGE_COMPONENT, ch, user, data, locale, message=msg)
        return await self._settle(rec, timeout)

    @staticmethod
    def _modal_answers(modal: dict, values: dict[str, str]) -> list[dict]:
        """The components of a MODAL_SUBMIT for ``modal`` filled with ``values`` (custom_id -> text), as
        Discord's client sends them. Raises ValueError for a required input left empty, a length out of
        range, or a value for an input the modal does not have."""
        comps = []
        known: set[str] = set()

        def answer(c: dict) -> dict:
            cid: str = c["custom_id"]  # the emulator refused the modal when it had none (limits)
            known.add(cid)
            v = values.get(cid, c.get("value") or "")
            if c.get("required", True) and not v:
                raise ValueError(f"text input {cid!r} is required")
            if len(v) > c.get("max_length", 4000) or (v and len(v) < c.get("min_length", 0)):
                raise ValueError(f"text input {cid!r}: length {len(v)} not allowed")
            return {"type": 4, "custom_id": cid, "value": v, "id": c.get("id")}

        for row in modal.get("components") or []:
            if row.get("type") == 1:
                comps.append(
                    {"type": 1, "components": [answer(c) for c in row.get("components") or [] if c.get("type") == 4]}
                )
            elif row.get("type") == 18 and (row.get("component") or {}).get("type") == 4:
                comps.append({"type": 18, "id": row.get("id"), "component": answer(row["component"])})
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"modal has no inputs {sorted(unknown)}; inputs: {sorted(known)}")
        return comps

    async def submit_modal(
        self,
        r: InteractionResult,
        user: Member | User,
        values: dict[str, str],
        *,
        locale: str | None = None,
        timeout: float = 5.0,
        created_at: float | None = None,
    ) -> InteractionResult:
        """Fill and submit the modal ``r`` opened; ``values`` maps text-input custom_id -> text.
        ``created_at`` (Unix seconds) sets the time in the interaction's snowflake id.

        Raises ValueError where Discord's client could not send the submission: no modal, a missing required
        or unknown input, a length out of range, ``user`` not the one whose interaction opened the modal
        (a MODAL callback pops the form up for that user alone: nobody else ever sees it to submit it), or a
        modal already submitted (Discord shows a modal once and closes it when the bot answers its
        submission; to answer again the user opens a new one). A submission the bot left unanswered, or
        whose answer Discord refused, leaves the modal open, as the client keeps it up with "Something went
        wrong. Try again.", and it may be submitted again."""
        modal = r.modal
        if not modal:
            raise ValueError("that result did not open a modal")
        ch = r._rec.channel
        opener = r._rec.member
        if self._member_of(ch, user).id != opener.id:
            raise ValueError(
                f"{user.name} can't submit {opener.name}'s modal: Discord shows a modal only to the user "
                "whose interaction opened it"
            )
        if r._rec.modal_closed:
            raise ValueError(
                f"{opener.name} already submitted the modal {modal.get('title')!r}: Discord closes a modal on "
                "submit, so it can't be sent twice (open a new one to answer again)"
            )
        comps = self._modal_answers(modal, values)
        data = {"custom_id": modal["custom_id"], "components": comps}
        src = self._messages.get(r._rec.source_message_id or 0)
        r._rec.modal_closed = True  # from the press of Submit: the client sends one submission at a time
        try:
            rec = await self._start_interaction(
                MODAL_SUBMIT, ch, user, data, locale, message=src, created_at=created_at
            )
            result = await self._settle(rec, timeout)
        except BaseException:
            r._rec.modal_closed = False  # nothing reached the bot: the modal is still up
            raise
        r._rec.modal_closed = rec.response_type is not None  # unanswered or refused: it stays up
        return result
