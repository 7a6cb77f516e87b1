"""Settings: the token never shows, and a wrong setting is one clear line, not a traceback."""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle

import pytest

from bot.errors import ConfigError
from bot.settings import DEFAULT_DATABASE, PROJECT_ROOT, TOKEN_HELP, Secret, load_settings

TOKEN = "MTIzNDU2Nzg5MDEy.GhIjKl.very-secret-token-value"


@pytest.fixture
def no_env_file(tmp_path):
    return tmp_path / "no.env"  # does not exist


def settings_with(no_env_file, **values):
    return load_settings(env_file=no_env_file, environ=values)


def test_secret_never_shows(no_env_file):
    secret = Secret(TOKEN)
    settings = settings_with(no_env_file, DISCORD_TOKEN=TOKEN)
    renderings = [
        # every way Python formats a value, on purpose
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r}",
        f"{secret!s}",
        f"{secret:>80}",
        "%s" % secret,  # noqa: UP031
        "%r" % secret,  # noqa: UP031
        "{}".format(secret),  # noqa: UP032
        "{0!r}".format(secret),  # noqa: UP030, UP032
        repr(settings),
        str(settings),
        f"{settings}",
        "%s" % (settings,),  # noqa: UP031
        "%r" % (settings,),  # noqa: UP031
        repr(dataclasses.asdict(settings)),
        str([secret]),
        str({"token": secret}),
    ]
    for text in renderings:
        assert TOKEN not in text
        assert "very-secret" not in text
    assert repr(secret) == "Secret('***')" and str(secret) == "***"
    assert repr(Secret("")) == "Secret('')" and str(Secret("")) == ""


def test_secret_in_logs_and_exceptions(no_env_file, caplog):
    settings = settings_with(no_env_file, DISCORD_TOKEN=TOKEN)
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").info("settings %s token %s %r", settings, settings.token, settings.token)
    assert TOKEN not in caplog.text
    assert TOKEN not in str(RuntimeError(settings.token)) + repr(RuntimeError(settings))


def test_secret_reveals_only_on_request(no_env_file):
    settings = settings_with(no_env_file, DISCORD_TOKEN=f"  {TOKEN}\n")
    assert settings.require_token() == TOKEN
    assert type(settings.require_token()) is str
    assert settings.token.reveal() == TOKEN and type(settings.token.reveal()) is str
    assert settings.token == TOKEN  # still compares as the text it holds
    assert TOKEN not in repr(pickle.loads(pickle.dumps(settings)))


def test_missing_token(no_env_file):
    settings = settings_with(no_env_file)
    assert not settings.token
    with pytest.raises(ConfigError) as caught:
        settings.require_token()
    assert str(caught.value) == TOKEN_HELP
    assert "\n" not in TOKEN_HELP


@pytest.mark.parametrize("value", ["abc", "12 34", "-5", "1e9", "0x1f", "¹²³", "١٢٣"])
def test_dev_guild_id_must_be_digits(no_env_file, value):
    with pytest.raises(ConfigError, match=r"^DEV_GUILD_ID must be a server id \(digits\)"):
        settings_with(no_env_file, DEV_GUILD_ID=value)


def test_dev_guild_id(no_env_file):
    assert settings_with(no_env_file, DEV_GUILD_ID=" 123456789012345678 ").dev_guild_id == 123456789012345678
    assert settings_with(no_env_file, DEV_GUILD_ID="").dev_guild_id is None
    assert settings_with(no_env_file).dev_guild_id is None


@pytest.mark.parametrize("value", ["bogus", "LOUD", "5", "info!"])
def test_log_level_must_be_a_level(no_env_file, value):
    with pytest.raises(ConfigError, match=r"^LOG_LEVEL=.* is not a log level; use DEBUG, INFO, WARNING or ERROR$"):
        settings_with(no_env_file, LOG_LEVEL=value)


@pytest.mark.parametrize(
    ("value", "expected"), [("debug", "DEBUG"), (" warning ", "WARNING"), ("", "INFO"), ("ERROR", "ERROR")]
)
def test_log_level(no_env_file, value, expected):
    assert settings_with(no_env_file, LOG_LEVEL=value).log_level == expected


def test_database_path(no_env_file, tmp_path):
    assert settings_with(no_env_file).database_path == DEFAULT_DATABASE
    assert settings_with(no_env_file, DATABASE_PATH="data/other.sqlite3").database_path == (
        PROJECT_ROOT / "data" / "other.sqlite3"
    )
    assert settings_with(no_env_file, DATABASE_PATH=str(tmp_path / "x.db")).database_path == tmp_path / "x.db"
    assert DEFAULT_DATABASE.is_relative_to(PROJECT_ROOT)


def test_env_file_is_read_and_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"DISCORD_TOKEN={TOKEN}\nLOG_LEVEL=DEBUG\nDEV_GUILD_ID=42\n", encoding="utf-8")
    settings = load_settings(env_file=env_file, environ={"LOG_LEVEL": "ERROR"})
    assert settings.token.reveal() == TOKEN
    assert settings.log_level == "ERROR"
    assert settings.dev_guild_id == 42
    # An empty variable in the real environment still wins over the file.
    assert not load_settings(env_file=env_file, environ={"DISCORD_TOKEN": ""}).token


def test_settings_are_frozen(no_env_file):
    settings = settings_with(no_env_file)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.log_level = "DEBUG"  # type: ignore[misc]


# ---------------------------------------------------------------- through the CLI


@pytest.mark.parametrize("command", ["run", "sync"])
def test_missing_token_exits_1_with_one_line(cli, tmp_path, command):
    result = cli(command, DISCORD_TOKEN="")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"lightstick: {TOKEN_HELP}"]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEV_GUILD_ID": "my-server"}, "lightstick: DEV_GUILD_ID must be a server id (digits)."),
        ({"LOG_LEVEL": "bogus"}, "lightstick: LOG_LEVEL='BOGUS' is not a log level; use DEBUG, INFO, WARNING or ERROR"),
    ],
)
def test_bad_setting_exits_1_with_one_line(cli, env, expected):
    result = cli("check", **env)
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(expected)


# ---------------------------------------------------------------- issue 9 item 18


@pytest.mark.parametrize("value", ["0", "000", "18446744073709551616"])
def test_dev_guild_id_zero_or_too_large_is_refused(no_env_file, value):
    with pytest.raises(ConfigError) as caught:
        settings_with(no_env_file, DEV_GUILD_ID=value)
    assert str(caught.value).startswith(
        f"DEV_GUILD_ID={value} is not a server id (server ids are long numbers "
        "such as 123456789012345678). In Discord: Settings > Advanced"
    )
    assert str(caught.value).endswith("or leave DEV_GUILD_ID empty to sync globally")


def test_dev_guild_id_largest_snowflake_is_accepted(no_env_file):
    assert settings_with(no_env_file, DEV_GUILD_ID="18446744073709551615").dev_guild_id == 2**64 - 1


def test_env_file_that_is_not_utf8_is_one_line(tmp_path):
    env = tmp_path / ".env"
    env.write_bytes("DISCORD_TOKEN=abc\nLOG_LEVEL=INFO # caf\xe9\n".encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_settings(env_file=env, environ={})
    assert str(caught.value) == (
        f"{env} is not UTF-8 text (byte 0xe9 at offset 38); save it as UTF-8 (see .env.example)"
    )


def test_env_file_with_korean_in_utf8_is_read(tmp_path):
    env = tmp_path / ".env"
    env.write_text("LOG_LEVEL=WARNING  # 경고\n", encoding="utf-8")
    assert load_settings(env_file=env, environ={}).log_level == "WARNING"


def test_env_file_saved_as_utf8_with_a_bom_reads_its_first_setting(tmp_path):
    """Windows editors save "UTF-8" with a byte-order mark; the first line's key must not become '\ufeffKEY'."""
    env = tmp_path / ".env"
    env.write_text("LOG_LEVEL=WARNING\nDEV_GUILD_ID=123456789012345678\n", encoding="utf-8-sig")
    settings = load_settings(env_file=env, environ={})
    assert (settings.log_level, settings.dev_guild_id) == ("WARNING", 123456789012345678)


@pytest.mark.parametrize("command", [["check"], ["ingest"], ["run"], ["sync"]])
def test_env_file_that_is_not_utf8_stops_every_command_with_one_line(tmp_path, monkeypatch, capsys, command):
    from bot import settings as settings_module
    from bot.__main__ import main

    (tmp_path / ".env").write_bytes(b"DISCORD_TOKEN=\xff\xfe\n")
    monkeypatch.setattr(settings_module, "PROJECT_ROOT", tmp_path)
    assert main(command) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"lightstick: {tmp_path / '.env'} is not UTF-8 text (byte 0xff at offset 14); "
        "save it as UTF-8 (see .env.example)"
    ]


@pytest.mark.parametrize("kind", ["folder", "named pipe", "dangling link"])
def test_env_file_that_is_not_a_file_stops_every_command_with_one_line(tmp_path, monkeypatch, capsys, kind):
    """A .env python-dotenv would skip without a word (a folder, a named pipe, a link to nothing) is one line
    naming it, like every other start-up error, instead of starting with none of its settings."""
    from bot import settings as settings_module
    from bot.__main__ import main

    env = tmp_path / ".env"
    if kind == "folder":
        env.mkdir()
        problem = "is a folder, not a file"
    elif kind == "named pipe":
        if not hasattr(os, "mkfifo"):
            pytest.skip("named pipes")
        os.mkfifo(env)
        problem = "is not a regular file"
    else:
        env.symlink_to(tmp_path / "secrets.env")
        problem = f"is a link to {tmp_path / 'secrets.env'}, which doesn't exist"
    monkeypatch.setattr(settings_module, "PROJECT_ROOT", tmp_path)
    for command in (["check"], ["ingest"], ["run"], ["sync"]):
        assert main(command) == 1
        out, err = capsys.readouterr()
        assert (out, err.splitlines()) == (
            "",
            [f"lightstick: {env} {problem}; make it a text file of KEY=value lines (see .env.example)"],
        )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may read any file")
def test_env_file_that_cannot_be_read_is_one_line(tmp_path):
    env = tmp_path / ".env"
    env.write_text("LOG_LEVEL=DEBUG\n", encoding="utf-8")
    env.chmod(0)
    try:
        with pytest.raises(ConfigError) as caught:
            load_settings(env_file=env, environ={})
    finally:
        env.chmod(0o600)
    assert str(caught.value) == f"{env} can't be read (Permission denied); check its permissions"


def test_dev_guild_id_zero_stops_the_cli_with_one_line(cli):
    result = cli("check", DEV_GUILD_ID="0")
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("lightstick: DEV_GUILD_ID=0 is not a server id")


def test_sync_guild_zero_is_a_usage_error_not_a_global_sync(cli):
    result = cli("sync", "--guild", "0", DISCORD_TOKEN="not.a.real-token")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "lightstick sync: error: argument --guild: '0' is not a server id (a long number such as 123456789012345678)"
    )
