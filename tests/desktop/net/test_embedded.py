"""EmbeddedServer runs the real booking server as a child process and stops it cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from desktop_app.net.api import ApiClient
from desktop_app.net.embedded import EmbeddedServer
from desktop_app.net.errors import EmbeddedServerError


@pytest.mark.asyncio
async def test_starts_on_a_free_port_serves_demo_data_and_stops(tmp_path: Path) -> None:
    database = tmp_path / "data" / "embedded.sqlite3"
    server = EmbeddedServer(database)
    base_url = await server.start()
    try:
        assert base_url.startswith("http://127.0.0.1:")
        assert server.base_url == base_url
        async with ApiClient(base_url) as client:
            assert await client.healthy()
            login = await client.login("anna", "demo")
            assert login.user.username == "anna"
        assert database.exists()
    finally:
        status = await server.stop()
    assert status in (0, 143, -15)  # uvicorn re-raises SIGTERM after a clean shutdown
    assert not server.running
    async with ApiClient(base_url) as client:
        assert not await client.healthy()


@pytest.mark.asyncio
async def test_a_server_that_exits_early_is_a_clear_error_with_its_stderr(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "e.sqlite3", extra_args=["--no-such-option"])
    with pytest.raises(EmbeddedServerError, match="exited with status") as caught:
        await server.start()
    assert "--no-such-option" in str(caught.value)
    assert not server.running


@pytest.mark.asyncio
async def test_a_missing_interpreter_is_a_clear_error(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "e.sqlite3", python=str(tmp_path / "no-python"))
    with pytest.raises(EmbeddedServerError, match="could not run"):
        await server.start()


def test_the_command_names_the_database_and_a_free_loopback_port(tmp_path: Path) -> None:
    command = EmbeddedServer(tmp_path / "e.sqlite3").command()
    assert command[:4] == [sys.executable, "-m", "booking_server", "serve"]
    assert command[command.index("--port") + 1] == "0"
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert f"sqlite:///{tmp_path / 'e.sqlite3'}" in command
    assert "--demo" in command


@pytest.mark.asyncio
async def test_a_crash_is_noticed(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "e.sqlite3")
    await server.start()
    exited = asyncio.create_task(server.wait_exited())
    assert not exited.done()
    assert server.pid is not None
    os.kill(server.pid, signal.SIGKILL)  # stands in for a crash of the server process
    assert await exited == -signal.SIGKILL
    assert not server.running
    await server.stop()
