"""Fixtures of the network tests: a real booking server process, demo users, free ports."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
import pytest_asyncio

from desktop_app.net.api import ApiClient


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real booking server (subprocess, demo data, its own SQLite file) for this module."""
    database = tmp_path_factory.mktemp("server") / "server.sqlite3"
    yield from _serve(database)


def _serve(database: Path) -> Iterator[str]:
    command = [sys.executable, "-m", "booking_server", "serve", "--port", "0", "--demo"]
    command += ["--database-url", f"sqlite:///{database}"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if match := re.search(r"listening on (http://\S+)", line):
                break
        else:
            pytest.fail(f"the booking server exited with {process.wait()} before listening")
        try:
            yield match.group(1).rstrip("/")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)


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
