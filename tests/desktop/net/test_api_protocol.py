"""ApiClient's edge translation for answers no real server of ours gives (httpx MockTransport)."""

from __future__ import annotations

import httpx
import pytest

from desktop_app.net.api import ApiClient
from desktop_app.net.errors import ProtocolError, TransportError


def client_answering(response: httpx.Response) -> ApiClient:
    return ApiClient("http://server.test", transport=httpx.MockTransport(lambda _: response))


@pytest.mark.asyncio
async def test_a_body_that_announces_json_but_is_not_json_is_a_protocol_error() -> None:
    broken = httpx.Response(200, headers={"content-type": "application/json"}, content=b"{oops")
    async with client_answering(broken) as client:
        with pytest.raises(ProtocolError, match="not JSON"):
            await client.perform("GET", "/api/v1/bookings")


@pytest.mark.asyncio
async def test_a_non_json_error_page_is_a_reply_without_body() -> None:
    gateway = httpx.Response(502, headers={"content-type": "text/html"}, content=b"<h1>Bad</h1>")
    async with client_answering(gateway) as client:
        reply = await client.perform("GET", "/api/v1/bookings")
    assert (reply.status, reply.body) == (502, None)


@pytest.mark.asyncio
async def test_login_on_an_overloaded_server_is_retryable() -> None:
    busy = httpx.Response(503, json={"code": "unavailable"})
    async with client_answering(busy) as client:
        with pytest.raises(TransportError, match="503"):
            await client.login("anna", "demo")


@pytest.mark.asyncio
async def test_a_login_answer_outside_the_protocol_is_a_protocol_error() -> None:
    odd = httpx.Response(200, json={"token": "t"})
    async with client_answering(odd) as client:
        with pytest.raises(ProtocolError, match="LoginResponse"):
            await client.login("anna", "demo")
        assert client.token is None
