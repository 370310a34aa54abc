"""SocketClient against a real booking server: hello, live events, replay, refusals, closes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pytest
import pytest_asyncio
import websockets
from websockets.asyncio.server import ServerConnection

from booking_core import BookingUpdated, Hello, Presence, ServerMessage
from desktop_app.net.api import ApiClient
from desktop_app.net.socket import SocketClient, SocketSettings, ws_url_for
from tests.desktop.net.conftest import free_slot_body
from tests.support.proxy import FaultProxy

T = TypeVar("T")


@dataclass
class Recorder:
    """Collects the callbacks and lets a test wait for a condition on them."""

    opened: int = 0
    messages: list[ServerMessage] = field(default_factory=list)
    closes: list[tuple[int | None, str]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def on_open(self) -> None:
        self.opened += 1
        self.changed.set()

    def on_message(self, message: ServerMessage) -> None:
        self.messages.append(message)
        self.changed.set()

    def on_close(self, code: int | None, reason: str) -> None:
        self.closes.append((code, reason))
        self.changed.set()

    def client(self, settings: SocketSettings | None = None) -> SocketClient:
        return SocketClient(self.on_open, self.on_message, self.on_close, settings)

    def of_type(self, kind: type[T]) -> list[T]:
        return [m for m in self.messages if isinstance(m, kind)]

    async def until(self, predicate: object, within: float = 30.0) -> None:
        assert callable(predicate)
        async with asyncio.timeout(within):
            while not predicate():
                self.changed.clear()
                await self.changed.wait()


@pytest_asyncio.fixture
async def recorder() -> AsyncIterator[Recorder]:
    yield Recorder()


async def master_id_of(client: ApiClient) -> str:
    reply = await client.perform("GET", "/api/v1/bookings")
    return str(reply.body["bookings"][0]["master_id"])


@pytest.mark.asyncio
async def test_hello_then_live_events_then_a_clean_close(
    anna: ApiClient, carl: ApiClient, recorder: Recorder
) -> None:
    socket = recorder.client()
    assert anna.token is not None
    socket.connect(ws_url_for(anna.base_url), anna.token)
    await recorder.until(lambda: recorder.of_type(Hello))
    assert recorder.opened == 1
    assert socket.is_open

    created = await carl.perform(
        "POST", "/api/v1/bookings", free_slot_body(await master_id_of(anna))
    )
    assert created.status == 201
    await recorder.until(lambda: recorder.of_type(BookingUpdated))
    event = recorder.of_type(BookingUpdated)[0]
    assert event.booking.id == created.body["id"]
    assert event.action == "create"

    await socket.close()
    assert recorder.closes == [(1000, "")]
    assert not socket.is_open


@pytest.mark.asyncio
async def test_since_replays_what_happened_while_away(
    anna: ApiClient, carl: ApiClient, recorder: Recorder
) -> None:
    before = (await anna.perform("GET", "/api/v1/bookings")).body["cursor"]
    created = await carl.perform(
        "POST", "/api/v1/bookings", free_slot_body(await master_id_of(anna))
    )
    assert created.status == 201

    socket = recorder.client()
    assert anna.token is not None
    socket.connect(ws_url_for(anna.base_url), anna.token, since=before)
    await recorder.until(
        lambda: any(e.booking.id == created.body["id"] for e in recorder.of_type(BookingUpdated))
    )
    seqs = [e.seq for e in recorder.of_type(BookingUpdated)]
    assert seqs == sorted(set(seqs))
    assert all(seq > before for seq in seqs)
    await socket.close()


@pytest.mark.asyncio
async def test_viewing_is_sent_and_presence_comes_back(anna: ApiClient, recorder: Recorder) -> None:
    booking_id = (await anna.perform("GET", "/api/v1/bookings")).body["bookings"][0]["id"]
    socket = recorder.client()
    assert anna.token is not None
    socket.connect(ws_url_for(anna.base_url), anna.token)
    await recorder.until(lambda: recorder.of_type(Hello))
    await socket.send_viewing(booking_id)
    await recorder.until(
        lambda: any(p.booking_id == booking_id and p.viewers for p in recorder.of_type(Presence))
    )
    await socket.close()


@pytest.mark.asyncio
async def test_a_bad_token_closes_with_4401(server_url: str, recorder: Recorder) -> None:
    recorder.client().connect(ws_url_for(server_url), "not-a-token")
    await recorder.until(lambda: recorder.closes)
    assert recorder.closes[0][0] == 4401
    assert recorder.of_type(Hello) == []


@pytest.mark.asyncio
async def test_a_refused_upgrade_is_reported_distinctly(
    anna: ApiClient, recorder: Recorder
) -> None:
    async with FaultProxy(anna.base_url) as proxy:
        proxy.refuse_upgrades = True
        assert anna.token is not None
        recorder.client().connect(ws_url_for(proxy.url), anna.token)
        await recorder.until(lambda: recorder.closes)
    assert recorder.closes == [(None, "upgrade refused: 403")]
    assert recorder.opened == 0


@pytest.mark.asyncio
async def test_a_refused_connection_is_reported(dead_url: str, recorder: Recorder) -> None:
    recorder.client().connect(ws_url_for(dead_url), "token")
    await recorder.until(lambda: recorder.closes)
    code, reason = recorder.closes[0]
    assert code is None
    assert reason.startswith("connect failed:")


@pytest.mark.asyncio
async def test_a_cut_link_closes_abnormally_once(anna: ApiClient, recorder: Recorder) -> None:
    async with FaultProxy(anna.base_url) as proxy:
        socket = recorder.client()
        assert anna.token is not None
        socket.connect(ws_url_for(proxy.url), anna.token)
        await recorder.until(lambda: recorder.of_type(Hello))
        assert proxy.cut_all() == 1
        await recorder.until(lambda: recorder.closes)
        await socket.wait_closed()
    assert recorder.closes == [(1006, "")]
    assert not socket.is_running


@pytest.mark.asyncio
async def test_a_dead_link_is_found_by_the_heartbeat(anna: ApiClient, recorder: Recorder) -> None:
    async with FaultProxy(anna.base_url) as proxy:
        socket = recorder.client(
            SocketSettings(ping_interval=0.1, ping_timeout=0.3, close_timeout=0.2)
        )
        assert anna.token is not None
        socket.connect(ws_url_for(proxy.url), anna.token)
        await recorder.until(lambda: recorder.of_type(Hello))
        proxy.freeze()
        await recorder.until(lambda: recorder.closes)
    assert recorder.closes == [(1006, "keepalive ping timeout")]


async def _first_message_from(
    handler: Callable[[ServerConnection], Awaitable[None]],
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Connect the client to a small websockets server on loopback running `handler`, with
    warnings captured, until a first message arrives; then close it."""
    async with websockets.serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        socket = recorder.client()
        with caplog.at_level(logging.WARNING):
            socket.connect(f"ws://127.0.0.1:{port}/api/v1/ws", "token")
            await recorder.until(lambda: recorder.messages)
        await socket.close()


@pytest.mark.asyncio
async def test_malformed_frames_are_skipped(
    caplog: pytest.LogCaptureFixture, recorder: Recorder
) -> None:
    """A server that speaks outside the protocol (here a small websockets server on loopback)
    cannot crash the receive loop: bad frames are logged, good ones still arrive."""

    async def handler(connection: ServerConnection) -> None:
        await connection.send("{not json")
        await connection.send('{"type": "no-such-type"}')
        await connection.send('{"type": "hello", "cursor": 3, "server_time": "2026-11-25T09:00Z"}')
        await connection.wait_closed()

    await _first_message_from(handler, recorder, caplog)
    assert [type(m) for m in recorder.messages] == [Hello]
    assert caplog.text.count("skipped a malformed server frame") == 2


@pytest.mark.asyncio
async def test_on_close_may_connect_again_at_once(dead_url: str) -> None:
    """The controller feeds SocketClosed to the engine, which may answer OpenSocket right away."""
    reasons: list[str] = []
    done = asyncio.Event()

    def on_close(code: int | None, reason: str) -> None:
        reasons.append(reason)
        if len(reasons) < 3:
            client.connect(ws_url_for(dead_url), "token")
        else:
            done.set()

    client = SocketClient(lambda: None, lambda message: None, on_close)
    client.connect(ws_url_for(dead_url), "token")
    async with asyncio.timeout(10):
        await done.wait()
    assert len(reasons) == 3
    assert all(reason.startswith("connect failed:") for reason in reasons)


@pytest.mark.asyncio
async def test_messages_arrive_whole_and_in_order(recorder: Recorder) -> None:
    """Messages that came with the handshake's answer follow on_open; a fragmented message
    arrives whole (websockets' public recv(), no override of its connection)."""

    async def handler(connection: ServerConnection) -> None:
        await connection.send('{"type": "hello", "cursor": 3, "server_time": "2026-11-25T09:00Z"}')
        await connection.recv()  # the client's viewing message: it is open and listening
        whole = '{"type": "hello", "cursor": 4, "server_time": "2026-11-25T09:00Z"}'
        await connection.send([whole[:10], whole[10:30], whole[30:]])  # three frames
        await connection.wait_closed()

    async with websockets.serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        socket = recorder.client()
        socket.connect(f"ws://127.0.0.1:{port}/api/v1/ws", "token")
        await recorder.until(lambda: len(recorder.messages) == 1)
        assert recorder.opened == 1
        await socket.send_viewing(None)
        await recorder.until(lambda: len(recorder.messages) == 2)
        await socket.close()
    assert [m.cursor for m in recorder.of_type(Hello)] == [3, 4]


@pytest.mark.asyncio
async def test_the_token_is_in_a_header_never_in_the_url_or_the_log(
    caplog: pytest.LogCaptureFixture, recorder: Recorder
) -> None:
    """Issue 13 item 8: the upgrade carries `Authorization: Bearer`, the URL only `since`, and
    websockets' handshake debug lines show no token."""
    token = "s3cret-t0ken-0123456789abcdefghij"
    seen: list[tuple[str, str | None]] = []

    async def handler(connection: ServerConnection) -> None:
        request = connection.request
        assert request is not None
        seen.append((request.path, request.headers.get("Authorization")))
        await connection.send('{"type": "hello", "cursor": 3, "server_time": "2026-11-25T09:00Z"}')
        await connection.wait_closed()

    async with websockets.serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        socket = recorder.client()
        with caplog.at_level(logging.DEBUG):
            socket.connect(f"ws://127.0.0.1:{port}/api/v1/ws", token, since=7)
            await recorder.until(lambda: recorder.messages)
            await socket.close()
    assert seen == [("/api/v1/ws?since=7", f"Bearer {token}")]
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("desktop_app")]
    assert "> Authorization: [redacted]" in ours  # the handshake was logged, scrubbed
    assert not [line for line in ours if token in line]


@pytest.mark.asyncio
async def test_a_text_frame_that_is_not_utf8_is_skipped(
    caplog: pytest.LogCaptureFixture, recorder: Recorder
) -> None:
    async def handler(connection: ServerConnection) -> None:
        connection.protocol.send_text(b"\xff\xfe not text")
        connection.send_data()
        await connection.send('{"type": "hello", "cursor": 3, "server_time": "2026-11-25T09:00Z"}')
        await connection.wait_closed()

    await _first_message_from(handler, recorder, caplog)
    assert [type(m) for m in recorder.messages] == [Hello]
    assert "not UTF-8" in caplog.text
    assert recorder.closes == [(1000, "")]
