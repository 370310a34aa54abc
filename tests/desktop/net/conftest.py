"""Fixtures of the network tests: a real booking server process, demo users, free ports."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
import pytest_asyncio

from desktop_app.net.api import ApiClient
from tests.support.live_server import LiveServer


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real booking server (subprocess, demo data, its own SQLite file) shared by a module:
    tests/support's LiveServer, module-scoped because every test here makes its own data."""
    with LiveServer(tmp_path_factory.mktemp("server")) as server:
        yield server.base_url


@pytest.fixture
def dead_url() -> str:
    """A loopback URL where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def signed_in(base_url: str, username: str) -> ApiClient:
    client = ApiClient(base_url)
    await client.login(username, "demo")
    return client


@pytest_asyncio.fixture
async def anna(server_url: str) -> AsyncIterator[ApiClient]:
    client = await signed_in(server_url, "anna")
    yield client
    await client.aclose()


@pytest_asyncio.fixture
async def carl(server_url: str) -> AsyncIterator[ApiClient]:
    client = await signed_in(server_url, "carl")
    yield client
    await client.aclose()


def free_slot_body(master_id: str) -> dict[str, str]:
    """A booking body in a slot nobody else takes: far away, at a random minute."""
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(
        days=400, minutes=uuid4().int % 500_000
    )
    return {
        "master_id": master_id,
        "service": "Haircut",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(minutes=1)).isoformat(),
    }
