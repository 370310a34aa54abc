"""Socket events: merged by version, older and duplicate ones ignored, seq gaps and lost cursors
repaired by fetching; presence passed through."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking_core import (
    Action,
    BookingPatch,
    BookingUpdated,
    Hello,
    Presence,
    ResyncRequired,
    Status,
)
from booking_core import Viewer as CoreViewer
from desktop_app.sync import PresenceChanged, RowsChanged
from tests.desktop.sync.harness import World, booking, loaded, row_ids, sent


def update(seq: int, version: int, status: Status = Status.CONFIRMED) -> BookingUpdated:
    after = booking("b1", status=status, version=version)
    return BookingUpdated(seq=seq, action=Action.ACCEPT, booking=after, changes={}, actor="m1")


def test_event_updates_the_row_and_the_cursor() -> None:
    world = loaded()
    world.act("c1", "b1", Action.UPDATE, BookingPatch(note="late"))
    commands = world.deliver_frame()
    assert (frozenset(), frozenset({"b1"}), frozenset()) in row_ids(commands)
    assert world.engine.visible["b1"].booking.note == "late"
    assert world.engine.cursor == world.server.seq
    assert sent(commands) == []  # no gap, nothing to fetch


def test_older_and_duplicate_events_are_ignored() -> None:
    world = loaded()
    world.frames += [update(2, 3, Status.CONFIRMED), update(3, 2, Status.CANCELLED)]
    world.deliver_frame()
    commands = world.deliver_frame()
    assert world.engine.visible["b1"].booking.version == 3
    assert world.engine.visible["b1"].booking.status is Status.CONFIRMED
    assert not [c for c in commands if isinstance(c, RowsChanged)]
    world.frames.append(update(2, 3, Status.CONFIRMED))
    assert not [c for c in world.deliver_frame() if isinstance(c, RowsChanged)]
    assert world.engine.counters.ignored_events == 2


def test_seq_gap_fetches_the_delta_since_the_cursor() -> None:
    world = loaded()
    assert world.engine.cursor == 1
    world.act("c1", "b1", Action.UPDATE, BookingPatch(note="one"))
    world.act("c1", "b1", Action.UPDATE, BookingPatch(note="two"))
    world.frames.pop(0)  # seq 2 lost
    commands = world.deliver_frame()
    assert [r.path for r in sent(commands)] == ["/api/v1/bookings?since=1"]
    assert world.engine.counters.gaps == 1
    world.deliver_request()
    world.deliver_reply()
    assert world.engine.cursor == 3
    assert world.engine.visible["b1"].booking.note == "two"


def test_resync_required_reloads_everything() -> None:
    world = loaded()
    world.frames.append(ResyncRequired())
    (full,) = sent(world.deliver_frame())
    assert full.path == "/api/v1/bookings"


def test_expired_cursor_reloads_everything() -> None:
    world = loaded()
    world.drop_socket()
    world.server.seed(booking("b2", hour=12), world.now)
    world.server.expire_log()
    world.advance(3)  # poll
    (poll,) = [p.request for p in world.requests]
    assert poll.path == "/api/v1/bookings?since=1"
    world.deliver_request()
    (full,) = sent(world.deliver_reply())
    assert full.path == "/api/v1/bookings"
    world.deliver_request()
    world.deliver_reply()
    assert set(world.engine.visible) == {"b1", "b2"}
    assert world.engine.cursor == world.server.seq


@pytest.mark.parametrize("hello_first", [True, False])
def test_changes_between_snapshot_and_live_stream_are_fetched(hello_first: bool) -> None:
    world = World()
    world.server.seed(booking("b1"), world.now)
    world.start()  # the full load and the socket (no `since`: live events only) race
    world.deliver_request()  # snapshot at seq 1
    world.server.seed(booking("b2", hour=12), world.now)  # seq 2: in neither
    world.connect()
    if hello_first:
        world.deliver_frame()
        commands = world.deliver_reply()
    else:
        world.deliver_reply()
        commands = world.deliver_frame()
    assert [r.path for r in sent(commands)] == ["/api/v1/bookings?since=1"]
    world.settle()
    assert set(world.engine.visible) == {"b1", "b2"}


def test_presence_is_passed_through() -> None:
    world = loaded()
    viewer = CoreViewer(id="c1", display_name="Carl")
    world.frames.append(Presence(booking_id="b1", viewers=[viewer]))
    assert PresenceChanged("b1", (viewer,)) in world.deliver_frame()


def test_event_latency_is_measured() -> None:
    world = loaded()
    world.act("c1", "b1", Action.CANCEL)
    world.now += timedelta(milliseconds=250)
    world.deliver_frame()
    assert world.engine.counters.event_latency == timedelta(milliseconds=250)


def test_viewers_are_remembered_until_they_leave() -> None:
    world = loaded()
    viewer = CoreViewer(id="c1", display_name="Carl")
    world.frames.append(Presence(booking_id="b1", viewers=[viewer]))
    world.deliver_frame()
    assert world.engine.viewers("b1") == (viewer,)
    world.frames.append(Presence(booking_id="b1", viewers=[]))
    world.deliver_frame()
    assert world.engine.viewers("b1") == ()


def test_hello_measures_the_server_clock_skew() -> None:
    world = loaded()
    world.frames.append(Hello(cursor=1, server_time=world.now + timedelta(seconds=2)))
    world.deliver_frame()
    assert world.engine.counters.clock_skew == timedelta(seconds=2)
