"""What counts towards `max_retries`: failed attempts while the server is reachable and not busy.
Failures while offline only back off; a busy server (429/503, Retry-After) is waited for, bounded
by `stale_after`; fetches wait as long as Retry-After says."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from booking_core import Action, Status
from desktop_app.sync import (
    IntentMade,
    NetworkChanged,
    ReplyReceived,
    RequestFailed,
    SyncConfig,
    Transition,
)
from tests.desktop.sync.harness import World, booking, loaded

CONFIG = SyncConfig(
    request_timeout=timedelta(seconds=10),
    stale_after=timedelta(seconds=60),
    max_retries=3,
)
BUSY = {"status": 503, "title": "try later", "code": "unavailable"}


def _until_sent(world: World, method: str, *, refuse_socket: bool = True) -> int:
    """Let time pass (refusing socket attempts) until the engine sends a `method` request."""
    for _ in range(50):
        if any(p.request.method == method for p in world.requests):
            return world.request_for(method)
        if refuse_socket and world.socket == "opening":
            world.refuse_connect()
        world.to_wakeup()
    raise AssertionError(f"no {method} was sent")


def _fail(world: World, index: int, error: str) -> None:
    request = world.requests.pop(index).request
    world.feed(RequestFailed(request.request_id, error, world.now))


def _answer(world: World, index: int, status: int, headers: dict[str, str]) -> datetime:
    request = world.requests.pop(index).request
    world.feed(ReplyReceived(request.request_id, status, headers, BUSY, world.now))
    return world.now


def test_failures_while_offline_do_not_count_towards_max_retries() -> None:
    world = loaded(config=CONFIG)
    world.drop_socket()  # the server cannot be reached
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    for _ in range(5):
        _fail(world, _until_sent(world, "POST"), "connection refused")
    while world.socket != "opening":
        world.to_wakeup()
    world.connect()  # SocketOpened: reachable again
    _fail(world, _until_sent(world, "POST", refuse_socket=False), "read timeout")
    assert world.rollbacks == []  # one failure while reachable, not six
    assert [e.booking_id for e in world.engine.outbox] == ["b1"]
    world.settle()
    assert world.server.bookings["b1"].status is Status.CONFIRMED
    assert world.rollbacks == []


@pytest.mark.parametrize(("status", "headers"), [(429, {"Retry-After": "2"}), (503, {})])
def test_a_busy_server_does_not_use_up_the_retries(status: int, headers: dict[str, str]) -> None:
    world = loaded(config=CONFIG)
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    for _ in range(CONFIG.max_retries + 3):
        _answer(world, _until_sent(world, "POST"), status, headers)
    assert world.rollbacks == []
    world.settle()
    assert world.server.bookings["b1"].status is Status.CONFIRMED


def test_a_server_busy_for_longer_than_stale_after_drops_the_change() -> None:
    world = loaded(config=CONFIG)
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    first = world.now
    while not world.rollbacks:
        _answer(world, _until_sent(world, "POST"), 503, {"Retry-After": "5"})
    (rollback,) = world.rollbacks
    assert rollback.code == "not_confirmed"
    assert world.now - first >= CONFIG.stale_after
    assert world.engine.outbox == ()


@pytest.mark.parametrize("status", [429, 503])
def test_a_fetch_waits_as_long_as_retry_after_says(status: int) -> None:
    world = World(config=CONFIG)
    world.server.seed(booking("b1"), world.now)
    world.start()
    asked = _answer(world, world.request_for("GET"), status, {"Retry-After": "60"})
    world.feed(NetworkChanged(True, world.now))  # not even "Sync now" goes before
    index = _until_sent(world, "GET")
    assert world.now - asked >= timedelta(seconds=60)
    world.deliver_request(index)
    world.deliver_reply()
    assert set(world.engine.visible) == {"b1"}
