"""The session clock, run against real uvicorn in-process with a manual clock (no waiting):
confirmed → in_progress → completed, pending → expired, actor "system", catch-up after a restart."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from booking_server.clock import ManualClock
from tests.support.app_server import InProcessServer, login, running_app
from tests.support.ws import Socket

pytestmark = pytest.mark.asyncio
T0 = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


async def _book(
    server: InProcessServer, start: datetime, minutes: int, *, accept: bool
) -> tuple[dict[str, Any], str]:
    """A booking of anna's for carl at `start`; returns it and anna's token."""
    async with httpx.AsyncClient(base_url=server.api_url) as client:
        anna, carl = await login(client, "anna"), await login(client, "carl")
        body = {
            "master_id": anna["user"]["id"],
            "service": "Haircut",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=minutes)).isoformat(),
        }
        response = await client.post(
            "/bookings", json=body, headers={"Authorization": f"Bearer {carl['token']}"}
        )
        assert response.status_code == 201, response.text
        booking: dict[str, Any] = response.json()
        if accept:
            response = await client.post(
                f"/bookings/{booking['id']}/transitions",
                json={"action": "accept"},
                headers={"Authorization": f"Bearer {anna['token']}", "If-Match": '"1"'},
            )
            booking = response.json()
        return booking, anna["token"]


async def _next_about(socket: Socket, booking_id: str) -> dict[str, Any]:
    """The next booking:updated about this booking (demo bookings move too)."""
    while True:
        message = await socket.receive_type("booking:updated")
        if message["booking"]["id"] == booking_id:
            return message


async def test_confirmed_starts_then_completes(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    async with running_app(tmp_path / "db.sqlite3", clock) as server:
        start = T0 + timedelta(days=1)
        booking, token = await _book(server, start, 60, accept=True)
        async with await Socket.open(server.ws_url_for(token)) as socket:
            await socket.receive_type("hello")
            await clock.set(start - timedelta(seconds=1))
            await clock.set(start)
            started = await _next_about(socket, booking["id"])
            assert started["action"] == "start"
            assert started["actor"] == "system"
            assert started["booking"]["status"] == "in_progress"
            assert started["booking"]["updated_by"] == "system"
            assert started["booking"]["version"] == booking["version"] + 1
            await clock.set(start + timedelta(minutes=60))
            completed = await _next_about(socket, booking["id"])
            assert completed["action"] == "complete"
            assert completed["booking"]["status"] == "completed"
            assert completed["seq"] > started["seq"]


async def test_pending_expires_at_start(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    async with running_app(tmp_path / "db.sqlite3", clock) as server:
        start = T0 + timedelta(days=1)
        booking, token = await _book(server, start, 30, accept=False)
        async with await Socket.open(server.ws_url_for(token)) as socket:
            await socket.receive_type("hello")
            await clock.set(start)
            expired = await _next_about(socket, booking["id"])
            assert expired["action"] == "expire"
            assert expired["booking"]["status"] == "expired"
            assert expired["actor"] == "system"


async def test_no_show_allowed_after_start(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    async with running_app(tmp_path / "db.sqlite3", clock) as server:
        start = T0 + timedelta(days=1)
        booking, token = await _book(server, start, 60, accept=True)
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            httpx.AsyncClient(base_url=server.api_url, headers=headers) as client,
            await Socket.open(server.ws_url_for(token)) as socket,
        ):
            await socket.receive_type("hello")
            early = await client.post(
                f"/bookings/{booking['id']}/transitions",
                json={"action": "no_show"},
                headers={"If-Match": f'"{booking["version"]}"'},
            )
            assert early.status_code == 409
            await clock.set(start + timedelta(minutes=10))
            started = (await _next_about(socket, booking["id"]))["booking"]
            late = await client.post(
                f"/bookings/{booking['id']}/transitions",
                json={"action": "no_show"},
                headers={"If-Match": f'"{started["version"]}"'},
            )
            assert late.status_code == 200, late.text
            assert late.json()["status"] == "no_show"


async def test_restart_catches_up_on_missed_steps(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    clock = ManualClock(T0)
    start = T0 + timedelta(days=1)
    async with running_app(database, clock) as server:
        confirmed, token = await _book(server, start, 60, accept=True)
        pending, _ = await _book(server, start + timedelta(hours=2), 30, accept=False)
        async with httpx.AsyncClient(base_url=server.api_url) as client:
            listed = await client.get("/bookings", headers={"Authorization": f"Bearer {token}"})
            cursor = listed.json()["cursor"]
    # The server was down for the whole of the first booking and the start of the second.
    later = ManualClock(start + timedelta(hours=3))
    async with running_app(database, later) as server:
        async with await Socket.open(server.ws_url_for(token, since=cursor)) as socket:
            await socket.receive_type("hello")
            steps = [await _next_about(socket, confirmed["id"]) for _ in range(2)]
            assert [s["action"] for s in steps] == ["start", "complete"]
            assert steps[-1]["booking"]["status"] == "completed"
            expired = await _next_about(socket, pending["id"])
            assert expired["booking"]["status"] == "expired"
        async with httpx.AsyncClient(base_url=server.api_url) as client:
            response = await client.get(
                f"/bookings/{confirmed['id']}", headers={"Authorization": f"Bearer {token}"}
            )
            assert response.json()["status"] == "completed"
            assert response.json()["version"] == confirmed["version"] + 2


@pytest.mark.parametrize("now", [T0, T0 + timedelta(minutes=29, seconds=59)])
async def test_demo_is_seeded_around_the_clocks_now(tmp_path: Path, now: datetime) -> None:
    clock = ManualClock(now)
    async with (
        running_app(tmp_path / "db.sqlite3", clock) as server,
        httpx.AsyncClient(base_url=server.api_url) as client,
    ):
        statuses: set[str] = set()
        for name in ("anna", "ben"):
            token = (await login(client, name))["token"]
            response = await client.get("/bookings", headers={"Authorization": f"Bearer {token}"})
            bookings = response.json()["bookings"]
            statuses |= {b["status"] for b in bookings}
            active = sorted(
                (b["starts_at"], b["ends_at"])
                for b in bookings
                if b["status"] in ("pending", "confirmed", "in_progress")
            )
            for (_, end), (next_start, _) in itertools.pairwise(active):
                assert end <= next_start, "active demo bookings of a master overlap"
            for b in bookings:
                start = datetime.fromisoformat(b["starts_at"])
                assert abs(start - now) < timedelta(hours=12)
                due = {"pending": b["starts_at"], "confirmed": b["starts_at"]}.get(
                    b["status"], b["ends_at"] if b["status"] == "in_progress" else None
                )
                if due is not None:
                    assert datetime.fromisoformat(due) >= now + timedelta(minutes=30)
    assert statuses == {
        "pending",
        "confirmed",
        "in_progress",
        "completed",
        "declined",
        "cancelled",
        "no_show",
        "expired",
    }
