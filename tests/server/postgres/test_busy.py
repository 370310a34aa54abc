"""No wait on PostgreSQL is endless: a statement held up longer than the configured timeout (here
by a lock another session keeps), or a request that finds no free connection, fails with
StoreBusyError, which the API answers 503 `unavailable` with Retry-After; the server goes on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import asyncpg
import httpx
import pytest

from booking_core.events import BookingUpdated
from booking_server.store import StoreBusyError
from booking_server.store.postgres import PostgresStore
from tests.support.live_server import LiveServer

TIMEOUT = 0.5


async def _ignore(events: list[BookingUpdated]) -> None:
    return None


@asynccontextmanager
async def bookings_locked(url: str) -> AsyncIterator[None]:
    """Another session holds an exclusive lock on the bookings table for the block."""
    other = await asyncpg.connect(url)
    try:
        async with other.transaction():
            await other.execute("LOCK TABLE bookings IN ACCESS EXCLUSIVE MODE")
            yield
    finally:
        await other.close()


@pytest.mark.asyncio
async def test_a_statement_held_up_by_a_lock_fails_busy_and_the_store_goes_on(
    postgres_url: str,
) -> None:
    store = PostgresStore(postgres_url, _ignore, timeout=TIMEOUT)
    await store.open()
    try:
        async with bookings_locked(postgres_url):
            with pytest.raises(StoreBusyError):
                await store.booking("any")
        assert await store.booking("any") is None  # the lock is gone: answers again
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_no_free_connection_within_the_timeout_fails_busy(postgres_url: str) -> None:
    store = PostgresStore(postgres_url, _ignore, pool_size=1, timeout=TIMEOUT)
    await store.open()
    try:
        async with store.writer():
            # The only connection is in the writer: another request (another task; the writer's
            # own task reads through the writer) cannot get one.
            with pytest.raises(StoreBusyError):
                await asyncio.create_task(store.cursor())
        assert await store.cursor() >= 0
    finally:
        await store.close()


def test_the_api_answers_503_with_retry_after_while_the_database_is_held_up(
    live_server_factory: Callable[..., LiveServer],
) -> None:
    server = live_server_factory(env={"BOOKING_DATABASE_TIMEOUT_SECONDS": str(TIMEOUT)})
    anna = server.client(server.login("anna"))

    async def held_up() -> httpx.Response:
        async with bookings_locked(server.database_url):
            return await asyncio.to_thread(anna.get, "/bookings")

    busy = asyncio.run(held_up())
    assert busy.status_code == 503, busy.text
    assert busy.headers["retry-after"] == "1"
    assert busy.headers["content-type"] == "application/problem+json"
    assert busy.json()["code"] == "unavailable"
    assert anna.get("/bookings").status_code == 200
