"""Helpers for talking to a booking server in tests: unique slots, create and move bookings."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

# Far enough ahead that the session clock never touches these bookings during a test run.
_BASE = (datetime.now(UTC) + timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
_free = [_BASE]
_lock = threading.Lock()
# Each slot leaves this much room after its end, for tests that book around it.
_ROOM = timedelta(hours=13)


def next_slot(minutes: int = 15) -> tuple[str, str]:
    """A fresh (starts_at, ends_at) pair no other slot of this test process overlaps (ISO)."""
    with _lock:
        start = _free[0]
        end = start + timedelta(minutes=minutes)
        _free[0] = end + _ROOM
    return start.isoformat(), end.isoformat()


def if_match(booking: dict[str, Any]) -> dict[str, str]:
    return {"If-Match": f'"{booking["version"]}"'}


def create(
    client: httpx.Client,
    master_id: str,
    customer_id: str | None = None,
    *,
    slot: tuple[str, str] | None = None,
    service: str = "Haircut",
) -> dict[str, Any]:
    starts_at, ends_at = slot or next_slot()
    body: dict[str, Any] = {
        "master_id": master_id,
        "service": service,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    if customer_id is not None:
        body["customer_id"] = customer_id
    response = client.post("/bookings", json=body)
    assert response.status_code == 201, response.text
    booking: dict[str, Any] = response.json()
    return booking


def act(client: httpx.Client, booking: dict[str, Any], action: str) -> httpx.Response:
    return client.post(
        f"/bookings/{booking['id']}/transitions", json={"action": action}, headers=if_match(booking)
    )


def moved(client: httpx.Client, booking: dict[str, Any], action: str) -> dict[str, Any]:
    response = act(client, booking, action)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
