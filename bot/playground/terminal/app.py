"""Running the playground: its own database beside the real one, packs reloaded when they changed, the bot
started against the emulator, and the read-handle loop over a terminal (prompt_toolkit) or a pipe."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from bot.settings import Settings

from .meta import TIMES_NOTE
from .parsing import clean_line
from .reader import LineReader, PromptReader
from .screen import Screen
from .session import BotErrorHandler, Session
from .timefmt import local_zone

if TYPE_CHECKING:
    from bot.app import Lightstick

EXIT_OK, EXIT_FAIL = 0, 1
WORLD_SEED = "lightstick-playground"  # changing it gives every server, channel, role and person new ids


class Reader(Protocol):
    async def read(self, prompt: str = "") -> str | None: ...


def playground_settings(settings: Settings) -> Settings:
    """The playground's database is ``playground.sqlite3`` beside the configured one; no dev guild."""
    return dataclasses.replace(
        settings, database_path=settings.database_path.with_name("playground.sqlite3"), dev_guild_id=None
    )


def _remove_database(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def refresh_packs(settings: Settings) -> str | None:
    """When the packs differ from the playground database, load them again.

    The packs are validated on every start (milliseconds for a pack of hand-written size) and ingest compares
    each row's digest, so what changed is found by content: an edit, a file copied in with an old time (an
    unzipped archive, ``cp -p``), a removed file or pack. Only what changed is written. Returns the one line to
    show (``None`` when nothing changed); a pack with problems leaves the old content in place.
    """
    from bot.content.loader import discover, load_packs
    from bot.db import migrate
    from bot.db.ingest import has_content, ingest

    database = settings.database_path
    folders = discover(settings.packs_dir)
    if not database.exists() or not folders:  # no packs at all: keep what the database has
        return None
    conn = migrate.connect(database)
    try:
        if not has_content(conn):
            return None
        packs, problems = load_packs(folders, settings.seeds_dir)
        if problems:
            return (f"(the packs changed but have {len(problems)} problem(s); still serving the old content: "
                    "python -m bot check lists them)")  # fmt: skip
        report = ingest(conn, packs)
    finally:
        conn.close()
    if not report.changed:
        return None
    changes = []
    for table in report.added:
        counts = [
            (report.added[table], "added"),
            (report.updated[table], "changed"),
            (report.removed[table], "removed"),
        ]
        said = ", ".join(f"{n} {word}" for n, word in counts if n)
        if said:
            changes.append(f"{table} {said}")
    return f"(the packs changed since the last run; loaded them: {'; '.join(changes)})"


async def run(
    settings: Settings,
    make_reader: Callable[[Session], Reader],
    screen: Screen,
    interactive: bool,
    *,
    start: dt.datetime | None = None,
    tz: dt.tzinfo | None = None,
) -> int:
    """Start the emulator and the bot, build the world, and read lines until the end or ``:quit``.

    The clock starts at ``start`` (aware; default: now) and times are drawn for a reader in ``tz`` (default:
    this computer's zone): a test replays a transcript at the moment and in the zone it was taken."""
    from bot.app import open_bot
    from bot.clock import FrozenClock
    from bot.playground.emulator import Emulator, run_client

    emu = Emulator(world_seed=WORLD_SEED)  # the same ids every session: settings kept in the database still apply
    await emu.start()
    clock = FrozenClock(start or dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    session = Session(emu, None, clock, screen, interactive)
    session.tz = tz
    handler = BotErrorHandler(session.hint)
    session.logger = handler
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if settings.log_level == "DEBUG" else logging.WARNING)
    try:
        session.build_world()
        async with open_bot(settings, clock, sync_on_start=False) as bot:
            notes = await _end_games_left_running(session, bot)  # before the trivia cog loads and resumes them
            async with run_client(emu, bot):
                session.bot = bot
                await bot.sync_commands()
                if interactive:
                    _welcome(session, bot)
                for note in notes:
                    screen.dim(note)
                session.report_world_changes()
                await _loop(session, make_reader(session), interactive)
        return EXIT_OK
    finally:
        with contextlib.suppress(Exception):
            await emu.stop()
        root.handlers[:], root.level = saved[0], saved[1]


async def _end_games_left_running(session: Session, bot: Lightstick) -> list[str]:
    """Stop the trivia games still running from an earlier session; returns one line to show for each.

    The emulator keeps no messages between sessions, so their question posts are gone: resuming one would
    reveal into a message that no longer exists (a warning in the next session). Their scores stay."""
    from bot.trivia.runner import TriviaRunner

    notes = []
    for game in await TriviaRunner(bot).end_without_messages():
        channel = session.names("channel", game.channel_id)
        guild = next((g for g in session.guilds if g.id == game.guild_id), None)
        if channel is None or guild is None:  # a world from before ids were kept between sessions
            where = "a channel of an older playground"
        else:
            where = f"#{channel}" + ("" if guild is session.guilds[0] else f" in {guild.name}")
        notes.append(
            f"(stopped the trivia game left running in {where} last session: the playground keeps no "
            "messages between sessions; /trivia start begins a new one)"
        )
    return notes


def _welcome(session: Session, bot: object) -> None:
    songs = len(getattr(getattr(bot, "catalog", None), "songs", []) or [])
    session.screen.bold("Lightstick playground")
    session.screen.dim(
        f"a local Discord with {songs} song{'s' if songs != 1 else ''} loaded; nothing leaves this computer"
    )
    session.say(
        f"You are {session.identities['member'].name} in {session.guild.name} #general. Try /song love wins all"
    )
    session.screen.dim(TIMES_NOTE.format(zone=local_zone(session.clock.now(), session.tz)))
    session.screen.dim(":help for help; Tab completes commands, options and the bot's own suggestions")


async def _loop(session: Session, reader: Reader, interactive: bool) -> None:
    watcher = asyncio.create_task(session.watch()) if interactive else None
    try:
        while not session.done:
            line = await reader.read(session.prompt() if interactive else "")
            if line is None:
                break
            shown = clean_line(line)
            if not interactive:
                if not shown or (shown.startswith("#") and session.modal is None):
                    continue
                session.say(("> " if session.modal is None else f"> [{session.prompt().strip()}] ") + shown)
            await session.handle_reporting(line)
            if not interactive:
                session.say()
        if interactive:
            session.say("bye")
    finally:
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher


def main(settings: Settings, script: str | None = None, fresh: bool = False) -> int:
    """Entry point for ``python -m bot playground``; returns the exit status."""
    settings = playground_settings(settings)
    if fresh:
        _remove_database(settings.database_path)
    settings.database_path.parent.mkdir(parents=True, exist_ok=True)
    stream: TextIO
    if script is not None:
        try:
            stream = open(script, encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as error:
            print(f"lightstick: can't read {script}: {error.strerror or error}", file=sys.stderr)
            return EXIT_FAIL
        interactive = False
    else:
        stream = sys.stdin
        interactive = stream is not None and stream.isatty() and sys.stdout.isatty()
        if not interactive:
            with contextlib.suppress(AttributeError, ValueError):
                sys.stdin.reconfigure(errors="replace")  # type: ignore[union-attr]
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    screen = Screen(None if interactive else sys.stdout, color=bool(color))
    try:
        changed = refresh_packs(settings)
        if changed:
            screen.dim(changed)
        return asyncio.run(_run_with_reader(settings, stream, screen, interactive))
    except KeyboardInterrupt:
        print()
        return 130
    except SystemExit as error:  # ensure_content refusing broken packs
        if isinstance(error.code, str):
            print(f"lightstick: {error.code}", file=sys.stderr)
            return EXIT_FAIL
        raise
    finally:
        if stream is not sys.stdin:
            stream.close()


async def _run_with_reader(settings: Settings, stream: TextIO, screen: Screen, interactive: bool) -> int:
    if not interactive:
        return await run(settings, lambda _session: LineReader(stream), screen, interactive)
    from prompt_toolkit.patch_stdout import patch_stdout

    history = settings.database_path.with_name("playground_history")
    with patch_stdout(raw=True):
        return await run(settings, lambda session: PromptReader(session.suggestions, history), screen, interactive)
