"""What an unchanged delta poll costs on the wire (request + response), counted through a
byte-counting TCP relay between the real client and a real server process.

It was 369 bytes, then ~230 (httpx's default headers and uvicorn's `date` gone). Now the poll is a
conditional GET (If-None-Match: its cursor; docs/protocol.md) answered `304 Not Modified` with no
body, and tokens are 32 characters: what is left is the request line, Host, the bearer token,
If-None-Match, and the status line with the ETag: ~190 bytes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from booking_core import BookingList
from desktop_app.net.api import ApiClient
from desktop_app.sync.wire import list_headers, list_path, unchanged_listing
from tests.desktop.net.conftest import free_slot_body, signed_in

# Bytes of one unchanged `GET /api/v1/bookings?since=N`, both directions (issue 9: < 200).
WIRE_BUDGET = 200


@dataclass
class CountingRelay:
    """Forwards loopback TCP to `upstream` byte for byte and records what went each way."""

    upstream: str
    sent: bytearray = field(default_factory=bytearray)  # client -> server
    received: bytearray = field(default_factory=bytearray)  # server -> client
    url: str = ""
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, seen: bytearray
    ) -> None:
        try:
            while data := await reader.read(65536):
                seen += data
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        parts = urlsplit(self.upstream)
        up_reader, up_writer = await asyncio.open_connection(parts.hostname, parts.port)
        await asyncio.gather(
            self._pump(reader, up_writer, self.sent),
            self._pump(up_reader, writer, self.received),
            return_exceptions=True,
        )

    def reset(self) -> None:
        self.sent.clear()
        self.received.clear()


@contextlib.asynccontextmanager
async def counting_relay(upstream: str) -> AsyncIterator[CountingRelay]:
    relay = CountingRelay(upstream)
    server = await asyncio.start_server(relay._handle, "127.0.0.1", 0)
    relay.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    async with server:
        yield relay
        server.close()


@pytest.mark.asyncio
async def test_an_unchanged_delta_poll_carries_only_what_the_protocol_needs(
    server_url: str,
) -> None:
    async with counting_relay(server_url) as relay:
        login = await signed_in(server_url, "anna")
        token = login.token
        await login.aclose()
        client = ApiClient(relay.url, token)
        try:
            first = await client.perform("GET", "/api/v1/bookings?since=0")
            cursor = first.body["cursor"]
            # The connection stays open: the poll below is the steady state, one exchange on it.
            relay.reset()
            path, headers = list_path(cursor), list_headers(cursor)  # as the engine asks
            reply = await client.perform("GET", path, headers=headers)
        finally:
            await client.aclose()
    # The engine reads the answer the 304 stands for.
    assert reply.status == 304
    assert unchanged_listing(reply.headers, cursor) == BookingList(bookings=[], cursor=cursor)
    assert sorted(header_names(relay.sent)) == ["authorization", "host", "if-none-match"]
    assert relay.received.startswith(b"HTTP/1.1 304 ")
    assert header_names(relay.received) == ["etag"]
    assert relay.received.endswith(f'"{cursor}"\r\n\r\n'.encode())
    total = len(relay.sent) + len(relay.received)
    assert total < WIRE_BUDGET, (bytes(relay.sent), bytes(relay.received))


@pytest.mark.asyncio
async def test_a_delta_poll_after_changes_is_answered_in_full(
    anna: ApiClient, carl: ApiClient
) -> None:
    users = (await carl.perform("GET", "/api/v1/users")).body["users"]
    ids = {user["username"]: user["id"] for user in users}
    cursor = (await anna.perform("GET", "/api/v1/bookings")).body["cursor"]
    made = await carl.perform("POST", "/api/v1/bookings", json=free_slot_body(ids["anna"]))
    assert made.status == 201
    reply = await anna.perform("GET", f"/api/v1/bookings?since={cursor}")
    assert reply.status == 200
    assert [b["id"] for b in reply.body["bookings"]] == [made.body["id"]]
    later = reply.body["cursor"]
    assert later > cursor
    # Someone else's booking moves the cursor: a 304, read as "nothing, continue from there".
    other = await carl.perform("POST", "/api/v1/bookings", json=free_slot_body(ids["ben"]))
    assert other.status == 201
    quiet = await anna.perform("GET", list_path(later), headers=list_headers(later))
    assert quiet.status == 304
    assert unchanged_listing(quiet.headers, later) == BookingList(bookings=[], cursor=later + 1)
    assert quiet.headers["etag"] == f'"{later + 1}"'


def header_names(message: bytes | bytearray) -> list[str]:
    """The header names of one HTTP/1.1 message, lower-case, in order."""
    head = bytes(message).split(b"\r\n\r\n", 1)[0].decode("ascii")
    return [line.split(":", 1)[0].lower() for line in head.split("\r\n")[1:]]
