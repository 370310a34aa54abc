"""Idempotency across a crash: a mutation committed, the process SIGKILLed before it answered,
restarted; the retry with the same Idempotency-Key gets the stored success (issue 13, item 1).

The crash is deterministic: `BOOKING_TEST_CRASH_AFTER_COMMIT` (a test-only setting) makes the
server SIGKILL itself right after a keyed mutation's transaction commits, before it answers.
Also: If-Match is part of a key's fingerprint."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.support.api import create, if_match, next_slot
from tests.support.fixtures import LiveServerFactory
from tests.support.live_server import LiveServer

CRASH = {"BOOKING_TEST_CRASH_AFTER_COMMIT": "true"}


def _crash_then_restart(server: LiveServer, send: object) -> None:
    """`send()` makes the server commit and die; wait for the death, restart it without the
    fault."""
    assert callable(send)
    with pytest.raises(httpx.TransportError):
        send()
    assert server.process is not None
    assert server.process.wait(timeout=30) == -9
    server.env.pop("BOOKING_TEST_CRASH_AFTER_COMMIT")
    server.restart()


def test_a_create_committed_before_a_crash_is_replayed(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory(env=CRASH)
    token = server.login("carl")
    anna_id = server.user("anna")["id"]
    starts_at, ends_at = next_slot()
    body = {"master_id": anna_id, "service": "Haircut", "starts_at": starts_at, "ends_at": ends_at}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    with server.client(token) as carl:
        _crash_then_restart(server, lambda: carl.post("/bookings", json=body, headers=key))
    with server.client(token) as carl:
        again = carl.post("/bookings", json=body, headers=key)
        assert again.status_code == 201, again.text
        assert again.headers["idempotent-replayed"] == "true"
        assert again.headers["location"] == f"/api/v1/bookings/{again.json()['id']}"
        listed = carl.get("/bookings").json()["bookings"]
    assert [b["id"] for b in listed if b["starts_at"] == again.json()["starts_at"]] == [
        again.json()["id"]
    ]


def test_a_transition_committed_before_a_crash_is_replayed(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory(env=CRASH)
    anna_token = server.login("anna")
    with server.client(server.login("carl")) as carl:
        # Without a key: this one is answered (the fault fires on keyed mutations only).
        booking = create(carl, server.user("anna")["id"])
    headers = {"Idempotency-Key": str(uuid.uuid4()), **if_match(booking)}
    path = f"/bookings/{booking['id']}/transitions"
    with server.client(anna_token) as anna:
        _crash_then_restart(
            server, lambda: anna.post(path, json={"action": "accept"}, headers=headers)
        )
    with server.client(anna_token) as anna:
        again = anna.post(path, json={"action": "accept"}, headers=headers)
        assert again.status_code == 200, again.text
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json()["status"] == "confirmed"
        assert again.json()["version"] == 2
        assert again.headers["etag"] == '"2"'
        assert anna.get(f"/bookings/{booking['id']}").json()["version"] == 2


def test_if_match_is_part_of_the_fingerprint(shared_server: LiveServer) -> None:
    carl = shared_server.client(shared_server.login("carl"))
    booking = create(carl, shared_server.user("anna")["id"])
    key = str(uuid.uuid4())
    path = f"/bookings/{booking['id']}/transitions"
    first = carl.post(
        path, json={"action": "cancel"}, headers={"Idempotency-Key": key, "If-Match": '"1"'}
    )
    assert first.status_code == 200
    other = carl.post(
        path, json={"action": "cancel"}, headers={"Idempotency-Key": key, "If-Match": '"2"'}
    )
    assert other.status_code == 422, other.text
    assert other.json()["code"] == "idempotency_key_reused"
    # The same If-Match, spelled another accepted way, is the same request.
    same = carl.post(
        path, json={"action": "cancel"}, headers={"Idempotency-Key": key, "If-Match": 'W/"1"'}
    )
    assert same.status_code == 200
    assert same.headers["idempotent-replayed"] == "true"
