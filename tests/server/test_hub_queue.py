"""A connection's outgoing queue (booking_server/api/hub.py), below the socket: bounded in bytes for
every kind of frame, and presence coalesced (the latest state of a booking wins)."""

from __future__ import annotations

import json

from booking_core.models import Role
from booking_server.api.hub import CLOSE_TRY_AGAIN_LATER, Close, Connection
from booking_server.store import UserRecord

USER = UserRecord("u1", "carl", Role.CUSTOMER, "Carl", "hash")


def _drained(conn: Connection) -> list[str | Close]:
    frames: list[str | Close] = []
    while conn.queue:
        frames.append(conn.pop())
    return frames


def test_presence_waiting_in_the_queue_is_replaced_by_the_latest() -> None:
    conn = Connection(1, USER, "t", limit=100, byte_limit=10_000)
    for index in range(2_000):
        conn.send_presence("a", json.dumps({"type": "presence", "booking_id": "a", "n": index}))
        conn.send_presence("b", json.dumps({"type": "presence", "booking_id": "b", "n": index}))
    conn.send("event")
    frames = _drained(conn)
    assert [json.loads(f)["n"] if f != "event" else f for f in frames if isinstance(f, str)] == [
        1_999,
        1_999,
        "event",
    ]
    assert conn.queued_bytes == 0
    assert not conn.closed


def test_every_kind_of_frame_counts_against_the_byte_bound() -> None:
    for fill in ("error", "presence", "event"):
        conn = Connection(1, USER, "t", limit=1_000_000, byte_limit=4_096)
        conn.go_live([], cursor=0, start=0)
        for index in range(1_000):
            text = json.dumps({"type": fill, "n": index, "pad": "x" * 50})
            if fill == "presence":
                conn.send_presence(f"booking-{index}", text)
            elif fill == "event":
                conn.deliver(index + 1, text)
            else:
                conn.send(text)
        frames = _drained(conn)
        assert frames == ['{"type":"resync_required"}', Close(CLOSE_TRY_AGAIN_LATER)], fill
        assert conn.overflowed
        assert conn.closed
