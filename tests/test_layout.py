"""The layout the README describes, held in place: rendering never reaches the database, and embeds are
built in bot/render/ (issue 8, items 1 and 4)."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import bot

BOT = pathlib.Path(bot.__file__).parent

# Cogs that still build an embed themselves, to be moved into bot/render/ by their owners. The test fails
# when one of them stops (remove it here) or another starts, so the list can only shrink.
EMBEDS_STILL_IN_COGS: set[str] = set()


def test_no_render_module_imports_the_database_even_indirectly() -> None:
    modules = sorted(p.stem for p in (BOT / "render").glob("*.py") if p.stem != "__init__")
    assert {"songs", "tours", "facts", "about", "events"} <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('bot.render.' + name)\n"
        "print(sorted(m for m in sys.modules if m == 'bot.db' or m.startswith('bot.db.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=BOT.parent
    ).stdout
    assert out.strip() == "[]"


def _builds_an_embed(path: pathlib.Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "Embed":
                return True
            if isinstance(func, ast.Name) and func.id == "Embed":
                return True
    return False


def test_cogs_leave_building_embeds_to_render() -> None:
    building = {p.name for p in (BOT / "cogs").glob("*.py") if _builds_an_embed(p)}
    assert building == EMBEDS_STILL_IN_COGS
