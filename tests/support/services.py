"""PostgreSQL and Redis for tests: a fresh database per test (or module), dropped afterwards, and a
Redis channel prefix per test, so parallel runs never hear each other.

When a service cannot be reached the test is skipped with the reason, except in CI (`CI=true`),
where it fails: CI must run these tests (scripts/services.sh starts the services there).
Load the fixtures with `pytest_plugins` or import them into a conftest.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import redis

from tests.support.live_server import LiveServer

ADMIN_URL = os.environ.get(
    "BOOKING_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BOOKING_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
_CONNECT_TIMEOUT = 5.0


def unavailable(service: str, error: BaseException) -> NoReturn:
    """Skip (locally) or fail (in CI) because `service` cannot be reached."""
    reason = f"{service} is not reachable ({type(error).__name__}: {error})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the {service} tests", pytrace=False)
    pytest.skip(f"{reason}; start it (scripts/services.sh) to run these tests")


def database_url(name: str) -> str:
    """The admin URL with another database name."""
    parts = urlsplit(ADMIN_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _execute(sql: str) -> None:
    db = await asyncpg.connect(ADMIN_URL, timeout=_CONNECT_TIMEOUT)
    try:
        await db.execute(sql)
    finally:
        await db.close()


def _admin(sql: str) -> None:
    """Run one statement as the admin, on a loop of its own (callers may be inside a loop)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _execute(sql)).result()


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for the block; its URL. Dropped afterwards."""
    name = f"booking_test_{uuid.uuid4().hex[:16]}"
    try:
        _admin(f'CREATE DATABASE "{name}"')
        # Commits don't wait for the WAL to reach the disk: durability is not what these tests
        # check, and the disk is shared with other machines. CI once saw the 200-way race hang
        # for over a minute, and the likeliest cause found is a stalled WAL fsync (every racer
        # waits on the winner's commit). The server's own settings are unchanged.
        _admin(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        unavailable("PostgreSQL", error)
    try:
        yield database_url(name)
    finally:
        # FORCE: a server that was killed may leave connections behind for a moment.
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check_redis() -> str:
    """REDIS_URL, once Redis answers a PING (else skip or fail, see `unavailable`)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=_CONNECT_TIMEOUT)
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        unavailable("Redis", error)
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test."""
    with fresh_database() as url:
        yield url


@pytest.fixture(scope="module")
def postgres_url_module() -> Iterator[str]:
    """A fresh PostgreSQL database shared by this test module."""
    with fresh_database() as url:
        yield url


@pytest.fixture
def redis_url() -> str:
    return check_redis()


@pytest.fixture
def redis_prefix() -> str:
    """Channel names of this test's servers start with it."""
    return f"test:{uuid.uuid4().hex}:"


class ScaledServer(LiveServer):
    """A `booking-server serve` process on PostgreSQL, with the Redis bus when a URL is given."""

    def __init__(
        self,
        folder: Path,
        database: str,
        *,
        redis_url: str | None = None,
        redis_prefix: str = "booking:",
        env: dict[str, str] | None = None,
        args: list[str] | None = None,
        **options: Any,
    ) -> None:
        env = {"BOOKING_REDIS_PREFIX": redis_prefix, **(env or {})}
        extra = ["--redis-url", redis_url] if redis_url else []
        super().__init__(folder, env=env, args=[*extra, *(args or [])], **options)
        self.postgres_url = database

    @property
    def database_url(self) -> str:
        return self.postgres_url


class SplitServer(ScaledServer):
    """REST on this process, WebSockets on `peer` (another process on the same database and
    Redis): the single-server tests, run through it, check that changes cross processes."""

    def __init__(self, folder: Path, database: str, peer: LiveServer, **options: Any) -> None:
        super().__init__(folder, database, **options)
        self.peer = peer

    @property
    def ws_url(self) -> str:
        return self.peer.ws_url
