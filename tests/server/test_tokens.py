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


async def test_an_open_socket_closes_4401_when_its_token_expires(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2030, 3, 1, 12, tzinfo=UTC))
    async with (
        running_app(tmp_path / "db.sqlite3", clock, token_ttl_seconds=3600) as server,
        httpx.AsyncClient(base_url=server.api_url) as client,
    ):
        carl = await login(client, "carl")
        anna = await login(client, "anna")
        socket = await Socket.open(server.ws_url_for(carl["token"]))
        assert (await socket.receive())["type"] == "hello"

        await clock.advance(timedelta(minutes=59))
        starts = datetime(2030, 3, 2, 9, tzinfo=UTC)
        made = await client.post(
            "/bookings",
            json={
                "master_id": anna["user"]["id"],
                "service": "Haircut",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(minutes=30)).isoformat(),
            },
            headers={"Authorization": f"Bearer {carl['token']}"},
        )
        assert made.status_code == 201
        event = await socket.receive_type("booking:updated")  # still open, still live
        assert event["booking"]["id"] == made.json()["id"]

        await clock.advance(timedelta(minutes=1))
        assert await socket.close_code() == 4401
