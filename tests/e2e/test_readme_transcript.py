"""The README's announcements transcript is what the playground prints: its commands are replayed through the
real playground loop (``bot.playground.terminal.app.run``, the real bot against the emulator) at the moment
and in the zone the transcript names, and every line it shows must come out exactly (blank lines aside)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from bot.playground.terminal.app import run
from bot.playground.terminal.reader import LineReader
from bot.playground.terminal.screen import Screen
from tests.e2e.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.timezone.utc
# "(taken on Monday 30 November 2026 at 10:00 UTC, in a terminal set to UTC)"
START = dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def transcript() -> list[str]:
    """The README's code block that starts with ``> :as mod`` (the announcements walk-through)."""
    blocks = re.findall(r"```text\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    [block] = [b for b in blocks if b.startswith("> :as mod\n")]
    return block.splitlines()


async def test_the_readme_announcements_transcript_is_what_the_playground_prints(
    tmp_path: Path, content_database: bytes
) -> None:
    settings = make_settings(tmp_path)
    settings.database_path.write_bytes(content_database)
    shown = transcript()
    commands = [line[2:] for line in shown if line.startswith("> ")]
    out = io.StringIO()
    reader = LineReader(io.StringIO("".join(f"{command}\n" for command in commands)))
    status = await run(settings, lambda _session: reader, Screen(out), interactive=False, start=START, tz=UTC)
    assert status == 0
    printed = [line for line in out.getvalue().splitlines() if line.strip()]
    assert printed == shown
