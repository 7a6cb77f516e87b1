"""Shared fixtures: a disposable copy of the shipped pack, the seeds, ingested databases and the CLI."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest
import pytest_asyncio

from bot.playground.emulator import Emulator

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_PACK = ROOT / "data" / "packs" / "iu"
SEEDS = ROOT / "seeds"

# Settings the CLI reads from the environment; tests decide them explicitly.
_SETTINGS_VARS = ("DISCORD_TOKEN", "DATABASE_PATH", "LOG_LEVEL", "DEV_GUILD_ID", "LIGHTSTICK_PACKS", "LIGHTSTICK_SEEDS")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with a test marked ``slow`` run first, each whole and in its own order (so module fixtures are
    still made once). On several workers (``python3 dev.py test`` runs pytest-xdist) the longest tests then
    start at the beginning instead of finishing last while the other workers wait."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)  # a stable sort: every other order is kept


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shipped_pack() -> Path:
    return SHIPPED_PACK


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A copy of data/packs/iu at ``tmp_path/iu`` that a test may break."""
    target = tmp_path / "iu"
    shutil.copytree(SHIPPED_PACK, target)
    return target


class PackFile:
    """Edit one TOML file of a pack copy, insisting that each edit hits exactly one place."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def replace(self, old: str, new: str) -> None:
        text = self.text
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {self.path.name}"
        self.path.write_text(text.replace(old, new), encoding="utf-8")

    def append(self, block: str) -> None:
        self.path.write_text(self.text.rstrip("\n") + "\n\n" + block.strip("\n") + "\n", encoding="utf-8")

    def set_line(self, number: int, text: str | None) -> None:
        """Replace line ``number`` (1-based) with ``text``; None deletes it."""
        lines = self.text.splitlines()
        lines[number - 1 : number] = [] if text is None else [text]
        self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def insert_after(self, number: int, text: str) -> None:
        lines = self.text.splitlines()
        lines[number:number] = [text]
        self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def line_of(self, needle: str) -> int:
        """1-based number of the only line containing ``needle``."""
        hits = [n for n, line in enumerate(self.text.splitlines(), start=1) if needle in line]
        assert len(hits) == 1, f"{needle!r} is on lines {hits} of {self.path.name}"
        return hits[0]

    def key_line(self, entry_id: str, key: str) -> int:
        """The line of ``key = ...`` inside the entry whose id line is ``id = "entry_id"``."""
        lines = self.text.splitlines()
        start = self.line_of(f'id = "{entry_id}"')
        for number in range(start, len(lines) + 1):
            stripped = lines[number - 1].strip()
            if number > start and stripped.startswith("["):
                break
            if stripped.split("=", 1)[0].strip() == key:
                return number
        raise AssertionError(f"no {key} in {entry_id}")

    def header_line(self, entry_id: str) -> int:
        """The line of the ``[[table]]`` header of the entry whose id is ``entry_id``."""
        lines = self.text.splitlines()
        number = self.line_of(f'id = "{entry_id}"')
        while not lines[number - 1].strip().startswith("["):
            number -= 1
        return number


@pytest.fixture
def pack_file(pack_copy: Path) -> Callable[[str], PackFile]:
    """``pack_file("facts.toml")`` -> an editor for that file of the pack copy."""
    return lambda name: PackFile(pack_copy / name)


@pytest.fixture(scope="session")
def shipped_packs():
    """The shipped pack, loaded once (tests must not mutate it; records are frozen)."""
    from bot.content.loader import load_packs

    packs, problems = load_packs([SHIPPED_PACK], SEEDS)
    assert problems == []
    return packs


def dump(path: Path) -> list[str]:
    """Every row and schema statement of a database, for before/after comparisons."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(scope="session")
def db_dump() -> Callable[[Path], list[str]]:
    """``db_dump(path)`` -> the database as SQL text lines (schema and rows)."""
    return dump


@pytest.fixture(scope="session")
def _ingested_template(tmp_path_factory: pytest.TempPathFactory, shipped_packs) -> bytes:
    from bot.db.ingest import ingest
    from bot.db.migrate import connect

    path = tmp_path_factory.mktemp("template") / "lightstick.sqlite3"
    conn = connect(path)
    try:
        ingest(conn, shipped_packs)
    finally:
        conn.close()
    assert not Path(f"{path}-wal").exists()  # closed cleanly: the file holds everything
    return path.read_bytes()


@pytest.fixture
def ingested_db(tmp_path: Path, _ingested_template: bytes) -> Path:
    """A fresh database file holding the shipped pack (migrated, ingested, closed)."""
    path = tmp_path / "db" / "lightstick.sqlite3"
    path.parent.mkdir()
    path.write_bytes(_ingested_template)
    return path


def cli_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARS}
    env.update(
        {
            "DISCORD_TOKEN": "",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            "PYTHONIOENCODING": "utf-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(overrides)
    return env


def cli_popen(args: Sequence[str], cwd: Path = ROOT, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=cli_env(**env),
        text=True,
        encoding="utf-8",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish(proc: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture(scope="session")
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``cli("check", path, DEV_GUILD_ID="x")`` runs ``python -m bot`` from the project root."""

    def run(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
        return finish(cli_popen(args, cwd=cwd, **env))

    return run


@pytest.fixture(scope="session")
def cli_many() -> Callable[..., list[subprocess.CompletedProcess[str]]]:
    """Run several CLI invocations at once (independent ones only) and return their results in order."""

    def run(*invocations: Sequence[str], **env: str) -> list[subprocess.CompletedProcess[str]]:
        procs = [cli_popen(args, **env) for args in invocations]
        return [finish(p) for p in procs]

    return run


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """A started loopback Discord emulator on 127.0.0.1."""
    emu = Emulator()
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()
