"""The update queue: one request in flight per booking, debounce, patch merging, retries with the
same Idempotency-Key, creates that get their server id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from booking_core import Action, BookingCreate, BookingPatch, Status
from desktop_app.sync import (
    BookingIdAssigned,
    ChangeConfirmed,
    Create,
    IntentMade,
    RequestFailed,
    Reschedule,
    Transition,
)
from tests.desktop.sync.harness import T0, booking, loaded, sent, shown


def confirmed(commands: Sequence[object]) -> list[ChangeConfirmed]:
    return [c for c in commands if isinstance(c, ChangeConfirmed)]


def test_one_request_in_flight_per_booking_later_intents_wait() -> None:
    world = loaded(booking("b1"), booking("b2", hour=12))
    first = sent(world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now)))
    second = sent(world.feed(IntentMade(Transition("b1", Action.START), world.now)))
    other = sent(world.feed(IntentMade(Transition("b2", Action.ACCEPT), world.now)))
    assert len(first) == 1
    assert second == []  # waits behind the accept
    assert len(other) == 1  # another booking is not held up
    row = world.engine.visible["b1"]
    assert row.booking.status is Status.IN_PROGRESS  # both replayed
    assert row.pending_action is Action.START
    world.deliver_request(0)
    commands = world.deliver_reply()
    (start,) = sent(commands)
    assert start.json == {"action": "start"}
    assert start.headers["If-Match"] == '"2"'  # built on the confirmed accept
    world.settle()
    assert world.server.bookings["b1"].status is Status.IN_PROGRESS
    assert world.engine.outbox == ()


def test_repeated_identical_intent_is_debounced() -> None:
    world = loaded()
    intent = IntentMade(Transition("b1", Action.ACCEPT), world.now)
    world.feed(intent)
    again = world.feed(IntentMade(intent.intent, world.now + timedelta(milliseconds=100)))
    assert sent(again) == []
    assert shown(again) == []
    assert len(world.engine.outbox) == 1
    assert world.engine.counters.debounced == 1
    # Outside the window it is a new intent: here refused, since the booking is confirmed by then.
    later = world.feed(IntentMade(intent.intent, world.now + timedelta(seconds=2)))
    assert shown(later)[0].code == "invalid_transition"


def test_queued_edits_of_one_booking_merge_into_one_patch() -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    for note in ("a", "ab", "abc"):
        world.feed(IntentMade(Reschedule("b1", BookingPatch(note=note)), world.now))
    assert len(world.engine.outbox) == 2
    assert world.engine.visible["b1"].booking.note == "abc"
    world.settle()
    patches = [p for _, p in world.server.applied if isinstance(p, dict) and "note" in p]
    assert patches == [{"note": "abc"}]


def test_retry_after_a_transport_failure_reuses_the_key() -> None:
    world = loaded()
    (first,) = sent(world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now)))
    world.deliver_request(answer=False)  # applied on the server, answer lost on the way
    commands = world.feed(RequestFailed(first.request_id, "connection reset", world.now))
    assert sent(commands) == []
    wakeup = world.engine.next_wakeup
    assert wakeup is not None
    assert wakeup - world.now <= timedelta(seconds=0.5)
    (retry,) = sent(world.to_wakeup() or [])
    assert retry.headers == first.headers  # same key, same If-Match: the server replays
    assert retry.json == first.json
    world.deliver_request()
    world.deliver_reply()
    assert world.engine.outbox == ()
    assert world.rollbacks == []
    assert len(world.server.applied) == 1


def test_create_gets_its_server_id_and_queued_changes_follow() -> None:
    world = loaded()
    body = BookingCreate(
        master_id="m1",
        customer_id="c1",
        service="beard trim",
        starts_at=T0.replace(hour=15),
        ends_at=T0.replace(hour=16),
    )
    (post,) = sent(world.feed(IntentMade(Create("tmp-1", body), world.now)))
    assert (post.method, post.path) == ("POST", "/api/v1/bookings")
    assert "If-Match" not in post.headers
    assert world.engine.visible["tmp-1"].pending_action is Action.CREATE
    # A booking the master makes is confirmed at once (booking_core's CREATE row).
    assert world.engine.visible["tmp-1"].booking.status is Status.CONFIRMED
    assert sent(world.feed(IntentMade(Transition("tmp-1", Action.CANCEL), world.now))) == []
    world.deliver_request()
    commands = world.deliver_reply()
    (assigned,) = [c for c in commands if isinstance(c, BookingIdAssigned)]
    server_id = assigned.booking_id
    assert assigned.client_id == "tmp-1"
    (accept,) = sent(commands)
    assert accept.path == f"/api/v1/bookings/{server_id}/transitions"
    assert "tmp-1" not in world.engine.visible
    world.settle()
    assert world.server.bookings[server_id].status is Status.CANCELLED
    assert world.engine.visible[server_id].booking == world.server.bookings[server_id]


def test_a_change_that_takes_a_slot_waits_for_the_one_that_frees_it() -> None:
    world = loaded(booking("b1", hour=10, status=Status.CONFIRMED), booking("b2", hour=12))
    world.feed(IntentMade(Transition("b1", Action.CANCEL), world.now))
    patch = BookingPatch(starts_at=T0.replace(hour=10), ends_at=T0.replace(hour=11))
    commands = world.feed(IntentMade(Reschedule("b2", patch), world.now))
    assert shown(commands) == []  # predicted on top of the cancel
    assert sent(commands) == []  # but sent only once the cancel is through
    world.settle()
    assert world.server.bookings["b2"].starts_at == T0.replace(hour=10)
    assert world.rollbacks == []


def test_waiting_change_overtaken_by_a_server_event_is_dropped_at_once() -> None:
    world = loaded(booking("b1", hour=10, status=Status.CONFIRMED), booking("b2", hour=12))
    world.feed(IntentMade(Transition("b1", Action.CANCEL), world.now))
    patch = BookingPatch(starts_at=T0.replace(hour=10), ends_at=T0.replace(hour=11))
    world.feed(IntentMade(Reschedule("b2", patch), world.now))
    world.act("c1", "b2", Action.CANCEL)
    (rollback,) = shown(world.deliver_frame())
    assert rollback.booking_id == "b2"
    assert rollback.code == "invalid_transition"
    assert rollback.action is Action.RESCHEDULE
    assert rollback.current is not None
    assert rollback.current.status is Status.CANCELLED
    assert [e.booking_id for e in world.engine.outbox] == ["b1"]
    assert world.engine.visible["b2"].booking.status is Status.CANCELLED


def test_waiting_change_still_applicable_after_an_event_goes_with_the_new_version() -> None:
    world = loaded(booking("b1", status=Status.CONFIRMED), booking("b2", hour=12))
    world.feed(IntentMade(Transition("b1", Action.CANCEL), world.now))
    patch = BookingPatch(starts_at=T0.replace(hour=10), ends_at=T0.replace(hour=11))
    world.feed(IntentMade(Reschedule("b2", patch), world.now))
    world.act("c1", "b2", Action.UPDATE, BookingPatch(note="after 10 please"))
    assert shown(world.deliver_frame()) == []
    world.deliver_request()
    (moved,) = sent(world.deliver_reply())
    assert moved.headers["If-Match"] == '"2"'
    world.settle()
    assert world.server.bookings["b2"].starts_at == T0.replace(hour=10)
    assert world.server.bookings["b2"].note == "after 10 please"


def test_changes_to_a_create_that_failed_are_dropped_with_it() -> None:
    world = loaded()
    body = BookingCreate(
        master_id="m1",
        customer_id="c1",
        service="beard trim",
        starts_at=T0.replace(hour=15),
        ends_at=T0.replace(hour=16),
    )
    world.feed(IntentMade(Create("tmp-1", body), world.now))
    world.feed(IntentMade(Transition("tmp-1", Action.CANCEL), world.now))
    # The customer books 15:00 on their own first.
    taken = body.model_copy(update={"service": "colour"})
    world.server.request(
        world.server_user("c1"),
        "POST",
        "/api/v1/bookings",
        taken.model_dump(mode="json"),
        {},
        world.now,
    )
    world.deliver_request()
    commands = world.deliver_reply()
    assert [(r.action, r.code) for r in shown(commands)] == [
        (Action.CREATE, "slot_taken"),
        (Action.CANCEL, "slot_taken"),
    ]
    assert world.engine.outbox == ()
    assert "tmp-1" not in world.engine.visible


def test_the_same_create_again_after_its_server_id_is_no_new_change() -> None:
    world = loaded()
    body = BookingCreate(
        master_id="m1",
        customer_id="c1",
        service="beard trim",
        starts_at=T0.replace(hour=15),
        ends_at=T0.replace(hour=16),
    )
    create = IntentMade(Create("tmp-1", body), world.now)
    world.feed(create)
    world.deliver_request()
    world.deliver_reply()  # now shown under its server id
    repeat = world.feed(IntentMade(create.intent, world.now + timedelta(seconds=5)))
    assert shown(repeat) == []  # not "slot taken" by itself
    assert sent(repeat) == []
    assert world.engine.outbox == ()


def test_a_change_on_the_client_id_after_the_server_id_came_goes_to_the_server_id() -> None:
    world = loaded()
    body = BookingCreate(
        master_id="m1",
        customer_id="c1",
        service="beard trim",
        starts_at=T0.replace(hour=15),
        ends_at=T0.replace(hour=16),
    )
    world.feed(IntentMade(Create("tmp-1", body), world.now))
    world.deliver_request()
    (assigned,) = [c for c in world.deliver_reply() if isinstance(c, BookingIdAssigned)]
    (accept,) = sent(world.feed(IntentMade(Transition("tmp-1", Action.CANCEL), world.now)))
    assert accept.path == f"/api/v1/bookings/{assigned.booking_id}/transitions"


def test_a_confirmed_change_is_reported_once_with_its_key_also_after_a_lost_answer() -> None:
    world = loaded()
    intent = Transition("b1", Action.ACCEPT)
    (first,) = sent(world.feed(IntentMade(intent, world.now)))
    key = world.engine.outbox[0].key
    world.deliver_request(answer=False)  # applied on the server, answer lost on the way
    assert confirmed(world.feed(RequestFailed(first.request_id, "reset", world.now))) == []
    world.to_wakeup()
    world.deliver_request()  # the retry: the server replays its stored answer
    (done,) = confirmed(world.deliver_reply())
    assert (done.key, done.booking_id, done.intent) == (key, "b1", intent)
    assert done.booking == world.server.bookings["b1"]
    assert done.booking is not None
    assert done.booking.status is Status.CONFIRMED


def test_a_refused_change_is_not_reported_confirmed() -> None:
    world = loaded(booking("b1", status=Status.CONFIRMED))
    world.server.bookings["b1"] = world.server.bookings["b1"].model_copy(
        update={"status": Status.CANCELLED, "version": 2}
    )  # cancelled on the server, not yet known here
    commands = world.feed(IntentMade(Transition("b1", Action.START), world.now))
    world.deliver_request()
    commands += world.deliver_reply()
    assert confirmed(commands) == []
    assert [r.code for r in world.rollbacks] == ["version_conflict"]


def test_a_confirmed_create_names_the_server_id_and_keeps_its_client_id() -> None:
    world = loaded()
    body = BookingCreate(
        master_id="m1",
        customer_id="c1",
        service="beard trim",
        starts_at=T0.replace(hour=15),
        ends_at=T0.replace(hour=16),
    )
    world.feed(IntentMade(Create("tmp-1", body), world.now))
    world.deliver_request()
    commands = world.deliver_reply()
    (done,) = confirmed(commands)
    (assigned,) = [c for c in commands if isinstance(c, BookingIdAssigned)]
    assert done.booking_id == assigned.booking_id != "tmp-1"
    assert done.intent == Create("tmp-1", body)
