"""REST behaviour beyond the matrix: ETag and If-Match, the check order, problem+json, create
validation, slot_taken, auth, delta sync and the operational endpoints."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from tests.support.api import act, create, if_match, moved, next_slot
from tests.support.live_server import LiveServer


class People:
    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.anna = server.client(server.login("anna"))
        self.ben = server.client(server.login("ben"))
        self.carl = server.client(server.login("carl"))
        self.dora = server.client(server.login("dora"))
        self.ids = {name: server.user(name)["id"] for name in ("anna", "ben", "carl", "dora")}


@pytest.fixture(scope="module")
def people(shared_server: LiveServer) -> People:
    return People(shared_server)


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["type"], str)
    return body


# ETag and If-Match.


def test_get_carries_etag_of_version(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    response = people.anna.get(f"/bookings/{booking['id']}")
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    accepted = moved(people.anna, booking, "accept")
    assert people.carl.get(f"/bookings/{booking['id']}").headers["etag"] == '"2"'
    assert accepted["version"] == 2


def test_transition_without_if_match_is_428(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    response = people.anna.post(f"/bookings/{booking['id']}/transitions", json={"action": "accept"})
    assert_problem(response, 428, "precondition_required")
    response = people.anna.patch(f"/bookings/{booking['id']}", json={"note": "x"})
    assert_problem(response, 428, "precondition_required")


def test_stale_if_match_is_412_with_current(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    updated = people.carl.patch(
        f"/bookings/{booking['id']}", json={"note": "new"}, headers=if_match(booking)
    ).json()
    response = act(people.anna, booking, "accept")  # still If-Match "1"
    body = assert_problem(response, 412, "version_conflict")
    assert body["current"] == updated
    assert people.anna.get(f"/bookings/{booking['id']}").json() == updated


def test_weak_and_quoted_if_match_accepted(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    response = people.anna.post(
        f"/bookings/{booking['id']}/transitions",
        json={"action": "accept"},
        headers={"If-Match": 'W/"1"'},
    )
    assert response.status_code == 200


# The check order: 401 → 404 → 400/422 → 428 → 403 → 412 → 409.


def test_order_404_before_422(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    response = people.ben.post(
        f"/bookings/{booking['id']}/transitions", json={"action": "fly"}, headers=if_match(booking)
    )
    assert_problem(response, 404, "not_found")


def test_order_422_before_428(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    response = people.anna.post(f"/bookings/{booking['id']}/transitions", json={"action": "fly"})
    assert_problem(response, 422, "invalid_request")


def test_order_428_before_403(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    response = people.carl.post(f"/bookings/{booking['id']}/transitions", json={"action": "accept"})
    assert_problem(response, 428, "precondition_required")


def test_order_403_before_412(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    response = people.carl.post(
        f"/bookings/{booking['id']}/transitions",
        json={"action": "accept"},
        headers={"If-Match": '"7"'},
    )
    assert_problem(response, 403, "forbidden")


def test_order_412_before_409(people: People) -> None:
    booking = moved(people.anna, create(people.carl, people.ids["anna"]), "decline")
    response = people.anna.post(
        f"/bookings/{booking['id']}/transitions",
        json={"action": "accept"},
        headers={"If-Match": '"1"'},
    )
    assert_problem(response, 412, "version_conflict")
    assert_problem(act(people.anna, booking, "accept"), 409, "invalid_transition")


def test_unknown_booking_is_404(people: People) -> None:
    assert_problem(people.anna.get("/bookings/nope"), 404, "not_found")
    booking = create(people.carl, people.ids["anna"])
    assert_problem(people.dora.get(f"/bookings/{booking['id']}"), 404, "not_found")
    assert_problem(people.ben.get(f"/bookings/{booking['id']}"), 404, "not_found")


# Authentication.


def test_unauthenticated_requests_are_401(shared_server: LiveServer) -> None:
    anonymous = shared_server.client()
    assert_problem(anonymous.get("/bookings"), 401, "unauthenticated")
    bad = shared_server.client("not-a-token")
    response = bad.post("/bookings", json={})
    assert_problem(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


def test_wrong_password_is_401(shared_server: LiveServer) -> None:
    response = httpx.post(
        f"{shared_server.api_url}/auth/login", json={"username": "anna", "password": "nope"}
    )
    assert_problem(response, 401, "unauthenticated")
    response = httpx.post(
        f"{shared_server.api_url}/auth/login", json={"username": "zed", "password": "demo"}
    )
    assert_problem(response, 401, "unauthenticated")


def test_login_returns_user(shared_server: LiveServer) -> None:
    body = shared_server.login_response("carl")
    assert body["user"]["username"] == "carl"
    assert body["user"]["role"] == "customer"
    assert len(body["token"]) >= 32


def test_logout_revokes_token(shared_server: LiveServer) -> None:
    token = shared_server.login("dora")
    client = shared_server.client(token)
    assert client.get("/bookings").status_code == 200
    assert client.post("/auth/logout").status_code == 204
    assert_problem(client.get("/bookings"), 401, "unauthenticated")
    other = shared_server.client(shared_server.login("dora"))
    assert other.get("/bookings").status_code == 200


# Create: validation and who may book for whom.


def _body(people: People, **changes: Any) -> dict[str, Any]:
    starts_at, ends_at = next_slot()
    body = {
        "master_id": people.ids["anna"],
        "service": "Haircut",
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def _fields(problem: dict[str, Any]) -> set[str]:
    return {error["field"] for error in problem["errors"]}


def test_create_by_customer_and_by_master(people: People) -> None:
    response = people.carl.post("/bookings", json=_body(people))
    assert response.status_code == 201
    booking = response.json()
    assert booking["customer_id"] == people.ids["carl"]
    assert booking["status"] == "pending"
    assert booking["version"] == 1
    assert booking["updated_by"] == people.ids["carl"]
    assert response.headers["etag"] == '"1"'
    by_master = people.anna.post("/bookings", json=_body(people, customer_id=people.ids["dora"]))
    assert by_master.status_code == 201
    assert by_master.json()["customer_id"] == people.ids["dora"]
    assert by_master.json()["updated_by"] == people.ids["anna"]


def test_create_times_must_carry_offset(people: People) -> None:
    starts_at, _ends_at = next_slot()
    body = _body(people, starts_at=starts_at[:19])
    problem = assert_problem(people.carl.post("/bookings", json=body), 422, "invalid_request")
    assert "starts_at" in _fields(problem)


def test_create_ends_after_starts_and_at_most_12h(people: People) -> None:
    starts_at, _ = next_slot()
    start = datetime.fromisoformat(starts_at)
    for end in (start, start - timedelta(minutes=5), start + timedelta(hours=12, minutes=1)):
        body = _body(people, starts_at=starts_at, ends_at=end.isoformat())
        assert_problem(people.carl.post("/bookings", json=body), 422, "invalid_request")
    body = _body(people, starts_at=starts_at, ends_at=(start + timedelta(hours=12)).isoformat())
    assert people.carl.post("/bookings", json=body).status_code == 201


def test_create_times_in_other_offsets_are_stored_in_utc(people: People) -> None:
    starts_at, ends_at = next_slot()
    shifted = datetime.fromisoformat(starts_at).astimezone(timezone(timedelta(hours=2)))
    body = _body(people, starts_at=shifted.isoformat(), ends_at=ends_at)
    response = people.carl.post("/bookings", json=body)
    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["starts_at"].endswith(("Z", "+00:00"))
    assert datetime.fromisoformat(booking["starts_at"]) == datetime.fromisoformat(starts_at)


def test_create_field_errors(people: People) -> None:
    cases = [
        (_body(people, service=""), "service"),
        (_body(people, service="x" * 121), "service"),
        (_body(people, note="x" * 2001), "note"),
        (_body(people, starts_at="tomorrow"), "starts_at"),
        (_body(people, master_id=people.ids["carl"]), "master_id"),
        (_body(people, master_id="nobody"), "master_id"),
        ({**_body(people), "colour": "red"}, "colour"),
    ]
    for body, field in cases:
        problem = assert_problem(people.carl.post("/bookings", json=body), 422, "invalid_request")
        assert field in _fields(problem), problem


def test_master_must_name_a_customer(people: People) -> None:
    problem = assert_problem(
        people.anna.post("/bookings", json=_body(people)), 422, "invalid_request"
    )
    assert "customer_id" in _fields(problem)
    body = _body(people, customer_id=people.ids["ben"])
    assert_problem(people.anna.post("/bookings", json=body), 422, "invalid_request")


def test_nobody_books_for_others(people: People) -> None:
    body = _body(people, customer_id=people.ids["dora"])
    assert_problem(people.carl.post("/bookings", json=body), 403, "forbidden")
    body = _body(people, master_id=people.ids["ben"], customer_id=people.ids["dora"])
    assert_problem(people.anna.post("/bookings", json=body), 403, "forbidden")


def test_malformed_json_is_400(people: People) -> None:
    response = people.carl.post(
        "/bookings", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 400, "invalid_request")


def test_body_over_1_mib_is_413(people: People) -> None:
    body = _body(people, note="x" * (1024 * 1024 + 10))
    assert_problem(people.carl.post("/bookings", json=body), 413, "payload_too_large")


# Overlaps.


def test_slot_taken_for_active_overlap_only(people: People) -> None:
    starts_at, ends_at = next_slot(60)
    first = create(people.carl, people.ids["anna"], slot=(starts_at, ends_at))
    start = datetime.fromisoformat(starts_at)
    inside = (
        (start + timedelta(minutes=30)).isoformat(),
        (start + timedelta(minutes=90)).isoformat(),
    )
    response = people.dora.post(
        "/bookings", json=_body(people, starts_at=inside[0], ends_at=inside[1])
    )
    assert_problem(response, 409, "slot_taken")
    # Another master is free at that time; touching intervals do not clash.
    assert create(people.dora, people.ids["ben"], slot=inside)["status"] == "pending"
    after = (ends_at, (start + timedelta(minutes=90)).isoformat())
    create(people.dora, people.ids["anna"], slot=after)
    # Cancelling frees the slot.
    moved(people.carl, first, "cancel")
    early = (starts_at, (start + timedelta(minutes=30)).isoformat())
    assert create(people.dora, people.ids["anna"], slot=early)["status"] == "pending"


def test_reschedule_into_taken_slot_is_409(people: People) -> None:
    one = create(people.carl, people.ids["anna"])
    two = create(people.dora, people.ids["anna"])
    response = people.dora.patch(
        f"/bookings/{two['id']}",
        json={"starts_at": one["starts_at"], "ends_at": one["ends_at"]},
        headers=if_match(two),
    )
    assert_problem(response, 409, "slot_taken")
    # Moving a booking within its own slot is no clash with itself.
    start = datetime.fromisoformat(two["starts_at"])
    response = people.dora.patch(
        f"/bookings/{two['id']}",
        json={"starts_at": (start + timedelta(minutes=5)).isoformat(), "ends_at": two["ends_at"]},
        headers=if_match(two),
    )
    assert response.status_code == 200


def test_patch_needs_both_times_or_note(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    for body in ({}, {"starts_at": booking["starts_at"]}, {"status": "confirmed"}):
        response = people.carl.patch(
            f"/bookings/{booking['id']}", json=body, headers=if_match(booking)
        )
        assert_problem(response, 422, "invalid_request")


# Listing and delta sync.


def test_list_shows_only_own_bookings(people: People) -> None:
    booking = create(people.carl, people.ids["ben"])
    for client, sees in (
        (people.ben, True),
        (people.carl, True),
        (people.anna, False),
        (people.dora, False),
    ):
        listed = client.get("/bookings").json()
        ids = {b["id"] for b in listed["bookings"]}
        assert (booking["id"] in ids) is sees
        me = next(k for k, v in vars(people).items() if v is client)
        for b in listed["bookings"]:
            assert people.ids[me] in (b["master_id"], b["customer_id"])


def test_delta_sync_since_cursor(people: People) -> None:
    cursor = people.anna.get("/bookings").json()["cursor"]
    empty = people.anna.get("/bookings", params={"since": cursor})
    assert empty.status_code == 200
    assert empty.json() == {"bookings": [], "cursor": cursor}
    assert len(empty.content) < 200
    booking = create(people.carl, people.ids["anna"])
    moved(people.anna, booking, "accept")
    create(people.dora, people.ids["ben"])  # not anna's
    delta = people.anna.get("/bookings", params={"since": cursor}).json()
    assert [b["id"] for b in delta["bookings"]] == [booking["id"]]
    assert delta["bookings"][0]["status"] == "confirmed"
    assert delta["cursor"] >= cursor + 3


def _raw_size(response: httpx.Response) -> int:
    """Bytes of the answer's head and body as they went over the wire (HTTP/1.1)."""
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in response.headers.items())
    return len(head.encode()) + 2 + len(response.content)


def test_unchanged_delta_poll_with_if_none_match_is_a_bodiless_304(people: People) -> None:
    listed = people.anna.get("/bookings")
    cursor = listed.json()["cursor"]
    assert listed.headers["etag"] == f'"{cursor}"'
    unchanged = people.anna.get(
        "/bookings", params={"since": cursor}, headers={"If-None-Match": f'"{cursor}"'}
    )
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == f'"{cursor}"'
    assert _raw_size(unchanged) < 60
    # Someone else's change moves the cursor but is nothing anna may see: still 304, and its
    # ETag is the cursor to continue from.
    create(people.dora, people.ids["ben"])
    quiet = people.anna.get(
        "/bookings", params={"since": cursor}, headers={"If-None-Match": f'"{cursor}"'}
    )
    assert quiet.status_code == 304
    later = int(quiet.headers["etag"].strip('"'))
    assert later > cursor
    # A change anna may see: the full delta answer, whatever If-None-Match says.
    booking = create(people.carl, people.ids["anna"])
    changed = people.anna.get(
        "/bookings", params={"since": later}, headers={"If-None-Match": f'"{later}"'}
    )
    assert changed.status_code == 200
    assert [b["id"] for b in changed.json()["bookings"]] == [booking["id"]]
    assert changed.headers["etag"] == f'"{changed.json()["cursor"]}"'
    # An If-None-Match that is not the cursor asked from (or no `since`) changes nothing.
    other = people.anna.get("/bookings", params={"since": later}, headers={"If-None-Match": '"1"'})
    assert other.status_code == 200
    full = people.anna.get("/bookings", headers={"If-None-Match": f'"{later}"'})
    assert full.status_code == 200
    assert booking["id"] in {b["id"] for b in full.json()["bookings"]}


def test_tokens_are_short_and_distinct(shared_server: LiveServer) -> None:
    tokens = {shared_server.login("anna") for _ in range(3)}
    assert len(tokens) == 3
    assert {len(token) for token in tokens} == {32}


def test_since_from_the_future_is_410(people: People) -> None:
    cursor = people.anna.get("/bookings").json()["cursor"]
    response = people.anna.get("/bookings", params={"since": cursor + 1000})
    assert_problem(response, 410, "cursor_expired")
    assert_problem(people.anna.get("/bookings", params={"since": -1}), 422, "invalid_request")


# Operations.


def test_healthz_openapi_and_users(people: People, shared_server: LiveServer) -> None:
    assert httpx.get(f"{shared_server.base_url}/healthz").status_code == 200
    spec = httpx.get(f"{shared_server.base_url}/openapi.json").json()
    assert "/api/v1/bookings/{booking_id}/transitions" in spec["paths"]
    everyone = people.anna.get("/users").json()["users"]
    assert {u["username"] for u in everyone} == {"anna", "ben", "carl", "dora"}
    assert all(set(u) == {"id", "username", "role", "display_name"} for u in everyone)
    # A customer sees the masters and themself, not the other customers.
    seen = people.carl.get("/users").json()["users"]
    assert {u["username"] for u in seen} == {"anna", "ben", "carl"}


# The reason extension: the reason given with a status change is stored with the booking.


def test_a_decline_stores_its_reason_and_the_next_change_clears_it(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    reason = "I am at a course that day — Mittwoch geht"
    response = people.anna.post(
        f"/bookings/{booking['id']}/transitions",
        json={"action": "decline", "reason": reason},
        headers=if_match(booking),
    )
    assert response.status_code == 200, response.text
    assert response.json()["reason"] == reason
    assert people.carl.get(f"/bookings/{booking['id']}").json()["reason"] == reason
    listed = {b["id"]: b for b in people.carl.get("/bookings").json()["bookings"]}
    assert listed[booking["id"]]["reason"] == reason

    other = create(people.carl, people.ids["anna"])
    accepted = people.anna.post(
        f"/bookings/{other['id']}/transitions",
        json={"action": "accept", "reason": "see you"},
        headers=if_match(other),
    ).json()
    assert accepted["reason"] == "see you"
    noted = people.carl.patch(
        f"/bookings/{other['id']}", json={"note": "bring photos"}, headers=if_match(accepted)
    ).json()
    assert noted["reason"] == "see you"  # a PATCH keeps it
    cancelled = moved(people.carl, noted, "cancel")
    assert "reason" not in cancelled  # a change without a reason clears it, and leaves it out
    assert "reason" not in people.anna.get(f"/bookings/{other['id']}").json()


def test_a_reason_over_2000_characters_is_refused(people: People) -> None:
    booking = create(people.carl, people.ids["anna"])
    response = people.anna.post(
        f"/bookings/{booking['id']}/transitions",
        json={"action": "decline", "reason": "x" * 2001},
        headers=if_match(booking),
    )
    assert_problem(response, 422, "invalid_request")
    assert "reason" not in people.anna.get(f"/bookings/{booking['id']}").json()
