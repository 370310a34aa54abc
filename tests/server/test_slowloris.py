"""Slowloris (issue 13, item 6), with real sockets against a real server process: a connection
whose request head trickles in a line at a time is closed once `BOOKING_HEADER_TIMEOUT_SECONDS`
has passed since the server began waiting for it — before a first request, and between requests
on a keep-alive connection; a head over `BOOKING_MAX_HEADER_BYTES` is refused."""

from __future__ import annotations

import socket
import time

import pytest

from tests.support.fixtures import LiveServerFactory
from tests.support.live_server import LiveServer

DEADLINE = 30.0
SLOW = {"BOOKING_HEADER_TIMEOUT_SECONDS": "1"}


def _trickle_until_closed(sock: socket.socket) -> None:
    """Send one header line at a time, each after waiting up to 0.2 s for the server to close the
    connection; returns once it did (fails after DEADLINE)."""
    sock.settimeout(0.2)
    deadline = time.monotonic() + DEADLINE
    index = 0
    while time.monotonic() < deadline:
        try:
            sock.sendall(f"X-Slow-{index}: 1\r\n".encode())
            data = sock.recv(65536)
        except TimeoutError:
            index += 1
            continue
        except (ConnectionResetError, BrokenPipeError):
            return
        if data == b"":
            return
        index += 1  # an answer (e.g. 400): keep going until closed
    pytest.fail("the server kept a trickling connection open")


def _connect(server: LiveServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port))


def test_a_trickling_first_request_is_closed(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory(env=SLOW)
    socks = [_connect(server) for _ in range(20)]
    try:
        for sock in socks:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        for sock in socks:
            _trickle_until_closed(sock)
    finally:
        for sock in socks:
            sock.close()
    # The server still answers.
    with _connect(server) as fresh:
        fresh.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert fresh.recv(65536).startswith(b"HTTP/1.1 200")


def test_a_trickling_request_after_a_first_one_is_closed(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory(env={**SLOW, "BOOKING_KEEP_ALIVE_SECONDS": "60"})
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(65536)
        assert head.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        _trickle_until_closed(sock)


def test_a_head_over_the_limit_is_refused(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory(env={"BOOKING_MAX_HEADER_BYTES": "4096"})
    with _connect(server) as sock:
        # The head arrives without its end first: an incomplete head over the limit is refused.
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8192)
        sock.settimeout(DEADLINE)
        assert sock.recv(65536).startswith(b"HTTP/1.1 4")
