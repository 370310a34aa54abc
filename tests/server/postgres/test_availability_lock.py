"""On PostgreSQL a customer's booking of a catalog service waits for the master's availability
lock: while another transaction holds it (as a concurrent booking, or a change to the hours,
would), the create blocks, and it goes through once the lock is free. This is what keeps the
free-slot check and the write one step across processes (docs/protocol.md)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest

from tests.support.api import if_match
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.asyncio
WAIT = 120.0  # a cap on the condition, for a loaded machine


async def _waiting_on_advisory_locks(db: asyncpg.Connection) -> int:
    count: int = await db.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
    )
    return count


async def test_a_customer_booking_waits_for_the_masters_lock(live_server: LiveServer) -> None:
    anna_id = live_server.user("anna")["id"]
    anna = live_server.client(live_server.login("anna"))
    current = anna.get(f"/masters/{anna_id}/schedule").json()
    every_day = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    body = {"time_zone": "UTC", "weekly": every_day, "min_notice_minutes": 0, "horizon_days": 365}
    assert (
        anna.put(f"/masters/{anna_id}/schedule", json=body, headers=if_match(current)).status_code
        == 200
    )
    service = anna.post("/services", json={"name": "Cut", "duration_minutes": 30}).json()
    day = (datetime.now(UTC) + timedelta(days=100)).date()
    start = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    carl_token = live_server.login("carl")

    db = await asyncpg.connect(live_server.database_url)
    try:
        holder = db.transaction()
        await holder.start()
        await db.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"availability:{anna_id}"
        )
        async with httpx.AsyncClient(base_url=live_server.api_url, timeout=60) as client:
            booking = asyncio.create_task(
                client.post(
                    "/bookings",
                    json={
                        "master_id": anna_id,
                        "service_id": service["id"],
                        "starts_at": start.isoformat(),
                    },
                    headers={"Authorization": f"Bearer {carl_token}"},
                )
            )
            # The condition: the server's transaction is queued behind our lock.
            watcher = await asyncpg.connect(live_server.database_url)
            try:
                deadline = asyncio.get_running_loop().time() + WAIT
                while await _waiting_on_advisory_locks(watcher) == 0:
                    assert not booking.done(), "the create did not wait for the master's lock"
                    assert asyncio.get_running_loop().time() < deadline, "nobody waited"
                    await asyncio.sleep(0.02)
            finally:
                await watcher.close()
            assert not booking.done()
            await holder.rollback()
            response = await booking
        assert response.status_code == 201, response.text
        assert response.json()["service_id"] == service["id"]
    finally:
        await db.close()
