"""Idempotency-Key: a repeat returns the first answer and changes nothing; reuse with another
body is 422; a concurrent repeat is 409 or the replay; keys are per user."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from tests.support.api import create, if_match, next_slot
from tests.support.fixtures import LiveServerFactory
from tests.support.live_server import LiveServer


def _create_body(master_id: str) -> dict[str, Any]:
    starts_at, ends_at = next_slot()
    return {
        "master_id": master_id,
        "service": "Haircut",
        "starts_at": starts_at,
        "ends_at": ends_at,
    }


def test_repeat_returns_first_answer_and_changes_nothing(shared_server: LiveServer) -> None:
    carl = shared_server.client(shared_server.login("carl"))
    anna_id = shared_server.user("anna")["id"]
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = _create_body(anna_id)
    first = carl.post("/bookings", json=body, headers=key)
    assert first.status_code == 201
    cursor = carl.get("/bookings").json()["cursor"]
    # Same JSON, other key order and spacing: still the same request.
    again = carl.post(
        "/bookings",
        content=httpx.Response(200, json=dict(reversed(body.items()))).content,
        headers={**key, "content-type": "application/json"},
    )
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true"
    listed = carl.get("/bookings").json()
    assert listed["cursor"] == cursor, "a replay must not write"
    assert sum(b["starts_at"] == first.json()["starts_at"] for b in listed["bookings"]) == 1


def test_refusals_are_replayed_too(shared_server: LiveServer) -> None:
    carl = shared_server.client(shared_server.login("carl"))
    anna = shared_server.client(shared_server.login("anna"))
    booking = create(carl, shared_server.user("anna")["id"])
    key = {"Idempotency-Key": str(uuid.uuid4()), **if_match(booking)}
    refused = carl.post(
        f"/bookings/{booking['id']}/transitions", json={"action": "accept"}, headers=key
    )
    assert refused.status_code == 403
    # Meanwhile the booking changes; the repeat still gets the first answer.
    anna.post(
        f"/bookings/{booking['id']}/transitions",
        json={"action": "accept"},
        headers=if_match(booking),
    )
    repeat = carl.post(
        f"/bookings/{booking['id']}/transitions", json={"action": "accept"}, headers=key
    )
    assert repeat.status_code == 403
    assert repeat.json() == refused.json()
    assert repeat.headers["content-type"] == "application/problem+json"


def test_same_key_other_body_is_422(shared_server: LiveServer) -> None:
    carl = shared_server.client(shared_server.login("carl"))
    anna_id = shared_server.user("anna")["id"]
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert carl.post("/bookings", json=_create_body(anna_id), headers=key).status_code == 201
    other = carl.post("/bookings", json=_create_body(anna_id), headers=key)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_keys_are_per_user(shared_server: LiveServer) -> None:
    anna_id = shared_server.user("anna")["id"]
    key = {"Idempotency-Key": "shared-key-" + uuid.uuid4().hex}
    carl = shared_server.client(shared_server.login("carl"))
    dora = shared_server.client(shared_server.login("dora"))
    mine = carl.post("/bookings", json=_create_body(anna_id), headers=key)
    theirs = dora.post("/bookings", json=_create_body(anna_id), headers=key)
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


def test_unauthenticated_is_not_stored(shared_server: LiveServer) -> None:
    anna_id = shared_server.user("anna")["id"]
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = _create_body(anna_id)
    assert shared_server.client("bad").post("/bookings", json=body, headers=key).status_code == 401
    carl = shared_server.client(shared_server.login("carl"))
    assert carl.post("/bookings", json=body, headers=key).status_code == 201


def test_key_too_long_is_400(shared_server: LiveServer) -> None:
    carl = shared_server.client(shared_server.login("carl"))
    body = _create_body(shared_server.user("anna")["id"])
    response = carl.post("/bookings", json=body, headers={"Idempotency-Key": "k" * 256})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


@pytest.mark.asyncio
async def test_concurrent_repeats_make_one_booking(shared_server: LiveServer) -> None:
    token = shared_server.login("carl")
    body = _create_body(shared_server.user("anna")["id"])
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}
    async with httpx.AsyncClient(base_url=shared_server.api_url, headers=headers) as client:
        responses = await asyncio.gather(*(client.post("/bookings", json=body) for _ in range(30)))
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1, "every success is the same booking"
    for r in responses:
        if r.status_code == 409:
            assert r.json()["code"] == "request_in_progress"


def test_expired_keys_may_be_used_again(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory(env={"BOOKING_IDEMPOTENCY_TTL_SECONDS": "0"})
    carl = server.client(server.login("carl"))
    key = {"Idempotency-Key": str(uuid.uuid4())}
    anna_id = server.user("anna")["id"]
    assert carl.post("/bookings", json=_create_body(anna_id), headers=key).status_code == 201
    # Kept for 0 s: the key is free again, so another body is a new request, not a reuse.
    assert carl.post("/bookings", json=_create_body(anna_id), headers=key).status_code == 201
