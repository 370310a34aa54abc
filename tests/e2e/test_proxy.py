"""The fault-injecting proxy proves each of its faults against a real booking server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from uuid import uuid4

import pytest
import pytest_asyncio
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from desktop_app.net.api import ApiClient, Timeouts
from desktop_app.net.errors import RequestTimeoutError, TransportError
from tests.desktop.net.conftest import free_slot_body
from tests.support.live_server import LiveServer
from tests.support.proxy import FaultProxy


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with LiveServer(tmp_path_factory.mktemp("server")) as server:
        yield server.base_url


@pytest_asyncio.fixture
async def proxy(server_url: str) -> AsyncIterator[FaultProxy]:
    async with FaultProxy(server_url) as started:
        yield started


async def token_of(base_url: str, username: str) -> str:
    async with ApiClient(base_url) as client:
        return (await client.login(username, "demo")).token


def ws_url(proxy: FaultProxy, token: str) -> str:
    return f"ws://127.0.0.1:{proxy.port}/api/v1/ws?token={token}"


@pytest.mark.asyncio
async def test_passes_traffic_through_and_counts_it(proxy: FaultProxy) -> None:
    async with ApiClient(proxy.url) as client:
        await client.login("anna", "demo")
        reply = await client.perform("GET", "/api/v1/bookings?since=0")
    assert reply.status == 200
    assert proxy.count("POST", "/api/v1/auth/login") == 1
    assert proxy.count("GET", "/api/v1/bookings") == 1
    assert proxy.tally() == {("POST", "/api/v1/auth/login"): 1, ("GET", "/api/v1/bookings"): 1}
    assert proxy.requests[-1].target == "/api/v1/bookings?since=0"
    assert proxy.connections == 1  # keep-alive: one connection carried both


@pytest.mark.asyncio
async def test_refuses_new_connections_while_open_ones_go_on(proxy: FaultProxy) -> None:
    port = proxy.port
    async with ApiClient(proxy.url) as old, ApiClient(proxy.url) as new:
        assert await old.perform("GET", "/healthz")  # a pooled, open connection
        await proxy.refuse_new()
        with pytest.raises(TransportError, match="ConnectError"):
            await new.perform("GET", "/healthz")
        assert (await old.perform("GET", "/healthz")).status == 200

        await proxy.accept_new()
        assert proxy.port == port
        assert (await new.perform("GET", "/healthz")).status == 200


@pytest.mark.asyncio
async def test_cut_all_resets_every_open_connection(proxy: FaultProxy, server_url: str) -> None:
    token = await token_of(server_url, "anna")
    async with websockets.connect(ws_url(proxy, token), proxy=None) as socket:
        await socket.recv()  # hello
        assert proxy.cut_all() == 1
        with pytest.raises(ConnectionClosed) as closed:
            await socket.recv()
    assert closed.value.rcvd is None  # no close frame: the link was cut
    await proxy.wait_for(lambda: proxy.open_connections == 0)


@pytest.mark.asyncio
async def test_latency_delays_each_direction(proxy: FaultProxy) -> None:
    loop = asyncio.get_running_loop()
    async with ApiClient(proxy.url) as client:
        await client.perform("GET", "/healthz")  # connect outside the measured request
        proxy.latency = 0.2
        started = loop.time()
        reply = await client.perform("GET", "/healthz")
        elapsed = loop.time() - started
    assert reply.status == 200
    assert elapsed >= 0.4  # 0.2 s on the way in, 0.2 s on the way out


@pytest.mark.asyncio
async def test_refuses_the_websocket_upgrade_only(proxy: FaultProxy, server_url: str) -> None:
    token = await token_of(server_url, "anna")
    proxy.refuse_upgrades = True
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(ws_url(proxy, token), proxy=None)
    assert refused.value.response.status_code == 403
    async with ApiClient(proxy.url) as client:
        assert (await client.perform("GET", "/healthz")).status == 200
    assert (proxy.upgrades_refused, proxy.upgrades_forwarded) == (1, 0)

    proxy.refuse_upgrades = False
    async with websockets.connect(ws_url(proxy, token), proxy=None) as socket:
        assert '"hello"' in str(await socket.recv())
    assert proxy.upgrades_forwarded == 1


@pytest.mark.asyncio
async def test_a_stalled_reply_is_lost_after_the_server_acted(
    proxy: FaultProxy, server_url: str
) -> None:
    """The server commits the booking, the client never hears: a retry with the same
    Idempotency-Key then gets the first answer and nothing is created twice."""
    async with (
        ApiClient(server_url) as anna,
        ApiClient(proxy.url, timeouts=Timeouts(read=0.5)) as carl,
    ):
        await anna.login("anna", "demo")
        await carl.login("carl", "demo")
        mine = await anna.perform("GET", "/api/v1/bookings")
        body = free_slot_body(mine.body["bookings"][0]["master_id"])
        key = {"Idempotency-Key": str(uuid4())}

        proxy.stall("/api/v1/bookings", "POST", after_bytes=12)
        with pytest.raises(RequestTimeoutError):
            await carl.perform("POST", "/api/v1/bookings", body, key)
        assert proxy.stalls == 1

        after = await anna.perform("GET", "/api/v1/bookings")
        starts_at = datetime.fromisoformat(body["starts_at"])
        same = [
            b for b in after.body["bookings"] if datetime.fromisoformat(b["starts_at"]) == starts_at
        ]
        assert len(same) == 1, "the server acted although the reply was lost"

        retry = await carl.perform("POST", "/api/v1/bookings", body, key)
        assert retry.status == 201
        assert retry.body["id"] == same[0]["id"]


@pytest.mark.asyncio
async def test_a_released_stall_delivers_the_whole_reply(proxy: FaultProxy) -> None:
    async with ApiClient(proxy.url) as client:
        proxy.stall("/healthz", after_bytes=5)
        pending = asyncio.create_task(client.perform("GET", "/healthz"))
        await proxy.wait_for(lambda: proxy.stalls == 1)
        assert not pending.done()
        proxy.release_stalls()
        assert (await pending).status == 200


@pytest.mark.asyncio
async def test_a_frozen_link_answers_nothing_until_thawed(proxy: FaultProxy) -> None:
    async with ApiClient(proxy.url, timeouts=Timeouts(read=0.3)) as client:
        proxy.freeze()
        with pytest.raises(RequestTimeoutError):
            await client.perform("GET", "/healthz")
        proxy.thaw()
    # After the thaw an answer may take over 0.3 s on a loaded machine: wait as the app does.
    async with ApiClient(proxy.url) as client:
        assert (await client.perform("GET", "/healthz")).status == 200
