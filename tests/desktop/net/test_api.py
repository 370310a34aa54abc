"""ApiClient against a real booking server: sign-in, replies for every status, transport errors."""

from __future__ import annotations

import ssl

import httpx
import pytest

from booking_core import BookingList, Role
from desktop_app.net.api import ApiClient, Timeouts
from desktop_app.net.errors import (
    AuthError,
    ConfigurationError,
    RequestTimeoutError,
    TransportError,
)
from tests.desktop.net.conftest import free_slot_body
from tests.support.proxy import FaultProxy


@pytest.mark.asyncio
async def test_login_returns_the_user_and_keeps_the_token(server_url: str) -> None:
    async with ApiClient(server_url) as client:
        login = await client.login("anna", "demo")
        assert login.user.username == "anna"
        assert login.user.role is Role.MASTER
        assert client.token == login.token

        reply = await client.perform("GET", "/api/v1/bookings")
    assert reply.status == 200
    listing = BookingList.model_validate(reply.body)
    assert listing.bookings, "the demo data gives anna bookings"
    assert {b.master_id for b in listing.bookings} == {login.user.id}


@pytest.mark.asyncio
async def test_wrong_password_is_an_auth_error_with_a_clear_message(server_url: str) -> None:
    async with ApiClient(server_url) as client:
        with pytest.raises(AuthError, match="wrong username or password"):
            await client.login("anna", "not-the-password")
        with pytest.raises(AuthError, match="enter a username and a password"):
            await client.login("", "demo")
        assert client.token is None


@pytest.mark.asyncio
async def test_error_statuses_are_replies_not_exceptions(anna: ApiClient) -> None:
    missing = await anna.perform("GET", "/api/v1/bookings/00000000-0000-0000-0000-000000000000")
    assert missing.status == 404
    assert missing.body["code"] == "not_found"
    assert missing.headers["content-type"].startswith("application/problem+json")

    anonymous = ApiClient(anna.base_url)
    try:
        refused = await anonymous.perform("GET", "/api/v1/bookings")
    finally:
        await anonymous.aclose()
    assert refused.status == 401


@pytest.mark.asyncio
async def test_a_mutation_carries_headers_and_returns_the_booking(
    anna: ApiClient, carl: ApiClient
) -> None:
    me = await anna.perform("GET", "/api/v1/bookings")
    master_id = me.body["bookings"][0]["master_id"]
    created = await carl.perform(
        "POST", "/api/v1/bookings", free_slot_body(master_id), {"Idempotency-Key": "k-api-1"}
    )
    assert created.status == 201, created.body
    booking = created.body
    fetched = await anna.perform("GET", f"/api/v1/bookings/{booking['id']}")
    assert fetched.headers["etag"] == f'"{booking["version"]}"'

    accepted = await anna.perform(
        "POST",
        f"/api/v1/bookings/{booking['id']}/transitions",
        {"action": "accept"},
        {"If-Match": fetched.headers["etag"]},
    )
    assert accepted.status == 200
    assert accepted.body["status"] == "confirmed"
    stale = await anna.perform(
        "POST",
        f"/api/v1/bookings/{booking['id']}/transitions",
        {"action": "cancel"},
        {"If-Match": fetched.headers["etag"]},
    )
    assert stale.status == 412
    assert stale.body["current"]["version"] == accepted.body["version"]


@pytest.mark.asyncio
async def test_logout_revokes_the_token(server_url: str) -> None:
    async with ApiClient(server_url) as client:
        login = await client.login("ben", "demo")
        await client.logout()
        assert client.token is None
        client.token = login.token
        reply = await client.perform("GET", "/api/v1/bookings")
    assert reply.status == 401


@pytest.mark.asyncio
async def test_a_refused_connection_is_a_transport_error(dead_url: str) -> None:
    async with ApiClient(dead_url) as client:
        with pytest.raises(TransportError, match="ConnectError"):
            await client.perform("GET", "/api/v1/bookings")
        assert await client.healthy() is False


@pytest.mark.asyncio
async def test_a_stalled_reply_times_out_as_a_retryable_error(server_url: str) -> None:
    async with FaultProxy(server_url) as proxy:
        proxy.stall("/healthz")
        async with ApiClient(proxy.url, timeouts=Timeouts(read=0.3)) as client:
            with pytest.raises(RequestTimeoutError, match="ReadTimeout") as caught:
                await client.perform("GET", "/healthz")
            assert isinstance(caught.value, TransportError)
            assert proxy.stalls == 1
            assert await client.healthy() is True  # the next one passes


def test_a_bad_server_url_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="http"):
        ApiClient("ftp://example.org")


def _verify_mode(client: ApiClient) -> ssl.VerifyMode:
    transport = client._client._transport
    assert isinstance(transport, httpx.AsyncHTTPTransport)
    context = transport._pool._ssl_context
    assert context is not None
    return context.verify_mode


@pytest.mark.asyncio
async def test_https_servers_are_verified_and_http_ones_skip_loading_certificates() -> None:
    secure = ApiClient("https://bookings.example")
    plain = ApiClient("http://127.0.0.1:8765")
    try:
        assert _verify_mode(secure) is ssl.CERT_REQUIRED
        assert secure._client.follow_redirects is False
        # Never used (no TLS on the base URL, no redirects), so no certificates were loaded.
        assert _verify_mode(plain) is ssl.CERT_NONE
    finally:
        await secure.aclose()
        await plain.aclose()
