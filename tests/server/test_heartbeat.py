"""The heartbeat: the server pings, and a client that never answers is dropped."""

from __future__ import annotations

import asyncio
import base64
import os

import pytest

from tests.support.fixtures import LiveServerFactory

pytestmark = pytest.mark.asyncio


async def test_silent_client_is_pinged_then_dropped(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory(
        env={"BOOKING_WS_PING_INTERVAL": "0.2", "BOOKING_WS_PING_TIMEOUT": "0.2"}
    )
    token = server.login("anna")
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /api/v1/ws?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    assert (await reader.readline()).startswith(b"HTTP/1.1 101")
    # A raw socket that reads but never answers a ping: the server must give up on it.
    received = b""
    while chunk := await asyncio.wait_for(reader.read(65536), 10):
        received += chunk
    writer.close()
    frames = received.split(b"\r\n\r\n", 1)[1]
    assert b'"type":"hello"' in frames
    assert b"\x89" in frames, "a ping frame (FIN + opcode 9) was sent"
