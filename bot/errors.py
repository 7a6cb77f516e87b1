"""Errors that carry a message meant for a person."""

from __future__ import annotations

from collections.abc import Sequence


class UserError(Exception):
    """An expected failure whose message is shown, privately, to the person who typed the command.

    ``key`` names a translatable message (see :mod:`bot.i18n`) and ``params`` fill it in;
    ``suggestions`` become a "did you mean" line and ``hint`` (another message key) a last line.
    Params that echo what the user typed must already be escaped (``bot.render.limits.echo``).
    """

    def __init__(self, key: str, *, suggestions: Sequence[str] = (), hint: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        self.suggestions = tuple(suggestions)
        self.hint = hint


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line a person can act on."""
