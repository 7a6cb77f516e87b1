"""What a member does in Discord's client: slash commands (options sent as typed, or as picked from the bot's
autocomplete), buttons and menus by number, forms filled field by field."""

from __future__ import annotations

import dataclasses
from typing import Any

from .parsing import (
    CHANNEL,
    MENTIONABLE,
    ROLE,
    STRING,
    TYPE_NAMES,
    USER,
    ParsedCommand,
    PlaygroundError,
    convert,
    did_you_mean,
    names_of,
    parse_command,
    split_options,
)
from .reader import Suggestion
from .render import buttons_of, modal_fields, render_form, selects_of
from .state import SessionState


class DiscordActions(SessionState):
    """Slash commands, autocomplete, buttons, menus and forms, as the acting member."""

    # ------------------------------------------------------------------ slash commands
    async def _autocomplete(self, parsed: ParsedCommand, focused: str, values: dict[str, Any]) -> list[dict] | None:
        options = {k: v for k, v in values.items()}
        options[focused] = parsed.raw.get(focused, "")
        choices = await self.emu.autocomplete(
            self.channel, self.member, parsed.name, options, focused, subcommand=parsed.subcommand
        )
        return choices

    def _resolve_entity(self, option: dict, text: str) -> Any:
        kind = option.get("type")
        name = text.strip()
        guild = self.guild
        if kind == CHANNEL:
            found = [c for c in guild.channels.values() if c.name.lower() == name.lstrip("#").lower()]
            if found:
                return found[0]
            raise PlaygroundError(
                f"{option['name']}: no channel {name!r} here."
                f"{did_you_mean(name.lstrip('#'), [c.name for c in guild.channels.values()], '#{}')}"
            )
        people = {}
        for key, ident in self.identities.items():
            people[key] = ident.members[guild.id]
            people[ident.name.lower()] = ident.members[guild.id]
        people["me"] = self.member
        people["bot"] = self.emu.bot_member(guild)
        roles = {r.name.lower().lstrip("@"): r for r in guild.roles.values()}
        low = name.lstrip("@").lower()
        if kind in (USER, MENTIONABLE) and low in people:
            return people[low]
        if kind in (ROLE, MENTIONABLE) and low in roles:
            return roles[low]
        candidates = ([*people] if kind in (USER, MENTIONABLE) else []) + (
            [*roles] if kind in (ROLE, MENTIONABLE) else []
        )
        raise PlaygroundError(
            f"{option['name']}: no {TYPE_NAMES.get(kind or 0, 'one')} called {name!r}.{did_you_mean(low, candidates, '@{}')}"
        )

    async def build_values(self, parsed: ParsedCommand) -> dict[str, Any]:
        """Typed text -> what the client sends when no suggestion is picked: the text as typed (so the bot's own
        matching and "did you mean" answer it), numbers as numbers, members, roles and channels resolved."""
        values: dict[str, Any] = {}
        for option in parsed.spec:
            key = option["name"]
            if key not in parsed.values:
                continue
            text = parsed.values[key]
            if option.get("type") in (USER, CHANNEL, ROLE, MENTIONABLE):
                values[key] = self._resolve_entity(option, str(text))
            elif option.get("autocomplete") and option.get("type") != STRING:
                values[key] = convert({**option, "choices": None}, str(text), parsed.name)
            else:
                values[key] = text
        return values

    async def slash(self, line: str) -> None:
        parsed = parse_command(line, self.commands())
        values = await self.build_values(parsed)
        result = await self.emu.command(self.channel, self.member, parsed.name, values, subcommand=parsed.subcommand)
        self.show_result(result)
        await self.quiesce()  # what the bot does next (followups, posts) shows before the next prompt
        self.report_world_changes()

    async def complete(self, arg: str) -> None:
        line = arg.strip()
        if not line:
            self.hint("complete what? e.g. :complete /song lov")
            return
        if not line.startswith("/"):
            line = "/" + line
        if not line.endswith("?"):
            line += "?"
        parsed = parse_command(line, self.commands())
        if parsed.last is None:
            self.hint(f"/{parsed.name} has no options to complete")
            return
        option = parsed.option(parsed.last)
        typed = parsed.raw.get(parsed.last, "")
        if option.get("choices"):
            low = typed.lower()
            self.show_choices(
                [
                    c
                    for c in option["choices"]
                    if not low or any(low in n.lower() for n in [str(c.get("value")), *names_of(c)])
                ]
            )
            return
        if not option.get("autocomplete"):
            self.hint(
                f"{option['name']}: ({TYPE_NAMES.get(option.get('type', 0), 'value')}) "
                f"{option.get('description', '')} - no suggestions for this one"
            )
            return
        values = {}
        for other in parsed.spec:  # the options before the focused one, as the client would send them
            if other["name"] == parsed.last:
                break
            if other["name"] in parsed.values:
                sub = ParsedCommand(
                    parsed.name,
                    parsed.subcommand,
                    {other["name"]: parsed.values[other["name"]]},
                    parsed.spec,
                    other["name"],
                    parsed.raw,
                )
                values.update(await self.build_values(sub))
        self.show_choices(await self._autocomplete(parsed, parsed.last, values) or [])

    # ------------------------------------------------------------------ components
    def _need_components(self) -> dict:
        if self.button_message is None:
            raise PlaygroundError("no message with buttons yet; try /song love wins all first")
        return self.emu.message(self.button_message["id"]) or self.button_message

    async def press(self, arg: str) -> None:
        message = self._need_components()
        buttons = buttons_of(message)
        if not buttons:
            raise PlaygroundError("the last message has no buttons")
        listing = "  ".join(
            f"[{n}] {b.get('label') or (b.get('emoji') or {}).get('name')}" for n, b in enumerate(buttons, 1)
        )
        arg = arg.strip().strip("[]")
        if arg.isdigit():
            index = int(arg) - 1
            if not 0 <= index < len(buttons):
                raise PlaygroundError(f"there is no button {arg}: {listing}")
        elif arg:
            labels = [(b.get("label") or "").lower() for b in buttons]
            low = arg.lower()
            matches = [i for i, label in enumerate(labels) if label == low] or [
                i for i, label in enumerate(labels) if label.startswith(low)
            ]
            if not matches:
                raise PlaygroundError(f"no button {arg!r}: {listing}")
            index = matches[0]
        else:
            raise PlaygroundError(f"press which? {listing}")
        button = buttons[index]
        if button.get("style") == 5:
            self.say(f"(a link: {button.get('url')})")
            return
        result = await self.emu.click(message, self.member, index=index)
        if result.type == 7 and result.message is not None:
            self.screen.dim("(message updated)")
        self.show_result(result)
        await self.quiesce()  # what the bot does next (followups, posts) shows before the next prompt
        self.report_world_changes()

    async def cmd_select(self, arg: str) -> None:
        message = self._need_components()
        selects = selects_of(message)
        if not selects:
            raise PlaygroundError("the last message has no menus")
        number, _, rest = arg.partition(" ")
        if not number.isdigit() or not 1 <= int(number) <= len(selects):
            if len(selects) == 1 and arg:
                number, rest = "1", arg
            else:
                raise PlaygroundError(f"usage: :select N value (menus 1..{len(selects)})")
        menu = selects[int(number) - 1]
        wanted = [v.strip() for v in rest.split(",") if v.strip()]
        if not wanted:
            labels = " / ".join(o.get("label", "") for o in menu.get("options") or [])
            raise PlaygroundError(f"select what? {labels}")
        values: list[Any] = []
        if menu.get("type") == 3:
            options = menu.get("options") or []
            for item in wanted:
                found = next(
                    (
                        o["value"]
                        for o in options
                        if item.lower() in (str(o.get("value")).lower(), str(o.get("label")).lower())
                    ),
                    None,
                )
                if found is None and item.isdigit() and 1 <= int(item) <= len(options):
                    found = options[int(item) - 1]["value"]
                if found is None:
                    labels = " / ".join(o.get("label", "") for o in options)
                    raise PlaygroundError(f"{item!r} is not in the menu: {labels}")
                values.append(found)
        else:
            kind = {5: USER, 6: ROLE, 7: MENTIONABLE, 8: CHANNEL}[menu["type"]]
            values = [self._resolve_entity({"name": "menu", "type": kind}, item) for item in wanted]
        result = await self.emu.select(message, self.member, menu.get("custom_id"), values)
        self.show_result(result)
        await self.quiesce()  # what the bot does next (followups, posts) shows before the next prompt
        self.report_world_changes()

    # ------------------------------------------------------------------ modals
    def open_modal(self, result: Any) -> None:
        fields = modal_fields(result.modal)
        self.screen.show(render_form(result.modal))
        if not fields:
            self.screen.dim("(the form has no text fields; submitting it)")
        self.modal = {"result": result, "fields": fields, "values": {}}
        hint = (
            "answer each prompt, or :fill field=value ...; :cancel abandons the form"
            if self.interactive
            else "the next lines fill the fields in order (or :fill field=value ...); :cancel abandons the form"
        )
        self.screen.dim(hint)

    async def modal_answer(self, line: str) -> None:
        assert self.modal is not None
        fields, values = self.modal["fields"], self.modal["values"]
        field = fields[len(values)]
        values[field["id"]] = line
        if len(values) >= len(fields):
            await self.submit_modal()

    async def cmd_fill(self, arg: str) -> None:
        if self.modal is None:
            raise PlaygroundError("no form is open")
        fields = self.modal["fields"]
        lookup = {}
        for n, field in enumerate(fields, 1):
            for key in (field["id"], field["label"], str(n)):
                lookup[str(key).lower()] = field["id"]
        _free, pairs = split_options(
            arg.replace("=", ": ").replace(":  ", ": ") if "=" in arg else arg,
            lambda k: k.lower() in lookup,
            first_is_key=True,
        )
        if not pairs:
            raise PlaygroundError("usage: :fill field=value ... (fields: " + ", ".join(f["id"] for f in fields) + ")")
        for key, value in pairs:
            target = lookup.get(key.lower())
            if target is None:
                raise PlaygroundError(f"the form has no field {key!r}; fields: {', '.join(f['id'] for f in fields)}")
            self.modal["values"][target] = value
        missing = [f["label"] for f in fields if f["id"] not in self.modal["values"] and f["required"]]
        if missing:
            self.screen.dim(f"(still needed: {', '.join(missing)})")
            # keep prompting in field order for what's left
            ordered = {
                f["id"]: self.modal["values"].get(f["id"], "") for f in fields if f["id"] in self.modal["values"]
            }
            self.modal["values"] = ordered
            return
        await self.submit_modal()

    async def submit_modal(self) -> None:
        assert self.modal is not None
        pending, self.modal = self.modal, None
        values = {
            k: v
            for k, v in pending["values"].items()
            if v != "" or any(f["id"] == k and f["required"] for f in pending["fields"])
        }
        result = await self.emu.submit_modal(pending["result"], self.member, values)
        self.show_result(result)
        await self.quiesce()  # what the bot does next (followups, posts) shows before the next prompt
        self.report_world_changes()

    def cmd_cancel(self, _arg: str) -> None:
        if self.modal is None:
            self.say("(nothing to cancel)")
            return
        self.modal = None
        self.say("Form abandoned (the bot is never told, as on Discord).")

    # ------------------------------------------------------------------ live completion (prompt_toolkit)
    async def suggestions(self, before: str) -> list[Suggestion]:
        """What the menu offers for the text before the cursor: commands, option names, and option values
        (static choices, or the bot's own autocomplete asked as Discord's client asks while a fan types)."""
        if self.modal is not None or self.busy:
            return []
        if before.startswith(":") and " " not in before:
            word = before[1:].lower()
            return [
                (f":{h} ", f":{h}", "", len(before)) for h in self.meta_handlers() if len(h) > 2 and h.startswith(word)
            ]
        if not before.startswith("/"):
            return []
        if " " not in before:
            word = before[1:].lower()
            return [
                (f"/{c['name']} ", f"/{c['name']}", c.get("description", ""), len(before))
                for c in self.commands()
                if c.get("type", 1) == 1 and any(n.lower().startswith(word) for n in names_of(c))
            ]
        try:
            parsed = parse_command(before + "?", self.commands())
        except PlaygroundError:
            return []
        return self._option_names(parsed, before) + await self._option_values(parsed, before)

    def _option_names(self, parsed: ParsedCommand, before: str) -> list[Suggestion]:
        token = before.rsplit(" ", 1)[-1]
        if ":" in token:
            return []
        given = set(parsed.raw) - {parsed.last}
        return [
            (f"{o['name']}:", f"{o['name']}:", o.get("description", ""), len(token))
            for o in parsed.spec
            if o["name"] not in given and o["name"].startswith(token.lower()) and (token or before.endswith(" "))
        ]

    async def _option_values(self, parsed: ParsedCommand, before: str) -> list[Suggestion]:
        if parsed.last is None:
            return []
        option = parsed.option(parsed.last)
        typed = parsed.raw.get(parsed.last, "")
        if typed and not before.endswith(typed):
            return []
        if option.get("choices"):
            low = typed.lower()
            return [
                (str(c["value"]), str(c.get("name")), "", len(typed))
                for c in option["choices"]
                if not low or any(low in n.lower() for n in [str(c.get("value")), *names_of(c)])
            ]
        if not option.get("autocomplete"):
            return []
        values = await self.build_values(dataclasses.replace(parsed, values={
            k: v for k, v in parsed.values.items() if k != parsed.last}))  # fmt: skip
        choices = await self._autocomplete(parsed, parsed.last, values) or []
        return [
            (str(c.get("value")), str(c.get("name")), "" if str(c.get("value")) == c.get("name") else str(c.get("value")),
             len(typed))
            for c in choices
        ]  # fmt: skip
