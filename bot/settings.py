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


def load_settings(env_file: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read settings: real environment variables win over ``.env``."""
    values: dict[str, str] = {}
    env_path = env_file if env_file is not None else PROJECT_ROOT / ".env"
    if env_path.is_file():
        values.update({k: v for k, v in dotenv_values(env_path).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    level = values.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if logging.getLevelName(level) == f"Level {level}":
        raise ConfigError(f"LOG_LEVEL={level!r} is not a log level; use DEBUG, INFO, WARNING or ERROR")

    guild_raw = values.get("DEV_GUILD_ID", "").strip()
    dev_guild: int | None = None
    if guild_raw:
        if not (guild_raw.isascii() and guild_raw.isdigit()):  # "¹²³".isdigit() is True, int() fails
            raise ConfigError(
                "DEV_GUILD_ID must be a server id (digits). In Discord: Settings > Advanced > Developer Mode, "
                "then right-click the server > Copy Server ID"
            )
        dev_guild = int(guild_raw)

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
