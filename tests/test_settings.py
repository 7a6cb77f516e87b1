"""Settings: the token never shows, and a wrong setting is one clear line, not a traceback."""

from __future__ import annotations

import dataclasses
import logging
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
        repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret!s}", f"{secret:>80}", "%s" % secret,  # noqa: UP031
        "%r" % secret, "{}".format(secret), "{0!r}".format(secret),  # noqa: UP030, UP031, UP032
        repr(settings), str(settings), f"{settings}", "%s" % (settings,), "%r" % (settings,),  # noqa: UP031
        repr(dataclasses.asdict(settings)), str([secret]), str({"token": secret}),
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


@pytest.mark.parametrize(("value", "expected"), [("debug", "DEBUG"), (" warning ", "WARNING"), ("", "INFO"),
                                                 ("ERROR", "ERROR")])
def test_log_level(no_env_file, value, expected):
    assert settings_with(no_env_file, LOG_LEVEL=value).log_level == expected


def test_database_path(no_env_file, tmp_path):
    assert settings_with(no_env_file).database_path == DEFAULT_DATABASE
    assert settings_with(no_env_file, DATABASE_PATH="data/other.sqlite3").database_path == (
        PROJECT_ROOT / "data" / "other.sqlite3")
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
