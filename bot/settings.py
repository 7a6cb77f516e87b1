"""Settings from the environment and ``.env``, as one frozen dataclass. The token is never printed."""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path

from dotenv import dotenv_values

from bot.errors import ConfigError


def _project_root() -> Path:
    """Where data/ and seeds/ live: the checkout this package sits in (a source or editable install), or,
    for a package installed into site-packages, the checkout it is run from."""
    package_parent = Path(__file__).resolve().parent.parent
    for candidate in (package_parent, Path.cwd()):
        if (candidate / "data" / "packs").is_dir() and (candidate / "seeds").is_dir():
            return candidate
    return package_parent


PROJECT_ROOT = _project_root()
DEFAULT_DATABASE = PROJECT_ROOT / "data" / "lightstick.sqlite3"
DEFAULT_PACKS = PROJECT_ROOT / "data" / "packs"
DEFAULT_SEEDS = PROJECT_ROOT / "seeds"

TOKEN_HELP = (
    "DISCORD_TOKEN is not set. Create an application at https://discord.com/developers/applications, "
    "open Bot > Reset Token, and put DISCORD_TOKEN=... in .env (see .env.example), "
    "or try the bot without a token: python -m bot playground"
)


class Secret(str):
    """A string that hides itself from repr(), str() formatting in logs and tracebacks."""

    def __repr__(self) -> str:
        return "Secret('***')" if self else "Secret('')"

    def __str__(self) -> str:  # f-strings and %-formatting
        return "***" if self else ""

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def reveal(self) -> str:
        return str(str.__getitem__(self, slice(None)))


@dataclasses.dataclass(frozen=True)
class Settings:
    token: Secret
    database_path: Path
    log_level: str
    dev_guild_id: int | None
    packs_dir: Path
    seeds_dir: Path

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(TOKEN_HELP)
        return self.token.reveal()


GUILD_HELP = (
    "In Discord: Settings > Advanced > Developer Mode, then right-click the server > Copy Server ID; "
    "or leave DEV_GUILD_ID empty to sync globally"
)
SNOWFLAKE_MAX = 2**64 - 1  # Discord ids are unsigned 64-bit integers


def _read_env_file(env_path: Path) -> dict[str, str]:
    """The ``KEY=value`` pairs of a .env file ({} when there is none). One ConfigError line for a .env that is
    there but can't be used: a folder, a named pipe or device, a link to nothing, a file that can't be read
    or isn't UTF-8 (python-dotenv itself would skip all but the last two silently)."""
    if not env_path.is_file():
        if env_path.is_dir():
            problem = "is a folder, not a file"
        elif env_path.exists():
            problem = "is not a regular file"
        elif env_path.is_symlink():
            problem = f"is a link to {os.readlink(env_path)}, which doesn't exist"
        else:
            return {}
        raise ConfigError(f"{env_path} {problem}; make it a text file of KEY=value lines (see .env.example)")
    try:  # utf-8-sig: a byte-order mark (Windows editors' "UTF-8") is not part of the first key
        return {k: v for k, v in dotenv_values(env_path, encoding="utf-8-sig").items() if v is not None}
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{env_path} is not UTF-8 text (byte 0x{error.object[error.start]:02x} at offset {error.start}); "
            "save it as UTF-8 (see .env.example)"
        ) from None
    except OSError as error:
        raise ConfigError(f"{env_path} can't be read ({error.strerror or error}); check its permissions") from None


def _dev_guild(raw: str) -> int | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):  # "¹²³".isdigit() is True, int() fails
        raise ConfigError(f"DEV_GUILD_ID must be a server id (digits). {GUILD_HELP}")
    guild = int(raw)
    if not 0 < guild <= SNOWFLAKE_MAX:  # 0 would mean "no server" to Discord and sync globally
        raise ConfigError(
            f"DEV_GUILD_ID={raw} is not a server id (server ids are long numbers such as "
            f"123456789012345678). {GUILD_HELP}"
        )
    return guild


def load_settings(env_file: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read settings: real environment variables win over ``.env`` (``PROJECT_ROOT/.env`` unless ``env_file``).

    Raises :class:`ConfigError` (one line) for a .env that can't be read or isn't UTF-8, an unknown LOG_LEVEL,
    and a DEV_GUILD_ID that isn't a Discord server id (digits, 1 to 2**64 - 1; issue 9 item 18).
    """
    values: dict[str, str] = {}
    env_path = env_file if env_file is not None else PROJECT_ROOT / ".env"
    values.update(_read_env_file(env_path))
    values.update(os.environ if environ is None else environ)

    level = values.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if logging.getLevelName(level) == f"Level {level}":
        raise ConfigError(f"LOG_LEVEL={level!r} is not a log level; use DEBUG, INFO, WARNING or ERROR")

    dev_guild = _dev_guild(values.get("DEV_GUILD_ID", "").strip())

    def path(name: str, default: Path) -> Path:
        raw = values.get(name, "").strip()
        chosen = Path(raw).expanduser() if raw else default
        return chosen if chosen.is_absolute() else PROJECT_ROOT / chosen

    return Settings(
        token=Secret(values.get("DISCORD_TOKEN", "").strip()),
        database_path=path("DATABASE_PATH", DEFAULT_DATABASE),
        log_level=level,
        dev_guild_id=dev_guild,
        packs_dir=path("LIGHTSTICK_PACKS", DEFAULT_PACKS),
        seeds_dir=path("LIGHTSTICK_SEEDS", DEFAULT_SEEDS),
    )
