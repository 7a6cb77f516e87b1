"""``python -m bot``: what a person sees at the terminal."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import __version__
from bot.db.migrate import migrations
from tests.conftest import ROOT, cli_env, cli_popen

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]


def ok_line(pack, path: str) -> str:
    return (
        f"ok  {pack.id:<12} {len(pack.artists)} artists, {len(pack.songs)} songs, {len(pack.tours)} tours, "
        f"{len(pack.shows)} shows, {len(pack.facts)} facts, {len(pack.questions)} questions  ({path})"
    )


def test_help_lists_every_command(cli):
    result = cli("--help")
    assert result.returncode == 0
    listed = result.stdout.split("positional arguments:")[1].split("options:")[0]
    for command in ("check", "ingest", "run", "sync", "playground"):
        assert f"\n    {command}" in listed
    assert "python -m bot playground" in result.stdout


def test_no_command_is_a_usage_error(cli):
    result = cli()
    assert result.returncode == 2
    assert "usage: lightstick" in result.stderr and "Traceback" not in result.stderr


def test_version(cli):
    result = cli("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"lightstick {__version__}")


def test_check_shipped_pack(cli_many, shipped_packs, shipped_pack):
    (pack,) = shipped_packs
    default, explicit, folder = cli_many(("check",), ("check", "data/packs/iu"), ("check", str(shipped_pack.parent)))
    for result in (default, explicit, folder):
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [ok_line(pack, "data/packs/iu")]
        assert result.stderr == ""


def test_check_prints_pack_warnings_plainly_before_the_ok_line(cli, pack_copy, pack_file, shipped_packs):
    """A warning (a title fans can't type) doesn't reject the pack; check prints it as a plain line, not
    with the logging prefix ("WARNING:bot.content.loader:..."), then the pack's ok line."""
    f = pack_file("songs.toml")
    line = f.key_line("love-wins-all", "title")
    f.set_line(line, 'title = "♡"')
    f.set_line(f.key_line("love-wins-all", "title_ko"), None)
    f.set_line(f.key_line("love-wins-all", "aliases"), None)
    (pack,) = shipped_packs
    result = cli("check", str(pack_copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{pack_copy / 'songs.toml'}:{line}: song 'love-wins-all': warning: title '♡' has no letters or digits, "
        "so fans can only find it by typing it exactly; add an alias they can type to 'aliases'",
        ok_line(pack, str(pack_copy)),
    ]
    assert result.stderr == ""


@pytest.mark.parametrize("kind", ["self", "pair"])
def test_check_reports_a_looping_symlink_in_one_line(cli, pack_copy, kind):
    """Issue 9 item 13 from the terminal: the CLI names a problem file without following its link, so a
    symlink loop (to itself, or a pair) is one problem line and exit 2, never a RuntimeError traceback."""
    link = pack_copy / "loop.toml"
    if kind == "self":
        link.symlink_to(link.name)
    else:
        (pack_copy / "other.toml").symlink_to(link.name)
        link.symlink_to("other.toml")
    result = cli("check", str(pack_copy))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{link}: loop.toml is a symlink that leads nowhere (dangling or looping); nothing in it was read" in (
        result.stderr.splitlines()
    )


def test_check_and_ingest_report_a_looping_pack_folder_in_one_line(cli, tmp_path):
    """A pack folder named on the command line that is a symlink loop is a problem line, not a traceback."""
    loop = tmp_path / "loop"
    loop.symlink_to(loop.name)
    for command in ("check", "ingest"):
        result = cli(command, str(loop), DATABASE_PATH=str(tmp_path / "db.sqlite3"))
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0].startswith(f"{loop}: "), result.stderr
    assert not (tmp_path / "db.sqlite3").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_check_of_a_pack_whose_pack_toml_is_a_named_pipe_answers_at_once(pack_copy):
    """Naming a pack folder on the command line reads its pack.toml for the id: only as a regular file, like
    every pack file (a named pipe would block the reader forever). One problem line, exit 2."""
    (pack_copy / "pack.toml").unlink()
    os.mkfifo(pack_copy / "pack.toml")
    proc = cli_popen(("check", str(pack_copy)))
    try:
        _out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 2, err
    assert f"{pack_copy / 'pack.toml'}: pack.toml is not a regular file (a named pipe); nothing in it was read" in (
        err.splitlines()
    )


def test_check_touches_no_database(cli, tmp_path):
    result = cli("check", DATABASE_PATH=str(tmp_path / "db" / "x.sqlite3"))
    assert result.returncode == 0
    assert not (tmp_path / "db").exists()


def test_check_missing_folder(cli, tmp_path):
    missing = tmp_path / "nope"
    result = cli("check", str(missing))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"{missing}: not a pack folder", "1 problem(s); nothing was loaded."]


def test_check_empty_packs_folder(cli, tmp_path):
    result = cli("check", LIGHTSTICK_PACKS=str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"No packs found (looked in {tmp_path}). Run Lightstick from its folder, or set LIGHTSTICK_PACKS "
        "(and LIGHTSTICK_SEEDS) to where your packs and seed articles are."
    ]


def test_ingest_then_nothing_changed(cli, tmp_path, shipped_packs):
    (pack,) = shipped_packs
    database = tmp_path / "data" / "lightstick.sqlite3"
    first = cli("ingest", "--database", str(database))
    assert first.returncode == 0, first.stderr
    assert "Nothing changed" not in first.stdout
    assert f"  facts      +{len(pack.facts):<7} ~0       -0" in first.stdout.splitlines()

    second = cli("ingest", "--database", str(database))
    assert second.returncode == 0
    assert second.stdout.splitlines()[-1] == "  Nothing changed: the database already matched the packs."
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM questions").fetchone()[0] == len(pack.questions)


def test_ingest_uses_database_path_setting(cli, tmp_path):
    database = tmp_path / "from-env.sqlite3"
    result = cli("ingest", DATABASE_PATH=str(database))
    assert result.returncode == 0, result.stderr
    assert database.is_file()
    assert f"into {database} in " in result.stdout.splitlines()[0]


def test_ingest_into_a_newer_database_fails_cleanly(cli, tmp_path, ingested_db):
    conn = sqlite3.connect(ingested_db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    result = cli("ingest", "--database", str(ingested_db))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"lightstick: the database {ingested_db} is at schema version 999, newer than this Lightstick knows "
        f"({len(migrations())}); "
        "upgrade Lightstick or point DATABASE_PATH at another file"
    ]


def test_ingesting_one_pack_leaves_the_others_alone(cli, tmp_path, shipped_pack):
    packs = tmp_path / "packs"
    shutil.copytree(shipped_pack, packs / "iu")
    extra = packs / "extra"
    extra.mkdir()
    (extra / "pack.toml").write_text('[pack]\nid = "extra"\nname = "Extra"\n', encoding="utf-8")
    (extra / "artists.toml").write_text(  # references into the IU pack resolve: packs are checked together
        '[[artist]]\nid = "uaena"\nname = "Uaena"\n\n'
        '[[fact]]\nid = "extra-fact"\nkind = "fact"\nabout = ["artist:iu"]\ntext = "IU and V."\n'
        'source = "004_7c4a4874365c364d.txt"\nquote = "IU and V were star-crossed lovers"\n',
        encoding="utf-8",
    )
    database = tmp_path / "db.sqlite3"
    env = {"LIGHTSTICK_PACKS": str(packs), "DATABASE_PATH": str(database)}
    assert cli("ingest", **env).returncode == 0

    facts = extra / "artists.toml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace('text = "IU and V."', 'text = "IU and V!"'), encoding="utf-8"
    )
    result = cli("ingest", str(extra), **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("Loaded 1 pack(s)")
    assert "  facts      +0       ~1       -0" in result.stdout.splitlines()
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM facts WHERE pack_id = 'iu'").fetchone()[0] == 39
        assert conn.execute("SELECT text FROM facts WHERE id = 'extra-fact'").fetchone()[0] == "IU and V!"
    check = cli("check", str(extra), **env)
    assert check.returncode == 0 and check.stdout.startswith("ok  extra")


# ---------------------------------------------------------------- databases that can't be used (issue 9 item 17)

DAMAGED = (
    "the file is damaged or is not a Lightstick database; restore a backup, or move it aside and run "
    "`python -m bot ingest` to build a new one"
)


def one_line(result) -> str:
    """The one line a failed command printed, besides INFO log lines (LOG_LEVEL=INFO is the default)."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if " INFO    " not in line]
    return line


def test_ingest_into_a_garbled_file_is_one_line_and_changes_nothing(cli, tmp_path):
    database = tmp_path / "garbled.sqlite3"
    database.write_bytes(bytes(range(256)) * 64)
    before = database.read_bytes()
    line = one_line(cli("ingest", "--database", str(database)))
    assert line == f"lightstick: the database {database} can't be used: file is not a database; {DAMAGED}"
    assert database.read_bytes() == before


def test_ingest_into_a_truncated_database_is_one_line_and_changes_nothing(cli, tmp_path, ingested_db):
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(ingested_db.read_bytes()[:40_000])
    before = truncated.read_bytes()
    line = one_line(cli("ingest", "--database", str(truncated)))
    assert line == (
        f"lightstick: the database {truncated} can't be used: database disk image is malformed; the file "
        "is damaged; restore a backup, or move it aside and run `python -m bot ingest` to build a new one"
    )
    assert truncated.read_bytes() == before


def test_refusing_a_damaged_wal_database_leaves_its_folder_as_found(cli, tmp_path, ingested_db):
    """Even a read-only open of a database in WAL mode creates its -wal and -shm files; a refusal removes
    the ones it made, and never a -wal or -shm that was there before."""
    folder = tmp_path / "damaged"
    folder.mkdir()
    truncated = folder / "truncated.sqlite3"
    truncated.write_bytes(ingested_db.read_bytes()[:40_000])
    assert truncated.read_bytes()[18:20] == b"\x02\x02"  # the header says WAL mode
    for command in ("ingest", "run"):
        line = one_line(cli(command, DISCORD_TOKEN="not.a.real-token", DATABASE_PATH=str(truncated)))
        assert line == (
            f"lightstick: the database {truncated} can't be used: database disk image is malformed; the file "
            "is damaged; restore a backup, or move it aside and run `python -m bot ingest` to build a new one"
        )
        assert sorted(p.name for p in folder.iterdir()) == ["truncated.sqlite3"]
    (folder / "truncated.sqlite3-shm").write_bytes(b"")  # someone else's: kept
    one_line(cli("ingest", "--database", str(truncated)))
    assert sorted(p.name for p in folder.iterdir()) == ["truncated.sqlite3", "truncated.sqlite3-shm"]


def test_run_refuses_a_damaged_database_before_connecting(cli, tmp_path):
    database = tmp_path / "garbled.sqlite3"
    database.write_bytes(b"SQLite format 3\x00" + bytes(4080))
    before = database.read_bytes()
    line = one_line(cli("run", DISCORD_TOKEN="not.a.real-token", DATABASE_PATH=str(database)))
    assert line.startswith(f"lightstick: the database {database} can't be used: ")
    assert "not.a.real-token" not in line
    assert database.read_bytes() == before


def test_database_path_that_is_a_folder_is_one_line(cli, tmp_path):
    folder = tmp_path / "db.sqlite3"
    folder.mkdir()
    for command in ("ingest", "run"):
        line = one_line(cli(command, DISCORD_TOKEN="not.a.real-token", DATABASE_PATH=str(folder)))
        assert line == (
            f"lightstick: the database {folder} is a folder, not a file; set DATABASE_PATH (or "
            f"--database) to a file such as {folder / 'lightstick.sqlite3'}"
        )
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/null").exists(), reason="named pipes, /dev/null")
@pytest.mark.parametrize("kind", ["named pipe", "device"])
def test_database_path_that_is_a_named_pipe_or_a_device_is_one_line(tmp_path, kind):
    """A DATABASE_PATH that is not a regular file is refused before SQLite opens it: a named pipe would block
    `ingest` and `run` forever, and /dev/null would swallow the migrations and end in a misleading disk error."""
    if kind == "named pipe":
        path = tmp_path / "db.sqlite3"
        os.mkfifo(path)
    else:
        path = Path("/dev/null")
    for command in ("ingest", "run"):
        proc = cli_popen((command,), DISCORD_TOKEN="not.a.real-token", DATABASE_PATH=str(path))
        try:
            out, err = proc.communicate(timeout=20)
        finally:
            proc.kill()
            proc.wait()
        line = one_line(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
        assert line == (
            f"lightstick: the database {path} is not a regular file (a {kind}); set DATABASE_PATH "
            "(or --database) to a file such as data/lightstick.sqlite3"
        )


def test_database_under_a_file_is_one_line(cli, tmp_path):
    (tmp_path / "data").write_text("not a folder")
    database = tmp_path / "data" / "lightstick.sqlite3"
    line = one_line(cli("ingest", "--database", str(database)))
    assert line == (
        f"lightstick: the database {database} can't be created: {tmp_path / 'data'} is a file, not a "
        "folder; set DATABASE_PATH (or --database) to a path in a folder"
    )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write to read-only folders")
def test_database_in_a_read_only_folder_is_one_line(cli, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        line = one_line(cli("ingest", "--database", str(folder / "new.sqlite3")))
    finally:
        folder.chmod(0o755)
    assert line.startswith(f"lightstick: the database {folder / 'new.sqlite3'} can't be used: ")
    assert line.endswith("you may write to the file and to its folder")


def _small_disk(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child: writes past `limit` bytes fail as on a full disk (EFBIG, not a signal)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(resource is None or not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file-size limits")
def test_disk_full_during_ingest_names_the_real_cause_and_changes_nothing(tmp_path, db_dump):
    from bot.db.migrate import connect

    database = tmp_path / "full.sqlite3"
    connect(database).close()  # an empty, migrated database; the ingest's pages can't be written
    before = db_dump(database)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", "--database", str(database)],
        cwd=ROOT,
        env=cli_env(),
        text=True,
        capture_output=True,
        timeout=60,
        # a fixed cap, not the empty database's size: the ingest's write-ahead log must not fit
        # under it however many community tables the migrations add
        preexec_fn=_small_disk(min(database.stat().st_size, 64 * 1024) + 4096),
    )
    line = one_line(proc)
    assert "cannot rollback" not in line
    assert line.startswith(f"lightstick: the database {database} can't be used: ")
    assert line.endswith(
        (
            "; free some disk space and try again",
            "; the disk could not be read or written; check the disk and free space",
        )
    )
    assert db_dump(database) == before


# ---------------------------------------------------------------- two ingests at once (issue 9 item 16)


def _ingests_at_once(cli_many, database: Path, rounds: int) -> None:
    for _ in range(rounds):
        results = cli_many(("ingest", "--database", str(database)), ("ingest", "--database", str(database)))
        for result in results:
            assert result.returncode == 0, result.stderr
            assert result.stderr == ""
        changed = ["Nothing changed" not in r.stdout for r in results]
        assert changed.count(True) <= 1  # the second one waited and found the work done


def test_two_ingests_at_once_on_a_new_database_both_succeed(cli_many, tmp_path, shipped_packs):
    (pack,) = shipped_packs
    for attempt in range(3):
        database = tmp_path / f"new-{attempt}.sqlite3"
        _ingests_at_once(cli_many, database, rounds=1)
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == len(pack.facts)


def test_two_ingests_at_once_on_an_existing_database_both_succeed(cli_many, ingested_db):
    _ingests_at_once(cli_many, ingested_db, rounds=2)


# ---------------------------------------------------------------- Discord can't be reached (issue 9 items 2, 18)

TOKEN = "MTIzNDU2Nzg5MDEy.GhIjKl.fake-token-never-shown"
AGAINST = (
    "import sys, discord.http, discord.gateway, yarl;"
    "discord.http.Route.BASE = sys.argv[1] + '/api/v10';"
    "discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[1].replace('http', 'ws'));"
    "from bot.__main__ import main; sys.exit(main(sys.argv[2:]))"
)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: connections are refused


async def run_against(base: str, ingested_db: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        AGAINST,
        base,
        *(args or ("run",)),
        cwd=ROOT,
        env=cli_env(DISCORD_TOKEN=TOKEN, DATABASE_PATH=str(ingested_db), **env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return subprocess.CompletedProcess(args, proc.returncode or 0, out.decode(), err.decode())


@pytest.mark.parametrize("command", ["run", "sync"])
async def test_run_when_discord_cannot_be_reached_is_one_line(ingested_db, command):
    base = f"http://127.0.0.1:{_closed_port()}"
    result = await run_against(base, ingested_db, command, LOG_LEVEL="INFO")
    line = one_line(result)
    what = "log in" if command == "run" else "sync the commands"
    assert line.startswith(f"lightstick: could not reach Discord to {what} (Cannot connect to host 127.0.0.1:")
    assert line.endswith(
        "); check this machine's internet connection, DNS, proxy and firewall, and "
        "https://discordstatus.com (LOG_LEVEL=DEBUG shows the details)"
    )
    assert TOKEN not in result.stderr + result.stdout and "GhIjKl" not in result.stderr
    assert "PyNaCl" not in result.stderr and "davey" not in result.stderr and "voice" not in result.stderr


async def test_run_when_discord_cannot_be_reached_shows_the_traceback_at_debug(ingested_db):
    result = await run_against(f"http://127.0.0.1:{_closed_port()}", ingested_db, LOG_LEVEL="DEBUG")
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "ClientConnectorError" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("lightstick: could not reach Discord to log in (")
    assert "fake-token-never-shown" not in result.stderr


async def test_run_with_a_token_discord_refuses_is_one_line(emulator, ingested_db):
    base = emulator.api_base.removesuffix("/api/v10")
    result = await run_against(base, ingested_db, LOG_LEVEL="INFO")
    assert one_line(result) == (
        "lightstick: Discord refused the token in DISCORD_TOKEN (Improper token has been passed.). It is mistyped "
        "or was reset: copy a new one from https://discord.com/developers/applications > your application > Bot > "
        "Reset Token"
    )
    assert "fake-token-never-shown" not in result.stderr
