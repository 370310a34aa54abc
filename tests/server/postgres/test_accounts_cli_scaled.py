"""`booking-server user disable` beside servers on PostgreSQL + Redis: given the servers' Redis,
the disabled user's open sockets close at once (4401), on whichever process holds them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.support.live_server import LiveServer
from tests.support.ws import Socket

pytestmark = pytest.mark.asyncio


async def test_disabling_a_user_closes_their_sockets_on_the_servers(
    live_server_factory: Callable[..., LiveServer], redis_url: str, redis_prefix: str
) -> None:
    server = live_server_factory()
    token = server.login("carl")
    socket = await Socket.open(server.ws_url_for(token))
    await socket.receive()  # connected: the server's first frame
    result = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable, "-m", "booking_server", "user", "disable", "carl",
            "--database-url", server.database_url, "--redis-url", redis_url,
        ],
        env={**os.environ, "BOOKING_REDIS_PREFIX": redis_prefix},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1 sessions signed out" in result.stdout
    assert await socket.close_code() == 4401
