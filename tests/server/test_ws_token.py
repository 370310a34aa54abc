"""Tokens stay out of URLs and logs (issue 13, item 8), against a real server process: a socket
may send its token in `Authorization` or as the subprotocol `bearer.<token>` (the query form stays
for compatibility), and the server's log scrubber redacts a token after percent-decoding
(`?%74oken=T` is `?token=T` to the server)."""

from __future__ import annotations

import json

import pytest
from websockets.asyncio.client import connect

from booking_server.logs import scrub
from tests.support.fixtures import LiveServerFactory


@pytest.mark.asyncio
async def test_the_token_may_come_in_the_authorization_header(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory()
    token = server.login("carl")
    async with connect(
        server.ws_url, additional_headers={"Authorization": f"Bearer {token}"}
    ) as ws:
        assert json.loads(await ws.recv())["type"] == "hello"


@pytest.mark.asyncio
async def test_the_token_may_come_as_a_subprotocol(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory()
    token = server.login("carl")
    async with connect(server.ws_url, subprotocols=["booking.v1", f"bearer.{token}"]) as ws:  # type: ignore[list-item]
        assert ws.subprotocol == "booking.v1"
        assert json.loads(await ws.recv())["type"] == "hello"


@pytest.mark.asyncio
async def test_a_percent_encoded_token_never_reaches_the_log(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory(env={"BOOKING_LOG_LEVEL": "info"})
    token = server.login("carl")
    for name in ("%74oken", "%2574oken", "access%5Ftoken", "token"):
        async with connect(f"{server.ws_url}?{name}={token}") as ws:
            if name in ("%74oken", "token"):  # the others name no token: 4401
                assert json.loads(await ws.recv())["type"] == "hello"
    server.stop()
    log = server.log()
    assert "WebSocket /api/v1/ws" in log  # uvicorn logged the paths...
    assert token not in log  # ...without the token


def test_the_scrubber_decodes_before_matching() -> None:
    assert scrub("GET /api/v1/ws?%74oken=abc&since=3") == "GET /api/v1/ws?token=[redacted]&since=3"
    assert "abc" not in scrub("/ws?%2574oken=abc")
    assert "abc" not in scrub("/ws?access%5Ftoken=abc")
    assert scrub("/api/v1/bookings?since=3") == "/api/v1/bookings?since=3"
    assert scrub("a%20b") == "a%20b"  # nothing hidden: left as it was
