"""Each refusal the server can give rolls the change back, says why in plain words, and shows the
server's booking; codes the client can predict are refused before anything is sent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking_core import Action, BookingPatch, Role, Status, UserPublic
from desktop_app.sync import Command, IntentMade, ReplyReceived, Reschedule, Transition
from tests.desktop.sync.harness import World, booking, loaded, sent, shown


def answer(world: World, status: int, body: object) -> list[Command]:
    (request,) = [p.request for p in world.requests]
    world.requests.clear()
    return world.feed(ReplyReceived(request.request_id, status, {}, body, world.now))


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (409, "invalid_transition"),
        (409, "slot_taken"),
        (403, "forbidden"),
        (422, "invalid_request"),
        (428, "precondition_required"),
    ],
)
def test_refusal_rolls_back(status: int, code: str) -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    assert world.engine.visible["b1"].booking.status is Status.CONFIRMED
    commands = answer(world, status, {"status": status, "title": "x", "code": code})
    (rollback,) = shown(commands)
    assert rollback.code == code
    assert rollback.action is Action.ACCEPT  # the UI puts code and action into words
    assert rollback.current == world.server.bookings["b1"]
    row = world.engine.visible["b1"]
    assert row.booking.status is Status.PENDING
    assert not row.pending
    assert world.engine.outbox == ()


def test_refusal_asks_the_server_what_changed() -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    commands = answer(world, 409, {"code": "invalid_transition"})
    assert [r.path for r in sent(commands)] == ["/api/v1/bookings?since=1"]


def test_not_found_removes_the_booking() -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    commands = answer(world, 404, {"code": "not_found"})
    (rollback,) = shown(commands)
    assert rollback.code == "not_found"
    assert rollback.current is None
    assert "b1" not in world.engine.visible
    assert "b1" not in world.engine.server


def test_version_conflict_that_no_longer_applies_shows_the_server_version() -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    world.server.act("c1", "b1", Action.CANCEL, world.now)
    world.frames.clear()  # their event is still on its way
    world.deliver_request()
    commands = world.deliver_reply()
    (rollback,) = shown(commands)
    assert rollback.code == "version_conflict"
    assert rollback.current is not None
    assert rollback.current.status is Status.CANCELLED
    assert world.engine.visible["b1"].booking == world.server.bookings["b1"]
    assert world.engine.counters.conflicts == 1


def test_version_conflict_that_still_applies_is_rebased_with_a_new_key() -> None:
    world = loaded()
    first = sent(world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now)))[0]
    world.server.act("c1", "b1", Action.UPDATE, world.now, BookingPatch(note="ring twice"))
    world.deliver_request()
    commands = world.deliver_reply()
    assert shown(commands) == []
    (again,) = sent(commands)
    assert again.headers["If-Match"] == '"2"'
    assert again.headers["Idempotency-Key"] != first.headers["Idempotency-Key"]
    world.deliver_request()
    world.deliver_reply()
    server = world.server.bookings["b1"]
    assert server.status is Status.CONFIRMED
    assert server.note == "ring twice"
    assert world.engine.visible["b1"].booking == server


def test_edit_whose_field_someone_else_changed_is_not_rebased() -> None:
    world = loaded()
    world.feed(IntentMade(Reschedule("b1", BookingPatch(note="mine")), world.now))
    world.server.act("c1", "b1", Action.UPDATE, world.now, BookingPatch(note="theirs"))
    world.deliver_request()
    commands = world.deliver_reply()
    (rollback,) = shown(commands)
    assert rollback.code == "version_conflict"
    assert sent(commands) == []
    assert world.server.bookings["b1"].note == "theirs"
    assert world.engine.visible["b1"].booking.note == "theirs"


@pytest.mark.parametrize(
    ("intent", "code"),
    [
        (Transition("b1", Action.COMPLETE), "invalid_transition"),
        (Transition("missing", Action.ACCEPT), "not_found"),
        (Transition("b1", Action.CREATE), "invalid_request"),
    ],
)
def test_predicted_refusals_are_not_sent(intent: Transition, code: str) -> None:
    world = loaded()
    commands = world.feed(IntentMade(intent, world.now))
    assert sent(commands) == []
    (rollback,) = shown(commands)
    assert rollback.code == code
    assert world.engine.counters.refused == 1


def test_customer_cannot_accept_their_own_booking() -> None:
    customer = UserPublic(id="c1", username="carl", role=Role.CUSTOMER, display_name="Carl")
    world = loaded(user=customer)
    (rollback,) = shown(world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now)))
    assert rollback.code == "forbidden"
    assert rollback.action is Action.ACCEPT


def test_reschedule_onto_a_taken_slot_is_refused_before_sending() -> None:
    world = loaded(booking("b1", hour=10), booking("b2", hour=11))
    b2 = world.server.bookings["b2"]
    patch = BookingPatch(starts_at=b2.starts_at, ends_at=b2.ends_at)
    commands = world.feed(IntentMade(Reschedule("b1", patch), world.now))
    assert sent(commands) == []
    assert shown(commands)[0].code == "slot_taken"
    later = BookingPatch(starts_at=b2.ends_at, ends_at=b2.ends_at + timedelta(hours=1))
    assert sent(world.feed(IntentMade(Reschedule("b1", later), world.now)))


def test_version_conflict_without_current_waits_for_a_fetch_before_resending() -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    world.act("c1", "b1", Action.UPDATE, BookingPatch(note="changed"))
    world.frames.clear()
    commands = answer(world, 412, {"code": "version_conflict"})  # a server without `current`
    assert [(r.method, r.path) for r in sent(commands)] == [("GET", "/api/v1/bookings?since=1")]
    assert shown(commands) == []
    world.deliver_request()
    (resend,) = sent(world.deliver_reply())
    assert resend.headers["If-Match"] == '"2"'


def test_second_edit_builds_on_the_confirmed_first_one() -> None:
    world = loaded()
    world.feed(IntentMade(Reschedule("b1", BookingPatch(note="first")), world.now))
    world.feed(IntentMade(Reschedule("b1", BookingPatch(note="second")), world.now))
    world.settle()
    assert world.rollbacks == []
    assert world.server.bookings["b1"].note == "second"
    assert world.server.bookings["b1"].version == 3
