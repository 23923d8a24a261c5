"""The bot's YAML configuration: pydantic models, loading, and the Discord token.

Every key has a default, so an empty file (or none) is a working configuration,
and unknown keys are errors with their file and line, so a typo never silently
leaves a setting at its default. The token is never read from this file: it
comes from an environment variable or a separate file, so the config can be
committed and shared.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from bot.core.daily.schedule_config import DailyEntry, GraceHours
from bot.core.errors import ContentError, Problem
from bot.storage.shipped import shipped_dir
from bot.storage.state.base import is_postgresql_url
from bot.storage.yamlfile import LineMap, parse_yaml, pydantic_problems, read_yaml

log = logging.getLogger(__name__)

CONFIG_ENV = "BLUEBOOK_CONFIG"
_PASSWORD_MESSAGE = ("never put the database password in the config file; set the environment "
                     "variable named by paths.state_password_env (PGPASSWORD by default) or "
                     "point paths.state_password_file at a file holding it")
_TOKEN_KEY_MESSAGE = ("never put the bot token in the config file; set the environment variable "
                      "named by discord.token_env (DISCORD_TOKEN by default) or point "
                      "discord.token_file at a file holding it")
_ENV_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Discord bot tokens are three dot-separated base64url parts; a long run of such
# characters with no path separator is treated the same way, to be safe.
_TOKEN_LIKE_RE = re.compile(r"[\w-]{16,}\.[\w-]{4,}\.[\w-]{16,}|[\w.-]{50,}")
_PASTED_TOKEN = ("this looks like a bot token, not {what}: remove it from the config file "
                 "(and reset the token in the Discord developer portal if the file was "
                 "shared); {fix}")


def looks_like_token(value: str) -> bool:
    """Whether *value* could be a bot token, so that it is never echoed."""
    return _TOKEN_LIKE_RE.fullmatch(value.strip()) is not None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DiscordConfig(_Strict):
    # None: one connection, no sharding. "auto": as many shards as Discord says.
    shards: Literal["auto"] | Annotated[int, Field(ge=1)] | None = None
    # The shards this process runs (several processes sharing a PostgreSQL state).
    shard_ids: list[Annotated[int, Field(ge=0)]] | None = None

    @field_validator("shard_ids")
    @classmethod
    def _shard_ids_fit(cls, ids: list[int] | None, info: ValidationInfo) -> list[int] | None:
        shards = info.data.get("shards")
        if ids is None:
            return ids
        if not isinstance(shards, int):
            raise ValueError("discord.shard_ids needs discord.shards set to the total count")
        if not ids or len(set(ids)) != len(ids) or max(ids) >= shards:
            raise ValueError(f"discord.shard_ids must be distinct ids from 0 to {shards - 1}")
        return ids

    guilds: list[int] = Field(default_factory=list)
    token_env: str = Field(default="DISCORD_TOKEN", min_length=1)
    token_file: Path | None = None
    # Request the privileged Message Content intent (inline lookups need it).
    message_content: bool = False

    @field_validator("token_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        # The messages never include the value: it may be a pasted token.
        if looks_like_token(value):
            raise ValueError(_PASTED_TOKEN.format(
                what="the name of an environment variable",
                fix="put the token in that variable (DISCORD_TOKEN by default)"))
        if not _ENV_NAME_RE.fullmatch(value):
            raise ValueError("must be the name of an environment variable "
                             "(letters, digits and _), such as DISCORD_TOKEN")
        return value

    @field_validator("token_file", mode="before")
    @classmethod
    def _file_name(cls, value: Any) -> Any:
        if isinstance(value, str) and looks_like_token(value) and "/" not in value:
            raise ValueError(_PASTED_TOKEN.format(
                what="a file name", fix="write the token into a file and name that file here"))
        return value


class PathsConfig(_Strict):
    corpus: Path | None = None  # None: the shipped corpus
    facts: Path | None = None  # None: the shipped facts
    # An SQLite file, or a postgresql:// URL (str) whose password comes from outside.
    state: Path | str = Path("data/state.sqlite3")
    state_password_env: str = Field(default="PGPASSWORD", min_length=1)
    state_password_file: Path | None = None
    # The heartbeat file; default: health.json beside an SQLite state, else data/.
    health: Path | None = None

    @field_validator("state", mode="before")
    @classmethod
    def _state(cls, value: Any) -> Any:
        if not isinstance(value, str) or not is_postgresql_url(value):
            return Path(value) if isinstance(value, str) else value
        from psycopg import conninfo  # only configs that name PostgreSQL pay for the import

        try:
            parts = conninfo.conninfo_to_dict(value)
        except Exception as exc:  # psycopg's ProgrammingError, without importing it here
            raise ValueError(f"not a usable PostgreSQL URL: {exc}") from None
        if parts.get("password"):
            raise ValueError(_PASSWORD_MESSAGE)
        return value


class QuoteConfig(_Strict):
    ephemeral: bool = False
    alternatives: int = Field(default=3, ge=0, le=5)


class InlineConfig(_Strict):
    """Inline lookups: server-wide defaults that /settings overrides per server."""

    channels: list[int] = Field(default_factory=list)  # channel, thread or category ids
    mode: Literal["brackets", "quotes"] = "brackets"
    cooldown_seconds: float = Field(default=30.0, ge=0, le=86_400)


class LoggingConfig(_Strict):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class Config(_Strict):
    discord: DiscordConfig = Field(default_factory=DiscordConfig)
    paths: PathsConfig = Field(default_factory=PathsConfig)
    quote: QuoteConfig = Field(default_factory=QuoteConfig)
    inline: InlineConfig = Field(default_factory=InlineConfig)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)
    # Daily fact posts: one entry per schedule (see bot.core.daily.schedule_config).
    daily: list[DailyEntry] = Field(default_factory=list)
    # A post missed while the bot was down is still made if it is back within this window.
    daily_grace_hours: GraceHours = 12.0
    # Where the folders came from: "paths.corpus" -> (file, line, resolved path), so a
    # missing folder is reported at the key that named it, not as a bare path.
    _origins: dict[str, tuple[str, int | None, Path]] = PrivateAttr(default_factory=dict)

    @property
    def corpus_dir(self) -> Path:
        return self.paths.corpus or shipped_dir("corpus")

    @property
    def facts_dir(self) -> Path:
        return self.paths.facts or shipped_dir("facts")

    def folder_problem(self, key: Literal["corpus", "facts"]) -> Problem | None:
        """A problem naming the config file, line and key if ``paths.<key>``, as given
        there, is not a folder; None if it is, or if it did not come from a file."""
        path = self.corpus_dir if key == "corpus" else self.facts_dir
        origin = self._origins.get(f"paths.{key}")
        if origin is None or origin[2] != path or path.is_dir():
            return None
        what = "corpus folder (corpus.yaml and .txt files)" if key == "corpus" else \
            "fact card folder"
        return Problem(origin[0], origin[1], f"paths.{key}",
                       f"no {what} at {path}; relative paths resolve from the config file's "
                       "folder; leave the key out to use the shipped one")
    @property
    def health_file(self) -> Path:
        """The heartbeat file: ``paths.health``, else beside an SQLite state file."""
        if self.paths.health is not None:
            return self.paths.health
        state = self.paths.state
        return state.with_name("health.json") if isinstance(state, Path) \
            else Path("data/health.json").absolute()

    def state_password(self, env: Mapping[str, str] | None = None) -> str | None:
        """The PostgreSQL password: ``paths.state_password_env``, else the file. None
        leaves it to libpq (``~/.pgpass``, ``$PGPASSFILE``, or no password)."""
        env = os.environ if env is None else env
        value = env.get(self.paths.state_password_env, "").strip()
        if value:
            return value
        path = self.paths.state_password_file
        if path is None:
            return None
        try:
            return path.read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise ContentError([Problem(str(path), None, "paths.state_password_file",
                                        f"cannot read the password file: {exc.strerror}")]
                               ) from exc

    def token(self, env: Mapping[str, str] | None = None) -> SecretStr | None:
        """The Discord token from ``discord.token_env``, else ``discord.token_file``.

        A :class:`SecretStr`, so printing or logging it shows ``**********``; call
        ``get_secret_value()`` only where the token is handed to Discord.
        """
        env = os.environ if env is None else env
        value = env.get(self.discord.token_env, "").strip()
        if value:
            log.debug("using the bot token from $%s", self.discord.token_env)
            return SecretStr(value)
        path = self.discord.token_file
        if path is None:
            return None
        try:
            if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block start-up
                raise ContentError([Problem(str(path), None, "discord.token_file",
                                            "the token file is not a regular file")])
            with path.open("rb") as fh:  # a token is under 100 bytes; never read a disk
                value = fh.read(4096).decode("utf-8", "replace").strip()
        except OSError as exc:
            raise ContentError([Problem(str(path), None, "discord.token_file",
                                        f"cannot read the token file: {exc.strerror}")]) from exc
        log.debug("using the bot token from %s", path)
        return SecretStr(value) if value else None


def config_path(cli_value: Path | None, env: Mapping[str, str] | None = None) -> Path | None:
    """The config file to use: ``--config``, else ``$BLUEBOOK_CONFIG``, else none."""
    if cli_value is not None:
        return cli_value
    value = (os.environ if env is None else env).get(CONFIG_ENV, "").strip()
    return Path(value) if value else None


def load_config(path: Path | None) -> Config:
    """Read and validate *path*; None gives the defaults. Relative paths in the
    file resolve from the file's folder, so the bot can start from anywhere;
    without a file, from the working directory."""
    if path is None:
        return _resolve(Config(), Path.cwd())
    data, lines = read_yaml(path)
    return parse_config(data, lines, str(path), path.resolve().parent)


def parse_config(data: Any, lines: LineMap, name: str, base: Path) -> Config:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError([Problem(name, lines.line(()), "", "expected a mapping of settings")])
    discord = data.get("discord")
    if isinstance(discord, dict) and "token" in discord:
        # Checked before pydantic so the message says why, and the value is never echoed.
        raise ContentError([Problem(name, lines.line(("discord", "token")), "discord.token",
                                    _TOKEN_KEY_MESSAGE)])
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ContentError(pydantic_problems(exc, name, lines)) from exc
    config = _resolve(config, base)
    for key in ("corpus", "facts"):
        path = getattr(config.paths, key)
        if path is not None:
            config._origins[f"paths.{key}"] = (name, lines.line(("paths", key)), path)
    return config


def parse_config_text(text: str, name: str = "<config>", base: Path | None = None) -> Config:
    """Parse YAML *text*; for tests and for configs that do not come from a file."""
    data, lines = parse_yaml(text, name)
    return parse_config(data, lines, name, base or Path.cwd())


def _resolve(config: Config, base: Path) -> Config:
    def absolute(p: Path | None) -> Path | None:
        return None if p is None else (p.expanduser() if p.expanduser().is_absolute()
                                       else base / p.expanduser())

    state = config.paths.state
    health = config.paths.health
    if health is None and not isinstance(state, Path):
        health = Path("data/health.json")  # a local file even when the state is remote
    paths = config.paths.model_copy(update={
        "corpus": absolute(config.paths.corpus), "facts": absolute(config.paths.facts),
        "state": absolute(state) if isinstance(state, Path) else state,
        "health": absolute(health),
        "state_password_file": absolute(config.paths.state_password_file)})
    discord = config.discord.model_copy(update={"token_file": absolute(config.discord.token_file)})
    return config.model_copy(update={"paths": paths, "discord": discord})
