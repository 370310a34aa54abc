"""[extension] GET /bookings/{id}/history: a booking's changes from the server's event log, for its
master and its customer only, kept across a server restart (defect 14 of issue 15)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from booking_core.history import HistoryList
from tests.server.test_rest import assert_problem
from tests.support.api import create, if_match, moved, next_slot
from tests.support.live_server import LiveServer


def _history(client: httpx.Client, booking_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/bookings/{booking_id}/history")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    HistoryList.model_validate(response.json())  # the documented shape
    events: list[dict[str, Any]] = response.json()["events"]
    return events


def test_history_survives_a_restart_and_is_only_for_the_two_parties(
    live_server: LiveServer,
) -> None:
    server = live_server
    anna, carl = server.login("anna"), server.login("carl")
    ids = {name: server.user(name)["id"] for name in ("anna", "carl")}
    with server.client(anna) as master, server.client(carl) as customer:
        booking = create(customer, ids["anna"], service="Colour")
        booking = moved(master, booking, "accept")
        starts_at, ends_at = next_slot(30)
        response = customer.patch(
            f"/bookings/{booking['id']}",
            json={"starts_at": starts_at, "ends_at": ends_at},
            headers=if_match(booking),
        )
        assert response.status_code == 200, response.text
        rescheduled = response.json()
        before = _history(master, booking["id"])

    server.restart()

    with server.client(anna) as master, server.client(carl) as customer:
        events = _history(master, booking["id"])
        assert events == before, "the log is the same after a restart"
        assert _history(customer, booking["id"]) == events
    assert [(e["action"], e["actor"]) for e in events] == [
        ("create", ids["carl"]),
        ("accept", ids["anna"]),
        ("reschedule", ids["carl"]),
    ]
    assert all(set(e) == {"seq", "action", "actor", "changes", "at"} for e in events)
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == 3
    times = [datetime.fromisoformat(e["at"]) for e in events]
    assert times == sorted(times)
    assert all(t.utcoffset() is not None for t in times)
    created, accepted, moved_ = (e["changes"] for e in events)
    assert created["service"] == "Colour"
    assert created["status"] == "pending"
    assert created["version"] == 1
    assert accepted["status"] == "confirmed"
    assert accepted["version"] == 2
    # A reschedule reopens the request: it names the new times and the status it went back to.
    assert moved_["starts_at"] == rescheduled["starts_at"]
    assert moved_["status"] == "pending"
    assert moved_["version"] == 3
    assert "service" not in moved_


def test_history_is_404_for_anyone_else_and_401_without_a_token(
    shared_server: LiveServer,
) -> None:
    server = shared_server
    anna, carl = server.login("anna"), server.login("carl")
    with (
        server.client(carl) as customer,
        server.client(server.login("ben")) as other_master,
        server.client(server.login("dora")) as other_customer,
        server.client() as nobody,
    ):
        booking = create(customer, server.user("anna")["id"])
        path = f"/bookings/{booking['id']}/history"
        # Like the booking itself: to a stranger it does not exist.
        assert_problem(other_master.get(path), 404, "not_found")
        assert_problem(other_customer.get(path), 404, "not_found")
        assert_problem(customer.get("/bookings/no-such-booking/history"), 404, "not_found")
        assert_problem(nobody.get(path), 401, "unauthenticated")
    with server.client(anna) as master:
        assert [e["action"] for e in _history(master, booking["id"])] == ["create"]
    spec = httpx.get(f"{server.base_url}/openapi.json").json()
    assert "/api/v1/bookings/{booking_id}/history" in spec["paths"]
