"""The trivia rules stay pure: no Discord, no SQL (bot/trivia/__init__.py says so, and the hypothesis tests rely on it)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TRIVIA = Path(__file__).resolve().parents[2] / "bot" / "trivia"
IMPURE = ("discord", "aiosqlite", "sqlite3", "bot.db", "bot.cogs", "bot.render", "bot.replies")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", ["game", "questions", "hints"])
def test_the_rules_import_neither_discord_nor_the_database(module: str) -> None:
    found = imported(TRIVIA / f"{module}.py")
    assert sorted(n for n in found if n.split(".")[0] in IMPURE or n.startswith(IMPURE)) == []


def test_the_check_sees_the_modules_that_do_touch_discord() -> None:
    assert "discord" in imported(TRIVIA / "runner.py")
    assert "bot.db.trivia" in imported(TRIVIA / "runner.py")
    assert "discord" in imported(TRIVIA / "views.py")
