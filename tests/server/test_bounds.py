"""Every header, query and body value has a bound and a clear 400/422 answer (issue 13, item 3):
a 4,301-digit If-Match answered 500; `since=%0C9` was read as 9. The OpenAPI document names the
required If-Match, the Idempotency-Key's length and ends_at > starts_at."""

from __future__ import annotations

import sqlite3
from typing import Any

import httpx
import pytest

from tests.support.api import create, next_slot
from tests.support.fixtures import LiveServerFactory
from tests.support.live_server import LiveServer

PROBLEM = "https://reservations.example/problems/"


class People:
    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.anna = server.client(server.login("anna"))
        self.carl = server.client(server.login("carl"))
        self.anna_id = server.user("anna")["id"]


@pytest.fixture(scope="module")
def people(shared_server: LiveServer) -> People:
    return People(shared_server)


def _problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["type"] == PROBLEM + code
    return body


@pytest.mark.parametrize(
    "value",
    ["1" * 4301, "9" * 19, '"' + "1" * 5000 + '"', 'W/"²"', "١"],
    ids=["4301-digits", "19-digits", "quoted-5000", "superscript", "arabic-indic"],
)
def test_an_if_match_out_of_bounds_is_400(people: People, value: str) -> None:
    booking = create(people.carl, people.anna_id)
    path = f"/bookings/{booking['id']}"
    for response in (
        people.anna.post(
            f"{path}/transitions", json={"action": "accept"}, headers={b"If-Match": value.encode()}
        ),
        people.anna.patch(path, json={"note": "x"}, headers={b"If-Match": value.encode()}),
    ):
        body = _problem(response, 400, "invalid_request")
        assert body["errors"][0]["loc"] == ["header", "If-Match"]
        assert body["type"] == PROBLEM + "invalid_request"
    assert people.anna.get(path).json()["version"] == 1


@pytest.mark.parametrize("since", ["\x0c9", " 9", "9 ", "+9", "٩", "1" * 20, "1" * 5000])
def test_a_since_that_is_not_plain_digits_is_refused(people: People, since: str) -> None:
    response = people.anna.get("/bookings", params={"since": since})
    body = _problem(response, 422 if response.status_code == 422 else 400, "invalid_request")
    assert body["errors"][0]["loc"] == ["query", "since"]


def test_the_encoded_form_feed_of_the_review_is_400(people: People) -> None:
    url = f"{people.server.api_url}/bookings?since=%0C9"
    response = httpx.get(url, headers=dict(people.anna.headers))
    _problem(response, 400, "invalid_request")


def test_ids_in_a_body_have_a_length_bound(people: People) -> None:
    starts_at, ends_at = next_slot()
    for field in ("master_id", "customer_id"):
        body = {"master_id": people.anna_id, "service": "Cut", "starts_at": starts_at}
        body |= {"ends_at": ends_at, field: "x" * 100_000}
        response = people.anna.post("/bookings", json=body)
        problem = _problem(response, 422, "invalid_request")
        assert problem["errors"][0]["field"] == field


def test_a_long_booking_id_is_not_found(people: People) -> None:
    response = people.anna.get("/bookings/" + "x" * 4000)
    _problem(response, 404, "not_found")


def test_the_openapi_document_names_the_bounds(shared_server: LiveServer) -> None:
    spec = httpx.get(f"{shared_server.base_url}/openapi.json").json()
    paths = spec["paths"]
    for path, method in (
        ("/api/v1/bookings/{booking_id}/transitions", "post"),
        ("/api/v1/bookings/{booking_id}", "patch"),
    ):
        params = {p["name"].lower(): p for p in paths[path][method]["parameters"]}
        assert params["if-match"]["required"] is True
        assert params["idempotency-key"]["schema"]["maxLength"] == 255
        assert params["idempotency-key"]["schema"]["minLength"] == 1
    create_params = {p["name"].lower(): p for p in paths["/api/v1/bookings"]["post"]["parameters"]}
    assert create_params["idempotency-key"]["schema"]["maxLength"] == 255
    body = paths["/api/v1/bookings"]["post"]["requestBody"]["content"]["application/json"]
    assert "ends_at > starts_at" in body["schema"]["description"]
    patch_body = paths["/api/v1/bookings/{booking_id}"]["patch"]["requestBody"]
    assert (
        "ends_at > starts_at" in patch_body["content"]["application/json"]["schema"]["description"]
    )
    listing = {p["name"]: p for p in paths["/api/v1/bookings"]["get"]["parameters"]}
    assert listing["since"]["schema"]["anyOf"][0]["maximum"] == 2**63 - 1


def test_an_unexpected_failure_is_a_documented_problem(
    live_server_factory: LiveServerFactory,
) -> None:
    """A fault under the server (its bookings table gone for a moment): a 500 problem+json with
    the documented type, and the server answers again once the table is back."""
    server = live_server_factory()
    anna = server.client(server.login("anna"))
    with sqlite3.connect(server.database_path) as db:
        db.execute("ALTER TABLE bookings RENAME TO bookings_away")
    try:
        # Connection: close, as uvicorn closes a connection after an unexpected error anyway.
        failed = anna.get("/bookings", headers={"Connection": "close"})
        body = _problem(failed, 500, "internal_error")
        assert "Traceback" not in failed.text
        assert body["title"]
    finally:
        with sqlite3.connect(server.database_path) as db:
            db.execute("ALTER TABLE bookings_away RENAME TO bookings")
    assert anna.get("/bookings").status_code == 200
