"""Stale changes: retried with the same key, then dropped and reported once the server has shown it
is reachable; while it is unreachable they wait. Nothing stays pending forever."""

from __future__ import annotations

from datetime import timedelta

from booking_core import Action, Presence, Status
from desktop_app.sync import IntentMade, SyncConfig, Transition
from tests.desktop.sync.harness import loaded, sent, shown

CONFIG = SyncConfig(
    request_timeout=timedelta(seconds=10),
    stale_after=timedelta(seconds=60),
    max_retries=2,
)


def test_unanswered_change_is_retried_then_dropped_and_reported() -> None:
    world = loaded(config=CONFIG)
    (first,) = sent(world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now)))
    keys = {first.headers["Idempotency-Key"]}
    posts = 1
    rollbacks = []
    for _ in range(10):
        world.requests.clear()  # every request vanishes, while the socket shows the server is up
        world.frames.append(Presence(booking_id="b1", viewers=[]))
        world.deliver_frame()
        commands = world.to_wakeup() or []
        retries = [r for r in sent(commands) if r.method == "POST"]
        posts += len(retries)
        keys |= {r.headers["Idempotency-Key"] for r in retries}
        rollbacks += shown(commands)
        if rollbacks:
            break
    (rollback,) = rollbacks
    assert rollback.code == "not_confirmed"
    assert keys == {first.headers["Idempotency-Key"]}  # every retry reused the key
    assert posts == 1 + CONFIG.max_retries
    assert world.engine.outbox == ()
    assert world.engine.visible["b1"].booking.status is Status.PENDING
    assert not world.engine.visible["b1"].pending


def test_unreachable_server_keeps_the_change_pending() -> None:
    world = loaded(config=CONFIG)
    world.drop_socket()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    for _ in range(40):  # about ten minutes of failing retries, polls and reconnects
        while world.requests:
            world.lose_request()
        while world.replies:
            world.deliver_reply()
        if world.socket == "opening":
            world.refuse_connect()
        world.to_wakeup()
    assert world.rollbacks == []
    assert [e.booking_id for e in world.engine.outbox] == ["b1"]
    assert world.engine.visible["b1"].pending
    assert world.engine.status.state.value == "offline"
    world.settle()  # the server is back
    assert not world.engine.outbox
    assert world.server.bookings["b1"].status is Status.CONFIRMED


def test_answer_after_the_timeout_still_counts() -> None:
    world = loaded(config=CONFIG)
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    world.deliver_request()
    world.advance(11)  # timed out: a retry is scheduled
    world.deliver_reply()  # ... and then the late answer arrives
    assert world.engine.outbox == ()
    assert world.rollbacks == []
    assert world.engine.visible["b1"].booking == world.server.bookings["b1"]
