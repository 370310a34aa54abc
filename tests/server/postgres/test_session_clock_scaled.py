"""Two apps (real uvicorn, in-process) on one PostgreSQL database and one Redis share a manual
clock: at each due moment both session clocks race, and each step happens exactly once
(start, complete, expire), with actor "system"; a restart of both catches up once too."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from booking_server.clock import ManualClock
from tests.server.test_session_clock import _book
from tests.support.app_server import InProcessServer, running_app
from tests.support.ws import Socket

pytestmark = pytest.mark.asyncio
T0 = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
START = T0 + timedelta(days=1)


@asynccontextmanager
async def _pair(
    database: str, clock: ManualClock, redis_url: str, prefix: str
) -> AsyncIterator[tuple[InProcessServer, InProcessServer]]:
    async with AsyncExitStack() as stack:
        a, b = [
            await stack.enter_async_context(
                running_app(database, clock, redis_url=redis_url, redis_prefix=prefix)
            )
            for _ in range(2)
        ]
        yield a, b


async def _until_about(socket: Socket, booking_id: str, action: str) -> dict[str, Any]:
    while True:
        message = await socket.receive_type("booking:updated")
        if (message["booking"]["id"], message["action"]) == (booking_id, action):
            return message


async def _steps_since(
    server: InProcessServer, token: str, cursor: int
) -> Counter[tuple[str, str]]:
    """Every (booking id, action) in the log after `cursor`, counted: a marker booking is written
    last, so every step committed before it is in the replay."""
    marker, _ = await _book(server, START + timedelta(days=30), 30, accept=False)
    steps: Counter[tuple[str, str]] = Counter()
    async with await Socket.open(server.ws_url_for(token, since=cursor)) as socket:
        await socket.receive_type("hello")
        while True:
            message = await socket.receive_type("booking:updated")
            if message["booking"]["id"] == marker["id"]:
                return steps
            steps[message["booking"]["id"], message["action"]] += 1


async def test_each_step_happens_once_with_two_clocks(
    postgres_url: str, redis_url: str, redis_prefix: str
) -> None:
    clock = ManualClock(T0)
    async with _pair(postgres_url, clock, redis_url, redis_prefix) as (a, b):
        confirmed, token = await _book(a, START, 60, accept=True)
        pending, _ = await _book(b, START + timedelta(hours=2), 30, accept=False)
        async with httpx.AsyncClient(base_url=a.api_url) as client:
            listed = await client.get("/bookings", headers={"Authorization": f"Bearer {token}"})
            cursor = listed.json()["cursor"]
        async with await Socket.open(b.ws_url_for(token)) as socket:
            await socket.receive_type("hello")
            await clock.set(START)
            started = await _until_about(socket, confirmed["id"], "start")
            assert (started["actor"], started["booking"]["status"]) == ("system", "in_progress")
            await clock.set(START + timedelta(minutes=60))
            await _until_about(socket, confirmed["id"], "complete")
            await clock.set(START + timedelta(hours=2))
            await _until_about(socket, pending["id"], "expire")
        steps = await _steps_since(a, token, cursor)
    ours = {
        key: count for key, count in steps.items() if key[0] in (confirmed["id"], pending["id"])
    }
    assert ours == {
        (confirmed["id"], "start"): 1,
        (confirmed["id"], "complete"): 1,
        (pending["id"], "expire"): 1,
    }


async def test_both_restarted_catch_up_once(
    postgres_url: str, redis_url: str, redis_prefix: str
) -> None:
    async with _pair(postgres_url, ManualClock(T0), redis_url, redis_prefix) as (a, _):
        confirmed, token = await _book(a, START, 60, accept=True)
        async with httpx.AsyncClient(base_url=a.api_url) as client:
            listed = await client.get("/bookings", headers={"Authorization": f"Bearer {token}"})
            cursor = listed.json()["cursor"]
    # Both were down for the whole booking: on start both owe it a start and a complete.
    later = ManualClock(START + timedelta(hours=3))
    async with _pair(postgres_url, later, redis_url, redis_prefix) as (a, b):
        async with await Socket.open(b.ws_url_for(token, since=cursor)) as socket:
            await socket.receive_type("hello")
            await _until_about(socket, confirmed["id"], "complete")
        steps = await _steps_since(a, token, cursor)
    assert steps[confirmed["id"], "start"] == 1
    assert steps[confirmed["id"], "complete"] == 1
