"""Server settings: every option also reads a `BOOKING_<OPTION>` environment variable."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "reservations-desktop"
MIB = 1024 * 1024


def default_database_url() -> str:
    """A SQLite file in the user data folder, so a plain `serve` keeps its data across restarts."""
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return f"sqlite:///{folder / 'booking-server.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOOKING_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)
    database_url: str = Field(default_factory=default_database_url)
    redis_url: str | None = None
    # Channel names on a shared Redis start with this (several deployments or test runs apart).
    redis_prefix: str = "booking:"
    # Connections per server process to PostgreSQL.
    database_pool_size: int = Field(default=10, ge=1)
    # PostgreSQL: waiting longer than this for a connection or a statement answers 503.
    database_timeout_seconds: float = Field(default=30.0, gt=0)
    # A quiet Redis bus checks the event log this often for events it never heard of.
    bus_check_interval: float = Field(default=5.0, gt=0)
    demo: bool = False

    token_ttl_seconds: float = Field(default=30 * 24 * 3600, gt=0)
    # Delta-sync cursors older than this answer 410 cursor_expired (the event log is pruned).
    event_retention_seconds: float = Field(default=30 * 24 * 3600, ge=0)
    idempotency_ttl_seconds: float = Field(default=24 * 3600, ge=0)
    maintenance_interval_seconds: float = Field(default=3600, gt=0)

    # Per-user token bucket: `rate_limit_burst` at once, refilled at `rate_limit_per_second`.
    rate_limit_burst: int = Field(default=300, ge=1)
    rate_limit_per_second: float = Field(default=50.0, gt=0)

    # Sign-ups (POST /auth/signup) per client address: `signup_burst` at once, then one every
    # 1 / `signup_per_second` seconds (default: 10, then one a minute).
    signup_burst: int = Field(default=10, ge=1)
    signup_per_second: float = Field(default=1 / 60, gt=0)

    max_body_bytes: int = Field(default=MIB, ge=1)
    ws_max_size: int = Field(default=65536, ge=1)
    ws_ping_interval: float = Field(default=15.0, gt=0)
    # Off: event frames are small JSON, and each socket would deflate the same frame again (see
    # docs/benchmarks.md, fan-out). `ws_max_size` holds either way (1009 over it).
    ws_per_message_deflate: bool = False
    ws_ping_timeout: float = Field(default=30.0, gt=0)
    ws_queue_size: int = Field(default=10_000, ge=1)

    log_level: str = "info"
    log_json: bool = True
