"""Command line: ``python -m bot <command>`` (also installed as ``lightstick``)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.content.loader import Problem, discover, load_packs, tomllib
from bot.db.migrate import SchemaError
from bot.errors import ConfigError
from bot.settings import Settings, load_settings

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2
NO_PACKS = ("No packs found (looked in {where}). Run Lightstick from its folder, or set LIGHTSTICK_PACKS "
            "(and LIGHTSTICK_SEEDS) to where your packs and seed articles are.")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s); nothing was loaded.", file=sys.stderr)


def _pack_id(directory: Path) -> str | None:
    try:
        return str(tomllib.loads((directory / "pack.toml").read_text(encoding="utf-8"))["pack"]["id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


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
    named_paths = {d.resolve() for d in named}
    others = [d for d in installed if d.resolve() not in named_paths and _pack_id(d) not in named_ids]
    return named + others, {i for i in named_ids if i}


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    dirs, only = _pack_dirs(args.paths, settings)
    if not dirs:
        print(NO_PACKS.format(where=_display(settings.packs_dir)), file=sys.stderr)
        return EXIT_BAD_INPUT
    packs, problems = load_packs(dirs, settings.seeds_dir, display=_display)
    if problems:
        _print_problems(problems)
        return EXIT_BAD_INPUT
    for pack in packs:
        if only is not None and pack.id not in only:
            continue
        print(
            f"ok  {pack.id:<12} {len(pack.artists)} artists, {len(pack.songs)} songs, {len(pack.tours)} tours, "
            f"{len(pack.shows)} shows, {len(pack.facts)} facts, {len(pack.questions)} questions  ({pack.path})"
        )
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.db.ingest import ingest
    from bot.db.migrate import connect

    started = time.perf_counter()
    dirs, only = _pack_dirs(args.paths, settings)
    packs, problems = load_packs(dirs, settings.seeds_dir, display=_display)
    if problems:
        _print_problems(problems)
        return EXIT_BAD_INPUT
    if not packs:
        print(NO_PACKS.format(where=_display(settings.packs_dir)), file=sys.stderr)
        return EXIT_BAD_INPUT
    database = Path(args.database) if args.database else settings.database_path
    conn = connect(database)
    try:
        report = ingest(conn, packs, only=only)
    finally:
        conn.close()
    elapsed = time.perf_counter() - started
    loaded = len(packs) if only is None else len(only)
    print(f"Loaded {loaded} pack(s) into {_display(database)} in {elapsed:.2f}s "
          f"(+added ~updated -removed):")
    for line in report.lines():
        print("  " + line)
    if not report.changed:
        print("  Nothing changed: the database already matched the packs.")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import run_bot

    token = settings.require_token()
    asyncio.run(run_bot(settings, token))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import sync_commands

    token = settings.require_token()
    guild = args.guild if args.guild is not None else None
    count = asyncio.run(sync_commands(settings, token, guild))
    where = f"server {guild}" if guild else "all servers (global commands can take up to an hour to appear)"
    print(f"Synced {count} command(s) to {where}.")
    return EXIT_OK


def cmd_playground(args: argparse.Namespace, settings: Settings) -> int:
    from bot.playground.terminal import main as playground_main

    return playground_main(settings, script=args.script, fresh=args.fresh)


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
    p.add_argument("--guild", type=int, metavar="ID", help="sync to one server instead of globally")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("playground", help="try the bot in this terminal against a local Discord emulator")
    p.add_argument("--script", metavar="FILE", help="read commands from FILE instead of standard input")
    p.add_argument("--fresh", action="store_true", help="rebuild the playground database from the packs")
    p.set_defaults(func=cmd_playground)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        logging.basicConfig(
            level=settings.log_level, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
            stream=sys.stderr,
        )
        return int(args.func(args, settings))
    except (ConfigError, SchemaError) as error:
        print(f"lightstick: {error}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
