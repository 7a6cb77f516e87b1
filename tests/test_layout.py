"""The layout the README describes, held in place: rendering never reaches the database, and embeds are
built in bot/render/ (issue 8, items 1 and 4)."""

from __future__ import annotations

import ast
import pathlib
import re
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


def _layout_entries() -> dict[str, str]:
    """The README's layout block ("How it is built") as {"content/": its text, "app.py": ..., ...}."""
    readme = (BOT.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## How it is built", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    entries: dict[str, str] = {}
    name = ""
    for line in block.splitlines():
        if line.startswith("  ") and not line.startswith("   "):
            name, _, text = line.strip().partition(" ")
            entries[name] = text
        elif name:
            entries[name] += " " + line.strip()
    return entries


def test_the_readme_layout_names_every_module_and_folder_of_bot() -> None:
    entries = _layout_entries()
    top = {p.name for p in BOT.glob("*.py") if p.name != "__init__.py"}
    folders = {p.name + "/" for p in BOT.iterdir() if (p / "__init__.py").exists()}
    assert sorted(top | folders) == sorted(entries)
    for folder in ("content", "db", "cogs", "trivia", "scheduler", "render"):
        modules = {p.stem for p in (BOT / folder).glob("*.py") if p.stem != "__init__"}
        assert modules_not_named(modules, entries[folder + "/"]) == [], folder


def modules_not_named(modules: set[str], text: str) -> list[str]:
    """The modules ``text`` does not name, sorted. A module ``foo.py`` is named by the whole word ``foo`` or
    ``foo.py``; ``foo`` inside a longer name (``foobar.py``, ``server_foo``, ``foo-bar``) or as a command
    (``/foo``) does not count."""
    words = set(re.findall(r"(?<![\w./-])([A-Za-z_]\w*)(?:\.py)?(?![\w-])", text))
    return sorted(m for m in modules if m not in words)


def test_a_module_is_named_only_by_its_whole_name() -> None:
    text = "songs, tours (/tour), server_events (/event); loader.py running files; foobar.py, matching.py"
    modules = {"songs", "tours", "events", "files", "foo", "matching", "match", "py", "tour", "loader"}
    assert modules_not_named(modules, text) == ["events", "foo", "match", "py", "tour"]
