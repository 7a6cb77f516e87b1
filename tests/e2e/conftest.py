"""End-to-end fixtures: the production bot (bot.app.open_bot) against the loopback Discord emulator."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import discord
import orjson
import pytest
import pytest_asyncio

from bot.app import Lightstick, ensure_content, open_bot
from bot.clock import FrozenClock
from bot.playground.emulator import Channel, Emulator, Guild, Member, run_client
from bot.settings import DEFAULT_PACKS, DEFAULT_SEEDS, Secret, Settings

# The day the e2e world stands on: after every shipped tour date, so the tour is over.
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)


@dataclasses.dataclass
class World:
    emu: Emulator
    bot: Lightstick
    clock: FrozenClock
    guild: Guild
    general: Channel
    announcements: Channel
    read_only: Channel
    admin: Member
    mod: Member
    fan: Member
    fan_ko: Member
    # every REST request body the bot sent, as (method, path, json): see record_bodies()
    bodies: list[tuple[str, str, Any]] = dataclasses.field(default_factory=list)


def make_settings(tmp_path: Path, **changes: object) -> Settings:
    base = Settings(
        token=Secret(""),
        database_path=tmp_path / "lightstick.sqlite3",
        log_level="INFO",
        dev_guild_id=None,
        packs_dir=DEFAULT_PACKS,
        seeds_dir=DEFAULT_SEEDS,
    )
    return dataclasses.replace(base, **changes)


def populate(emu: Emulator) -> dict[str, object]:
    guild = emu.add_guild("IU Fan Club", locale="en-US")
    mods = emu.add_role(guild, "Moderators", permissions=discord.Permissions(manage_guild=True).value)
    return {
        "guild": guild,
        "general": emu.add_channel(guild, "general"),
        "announcements": emu.add_channel(guild, "announcements"),
        "read_only": emu.add_channel(guild, "read-only", bot_can_send=False),
        "admin": emu.add_member(guild, "Ada", administrator=True, locale="en-US"),
        "mod": emu.add_member(guild, "Min", roles=[mods], locale="ko"),
        "fan": emu.add_member(guild, "Uaena", locale="en-US"),
        "fan_ko": emu.add_member(guild, "유애나", locale="ko"),
    }


@pytest.fixture(scope="session")
def content_database(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The database file the bot makes for itself on its first start (``ensure_content``: migrated, the shipped
    packs ingested), made once per test process. ``world`` starts each bot on a copy (unless the test put a
    database of its own at ``tmp_path / "lightstick.sqlite3"`` first), so the first-start ingest
    (tested on its own in test_lifecycle, test_restart and the fault tests) is not paid again by every test."""
    settings = make_settings(tmp_path_factory.mktemp("content"))
    ensure_content(settings)
    assert not Path(f"{settings.database_path}-wal").exists()  # closed cleanly: the file holds everything
    return settings.database_path.read_bytes()


@pytest_asyncio.fixture
async def world(tmp_path: Path, content_database: bytes) -> AsyncIterator[World]:
    settings = make_settings(tmp_path)
    if not settings.database_path.exists():  # a test's own fixture may have made one there already
        settings.database_path.write_bytes(content_database)
    emu = Emulator()
    await emu.start()
    people = populate(emu)
    clock = FrozenClock(NOW)
    bodies = record_bodies(emu)
    try:
        async with open_bot(settings, clock) as bot, run_client(emu, bot):
            yield World(emu=emu, bot=bot, clock=clock, bodies=bodies, **people)  # type: ignore[arg-type]
            assert not emu.violations, f"Discord would have rejected: {emu.violations}"
            assert not emu.unhandled, f"routes the emulator doesn't serve: {emu.unhandled}"
    finally:
        await emu.stop()


@pytest.fixture
def now() -> dt.datetime:
    return NOW


# ---------------------------------------------------------------- helpers for the e2e tests


def record_bodies(emu: Emulator) -> list[tuple[str, str, Any]]:
    """Keep a copy of every REST request body the bot sends (the emulator itself only records
    method, path and status in ``emu.requests``)."""
    bodies: list[tuple[str, str, Any]] = []
    route = emu._route

    async def recording(req: Any) -> Any:
        bodies.append((req.method, req.path, _copy_json(req.json)))
        return await route(req)

    emu._route = recording  # type: ignore[method-assign]
    return bodies


def _copy_json(value: Any) -> Any:
    """A deep copy of a parsed JSON body; through orjson, several times cheaper than copy.deepcopy."""
    try:
        return orjson.loads(orjson.dumps(value))
    except TypeError:  # not plain JSON after all
        return copy.deepcopy(value)


def message_payloads(bodies: list[tuple[str, str, Any]]) -> list[dict[str, Any]]:
    """The message payloads among recorded bodies: interaction callbacks that carry a message
    (types 4 and 7), follow-ups and edits of interaction messages, and channel messages."""
    out = []
    for method, path, body in bodies:
        if not isinstance(body, dict):
            continue
        if path.endswith("/callback"):
            if body.get("type") in (4, 7) and isinstance(body.get("data"), dict):
                out.append(body["data"])
        elif path.startswith("/webhooks/") or (
            path.startswith("/channels/") and "/messages" in path and method in ("POST", "PATCH")
        ):
            out.append(body)
    return out


@contextlib.asynccontextmanager
async def running_bot(
    emu: Emulator, settings: Settings, clock: FrozenClock, ready_timeout: float = 10.0
) -> AsyncIterator[Lightstick]:
    """The production bot, started against ``emu`` (which must already be started); ``ready_timeout``
    (seconds) bounds setup_hook, which builds the name indexes before the bot says it is ready."""
    async with open_bot(settings, clock) as bot, run_client(emu, bot, timeout=ready_timeout):
        yield bot


def local_midnight(day: dt.date, zone: str) -> int:
    """The Unix time of the start of ``day`` in ``zone``: what a date-only <t:...> should carry."""
    return int(dt.datetime.combine(day, dt.time(0), ZoneInfo(zone)).timestamp())


def embed_size(embed: dict[str, Any]) -> int:
    """The characters Discord counts towards an embed's 6,000 limit."""
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("footer") or {}).get("text") or "") + len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        size += len(f.get("name") or "") + len(f.get("value") or "")
    return size


def assert_embed_within_limits(embed: dict[str, Any]) -> None:
    assert embed_size(embed) <= 6000
    assert len(embed.get("title") or "") <= 256
    assert len(embed.get("description") or "") <= 4096
    assert len(embed.get("fields") or []) <= 25
    for f in embed.get("fields") or []:
        assert 1 <= len(f["name"]) <= 256 and 1 <= len(f["value"]) <= 1024
    assert len((embed.get("footer") or {}).get("text") or "") <= 2048


def fields(embed: dict[str, Any]) -> dict[str, str]:
    """An embed's fields by name (the last one wins if names repeat)."""
    return {f["name"]: f["value"] for f in embed.get("fields") or []}


def labels(result: Any) -> list[str]:
    return [b.get("label") for b in result.buttons]


def assert_choices_ok(choices: list[dict[str, Any]] | None) -> None:
    """What Discord accepts for autocomplete: at most 25 choices, names 1-100 characters."""
    assert choices is not None
    assert len(choices) <= 25
    for c in choices:
        assert 1 <= len(c["name"]) <= 100, c
        assert 1 <= len(str(c["value"])) <= 100, c


def public_messages(emu: Emulator, channel: Channel) -> list[dict[str, Any]]:
    """Everything anyone can see in ``channel``: channel posts *and* public interaction responses.

    (``emu.channel_messages`` only returns POST /channels/{id}/messages, so a public interaction reply
    would not show up there.)"""
    return [emu._messages[i] for i in channel.message_ids if i in emu._messages]


# ---------------------------------------------------------------- timestamps and citations

STAMP = re.compile(r"<t:(-?\d+):([tTdDfFR])>")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# A date-only event is shown as the plain text of its own calendar date ("January 24, 2024",
# "2024년 1월 24일"): the same for every reader, wherever they live (issue 9, item 4).
DAY = re.compile(r"\b(?:" + "|".join(MONTHS) + r") \d{1,2}, \d{4}\b|\b\d{4}년 \d{1,2}월 \d{1,2}일")


def norm(text: str) -> str:
    """``text`` with every calendar date replaced by ``<date>``; check the dates with assert_days."""
    return DAY.sub("<date>", text)


def assert_days(text: str, *days: dt.date, lang: str = "en") -> None:
    """The calendar dates in ``text`` are, in order, ``days``; none is a <t:..:D> stamp (which shows the
    date of an instant in each reader's zone, a day off for some of them)."""
    assert not [n for n, style in STAMP.findall(text) if style == "D"], text
    expected = [
        f"{d.year}년 {d.month}월 {d.day}일" if lang == "ko" else f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
        for d in days
    ]
    assert DAY.findall(text) == expected, (text, expected)


def cite(world: World, source: str, lang: str = "en") -> str:
    """How the bot names a seed article to fans."""
    catalog = world.bot.catalog
    return catalog.cite(source, lang) if hasattr(catalog, "cite") else f"seeds/{source}"
