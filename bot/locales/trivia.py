"""Reply strings and command-tree translations for trivia, merged into :mod:`bot.i18n`.

Same shapes as ``bot.i18n``: MESSAGES[lang][key] is a template (or {"one": ..., "other": ...} chosen by
``count``); TREE_KO maps the English text of command names, descriptions, options and choices to Korean;
TREE_KO_COMMANDS overrides TREE_KO for command names only.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str | dict[str, str]]] = {"en": {}, "ko": {}}
TREE_KO: dict[str, str] = {}
TREE_KO_COMMANDS: dict[str, str] = {}
