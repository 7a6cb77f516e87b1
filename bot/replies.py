"""One reply path: private (ephemeral) answers, and turning failures into them.

Slash commands (through ``CommandTree.on_error``) and components (through :func:`guarded`) share this
code, so a user sees the same kind, translated message whichever way they reached the bot.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import discord

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


async def send_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Reply privately, whether or not the interaction was already acknowledged (mentions disabled).

    A failed delivery (the interaction expired, Discord is down) is logged, never raised.
    """
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
    except discord.HTTPException:
        log.warning("could not deliver an error reply for interaction %s", interaction.id)


async def guarded(interaction: discord.Interaction[Any], work: Callable[[], Awaitable[None]]) -> None:
    """Run a component callback with the same error handling as slash commands."""
    try:
        await work()
    except UserError as error:
        await send_ephemeral(interaction, explain(error, lang_of(interaction)))
    except Exception:  # noqa: BLE001 - every failure gets an id a user can quote
        error_id = secrets.token_hex(3)
        log.exception("error %s in component %s", error_id, interaction.data.get("custom_id") if interaction.data else None)
        await send_ephemeral(interaction, t(lang_of(interaction), "error.unexpected", error_id=error_id))
