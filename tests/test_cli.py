"""``python -m bot``: what a person sees at the terminal."""

from __future__ import annotations

import shutil
import sqlite3

from bot import __version__


def ok_line(pack, path: str) -> str:
    return (f"ok  {pack.id:<12} {len(pack.artists)} artists, {len(pack.songs)} songs, {len(pack.tours)} tours, "
            f"{len(pack.shows)} shows, {len(pack.facts)} facts, {len(pack.questions)} questions  ({path})")


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
        "lightstick: the database is at schema version 999, newer than this Lightstick knows (3); "
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
        encoding="utf-8")
    database = tmp_path / "db.sqlite3"
    env = {"LIGHTSTICK_PACKS": str(packs), "DATABASE_PATH": str(database)}
    assert cli("ingest", **env).returncode == 0

    facts = extra / "artists.toml"
    facts.write_text(facts.read_text(encoding="utf-8").replace('text = "IU and V."', 'text = "IU and V!"'),
                     encoding="utf-8")
    result = cli("ingest", str(extra), **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("Loaded 1 pack(s)")
    assert "  facts      +0       ~1       -0" in result.stdout.splitlines()
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM facts WHERE pack_id = 'iu'").fetchone()[0] == 39
        assert conn.execute("SELECT text FROM facts WHERE id = 'extra-fact'").fetchone()[0] == "IU and V!"
    check = cli("check", str(extra), **env)
    assert check.returncode == 0 and check.stdout.startswith("ok  extra")
