"""Tokens expire: after the TTL on the server's clock, REST answers 401 and sockets close 4401."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from booking_server.clock import ManualClock
from tests.support.app_server import login, running_app
from tests.support.ws import Socket

pytestmark = pytest.mark.asyncio


async def test_token_expires_after_ttl(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2030, 3, 1, 12, tzinfo=UTC))
    async with (
        running_app(tmp_path / "db.sqlite3", clock, token_ttl_seconds=3600) as server,
        httpx.AsyncClient(base_url=server.api_url) as client,
    ):
        token = (await login(client, "carl"))["token"]
        auth = {"Authorization": f"Bearer {token}"}
        await clock.advance(timedelta(minutes=59))
        assert (await client.get("/bookings", headers=auth)).status_code == 200
        await clock.advance(timedelta(minutes=1))
        response = await client.get("/bookings", headers=auth)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        socket = await Socket.open(server.ws_url_for(token))
        assert await socket.close_code() == 4401
