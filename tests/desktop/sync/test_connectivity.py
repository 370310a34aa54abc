"""Polling only while the socket is down, reconnects with backoff, the offline outbox across
restarts, and signing out."""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import islice

import pytest

from booking_core import Action, ResyncRequired, Status
from desktop_app.sync import (
    IntentMade,
    OpenSocket,
    ReplyReceived,
    SignInRequired,
    SyncConfig,
    SyncState,
    TimerFired,
    Transition,
    backoff,
)
from tests.desktop.sync.harness import booking, loaded, row_ids, sent, shown


def test_no_polling_while_the_socket_is_open() -> None:
    world = loaded()
    for _ in range(5):
        assert sent(world.advance(30)) == []
    assert world.engine.next_wakeup is None


@pytest.mark.parametrize(("status", "period"), [(Status.PENDING, 3.0), (Status.CANCELLED, 10.0)])
def test_polls_while_the_socket_is_down(status: Status, period: float) -> None:
    world = loaded(booking("b1", status=status))
    world.drop_socket()
    start = world.now
    polls = []
    for _ in range(12):
        commands = world.to_wakeup() or []
        polls += [(world.now - start, r) for r in sent(commands)]
        if world.socket == "opening":
            world.refuse_connect()
        while world.requests:
            world.deliver_request()
            world.deliver_reply()
    times = [t.total_seconds() for t, _ in polls]
    assert all(r.path == "/api/v1/bookings?since=1" for _, r in polls)
    assert times[:3] == [period, 2 * period, 3 * period]


def test_polling_pauses_while_a_change_is_in_flight() -> None:
    world = loaded()
    world.drop_socket()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    world.now += timedelta(seconds=3)
    commands = world.feed(TimerFired(world.now))
    assert [r.method for r in sent(commands)] == []
    world.deliver_request()
    commands = world.deliver_reply()
    assert [r.method for r in sent(commands)] == ["GET"]  # the poll that was due


def test_reconnects_with_growing_jittered_delays_then_resumes_from_the_cursor() -> None:
    config = SyncConfig()
    world = loaded(config=config)
    world.drop_socket()
    delays = []
    for _ in range(8):
        before = world.now
        while True:  # skip the polls in between
            commands = world.to_wakeup() or []
            if any(isinstance(c, OpenSocket) for c in commands):
                break
            world.requests.clear()
        delays.append((world.now - before).total_seconds())
        assert world.socket_since == 1
        world.refuse_connect()
    ceilings = [min(30.0, 0.5 * 2**n) for n in range(8)]
    assert all(0 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert max(delays) > 2  # it does grow
    while world.socket != "opening":
        world.to_wakeup()
        world.requests.clear()
    world.connect()
    assert world.engine.counters.reconnects == 1
    dropped_at = world.now
    world.drop_socket()  # after a success the delays start small again
    world.to_wakeup()
    assert world.socket == "opening"
    assert world.now - dropped_at <= timedelta(seconds=0.5)


def test_backoff_is_full_jitter_and_deterministic() -> None:
    def delays(seed: int) -> list[float]:
        gen = backoff(timedelta(seconds=0.5), timedelta(seconds=30), 2.0, random.Random(seed))
        return [d.total_seconds() for d in islice(gen, 12)]

    assert delays(7) == delays(7)
    assert delays(7) != delays(8)
    for n, delay in enumerate(delays(7)):
        assert 0 <= delay <= min(30.0, 0.5 * 2**n)


def test_offline_changes_wait_in_the_outbox_and_survive_a_restart() -> None:
    world = loaded(booking("b1"), booking("b2", hour=12))
    world.network(False)
    assert world.engine.status.state is SyncState.OFFLINE
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    world.feed(IntentMade(Transition("b2", Action.DECLINE), world.now))
    assert world.requests == []
    assert [e.booking_id for e in world.persisted] == ["b1", "b2"]
    keys = [e.key for e in world.persisted]
    assert world.engine.visible["b1"].pending
    world.restart()
    world.network(False)
    assert world.engine.outbox == world.persisted  # shown as pending again after the restart
    world.network(True)
    world.settle()
    assert world.server.bookings["b1"].status is Status.CONFIRMED
    assert world.server.bookings["b2"].status is Status.DECLINED
    assert world.engine.outbox == ()
    assert world.persisted == ()
    assert keys  # the original keys went out: the server saw each once
    assert len(world.server.applied) == 2


def test_restart_resends_a_sent_change_with_its_key_and_if_match() -> None:
    world = loaded()
    (first,) = sent(world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now)))
    world.deliver_request(answer=False)  # applied; the app quits before the answer
    world.act("c1", "b1", Action.CANCEL)  # and the customer cancels meanwhile
    commands = world.restart()
    (again,) = [r for r in sent(commands) if r.method == "POST"]
    assert again.headers == first.headers
    assert again.json == first.json
    world.settle()
    assert world.rollbacks == []  # the replayed answer confirmed the accept
    assert world.server.bookings["b1"].status is Status.CANCELLED
    assert len(world.server.applied) == 1
    assert world.engine.outbox == ()


def test_unauthorized_stops_everything_and_keeps_the_outbox() -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    (pending,) = world.requests
    world.requests.clear()
    body = {"code": "unauthenticated"}
    commands = world.feed(ReplyReceived(pending.request.request_id, 401, {}, body, world.now))
    assert any(isinstance(c, SignInRequired) for c in commands)
    assert world.engine.status.state is SyncState.OFFLINE
    assert len(world.persisted) == 1
    assert sent(world.advance(60)) == []
    assert world.engine.next_wakeup is None


def test_socket_closed_as_unauthorized_signs_out() -> None:
    world = loaded()
    commands = world.drop_socket(4401)
    assert any(isinstance(c, SignInRequired) for c in commands)
    assert world.engine.next_wakeup is None


def test_a_failed_poll_after_the_socket_is_back_does_not_restart_polling() -> None:
    world = loaded()
    world.drop_socket()
    while not world.requests:  # the first poll is due
        world.to_wakeup()
        if world.socket == "opening":
            world.refuse_connect()
    (poll,) = world.requests
    assert poll.request.method == "GET"
    while world.socket != "opening":
        world.to_wakeup()
    world.connect()
    world.lose_request()
    world.deliver_reply()  # the poll's transport failure arrives while the socket is healthy
    for _ in range(5):
        assert sent(world.advance(10)) == []


def test_back_online_sends_waiting_changes_at_once() -> None:
    world = loaded()
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    for _ in range(6):  # the server keeps failing: the retry delay grows
        world.lose_request()
        world.deliver_reply()
        while not world.requests:
            world.to_wakeup()
    world.lose_request()
    world.deliver_reply()
    world.network(False)
    commands = world.network(True)
    assert "POST" in [r.method for r in sent(commands)]


def test_booking_gone_from_a_full_reload_is_removed() -> None:
    world = loaded(booking("b1"), booking("b2", hour=12))
    del world.server.bookings["b2"]  # e.g. moved to another master by an administrator
    world.frames.append(ResyncRequired())
    world.deliver_frame()
    world.deliver_request()
    commands = world.deliver_reply()
    assert (frozenset(), frozenset(), frozenset({"b2"})) in row_ids(commands)
    assert set(world.engine.visible) == {"b1"}


def test_sync_now_asks_what_changed_even_when_online() -> None:
    world = loaded()
    commands = world.network(True)
    assert [r.path for r in sent(commands)] == ["/api/v1/bookings?since=1"]


def test_reconnect_with_since_replays_without_fetching() -> None:
    world = loaded()
    world.drop_socket()
    world.act("c1", "b1", Action.CANCEL)  # missed while the socket is down
    while world.socket != "opening":
        world.to_wakeup()
        world.requests.clear()
    world.connect()
    commands = [c for _ in range(len(world.frames)) for c in world.deliver_frame()]
    assert sent(commands) == []  # the replay from `since` covers the gap
    assert world.engine.visible["b1"].booking.status is Status.CANCELLED


def test_rate_limited_change_is_retried_after_the_delay_the_server_asks() -> None:
    world = loaded()
    (first,) = sent(world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now)))
    world.hiccup(0, 429)
    commands = world.deliver_reply()
    assert shown(commands) == []
    assert world.engine.next_wakeup == world.now + timedelta(seconds=1)
    (retry,) = sent(world.to_wakeup() or [])
    assert retry.headers == first.headers


def test_back_online_reconnects_at_once() -> None:
    world = loaded()
    world.drop_socket()
    for _ in range(6):  # failed reconnects: the delay grows
        while world.socket != "opening":
            world.to_wakeup()
            world.requests.clear()
        world.refuse_connect()
    world.network(False)
    commands = world.network(True)
    assert OpenSocket(1) in commands
