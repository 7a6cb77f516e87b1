"""One reply path: private (ephemeral) answers, and turning every failure into one.

Slash commands (through ``CommandTree.on_error``), guarded buttons (:class:`GuardedButton`) and any other
component callback (:func:`guarded`) all end in :func:`reply_failure`, so a person sees the same kind,
translated message whichever way they reached the bot, and unexpected errors are logged once with an id
they can quote to a moderator.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import secrets
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar, Self

import discord
from discord import app_commands

from bot.errors import UserError
from bot.i18n import lang_of, t

log = logging.getLogger(__name__)


def explain(error: UserError, lang: str) -> str:
    """The text of a :class:`UserError` in ``lang``: message, "did you mean" line, hint line."""
    lines = [t(lang, error.key, **error.params)]
    if error.suggestions:
        lines.append(t(lang, "error.did_you_mean", options=", ".join(f"**{s}**" for s in error.suggestions)))
    if error.hint:
        lines.append(t(lang, error.hint))
    return "\n".join(lines)


def permission_names(names: Sequence[str], lang: str) -> str:
    """Discord permission flags (``manage_guild``) as the client names them ("**Manage Server**"), joined."""
    shown = []
    for name in names:
        label = t(lang, f"perm.{name}")
        if label == f"perm.{name}":  # not in the table: Discord's own wording is close to the flag's
            label = name.replace("guild", "server").replace("_", " ").title()
        shown.append(f"**{label}**")
    return ", ".join(shown)


def failure_text(error: BaseException, lang: str, now: dt.datetime | None = None) -> str | None:
    """What to tell the person for an expected failure, in ``lang``; None for an unexpected one.

    Handles :class:`UserError` and discord.py's check failures: the member lacks a permission, the bot
    lacks one (named, so a moderator knows what to grant), a cooldown (when to retry, as ``<t:..:R>``
    counted from ``now``, default the current time), a guild-only command used in a direct message.
    """
    if isinstance(error, UserError):
        return explain(error, lang)
    if isinstance(error, app_commands.MissingPermissions):
        names = error.missing_permissions
        return t(lang, "error.member_missing_permissions", permissions=permission_names(names, lang), count=len(names))
    if isinstance(error, app_commands.BotMissingPermissions):
        names = error.missing_permissions
        return t(lang, "error.bot_missing_permissions", permissions=permission_names(names, lang), count=len(names))
    if isinstance(error, app_commands.CommandOnCooldown):
        retry = (now or discord.utils.utcnow()) + dt.timedelta(seconds=math.ceil(error.retry_after))
        return t(lang, "error.cooldown", retry=f"<t:{int(retry.timestamp())}:R>")
    if isinstance(error, app_commands.NoPrivateMessage):
        return t(lang, "error.guild_only")
    if isinstance(error, app_commands.CheckFailure):
        return t(lang, "error.not_allowed")
    return None


def _cause(error: BaseException) -> BaseException:
    """The error a command or callback raised, unwrapped from discord.py's CommandInvokeError."""
    return getattr(error, "original", None) or error.__cause__ or error


async def send_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Reply privately, whether or not the interaction was already acknowledged (mentions disabled).

    A failed delivery (the interaction expired, Discord is down) is logged, never raised.
    """
    try:
        if interaction.response.is_done():
            if interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
                # After a "thinking" deferral Discord turns the first follow-up into the loading message and
                # keeps the deferral's flags, so after a public one the error would be posted for everyone:
                # remove a public loading message first (a private one simply becomes the error).
                original = await interaction.original_response()
                if original.flags.loading and not original.flags.ephemeral:
                    await original.delete()
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
    except discord.HTTPException:
        log.warning("could not deliver a private reply for interaction %s", interaction.id)


def _where(interaction: discord.Interaction[Any]) -> str:
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    data: dict[str, Any] = dict(interaction.data or {})
    return f"component {data.get('custom_id')}"


async def reply_failure(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Answer a failed command or component privately; log unexpected errors with an id people can quote."""
    cause = _cause(error)
    lang = lang_of(interaction)
    text = failure_text(cause, lang)
    if text is None:
        error_id = secrets.token_hex(3)
        log.error("error %s in %s", error_id, _where(interaction), exc_info=cause)
        text = t(lang, "error.unexpected", error_id=error_id)
    await send_ephemeral(interaction, text)


async def guarded(interaction: discord.Interaction[Any], work: Callable[[], Awaitable[None]]) -> None:
    """Run a component callback with the same failure handling as slash commands."""
    try:
        await work()
    except Exception as error:  # noqa: BLE001 - every failure is answered (and unexpected ones logged)
        await reply_failure(interaction, error)


class GuardedButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A button that survives restarts (a DynamicItem) whose failures are answered like a command's.

    Subclasses give their own ``template=`` and implement :meth:`run`; :class:`UserError` and check
    failures become a kind private reply, anything else is logged with an error id.
    """

    templates: ClassVar[list[re.Pattern[str]]] = []  # every subclass's, as it is defined (answered_by_a_button)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        GuardedButton.templates.append(cls.__discord_ui_compiled_template__)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from a click: by default the button itself; override to parse ``match``."""
        assert isinstance(item, discord.ui.Button)  # the template is only ever on a button
        return cls(item)

    def fields(self) -> re.Match[str]:
        """This button's custom id matched against its template (its named groups are the ids it carries)."""
        found = re.fullmatch(self.__discord_ui_compiled_template__, self.item.custom_id or "")
        assert found is not None  # discord.py routed the click here because the template matched
        return found

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, lambda: self.run(interaction))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


def answered_by_a_button(custom_id: str) -> bool:
    """Whether some :class:`GuardedButton` (every ``ls:`` button the bot sends) claims ``custom_id``, by the
    same full match discord.py routes a click with."""
    return any(template.fullmatch(custom_id) for template in GuardedButton.templates)


async def answer_stale_button(interaction: discord.Interaction[Any]) -> None:
    """A click on an ``ls:`` button no current button claims (one sent by an older version of the bot, whose
    id format has since changed) is answered privately, instead of Discord's "This interaction failed"
    after 3 seconds. Other components (not the bot's, or answered elsewhere) are left alone."""
    if interaction.type is not discord.InteractionType.component:
        return
    data: Any = interaction.data or {}
    custom_id = str(data.get("custom_id", ""))
    if custom_id.startswith("ls:") and not answered_by_a_button(custom_id):
        await send_ephemeral(interaction, t(lang_of(interaction), "error.stale_button"))
