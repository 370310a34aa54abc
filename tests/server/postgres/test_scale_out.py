"""Two real `booking-server` processes, A and B, on one PostgreSQL database and one Redis: changes
cross processes in seq order, the database alone keeps a slot single, replays and logouts work
across processes, the session clocks never move a booking twice, and a process that was deaf to
Redis catches up from the event log."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from tests.support.api import create, moved, next_slot
from tests.support.services import ScaledServer, check_redis, fresh_database
from tests.support.tcp_proxy import TcpProxy
from tests.support.ws import Socket

pytestmark = pytest.mark.asyncio
Pair = tuple[ScaledServer, ScaledServer]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """A and B for this module's tests (each books its own slots)."""
    folder = tmp_path_factory.mktemp("pair")
    options: dict[str, Any] = {
        "redis_url": check_redis(),
        "redis_prefix": f"test:{uuid.uuid4().hex}:",
    }
    with fresh_database() as database:
        a, b = (ScaledServer(folder / name, database, **options) for name in ("a", "b"))
        with a, b:
            yield a, b


async def _updates(socket: Socket, count: int) -> list[dict[str, Any]]:
    return [await socket.receive_type("booking:updated") for _ in range(count)]


async def test_a_change_on_a_reaches_sockets_on_b_in_order(pair: Pair) -> None:
    a, b = pair
    carl = a.client(a.login("carl"))
    anna_on_a = a.client(a.login("anna"))
    async with await Socket.open(b.ws_url_for(b.login("anna"))) as socket:
        assert (await socket.receive())["type"] == "hello"
        booking = create(carl, a.user("anna")["id"])
        accepted = moved(anna_on_a, booking, "accept")
        created, accept = await _updates(socket, 2)
        assert (created["action"], created["booking"]) == ("create", booking)
        assert (accept["action"], accept["booking"]) == ("accept", accepted)
        assert accept["seq"] > created["seq"]


async def test_200_concurrent_creates_across_both_processes_make_one_booking(
    pair: Pair,
) -> None:
    a, b = pair
    anna_id = a.user("anna")["id"]
    starts_at, ends_at = next_slot(60)
    tokens = [a.login("carl"), b.login("dora")]
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with (
        httpx.AsyncClient(base_url=a.api_url, limits=limits, timeout=60) as on_a,
        httpx.AsyncClient(base_url=b.api_url, limits=limits, timeout=60) as on_b,
    ):

        async def attempt(index: int) -> httpx.Response:
            client = (on_a, on_b)[index % 2]
            return await client.post(
                "/bookings",
                json={
                    "master_id": anna_id,
                    "service": f"Race {index}",
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                },
                headers={"Authorization": f"Bearer {tokens[index // 2 % 2]}"},
            )

        responses = await asyncio.gather(*(attempt(i) for i in range(200)))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: 199}
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"slot_taken"}
    for server in (a, b):
        listed = server.client(server.login("anna")).get("/bookings").json()["bookings"]
        assert sum(x["starts_at"][:16] == starts_at[:16] for x in listed) == 1


async def test_writes_on_both_reach_every_socket_in_one_gap_free_seq_order(pair: Pair) -> None:
    """Events committed on two processes at once arrive out of order over Redis; each process
    must still hand them to its sockets in seq order with none missing (the log fills gaps)."""
    a, b = pair
    anna_token = a.login("anna")
    sockets = [await Socket.open(s.ws_url_for(anna_token)) for s in (a, b)]
    cursor = min([(await socket.receive())["cursor"] for socket in sockets])
    anna_id = a.user("anna")["id"]

    async def write(server: ScaledServer, customer: str, count: int) -> None:
        headers = {"Authorization": f"Bearer {server.login(customer)}"}
        async with httpx.AsyncClient(base_url=server.api_url, headers=headers) as client:
            for index in range(count):
                starts_at, ends_at = next_slot()
                body = {"master_id": anna_id, "service": f"Mix {index}", "starts_at": starts_at}
                response = await client.post("/bookings", json={**body, "ends_at": ends_at})
                assert response.status_code == 201, response.text

    try:
        await asyncio.gather(*(write(s, c, 40) for s in (a, b) for c in ("carl", "dora")))
        seen = [[m["seq"] for m in await _updates(socket, 160)] for socket in sockets]
        async with await Socket.open(b.ws_url_for(anna_token, since=cursor)) as replay:
            assert (await replay.receive())["type"] == "hello"
            logged = [m["seq"] for m in await _updates(replay, 160)]
    finally:
        for socket in sockets:
            await socket.close()
    assert logged == sorted(set(logged))
    assert seen == [logged, logged]


async def test_since_replay_on_b_of_events_committed_on_a(pair: Pair) -> None:
    a, b = pair
    anna_token = a.login("anna")
    cursor = a.client(anna_token).get("/bookings").json()["cursor"]
    carl = a.client(a.login("carl"))
    booking = create(carl, a.user("anna")["id"])
    accepted = moved(a.client(anna_token), booking, "accept")
    async with await Socket.open(b.ws_url_for(anna_token, since=cursor)) as socket:
        hello = await socket.receive()
        assert hello["type"] == "hello"
        assert hello["cursor"] > cursor
        replayed = await _updates(socket, 2)
        assert [m["action"] for m in replayed] == ["create", "accept"]
        assert replayed[1]["booking"] == accepted
        live = create(carl, a.user("anna")["id"])
        message = await socket.receive_type("booking:updated")
        assert message["booking"]["id"] == live["id"]


async def test_logout_on_a_closes_the_tokens_socket_on_b_with_4401(pair: Pair) -> None:
    a, b = pair
    token, other = a.login("carl"), a.login("carl")
    async with (
        await Socket.open(b.ws_url_for(token)) as socket,
        await Socket.open(b.ws_url_for(other)) as still_open,
    ):
        assert (await socket.receive())["type"] == "hello"
        assert (await still_open.receive())["type"] == "hello"
        assert a.client(token).post("/auth/logout").status_code == 204
        assert await socket.close_code() == 4401
        assert b.client(token).get("/bookings").status_code == 401
        await still_open.send({"type": "nonsense"})
        assert (await still_open.receive())["code"] == "invalid_message"


async def test_both_session_clocks_move_each_booking_once(pair: Pair) -> None:
    """Bookings in the past expire at once; both processes' clocks race to do it, and the row
    lock lets exactly one of them write each `expire`."""
    a, b = pair
    anna_token = a.login("anna")
    anna_id = a.user("anna")["id"]
    cursor = a.client(anna_token).get("/bookings").json()["cursor"]
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    count = 20
    async with await Socket.open(b.ws_url_for(anna_token)) as socket:
        await socket.receive_type("hello")
        ids = []
        for index, server in zip(range(count), itertools.cycle((a, b)), strict=False):
            start = past - timedelta(hours=index)
            body = {
                "master_id": anna_id,
                "service": "Too late",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(minutes=30)).isoformat(),
            }
            response = server.client(server.login("carl")).post("/bookings", json=body)
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        expired: set[str] = set()
        while expired != set(ids):
            message = await socket.receive_type("booking:updated")
            if message["action"] == "expire":
                expired.add(message["booking"]["id"])
        marker = create(a.client(a.login("carl")), anna_id)
        async with await Socket.open(a.ws_url_for(anna_token, since=cursor)) as replay:
            events: list[dict[str, Any]] = []
            while not events or events[-1]["booking"]["id"] != marker["id"]:
                events.append(await replay.receive_type("booking:updated"))
    expires = Counter(e["booking"]["id"] for e in events if e["action"] == "expire")
    assert expires == dict.fromkeys(ids, 1)
    for event in events:
        if event["action"] == "expire":
            assert (event["actor"], event["booking"]["version"]) == ("system", 2)


@pytest_asyncio.fixture
async def deaf_pair(tmp_path: Path) -> AsyncIterator[tuple[ScaledServer, ScaledServer, TcpProxy]]:
    """A on Redis directly, B through a proxy the test can cut; quick quiet-bus checks."""
    redis_url = check_redis()
    proxy = await TcpProxy.open("127.0.0.1", int(redis_url.rsplit(":", 1)[1].split("/")[0]))
    prefix = f"test:{uuid.uuid4().hex}:"
    env = {"BOOKING_BUS_CHECK_INTERVAL": "0.3"}
    with fresh_database() as database:
        a = ScaledServer(
            tmp_path / "a", database, redis_url=redis_url, redis_prefix=prefix, env=env
        )
        b = ScaledServer(
            tmp_path / "b",
            database,
            redis_url=f"redis://127.0.0.1:{proxy.port}/0",
            redis_prefix=prefix,
            env=env,
        )
        try:
            # Started off the loop: B's start goes through the proxy, which runs on this loop.
            await asyncio.to_thread(a.start)
            await asyncio.to_thread(b.start)
            yield a, b, proxy
        finally:
            await asyncio.to_thread(b.stop)
            await asyncio.to_thread(a.stop)
            await proxy.close()


async def _create(server: ScaledServer, token: str, master_id: str) -> dict[str, Any]:
    """Without blocking the loop: the proxy runs on it."""
    starts_at, ends_at = next_slot()
    body = {"master_id": master_id, "service": "Haircut", "starts_at": starts_at}
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=server.api_url, headers=headers) as client:
        response = await client.post("/bookings", json={**body, "ends_at": ends_at})
        assert response.status_code == 201, response.text
        booking: dict[str, Any] = response.json()
        return booking


async def test_a_process_deaf_to_redis_catches_up_from_the_log(
    deaf_pair: tuple[ScaledServer, ScaledServer, TcpProxy],
) -> None:
    a, b, proxy = deaf_pair
    anna_token, carl_token, dora_token = (a.login(name) for name in ("anna", "carl", "dora"))
    anna_id = a.user("anna")["id"]
    on_b = await Socket.open(b.ws_url_for(anna_token))
    doomed = await Socket.open(b.ws_url_for(carl_token))
    on_a = await Socket.open(a.ws_url_for(anna_token))
    try:
        for socket in (on_b, doomed, on_a):
            await socket.receive_type("hello")
        # B hears nothing from Redis while cut: what A commits meanwhile, and the logout, reach
        # B only from the database once B has subscribed again.
        await proxy.cut()
        missed = await _create(a, carl_token, anna_id)
        async with httpx.AsyncClient(base_url=a.api_url) as client:
            logout = await client.post(
                "/auth/logout", headers={"Authorization": f"Bearer {carl_token}"}
            )
            assert logout.status_code == 204
        proxy.restore()
        assert (await on_b.receive_type("booking:updated"))["booking"] == missed
        assert await doomed.close_code() == 4401
        assert (await on_a.receive_type("booking:updated"))["booking"] == missed

        # B cannot publish while cut: A's sockets get B's change from A's quiet-bus check.
        await proxy.cut()
        unheard = await _create(b, dora_token, anna_id)
        assert (await on_a.receive_type("booking:updated"))["booking"] == unheard
        assert (await on_b.receive_type("booking:updated"))["booking"] == unheard
        proxy.restore()
    finally:
        for socket in (on_b, doomed, on_a):
            await socket.close()
