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
    # Stop (cleanly, as on SIGTERM) when standard input reaches its end or the parent process
    # changes: the app that started the server died, even by SIGKILL (docs/deployment.md).
    exit_with_parent: bool = False

    token_ttl_seconds: float = Field(default=30 * 24 * 3600, gt=0)
    # Delta-sync cursors older than this answer 410 cursor_expired (the event log is pruned).
    event_retention_seconds: float = Field(default=30 * 24 * 3600, ge=0)
    idempotency_ttl_seconds: float = Field(default=24 * 3600, ge=0)
    maintenance_interval_seconds: float = Field(default=3600, gt=0)

    # Per-user token bucket: `rate_limit_burst` at once, refilled at `rate_limit_per_second`.
    rate_limit_burst: int = Field(default=300, ge=1)
    rate_limit_per_second: float = Field(default=50.0, gt=0)

    # Failed sign-ins (booking_server/throttle.py): per account and per client address, the first
    # `*_free` failures in the window cost nothing, each further one blocks for 1, 2, 4 … s.
    login_account_free: int = Field(default=5, ge=1)
    login_address_free: int = Field(default=20, ge=1)
    login_window_seconds: float = Field(default=15 * 60, gt=0)
    login_max_delay_seconds: float = Field(default=15 * 60, gt=0)
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: comma-separated addresses
    # or networks, or "*". Empty (the default): none, the peer's address is the client's.
    forwarded_allow_ips: str = ""

    # Sign-ups (POST /auth/signup) per client address: `signup_burst` at once, then one every
    # 1 / `signup_per_second` seconds (default: 10, then one a minute).
    signup_burst: int = Field(default=10, ge=1)
    signup_per_second: float = Field(default=1 / 60, gt=0)

    max_body_bytes: int = Field(default=MIB, ge=1)
    # A request's line and headers together (larger: 400), and the time they may take to arrive
    # from the moment the server waits for them (slower: the connection is closed).
    max_header_bytes: int = Field(default=16 * 1024, ge=1024)
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    # An idle keep-alive connection is closed after this many seconds.
    keep_alive_seconds: int = Field(default=5, ge=1)
    # Connections and requests at once per process; beyond it requests are answered 503.
    max_connections: int = Field(default=4096, ge=1)
    ws_max_size: int = Field(default=65536, ge=1)
    ws_ping_interval: float = Field(default=15.0, gt=0)
    # Off: event frames are small JSON, and each socket would deflate the same frame again (see
    # docs/benchmarks.md, fan-out). `ws_max_size` holds either way (1009 over it).
    ws_per_message_deflate: bool = False
    ws_ping_timeout: float = Field(default=30.0, gt=0)
    ws_queue_size: int = Field(default=10_000, ge=1)
    # A socket's outgoing queue, every kind of frame: over it, resync_required and close 1013.
    ws_queue_bytes: int = Field(default=4 * MIB, ge=1024)
    # Messages a user may send over their sockets: a burst, refilled per second; over it the
    # socket closes 1008.
    ws_messages_burst: int = Field(default=100, ge=1)
    ws_messages_per_second: float = Field(default=20.0, gt=0)
    # Open sockets per user and process; one more is closed 1008 at once.
    ws_max_sockets_per_user: int = Field(default=20, ge=1)

    # TEST ONLY, never in production: the process SIGKILLs itself right after a mutation with an
    # Idempotency-Key commits, before it answers (tests/server/test_crash_idempotency.py).
    test_crash_after_commit: bool = False

    # TLS: the server's certificate chain and its private key (PEM). Both set: HTTPS and WSS only.
    certfile: Path | None = None
    keyfile: Path | None = None
    # /metrics answers only with `Authorization: Bearer <metrics_token>` when this is set.
    metrics_token: str | None = Field(default=None, min_length=16)

    log_level: str = "info"
    log_json: bool = True
