"""Optimistic apply, confirm and rollback: the two layers and what the user sees."""

from __future__ import annotations

from booking_core import Action, BookingPatch, Status
from desktop_app.sync import (
    IntentMade,
    Reschedule,
    RowsChanged,
    SendRequest,
    ShowRollback,
    SyncState,
    Transition,
)
from tests.desktop.sync.harness import World, booking, loaded, row_ids


def state_of(world: World) -> SyncState:
    return world.engine.status.state


def test_start_loads_everything_and_opens_the_socket() -> None:
    world = World()
    world.server.seed(booking("b1"), world.now)
    commands = world.start()
    sends = [c for c in commands if isinstance(c, SendRequest)]
    assert [(s.method, s.path) for s in sends] == [("GET", "/api/v1/bookings")]
    assert world.socket == "opening"
    assert world.socket_since is None
    world.deliver_request()
    world.deliver_reply()
    assert set(world.engine.visible) == {"b1"}
    assert world.engine.cursor == 1
    assert state_of(world) is SyncState.SYNCHRONIZED


def test_intent_shows_at_once_as_pending_then_confirms() -> None:
    world = loaded()
    commands = world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    row = world.engine.visible["b1"]
    assert row.booking.status is Status.CONFIRMED
    assert row.pending
    assert row.pending_action is Action.ACCEPT
    assert (frozenset(), frozenset({"b1"}), frozenset()) in row_ids(commands)
    (send,) = [c for c in commands if isinstance(c, SendRequest)]
    assert send.method == "POST"
    assert send.path == "/api/v1/bookings/b1/transitions"
    assert send.headers["If-Match"] == '"1"'
    assert send.headers["Idempotency-Key"]
    assert state_of(world) is SyncState.UPDATING
    world.deliver_request()
    world.deliver_reply()
    row = world.engine.visible["b1"]
    assert not row.pending
    assert row.booking.status is Status.CONFIRMED
    assert row.booking.version == 2
    assert world.engine.visible["b1"].booking == world.server.bookings["b1"]
    assert state_of(world) is SyncState.SYNCHRONIZED
    assert world.rollbacks == []


def test_the_reason_of_a_decline_shows_at_once_and_matches_the_server() -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.DECLINE, "ill that day"), world.now))
    row = world.engine.visible["b1"]
    assert row.pending
    assert (row.booking.status, row.booking.reason) == (Status.DECLINED, "ill that day")
    world.deliver_request()
    world.deliver_reply()
    row = world.engine.visible["b1"]
    assert not row.pending
    assert row.booking.reason == "ill that day"
    assert row.booking == world.server.bookings["b1"]


def test_refusal_rolls_back_with_plain_words_and_the_server_booking() -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    # The customer cancels first; their event has not reached us yet.
    world.server.act("c1", "b1", Action.CANCEL, world.now)
    world.frames.clear()
    world.deliver_request()
    commands = world.deliver_reply()
    (shown,) = [c for c in commands if isinstance(c, ShowRollback)]
    rollback = shown.rollback
    assert rollback.booking_id == "b1"
    assert rollback.action is Action.ACCEPT
    assert rollback.code == "version_conflict"
    assert rollback.current is not None
    assert rollback.current.status is Status.CANCELLED
    assert world.engine.visible["b1"].booking.status is Status.CANCELLED
    assert not world.engine.visible["b1"].pending
    assert world.engine.counters.conflicts == 1
    assert world.engine.counters.rollbacks == 1


def test_intent_the_client_can_tell_is_refused_is_not_sent() -> None:
    world = loaded(booking("b1", status=Status.CANCELLED))
    commands = world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    assert not [c for c in commands if isinstance(c, SendRequest)]
    (shown,) = [c for c in commands if isinstance(c, ShowRollback)]
    assert shown.rollback.code == "invalid_transition"
    assert world.engine.outbox == ()


def test_note_update_is_a_patch_with_if_match() -> None:
    world = loaded()
    commands = world.feed(IntentMade(Reschedule("b1", BookingPatch(note="hi")), world.now))
    (send,) = [c for c in commands if isinstance(c, SendRequest)]
    assert (send.method, send.path, send.json) == ("PATCH", "/api/v1/bookings/b1", {"note": "hi"})
    assert world.engine.visible["b1"].booking.note == "hi"


def test_rows_are_announced_only_when_they_change() -> None:
    world = loaded(booking("b1"), booking("b2", hour=12))
    commands = world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    assert (frozenset(), frozenset({"b1"}), frozenset()) in row_ids(commands)
    assert not [c for c in world.advance(1) if isinstance(c, RowsChanged)]
    world.deliver_request()
    commands = world.deliver_reply()  # confirmed: same content, no longer pending
    assert (frozenset(), frozenset({"b1"}), frozenset()) in row_ids(commands)


def test_confirmed_state_is_not_touched_by_optimistic_changes() -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    assert world.engine.server["b1"].status is Status.PENDING
    assert world.engine.visible["b1"].booking.status is Status.CONFIRMED
