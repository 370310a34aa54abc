"""How the hub hands frames to a socket: at once when the socket is idle, in order behind a send
that waits (a paused transport), and nothing after a Close.

The drain given to `Connection.start` is the endpoint's writer (ws.py passes one bound to the
Starlette WebSocket); here it writes into a list, and can be made to wait like a paused socket.
The hub, its connections and the in-process bus are the real ones.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from booking_core import Action, Booking, Role, Status
from booking_core.events import BookingUpdated
from booking_server.api.hub import Close, Connection, Hub
from booking_server.bus.local import LocalBus
from booking_server.metrics import Metrics
from booking_server.store import UserRecord

pytestmark = pytest.mark.asyncio

ANNA = UserRecord("u-anna", "anna", Role.MASTER, "Anna", "-")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def event(seq: int) -> BookingUpdated:
    booking = Booking(
        id="b-1",
        master_id=ANNA.id,
        customer_id="u-carl",
        service="Haircut",
        starts_at=NOW + timedelta(hours=1),
        ends_at=NOW + timedelta(hours=2),
        status=Status.PENDING,
        note=f"note {seq}",
        version=seq,
        updated_at=NOW,
        updated_by="u-carl",
    )
    return BookingUpdated(
        seq=seq, action=Action.UPDATE, booking=booking, changes={}, actor="u-carl"
    )


class Socket:
    """Records what the drain wrote; while `paused` is clear, each send waits for it."""

    def __init__(self) -> None:
        self.sent: list[str | int] = []  # frames, and close codes
        self.paused = asyncio.Event()
        self.paused.set()

    async def drain(self, conn: Connection) -> None:
        while conn.queue:
            item = conn.pop()
            await self.paused.wait()
            if isinstance(item, Close):
                self.sent.append(item.code)
                conn.sent_all()
                return
            self.sent.append(item)

    def seqs(self) -> list[object]:
        """Each frame's seq (or its type when it has none), and the close codes."""
        frames = [json.loads(s) if isinstance(s, str) else s for s in self.sent]
        return [f.get("seq", f["type"]) if isinstance(f, dict) else f for f in frames]


async def live_hub() -> tuple[LocalBus, Hub, Connection, Socket]:
    bus = LocalBus()
    hub = Hub(bus, Metrics(), queue_limit=100)
    hub.start()
    conn = hub.connect(ANNA, "hash")
    socket = Socket()
    conn.start(socket.drain)
    conn.go_live([], cursor=0, start=0)
    return bus, hub, conn, socket


async def test_an_event_is_written_before_its_publish_returns() -> None:
    bus, _hub, _conn, socket = await live_hub()
    await bus.publish(event(1))
    # No turn of the loop in between: the committing request has not gone on yet.
    assert socket.seqs() == [1]
    await bus.publish(event(2))
    assert socket.seqs() == [1, 2]


async def test_frames_wait_in_order_behind_a_send_that_waits() -> None:
    bus, _hub, conn, socket = await live_hub()
    socket.paused.clear()
    for seq in (1, 2, 3):
        await bus.publish(event(seq))
    conn.close(1001)
    await bus.publish(event(4))  # after the close: not sent
    assert socket.sent == []
    socket.paused.set()
    await asyncio.wait_for(conn.finished.wait(), 5)
    assert socket.seqs() == [1, 2, 3, 1001]


async def test_a_socket_that_does_not_drain_is_asked_to_resync() -> None:
    bus = LocalBus()
    hub = Hub(bus, Metrics(), queue_limit=3)
    hub.start()
    conn = hub.connect(ANNA, "hash")
    socket = Socket()
    socket.paused.clear()
    conn.start(socket.drain)
    conn.go_live([], cursor=0, start=0)
    for seq in range(1, 6):
        await bus.publish(event(seq))
    socket.paused.set()
    await asyncio.wait_for(conn.finished.wait(), 5)
    # One frame in the waiting send, three queued behind it fill the queue: the fifth is refused,
    # and what waits is dropped (the client resyncs anyway; the memory is freed at once).
    assert socket.seqs() == [1, "resync_required", 1013]


async def test_stop_cancels_a_waiting_send() -> None:
    bus, _hub, conn, socket = await live_hub()
    socket.paused.clear()
    await bus.publish(event(1))
    conn.stop()
    assert conn.finished.is_set()
    socket.paused.set()
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    await asyncio.gather(*others, return_exceptions=True)  # the cancelled send ends
    conn.put("after the stop")
    assert socket.sent == []
