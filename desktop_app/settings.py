"""The app's settings: server, sync timing, retries, timeouts, heartbeat and logging.

Read with pydantic-settings; a value given on the command line wins over a `RESERVATIONS_*`
environment variable, which wins over the settings file (TOML or JSON, by default `settings.toml`
or `settings.json` in the platformdirs config folder), which wins over the default. The settings
map onto the parts that use them: `sync_config()`, `timeouts()` and `socket_settings()`.
`save_settings` is the one writer of the settings file (the first-run window's choice, Edit →
Preferences), into `settings_file_to_write`. See docs/configuration.md.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

import platformdirs
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from desktop_app.net.api import Timeouts
from desktop_app.net.socket import SocketSettings
from desktop_app.private import PRIVATE_DIR, PRIVATE_FILE
from desktop_app.sync import SyncConfig

APP_NAME = "reservations-desktop"
ENV_PREFIX = "RESERVATIONS_"
CONFIG_FILE_ENV = "RESERVATIONS_CONFIG_FILE"
FILE_NAMES = ("settings.toml", "settings.json")

Seconds = Annotated[float, Field(gt=0, le=24 * 3600)]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class SettingsError(Exception):
    """The settings cannot be used (unreadable file, bad value): fix them; retrying won't help."""


def default_config_folder() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def default_data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


class Settings(BaseSettings):
    """Every option; the field name is the file key, `RESERVATIONS_<NAME>` the environment
    variable and `--<name-with-dashes>` the command-line option."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="forbid", frozen=True, validate_default=True
    )

    config_file: Path | None = Field(
        default=None,
        description="settings file (TOML or JSON); default: settings.toml or settings.json in "
        "the user config folder, if present",
    )
    server_url: str | None = Field(
        default=None, description="booking server URL (none: the server on this computer)"
    )
    local_server: bool = Field(
        default=False,
        description="use the booking server on this computer (its database in the data folder); "
        "the first-run window sets it",
    )
    demo: bool = Field(
        default=False,
        description="try the app: the server on this computer with demo data, signed in as anna",
    )
    user: str | None = Field(default=None, description="username to sign in as")
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="folder for the local store and the embedded server's database",
    )
    log_level: LogLevel = Field(default="INFO", description="logging level")
    ca_file: Path | None = Field(
        default=None,
        description="a CA certificate (PEM file) to trust for an https:// server and its socket, "
        "besides the usual ones: a company CA or a self-signed server's own",
    )

    socket_url: str | None = Field(
        default=None,
        description="WebSocket URL of the event stream (default: derived from the server URL, "
        "ws(s)://host/api/v1/ws)",
    )
    poll_active_seconds: Seconds = Field(
        default=3.0, description="polling period without a socket, with active bookings in view"
    )
    poll_idle_seconds: Seconds = Field(
        default=10.0, description="polling period without a socket and no active booking"
    )
    retry_initial_seconds: Seconds = Field(
        default=0.5, description="first reconnect/retry delay ceiling (full jitter)"
    )
    retry_max_seconds: Seconds = Field(default=30.0, description="largest reconnect/retry delay")
    retry_factor: float = Field(default=2.0, ge=1.0, le=10.0, description="backoff growth factor")
    max_retries: int = Field(
        default=3, ge=0, le=100, description="failed sends (server reachable) before giving up"
    )
    give_up_after_seconds: Seconds = Field(
        default=60.0, description="a change unconfirmed this long (server reachable) is undone"
    )
    request_timeout_seconds: Seconds = Field(
        default=15.0, description="a request without an answer after this long has failed"
    )
    connect_timeout_seconds: Seconds = Field(
        default=5.0, description="time to open a connection (fail fast when unreachable)"
    )
    heartbeat_interval_seconds: Seconds = Field(
        default=15.0, description="WebSocket ping period of the client"
    )
    heartbeat_timeout_seconds: Seconds = Field(
        default=15.0, description="a ping unanswered this long drops the socket (then reconnect)"
    )
    health_check_seconds: Seconds = Field(
        default=5.0, description="period of the server reachability probe (GET /healthz)"
    )
    # Preferences: Edit > Preferences writes them (desktop_app/app/preferences.py).
    notify_sound: bool = Field(default=False, description="play a sound for a new request")
    keep_in_tray: bool = Field(
        default=False, description="keep running in the tray when the window closes"
    )
    theme: Literal["system", "light", "dark"] = Field(
        default="system", description="the window's colours: system, light or dark"
    )
    language: Literal["system", "en", "de"] = Field(
        default="system", description="the window's language: system, en or de"
    )
    start_at_login: bool = Field(default=False, description="start the app when the user logs in")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Which file to read is itself a setting (command line or environment), so it is resolved
        # before the file's values are.
        given = init_settings.init_kwargs.get("config_file")  # type: ignore[attr-defined]
        path = _settings_file(given or os.environ.get(CONFIG_FILE_ENV))
        values = _read_settings_file(path) if path is not None else {}
        return init_settings, env_settings, InitSettingsSource(settings_cls, values)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("server_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return _checked_url(value, ("http", "https"), "server_url")

    @field_validator("ca_file")
    @classmethod
    def _readable_ca(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        path = value.expanduser()
        if not path.is_file():
            raise ValueError(f"the CA certificate file {path} does not exist")
        return path

    @field_validator("socket_url")
    @classmethod
    def _ws_url(cls, value: str | None) -> str | None:
        return _checked_url(value, ("ws", "wss"), "socket_url")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.retry_max_seconds < self.retry_initial_seconds:
            raise ValueError("retry_max_seconds must be at least retry_initial_seconds")
        return self

    # --- what the parts take ---------------------------------------------------------------------

    def sync_config(self) -> SyncConfig:
        return SyncConfig(
            poll_active=timedelta(seconds=self.poll_active_seconds),
            poll_idle=timedelta(seconds=self.poll_idle_seconds),
            backoff_initial=timedelta(seconds=self.retry_initial_seconds),
            backoff_max=timedelta(seconds=self.retry_max_seconds),
            backoff_factor=self.retry_factor,
            # The engine's deadline covers the whole request: connecting, then waiting.
            request_timeout=timedelta(
                seconds=self.connect_timeout_seconds + self.request_timeout_seconds
            ),
            stale_after=timedelta(seconds=self.give_up_after_seconds),
            max_retries=self.max_retries,
        )

    def timeouts(self) -> Timeouts:
        read = self.request_timeout_seconds
        return Timeouts(connect=self.connect_timeout_seconds, read=read, write=read, pool=read)

    def socket_settings(self) -> SocketSettings:
        return SocketSettings(
            ping_interval=self.heartbeat_interval_seconds,
            ping_timeout=self.heartbeat_timeout_seconds,
            open_timeout=self.connect_timeout_seconds + self.request_timeout_seconds,
            ca_file=self.ca_file,
        )

    @property
    def health_check_ms(self) -> int:
        return max(1, round(self.health_check_seconds * 1000))


def settings_file_to_write(settings: Settings) -> Path:
    """The one settings file the app writes (the first-run choice, Edit > Preferences): the file
    in use, else settings.toml in the user config folder."""
    if settings.config_file is not None:
        return settings.config_file.expanduser()
    folder = default_config_folder()
    return next((folder / n for n in FILE_NAMES if (folder / n).is_file()), folder / FILE_NAMES[0])


SettingValue = str | bool | int | float | None


def save_settings(path: Path, values: Mapping[str, SettingValue]) -> None:
    """Add or replace `values` in the settings file at `path` (TOML, or JSON by its suffix),
    keeping its other settings; None removes a key (TOML has no null: the default applies).

    The result is validated as the next start will read it: a file that would not read back
    (a bad value given, or a typo made in the file meanwhile) raises `SettingsError` naming
    every problem, and nothing is written. Written whole or not at all (a temporary file, then
    a rename), readable by its owner only (0600, in a 0700 folder)."""
    merged = _read_settings_file(path) if path.is_file() else {}
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    built_in_settings(**{k: v for k, v in merged.items() if k != "config_file"})
    if path.suffix.lower() == ".json":
        text = json.dumps(merged, indent=2, ensure_ascii=False) + "\n"
    else:
        text = "".join(f"{key} = {_toml_value(value)}\n" for key, value in merged.items())
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # A TOML basic string: JSON's escapes are TOML's. No ASCII escaping: JSON would write a
        # character beyond U+FFFF as a surrogate pair, which TOML refuses.
        return json.dumps(value, ensure_ascii=False)
    raise SettingsError(f"cannot write {value!r} to a TOML settings file")


def load_settings(**overrides: Any) -> Settings:
    """Settings from `overrides` (the command line; None values are ignored), the environment,
    the settings file and the defaults; `SettingsError` with every problem named otherwise."""
    given = {name: value for name, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def built_in_settings(**values: Any) -> Settings:
    """The defaults with `values` on top, validated, but never the environment or a settings
    file: for code and tests that must not depend on the machine they run on."""
    try:
        checked = _BuiltIn(**values)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None
    return Settings.model_construct(**checked.model_dump())


class _BuiltIn(Settings):
    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def _settings_file(given: str | Path | None) -> Path | None:
    """The file to read: the one named (which must exist), else the first default present."""
    if given is not None and str(given) != "":
        path = Path(given).expanduser()
        if not path.is_file():
            raise SettingsError(f"the settings file {path} does not exist")
        return path
    folder = default_config_folder()
    return next((folder / n for n in FILE_NAMES if (folder / n).is_file()), None)


def _read_settings_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        data: object = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SettingsError(f"cannot read the settings file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"the settings file {path} must hold a table/object of settings")
    return data


def _checked_url(value: str | None, schemes: tuple[str, ...], name: str) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.hostname:
        wanted = " or ".join(f"{s}://" for s in schemes)
        raise ValueError(f"{name} must start with {wanted} and name a host, not {value!r}")
    return value


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "settings"
        lines.append(f"{where}: {error['msg']}")
    return "invalid settings: " + "; ".join(lines)
