"""The playground shows scheduled announcements: :as mod, /config channel, /event add, :advance (issue 11)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=10)  # the playground starts at the real time
SETTINGS_VARS = ("DISCORD_TOKEN", "DATABASE_PATH", "LOG_LEVEL", "DEV_GUILD_ID", "LIGHTSTICK_PACKS", "LIGHTSTICK_SEEDS")


def test_a_moderator_sets_up_announcements_and_watches_them_arrive(tmp_path: Path) -> None:
    lines = [
        ":as member",
        "/config channel channel:announcements",
        ":as mod",
        "/config channel announcements",
        "/config milestones steps:7d,1d,0",
        f"/event add name:Seoul encore date:{DAY.isoformat()} city:Seoul",
        ":advance 7d",
    ]
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    env.update(
        {
            "DISCORD_TOKEN": "",
            "DATABASE_PATH": str(tmp_path / "lightstick.sqlite3"),
            "PYTHONPATH": str(ROOT),
            "PYTHONIOENCODING": "utf-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    run = subprocess.run(
        [sys.executable, "-m", "bot", "playground", "--fresh"],
        cwd=ROOT,
        env=env,
        text=True,
        encoding="utf-8",
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    refused = out.split("> /config channel channel:announcements\n", 1)[1].split("\n> ", 1)[0]
    assert "/config" in refused and "Announcements will go to" not in refused  # a member can't even see it
    assert "unexpected" not in refused  # told as Discord would, not as a crash
    assert "Announcements will go to #announcements." in out
    assert "Countdown steps: 30d" not in out and "Countdown steps: 7d,1d,0." in out
    assert f"Added Seoul encore: {DAY:%B} {DAY.day}, {DAY.year} · Seoul." in out
    posted = answer = out.split("> :advance 7d\n", 1)[1]
    assert "-- new message in #announcements --\n| ⏳ 7 days to go: Seoul encore" in answer
    assert posted.count("-- new message in #announcements --") == 1  # the 1d and 0 steps are still to come
