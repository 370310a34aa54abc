"""Races against the real server process: 200 concurrent creates for one slot give exactly one
201; sockets joining with `since` while events are being committed miss none and get none twice."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.support.api import next_slot
from tests.support.live_server import LiveServer
from tests.support.ws import Socket

pytestmark = pytest.mark.asyncio


async def test_200_concurrent_creates_for_one_slot_make_one_booking(
    shared_server: LiveServer,
) -> None:
    anna_id = shared_server.user("anna")["id"]
    starts_at, ends_at = next_slot(60)
    tokens = [shared_server.login(name) for name in ("carl", "dora")]
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(
        base_url=shared_server.api_url, limits=limits, timeout=60
    ) as client:

        async def attempt(index: int) -> httpx.Response:
            return await client.post(
                "/bookings",
                json={
                    "master_id": anna_id,
                    "service": f"Race {index}",
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                },
                headers={"Authorization": f"Bearer {tokens[index % 2]}"},
            )

        responses = await asyncio.gather(*(attempt(i) for i in range(200)))
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 1
    assert statuses.count(409) == 199
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"slot_taken"}
    anna = shared_server.client(shared_server.login("anna"))
    mine = [
        b for b in anna.get("/bookings").json()["bookings"] if b["starts_at"][:16] == starts_at[:16]
    ]
    assert len(mine) == 1


async def _collect_until(socket: Socket, last_seq: int) -> list[int]:
    seqs: list[int] = []
    while not seqs or seqs[-1] < last_seq:
        message = await socket.receive()
        if message["type"] == "booking:updated":
            seqs.append(message["seq"])
    return seqs


async def test_since_replay_joins_live_stream_without_gap_or_duplicate(
    shared_server: LiveServer,
) -> None:
    server = shared_server
    anna_token, carl_token = server.login("anna"), server.login("carl")
    anna_id = server.user("anna")["id"]
    reference = await Socket.open(server.ws_url_for(anna_token))
    cursor = (await reference.receive())["cursor"]
    joined: list[Socket] = []
    headers = {"Authorization": f"Bearer {carl_token}"}
    async with httpx.AsyncClient(base_url=server.api_url, headers=headers) as carl:

        async def write(count: int) -> list[dict[str, Any]]:
            made = []
            for index in range(count):
                starts_at, ends_at = next_slot()
                body = {
                    "master_id": anna_id,
                    "service": f"Replay {index}",
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                }
                made.append((await carl.post("/bookings", json=body)).json())
            return made

        async def join(count: int) -> None:
            for _ in range(count):
                joined.append(await Socket.open(server.ws_url_for(anna_token, since=cursor)))

        # Sockets join while events are being committed.
        await asyncio.gather(write(120), join(12))
        marker = (await write(1))[0]
    try:
        expected: list[int] = []
        while True:
            message = await reference.receive()
            if message["type"] == "booking:updated":
                expected.append(message["seq"])
                if message["booking"]["id"] == marker["id"]:
                    break
        assert len(expected) >= 121
        for socket in joined:
            assert (await socket.receive())["type"] == "hello"
            assert await _collect_until(socket, expected[-1]) == expected
    finally:
        for socket in [reference, *joined]:
            await socket.close()
