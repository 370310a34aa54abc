"""PostgreSQL deadlocks never answer 500 (issue 13, item 2).

- Concurrent overlapping creates: every answer is 201 or 409 `slot_taken`, one 201 per slot (the
  lock order that deadlocked is gone: tests/server/postgres/test_store.py shows it
  deterministically; this is the end-to-end guard).
- A deadlock that does happen (made here on purpose, with another connection) is retried inside
  the server: the client gets the answer of the run that got through."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import asyncpg
import httpx
import pytest

from tests.support.api import create, if_match, next_slot
from tests.support.live_server import LiveServer
from tests.support.services import ScaledServer

pytestmark = pytest.mark.asyncio
ROUNDS = 4
AT_ONCE = 24


async def test_overlapping_creates_never_deadlock(
    live_server_factory: Callable[..., LiveServer],
) -> None:
    server = live_server_factory(env={"BOOKING_DATABASE_POOL_SIZE": str(AT_ONCE)})
    anna_id = server.user("anna")["id"]
    tokens = [server.login(name) for name in ("carl", "dora")]
    limits = httpx.Limits(max_connections=AT_ONCE, max_keepalive_connections=AT_ONCE)
    async with httpx.AsyncClient(base_url=server.api_url, limits=limits, timeout=60) as client:
        for _ in range(ROUNDS):
            start = datetime.fromisoformat(next_slot(120)[0])

            async def attempt(index: int, start: datetime = start) -> httpx.Response:
                # Every request overlaps every other, none is the same interval.
                begins = start + timedelta(minutes=index)
                return await client.post(
                    "/bookings",
                    json={
                        "master_id": anna_id,
                        "service": f"Race {index}",
                        "starts_at": begins.isoformat(),
                        "ends_at": (begins + timedelta(minutes=60)).isoformat(),
                    },
                    headers={"Authorization": f"Bearer {tokens[index % 2]}"},
                )

            responses = await asyncio.gather(*(attempt(i) for i in range(AT_ONCE)))
            statuses = sorted(r.status_code for r in responses)
            assert set(statuses) <= {201, 409}, [r.text for r in responses if r.status_code >= 500]
            assert statuses.count(201) == 1
            assert {r.json()["code"] for r in responses if r.status_code == 409} == {"slot_taken"}


async def _until(condition: Callable[[], Awaitable[bool]]) -> None:
    async with asyncio.timeout(30):
        while not await condition():  # noqa: ASYNC110 (no event exists for another backend's lock)
            await asyncio.sleep(0.01)


async def test_a_deadlocked_request_runs_again(
    live_server_factory: Callable[..., LiveServer],
) -> None:
    server = live_server_factory()
    assert isinstance(server, ScaledServer)
    carl = server.client(server.login("carl"))
    booking = create(carl, server.user("anna")["id"])
    anna_id = server.user("anna")["id"]
    key = str(uuid.uuid4())
    other = await asyncpg.connect(server.postgres_url)
    watcher = await asyncpg.connect(server.postgres_url)

    async def waiting_on_locks() -> int:
        count: int = await watcher.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return count

    try:
        # The other connection looks for deadlocks only after 60 s: the server's transaction,
        # waiting since before, is the one PostgreSQL gives up (after its 1 s default).
        await other.execute("SET deadlock_timeout = '60s'")
        transaction = other.transaction()
        await transaction.start()
        await other.execute("SELECT 1 FROM bookings WHERE id = $1 FOR UPDATE", booking["id"])
        headers = {
            "Authorization": f"Bearer {server.login('anna')}",
            "Idempotency-Key": key,
            **if_match(booking),
        }
        async with httpx.AsyncClient(base_url=server.api_url, timeout=60) as client:
            request = asyncio.create_task(
                client.post(
                    f"/bookings/{booking['id']}/transitions",
                    json={"action": "accept"},
                    headers=headers,
                )
            )
            # The server's transaction holds its key's row and waits for the booking's.
            await _until(lambda: _is(waiting_on_locks, 1))
            # Now the other connection waits for the key's row: a cycle, a deadlock.
            await other.execute(
                "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)"
                " VALUES ($1, $2, 'other', now())",
                anna_id,
                key,
            )
            # PostgreSQL gave the server's transaction up (else this insert would still wait).
            await transaction.rollback()
            response = await request
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "confirmed"
    finally:
        await other.close()
        await watcher.close()


async def _is(read: Callable[[], Awaitable[int]], expected: int) -> bool:
    return await read() == expected
