"""Conditional deltas are the engine's business, not the transport's (issue 14 item 3): a delta or
poll carries `If-None-Match: "cursor"`, and a 304 [extension] is read by the engine as "nothing
changed", continuing from the ETag's cursor."""

from __future__ import annotations

from booking_core import Action, BookingPatch
from desktop_app.sync import ReplyReceived
from tests.desktop.sync.harness import World, loaded, row_ids, sent


def test_a_delta_asks_conditionally_and_a_304_moves_the_cursor_to_the_etag() -> None:
    world = loaded()
    world.act("c1", "b1", Action.UPDATE, BookingPatch(note="one"))
    world.frames.clear()  # lost: a gap follows
    world.act("c1", "b1", Action.UPDATE, BookingPatch(note="two"))
    (delta,) = sent(world.deliver_frame())
    assert delta.path == "/api/v1/bookings?since=1"
    assert delta.headers == {"If-None-Match": '"1"'}
    world.requests.clear()
    before = world.engine.counters.delta_loads
    commands = world.feed(ReplyReceived(delta.request_id, 304, {"ETag": '"7"'}, b"", world.now))
    assert world.engine.cursor == 7
    assert world.engine.counters.delta_loads == before + 1
    assert row_ids(commands) == []


def test_a_304_without_an_etag_keeps_the_cursor_asked_from() -> None:
    world = loaded()
    world.act("c1", "b1", Action.UPDATE, BookingPatch(note="one"))
    world.frames.clear()
    world.act("c1", "b1", Action.UPDATE, BookingPatch(note="two"))
    (delta,) = sent(world.deliver_frame())
    world.requests.clear()
    world.feed(ReplyReceived(delta.request_id, 304, {}, None, world.now))
    assert world.engine.cursor == 1  # the one asked from: nothing changed since
    assert world.engine.counters.delta_loads >= 1


def test_a_full_load_asks_unconditionally() -> None:
    (request,) = sent(World().start())
    assert (request.path, dict(request.headers)) == ("/api/v1/bookings", {})
