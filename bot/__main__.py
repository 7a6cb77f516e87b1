"""Command line: ``python -m bot <command>`` (also installed as ``lightstick``)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from bot import __version__
from bot.content.files import MAX_PACK_FILE_BYTES, read_regular_file
from bot.content.loader import Problem, discover, load_packs, tomllib
from bot.content.model import Pack
from bot.db.migrate import SchemaError, explain, preflight
from bot.errors import ConfigError
from bot.settings import Settings, load_settings

log = logging.getLogger("bot")
T = TypeVar("T")
INGEST_WAIT_MS = 120_000  # a second `ingest` waits this long for the first one's write lock

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2
NO_PACKS = (
    "No packs found (looked in {where}). Run Lightstick from its folder, or set LIGHTSTICK_PACKS "
    "(and LIGHTSTICK_SEEDS) to where your packs and seed articles are."
)


def _display(path: Path) -> str:
    """``path`` as a user gave it, relative to the current folder when it is inside it. Never raises: a symlink
    loop (RuntimeError from resolve() before Python 3.13, OSError after) is named by its folder and name."""
    try:
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # a looping symlink: name the link itself, not what it leads to
            resolved = path.parent.resolve() / path.name
        return str(resolved.relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s); nothing was loaded.", file=sys.stderr)


def _print_warnings(warnings: list[Problem], packs: list[Pack], only: set[str] | None) -> None:
    """Warnings (a pack that loads, with something a moderator may want to fix) as plain lines on stdout, before
    the result, like problems (``file:line: entry: warning: ...``); with ``only``, the named packs' alone."""
    shown = [pack.path.rstrip("/") + "/" for pack in packs if only is None or pack.id in only]
    for warning in warnings:
        if only is None or any(warning.file.startswith(folder) for folder in shown):
            print(warning)


def _pack_id(directory: Path) -> str | None:
    """The id in ``directory``'s pack.toml, read as every pack file is (a regular file inside the folder, of
    bounded size: a named pipe or /dev/zero is not waited on); None when it can't be had (the loader says why)."""
    text, _why = read_regular_file(directory / "pack.toml", directory, MAX_PACK_FILE_BYTES)
    try:
        return str(tomllib.loads(text)["pack"]["id"]) if text is not None else None
    except (ValueError, KeyError, TypeError):
        return None


def _resolved(path: Path) -> Path:
    """``path.resolve()``, or its absolute form for a symlink loop (which the loader reports as one problem)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _pack_dirs(paths: Sequence[str], settings: Settings) -> tuple[list[Path], set[str] | None]:
    """The pack folders to validate, and which pack ids to (re)load: None means all of them.

    Named packs are validated together with every other installed pack (references may cross packs), and
    a named folder replaces an installed pack with the same id, so `ingest data/packs/mypack` replaces
    mypack and leaves the other packs alone.
    """
    installed = discover(settings.packs_dir)
    if not paths:
        return installed, None
    named: list[Path] = []
    for raw in paths:
        path = Path(raw)
        # A packs folder (holding pack folders) expands; a pack folder stands for itself.
        named.extend(discover(path) if path.is_dir() and not any(path.glob("*.toml")) else [path])
    named_ids = {_pack_id(d) for d in named}
    named_paths = {_resolved(d) for d in named}
    others = [d for d in installed if _resolved(d) not in named_paths and _pack_id(d) not in named_ids]
    return named + others, {i for i in named_ids if i}


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    dirs, only = _pack_dirs(args.paths, settings)
    if not dirs:
        print(NO_PACKS.format(where=_display(settings.packs_dir)), file=sys.stderr)
        return EXIT_BAD_INPUT
    warnings: list[Problem] = []
    packs, problems = load_packs(dirs, settings.seeds_dir, display=_display, warnings=warnings)
    if problems:
        _print_problems(problems)
        return EXIT_BAD_INPUT
    _print_warnings(warnings, packs, only)
    for pack in packs:
        if only is not None and pack.id not in only:
            continue
        print(
            f"ok  {pack.id:<12} {len(pack.artists)} artists, {len(pack.songs)} songs, {len(pack.tours)} tours, "
            f"{len(pack.shows)} shows, {len(pack.facts)} facts, {len(pack.questions)} questions  ({pack.path})"
        )
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db.fingerprint import packs_fingerprint, unchanged
    from bot.db.ingest import IngestReport, ingest
    from bot.db.migrate import connect

    started = time.perf_counter()
    dirs, only = _pack_dirs(args.paths, settings)
    database = _database(args, settings)
    # the same files as at the last ingest into this database, which nothing has changed since: nothing to do
    fingerprint = packs_fingerprint(dirs, settings.seeds_dir, only) if dirs else None
    if fingerprint is not None and database.is_file():
        preflight(database)
        conn = connect(database, busy_timeout_ms=INGEST_WAIT_MS)
        try:
            same = unchanged(conn, fingerprint)
        finally:
            conn.close()
        if same:
            print(
                f"Checked {len(dirs) if only is None else len(only)} pack(s) against {_display(database)} in "
                f"{time.perf_counter() - started:.2f}s: their files are as at the last ingest "
                "(+added ~updated -removed):"
            )
            for line in IngestReport.nothing().lines():
                print("  " + line)
            print("  Nothing changed: the database already matched the packs.")
            return EXIT_OK
    warnings: list[Problem] = []
    packs, problems = load_packs(dirs, settings.seeds_dir, display=_display, warnings=warnings)
    if problems:
        _print_problems(problems)
        return EXIT_BAD_INPUT
    _print_warnings(warnings, packs, only)
    if not packs:
        print(NO_PACKS.format(where=_display(settings.packs_dir)), file=sys.stderr)
        return EXIT_BAD_INPUT
    preflight(database)
    conn = connect(database, busy_timeout_ms=INGEST_WAIT_MS)
    try:
        report = ingest(conn, packs, only=only, fingerprint=fingerprint)
    finally:
        conn.close()
    elapsed = time.perf_counter() - started
    loaded = len(packs) if only is None else len(only)
    print(f"Loaded {loaded} pack(s) into {_display(database)} in {elapsed:.2f}s (+added ~updated -removed):")
    for line in report.lines():
        print("  " + line)
    if not report.changed:
        print("  Nothing changed: the database already matched the packs.")
    return EXIT_OK


def _database(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.database) if getattr(args, "database", None) else settings.database_path


def _quiet_voice() -> None:
    """discord.py warns at start-up that PyNaCl and davey (voice) are missing; Lightstick never joins voice."""
    import discord

    discord.VoiceClient.warn_nacl = False
    if hasattr(discord.VoiceClient, "warn_dave"):
        discord.VoiceClient.warn_dave = False


def _talk_to_discord(settings: Settings, token: str, what: str, work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``work`` (which logs in to Discord) and turn the ways it fails into one :class:`ConfigError` line.

    Issue 9 items 2 and 18: an unreachable Discord and a refused token each get one line saying what failed
    and what to check; the traceback is logged only at LOG_LEVEL=DEBUG; the token never appears.
    """
    import aiohttp
    import discord

    _quiet_voice()
    try:
        return asyncio.run(work())
    except discord.LoginFailure as error:
        log.debug("login failed", exc_info=True)
        raise ConfigError(
            f"Discord refused the token in DISCORD_TOKEN ({_scrub(error, token)}). It is mistyped or was reset: "
            "copy a new one from https://discord.com/developers/applications > your application > Bot > "
            "Reset Token"
        ) from None
    except discord.PrivilegedIntentsRequired:
        log.debug("intents refused", exc_info=True)
        raise ConfigError(
            "Discord refused a privileged intent this bot asked for; Lightstick needs none, so "
            "this is a bug: please report it"
        ) from None
    except (
        TimeoutError,
        aiohttp.ClientError,
        OSError,
        discord.GatewayNotFound,
        discord.ConnectionClosed,
        discord.DiscordServerError,
    ) as error:
        log.debug("could not reach Discord", exc_info=True)
        cause = _scrub(error, token) or type(error).__name__
        raise ConfigError(
            f"could not reach Discord to {what} ({cause}); check this machine's internet connection, DNS, proxy "
            "and firewall, and https://discordstatus.com (LOG_LEVEL=DEBUG shows the details)"
        ) from None


def _scrub(error: BaseException, token: str) -> str:
    """An error's text on one line, with the token (if it ever appears) replaced by ***."""
    text = " ".join(str(error).split())
    return text.replace(token, "***") if token else text


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import run_bot

    token = settings.require_token()
    preflight(settings.database_path)  # a damaged database is refused before anything is served
    _talk_to_discord(settings, token, "log in", lambda: run_bot(settings, token))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import sync_commands

    token = settings.require_token()
    guild = args.guild if args.guild is not None else None
    preflight(settings.database_path)
    count = _talk_to_discord(settings, token, "sync the commands", lambda: sync_commands(settings, token, guild))
    where = f"server {guild}" if guild else "all servers (global commands can take up to an hour to appear)"
    print(f"Synced {count} command(s) to {where}.")
    return EXIT_OK


def cmd_playground(args: argparse.Namespace, settings: Settings) -> int:
    from bot.playground.terminal import main as playground_main

    return playground_main(settings, script=args.script, fresh=args.fresh)


def _guild_id(text: str) -> int:
    """A server id for ``sync --guild``: 0 or a non-number would otherwise mean a global sync."""
    from bot.settings import SNOWFLAKE_MAX

    if text.isascii() and text.isdigit() and 0 < int(text) <= SNOWFLAKE_MAX:
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not a server id (a long number such as 123456789012345678)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lightstick",
        description="Lightstick: a Discord bot for fan communities.",
        epilog="Start with: python -m bot playground (no Discord account needed).",
    )
    parser.add_argument("--version", action="version", version=f"lightstick {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("check", help="validate packs without touching a database")
    p.add_argument("paths", nargs="*", help="pack folders (default: every pack in data/packs)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("ingest", help="validate every pack, then load them into the database in one transaction")
    p.add_argument("paths", nargs="*", help="pack folders (default: every pack in data/packs)")
    p.add_argument("--database", help="database file (default: DATABASE_PATH)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("run", help="connect to Discord and serve (needs DISCORD_TOKEN)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("sync", help="push the slash commands to Discord now")
    p.add_argument("--guild", type=_guild_id, metavar="ID", help="sync to one server instead of globally")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("playground", help="try the bot in this terminal against a local Discord emulator")
    p.add_argument("--script", metavar="FILE", help="read commands from FILE instead of standard input")
    p.add_argument("--fresh", action="store_true", help="rebuild the playground database from the packs")
    p.set_defaults(func=cmd_playground)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; every expected failure is one ``lightstick: ...`` line on stderr and exit 1."""
    args = build_parser().parse_args(argv)
    settings: Settings | None = None
    try:
        settings = load_settings()
        logging.basicConfig(
            level=settings.log_level,
            format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
            stream=sys.stderr,
        )
        return int(args.func(args, settings))
    except (ConfigError, SchemaError) as error:
        print(f"lightstick: {error}", file=sys.stderr)
        return EXIT_FAIL
    except sqlite3.Error as error:  # the database, wherever it failed (issue 9 item 17)
        if settings is None:
            raise
        log.debug("database error", exc_info=True)
        print(f"lightstick: {explain(_database(args, settings), error)}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
