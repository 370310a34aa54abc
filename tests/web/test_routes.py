"""The booking server's additions for the web page, over HTTP against a real server process:
the page and its assets (security headers, CSP), sign-up, and the action table."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.fixtures import LiveServerFactory
from tests.support.live_server import LiveServer

# Sign-ups are limited per address (10 by default): this module's server allows its many.
MANY_SIGNUPS = {"BOOKING_SIGNUP_BURST": "1000"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the module: its tests make their own users and read, never reset."""
    with LiveServer(tmp_path_factory.mktemp("web-routes"), env=MANY_SIGNUPS) as live:
        yield live


def test_the_page_names_the_master_under_a_strict_policy(server: LiveServer) -> None:
    anna = server.user("anna")
    response = httpx.get(f"{server.base_url}/book/anna")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert f'data-master-id="{anna["id"]}"' in response.text
    assert "Anna Berg" in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    # Nothing inline: every script and style comes from a file.
    assert "<script>" not in response.text
    assert "<style" not in response.text
    assert " style=" not in response.text


@pytest.mark.parametrize("name", ["nobody", "carl", "<img src=x onerror=alert(1)>"])
def test_a_name_that_is_not_a_master_gets_a_plain_404_page(server: LiveServer, name: str) -> None:
    response = httpx.get(f"{server.base_url}/book/{name}")
    assert response.status_code == 404
    assert "content-security-policy" in response.headers
    assert "<img" not in response.text  # the name is escaped


def test_assets_are_served_with_their_types_and_revalidated(server: LiveServer) -> None:
    js = httpx.get(f"{server.base_url}/book/assets/main.js")
    css = httpx.get(f"{server.base_url}/book/assets/app.css")
    assert js.status_code == css.status_code == 200
    assert "javascript" in js.headers["content-type"]
    assert css.headers["content-type"].startswith("text/css")
    assert js.headers["x-content-type-options"] == "nosniff"
    again = httpx.get(
        f"{server.base_url}/book/assets/main.js",
        headers={"If-None-Match": js.headers["etag"]},
    )
    assert again.status_code == 304
    assert httpx.get(f"{server.base_url}/book/assets/../app.py").status_code == 404


def test_sign_up_makes_a_customer_who_is_signed_in_at_once(server: LiveServer) -> None:
    response = httpx.post(
        f"{server.api_url}/auth/signup",
        json={"name": "Eva Stern", "email": " Eva@Example.org ", "password": "correct horse"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["role"] == "customer"
    assert body["user"]["username"] == "eva@example.org"
    assert body["user"]["display_name"] == "Eva Stern"
    me = httpx.get(f"{server.api_url}/auth/me", headers=server.auth(body["token"]))
    assert me.json() == body["user"]
    # The same password signs in with the address as the user name.
    token = server.login("eva@example.org", "correct horse")
    anna = server.user("anna")
    with server.client(token) as client:
        created = client.post(
            "/bookings",
            json={
                "master_id": anna["id"],
                "service": "Haircut",
                "starts_at": "2030-01-07T10:00:00Z",
                "ends_at": "2030-01-07T10:30:00Z",
            },
        )
    assert created.status_code == 201, created.text


def test_sign_up_with_both_keeps_both_as_contact_details(server: LiveServer) -> None:
    response = httpx.post(
        f"{server.api_url}/auth/signup",
        json={
            "name": "Both",
            "email": "both@example.org",
            "phone": "+49 30 555",
            "password": "12345678",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["username"] == "both@example.org"
    contact = httpx.get(f"{server.api_url}/users/me/contact", headers=server.auth(body["token"]))
    assert contact.json() == {"phone": "+4930555", "email": "both@example.org"}


def test_sign_up_with_a_phone_number_stores_it_normalised(server: LiveServer) -> None:
    response = httpx.post(
        f"{server.api_url}/auth/signup",
        json={"name": "Jo", "phone": "+49 (30) 1234-567", "password": "12345678"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["user"]["username"] == "+49301234567"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "A", "password": "12345678"}, ""),
        ({"name": "A", "email": "not-an-address", "password": "12345678"}, "email"),
        ({"name": "A", "phone": "12ab", "password": "12345678"}, "phone"),
        ({"name": "A", "email": "a@b.org", "password": "short"}, "password"),
        ({"name": " ", "email": "a@b.org", "password": "12345678"}, "name"),
        ({"name": "A", "email": "a@b.org", "password": "12345678", "role": "master"}, "role"),
    ],
)
def test_sign_up_refuses_bad_fields_plainly(
    server: LiveServer, body: dict[str, str], field: str
) -> None:
    response = httpx.post(f"{server.api_url}/auth/signup", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "invalid_request"
    assert field in {error["field"] for error in problem["errors"]} or not field


def test_sign_up_refuses_a_taken_name_and_keeps_the_account(server: LiveServer) -> None:
    body = {"name": "Carl Again", "email": "carl@example.org", "password": "12345678"}
    assert httpx.post(f"{server.api_url}/auth/signup", json=body).status_code == 201
    again = httpx.post(f"{server.api_url}/auth/signup", json={**body, "password": "other-pw"})
    assert again.status_code == 422
    assert again.json()["errors"][0]["type"] == "taken"
    assert server.login("carl@example.org", "12345678")
    # A demo name is taken too: sign-up never reaches another user's account.
    assert (
        httpx.post(
            f"{server.api_url}/auth/signup",
            json={"name": "X", "email": "x@y.org", "password": "12345678"},
        ).status_code
        == 201
    )


def test_sign_up_is_rate_limited_per_address(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory(
        env={"BOOKING_SIGNUP_BURST": "2", "BOOKING_SIGNUP_PER_SECOND": "0.001"}
    )
    answers = [
        httpx.post(
            f"{server.api_url}/auth/signup",
            json={"name": "N", "email": f"n{i}@example.org", "password": "12345678"},
        )
        for i in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].json()["code"] == "rate_limited"
    assert int(answers[2].headers["retry-after"]) >= 1
    # The refused one made no account.
    assert (
        httpx.post(
            f"{server.api_url}/auth/login",
            json={"username": "n2@example.org", "password": "12345678"},
        ).status_code
        == 401
    )


def test_the_action_table_is_the_state_machine(server: LiveServer) -> None:
    table = httpx.get(f"{server.api_url}/actions").json()
    assert table["customer"]["pending"] == ["create", "cancel", "reschedule", "update"][1:]
    assert set(table["customer"]["confirmed"]) == {"cancel", "reschedule", "update"}
    assert table["customer"]["in_progress"] == ["update"]
    assert table["customer"]["cancelled"] == []
    assert set(table["master"]["pending"]) == {
        "accept",
        "decline",
        "cancel",
        "reschedule",
        "update",
    }
    assert "no_show" in table["master"]["confirmed"]
    assert table["only_after_start"] == ["no_show"]


def test_the_additions_are_in_the_openapi_document(server: LiveServer) -> None:
    paths = httpx.get(f"{server.base_url}/openapi.json").json()["paths"]
    assert "/api/v1/auth/signup" in paths
    assert "/api/v1/actions" in paths
