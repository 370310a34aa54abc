"""WebSocket bounds (issue 13, items 4 and 5), against a real server process:
- a user sending messages faster than the limit is closed 1008 with a reason;
- one socket more than the per-user cap is closed 1008 with a reason;
- a socket that reads nothing while it is flooded with frames (here: error frames for invalid
  messages) is bounded, told to resync, and dropped once its ping goes unanswered, although its
  buffers are full (it stayed open for ever: uvicorn's close waited for the buffer to drain).
Presence coalescing and the byte bound of a connection's queue: tests/server/test_hub_queue.py."""

from __future__ import annotations

import base64
import os
import socket
import time

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from booking_server.api.ws import TOO_MANY_MESSAGES, TOO_MANY_SOCKETS
from tests.support.fixtures import LiveServerFactory
from tests.support.live_server import LiveServer

DEADLINE = 60.0


async def _closed_with(url: str, messages: int) -> tuple[int | None, str | None]:
    """Send `messages` invalid messages, read until closed; the close code and reason."""
    async with connect(url) as ws:
        for index in range(messages):
            await ws.send(f"not json {index}")
        try:
            while True:
                await ws.recv()
        except ConnectionClosed as closed:
            received = closed.rcvd
    return (received.code, received.reason) if received else (None, None)


@pytest.mark.asyncio
async def test_a_user_sending_too_fast_is_closed_1008(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory(
        env={"BOOKING_WS_MESSAGES_BURST": "20", "BOOKING_WS_MESSAGES_PER_SECOND": "0.1"}
    )
    code, reason = await _closed_with(server.ws_url_for(server.login("carl")), 100)
    assert (code, reason) == (1008, TOO_MANY_MESSAGES)


@pytest.mark.asyncio
async def test_one_socket_over_the_cap_is_closed_1008(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory(env={"BOOKING_WS_MAX_SOCKETS_PER_USER": "2"})
    url = server.ws_url_for(server.login("carl"))
    async with connect(url) as first, connect(url) as second:
        for ws in (first, second):
            assert '"hello"' in str(await ws.recv())
        async with connect(url) as third:
            with pytest.raises(ConnectionClosed) as closed:
                await third.recv()
        assert closed.value.rcvd is not None
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1008, TOO_MANY_SOCKETS)
    # Closed ones no longer count.
    async with connect(url) as again:
        assert '"hello"' in str(await again.recv())


def _masked_text(payload: bytes) -> bytes:
    """One client → server text frame (clients mask), payload < 126 bytes."""
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + body


def _open_without_reading(server: LiveServer, token: str) -> socket.socket:
    """A WebSocket that completes the handshake and then never reads (tiny receive buffer)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /api/v1/ws?token={token} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


def _open_sockets(server: LiveServer) -> float:
    # The server is busy answering the flood: under load it took over httpx's default 5 s to
    # answer. The wait is bounded by the test's own deadline, not by the request's.
    for line in httpx.get(f"{server.base_url}/metrics", timeout=DEADLINE).text.splitlines():
        if line.startswith("booking_websockets_open "):
            return float(line.split()[1])
    raise AssertionError("no booking_websockets_open in /metrics")


def test_a_flooded_socket_that_reads_nothing_is_dropped(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory(
        env={
            "BOOKING_WS_PING_INTERVAL": "0.5",
            "BOOKING_WS_PING_TIMEOUT": "1",
            "BOOKING_WS_QUEUE_BYTES": "65536",
        }
    )
    sock = _open_without_reading(server, server.login("carl"))
    try:
        sock.settimeout(DEADLINE)
        # 100,000 invalid messages: each answered with an error frame nobody reads (~9 MB).
        sock.sendall(_masked_text(b"x") * 100_000)
        deadline = time.monotonic() + DEADLINE
        # Waiting on a condition (the server's own count), bounded by a deadline.
        while _open_sockets(server) > 0:
            assert time.monotonic() < deadline, "the stuck socket is still open"
            time.sleep(0.1)
    finally:
        sock.close()
