"""What the network end-to-end tests share: the master's real app session behind a fault proxy,
the customer on the real server directly, and the server's own record of what it applied.

The app runs with short configured intervals (FAST) so every scenario takes seconds; waits end on
conditions (`until`, `proxy.wait_for`), never on sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple
from uuid import uuid4

import httpx
from PySide6.QtWidgets import QApplication
from websockets.asyncio.client import ClientConnection

from booking_core import Booking, BookingUpdated, parse_server_message
from desktop_app.app import Session, open_session, wait_for_sync
from desktop_app.net.api import ApiClient
from desktop_app.settings import built_in_settings
from desktop_app.sync import SyncState
from desktop_app.ui.bookings_model import Role
from tests.support.live_server import LiveServer
from tests.support.proxy import (
    CHUNK,
    REFUSED_UPGRADE,
    FaultProxy,
    SeenRequest,
    _Link,
    _RequestParser,
)

WAIT = 90.0  # generous: two shared cores; every wait ends as soon as its condition holds
BOOKINGS = "/api/v1/bookings"

# Polls every 0.2 s, reconnects within 0.3 s, gives up on a request after 1 + 2 s, probes
# reachability every 0.2 s.
FAST: dict[str, Any] = {
    "poll_active_seconds": 0.2,
    "poll_idle_seconds": 0.2,
    "retry_initial_seconds": 0.05,
    "retry_max_seconds": 0.3,
    "connect_timeout_seconds": 1.0,
    "request_timeout_seconds": 2.0,
    "health_check_seconds": 0.2,
    "give_up_after_seconds": 120.0,
    "max_retries": 100,
}


@dataclass
class _Answer:
    method: str
    path: str
    status: int
    retry_after: float | None
    remaining: int


class NetProxy(FaultProxy):
    """The FaultProxy, plus when each request arrived and canned answers it gives itself (a
    load balancer's 503, a gateway's 429) without passing the request on."""

    def __init__(self, upstream: str) -> None:
        super().__init__(upstream)
        self.arrivals: list[tuple[float, SeenRequest]] = []
        self.answered = 0
        self._answers: list[_Answer] = []
        self._canned: dict[int, bytes] = {}

    def answer(
        self,
        method: str,
        path: str,
        status: int,
        *,
        retry_after: float | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` requests `method path` with `status` (never forwarded)."""
        self._answers.append(_Answer(method, path, status, retry_after, times))

    def arrived(self, method: str, path: str, *, after: float = 0.0) -> list[float]:
        """Loop times at which requests `method path` arrived (after `after`)."""
        return [t for t, r in self.arrivals if (r.method, r.path) == (method, path) and t > after]

    def polls(self, *, after: float = 0.0) -> list[float]:
        """Arrivals of `GET /api/v1/bookings?since=…` (polls and delta syncs)."""
        return [
            t
            for t, r in self.arrivals
            if r.method == "GET" and r.target.startswith(f"{BOOKINGS}?since=") and t > after
        ]

    def reset_counters(self) -> None:
        super().reset_counters()
        self.arrivals.clear()

    def _admit(self, link: _Link, request: SeenRequest) -> bool:
        self.arrivals.append((asyncio.get_running_loop().time(), request))
        if not super()._admit(link, request):
            return False
        for rule in self._answers:
            if rule.remaining > 0 and (rule.method, rule.path) == (request.method, request.path):
                rule.remaining -= 1
                self.answered += 1
                self._canned[link.number] = _canned(rule)
                return False
        return True

    async def _client_to_server(self, link: _Link, reader: asyncio.StreamReader) -> None:
        # FaultProxy's own loop, answering with the canned reply where `_admit` chose one.
        parser = _RequestParser()
        try:
            while data := await reader.read(CHUNK):
                for piece, request in parser.feed(data, link.number):
                    if request is not None and not self._admit(link, request):
                        link.client.write(self._canned.pop(link.number, REFUSED_UPGRADE))
                        await link.client.drain()
                        return
                    if piece:
                        assert link.upstream is not None
                        await self._send(link.upstream, piece)
        except (ConnectionError, OSError):
            pass
        finally:
            self._close_side(link.upstream)
            for task in link.tasks:
                if task is not asyncio.current_task():
                    task.cancel()


def _canned(rule: _Answer) -> bytes:
    code = "rate_limited" if rule.status == 429 else "unavailable"
    body = f'{{"type":"about:blank","title":"injected","status":{rule.status},"code":"{code}"}}'
    head = [
        f"HTTP/1.1 {rule.status} Injected",
        "Content-Type: application/problem+json",
        f"Content-Length: {len(body)}",
        "Connection: close",
    ]
    if rule.retry_after is not None:
        head.append(f"Retry-After: {rule.retry_after:g}")
    return ("\r\n".join(head) + "\r\n\r\n" + body).encode()


@contextlib.asynccontextmanager
async def proxy_to(server: LiveServer) -> AsyncIterator[NetProxy]:
    proxy = NetProxy(server.base_url)
    await proxy.start()
    try:
        yield proxy
    finally:
        proxy.thaw()
        proxy.release_stalls()
        await proxy.stop()


class Cast(NamedTuple):
    proxy: NetProxy
    session: Session
    customer: Customer


@contextlib.asynccontextmanager
async def master_and_customer(
    server: LiveServer, data_dir: Path, **settings: Any
) -> AsyncIterator[Cast]:
    """The usual cast of a scenario: carl on the server directly, and anna's app (`open_master`)
    behind a fresh fault proxy; all closed however the scenario ends."""
    customer = Customer(server)
    try:
        async with proxy_to(server) as proxy:
            session = await open_master(proxy, data_dir, **settings)
            try:
                yield Cast(proxy, session, customer)
            finally:
                await session.close()
    finally:
        await customer.aclose()


async def open_master(proxy: FaultProxy, data_dir: Path, **settings: Any) -> Session:
    """Anna's real app through the proxy, after its first completed sync."""
    # Closing the window at the end must not quit the Qt loop the test still runs on.
    QApplication.setQuitOnLastWindowClosed(False)
    chosen = built_in_settings(**(FAST | settings))
    api = ApiClient(proxy.url, timeouts=chosen.timeouts())
    session = await open_session(api, "demo", "anna", data_dir=data_dir, settings=chosen)
    session.window.show()
    async with asyncio.timeout(WAIT):
        await wait_for_sync(session.controller)
    # Settled: the reachability probe has reported too.
    reachability = session.reachability
    await until(lambda: reachability is None or reachability.online is not None, "first probe")
    return session


async def until(predicate: Callable[[], object], what: str, within: float = WAIT) -> None:
    """Wait until `predicate()` holds, re-checking as the Qt/asyncio loop runs."""
    try:
        async with asyncio.timeout(within):
            while not predicate():  # noqa: ASYNC110 - Qt-side state, polled like waitUntil
                await asyncio.sleep(0.005)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for: {what}") from None


def live_and_caught_up(session: Session) -> bool:
    """The socket is open, its hello was heard and every fetch the hello asked for (the bookings'
    catch-up, the master's catalog) is answered: requests from here on come from what happens
    next. `socket_open` alone is not that: under load the hello's fetches arrived after it."""
    engine = session.controller.engine
    fetcher = engine.fetcher
    catalog = engine.catalog_sync.fetches
    return (
        session.controller.socket_open
        and engine.counters.clock_skew is not None  # set by each hello
        and fetcher.in_flight is None
        and not (fetcher.need_full or fetcher.need_delta)
        and not (catalog.owed or catalog.out)
    )


def state(session: Session) -> SyncState:
    return session.controller.status.state


def pending(session: Session) -> int:
    return session.controller.status.pending


def shown(session: Session) -> dict[str, Booking]:
    """Every booking the master's table shows, by id (the model's rows, not the engine's)."""
    model = session.window.model
    rows = (model.data(model.index(row, 0), Role.BOOKING) for row in range(model.rowCount()))
    return {booking.id: booking for booking in rows}


def row_pending(session: Session, booking_id: str) -> bool:
    item = session.window.model.visible_booking(booking_id)
    assert item is not None, f"{booking_id} has no row"
    return item.pending


async def next_update(socket: ClientConnection, booking_id: str) -> BookingUpdated:
    """The next `booking:updated` of `booking_id` on a customer's socket (others are skipped)."""
    async with asyncio.timeout(WAIT):
        while True:
            message = parse_server_message(await socket.recv())
            if isinstance(message, BookingUpdated) and message.booking.id == booking_id:
                return message


class Customer:
    """A customer (carl by default) on the real server directly, not through the proxy."""

    def __init__(self, server: LiveServer, username: str = "carl") -> None:
        self.server = server
        login = server.login_response(username)
        self.token: str = login["token"]
        self.id: str = login["user"]["id"]
        self.http = httpx.AsyncClient(
            base_url=server.api_url, headers=server.auth(self.token), timeout=WAIT
        )

    async def book(self, master_id: str, *, days: int = 200) -> dict[str, Any]:
        starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(
            days=days, minutes=uuid4().int % 300_000
        )
        body = {
            "master_id": master_id,
            "service": "Network trim",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(minutes=1)).isoformat(),
        }
        reply = await self.http.post("/bookings", json=body)
        assert reply.status_code == 201, reply.text
        booking: dict[str, Any] = reply.json()
        return booking

    async def act(self, booking: dict[str, Any], action: str) -> dict[str, Any]:
        reply = await self.http.post(
            f"/bookings/{booking['id']}/transitions",
            json={"action": action},
            headers={"If-Match": f'"{booking["version"]}"'},
        )
        assert reply.status_code == 200, reply.text
        changed: dict[str, Any] = reply.json()
        return changed

    async def note(self, booking: dict[str, Any], note: str) -> dict[str, Any]:
        reply = await self.http.patch(
            f"/bookings/{booking['id']}",
            json={"note": note},
            headers={"If-Match": f'"{booking["version"]}"'},
        )
        assert reply.status_code == 200, reply.text
        changed: dict[str, Any] = reply.json()
        return changed

    async def get(self, booking_id: str) -> dict[str, Any]:
        reply = await self.http.get(f"/bookings/{booking_id}")
        assert reply.status_code == 200, reply.text
        booking: dict[str, Any] = reply.json()
        return booking

    async def aclose(self) -> None:
        await self.http.aclose()


async def server_view(server: LiveServer, username: str) -> dict[str, Booking]:
    """What the server holds for `username`, asked directly (not through the proxy)."""
    token = await asyncio.to_thread(server.login, username)
    async with httpx.AsyncClient(base_url=server.api_url, timeout=WAIT) as client:
        reply = await client.get("/bookings", headers=server.auth(token))
    assert reply.status_code == 200, reply.text
    bookings = [Booking.model_validate(b) for b in reply.json()["bookings"]]
    return {booking.id: booking for booking in bookings}


def applied(server: LiveServer, booking_id: str) -> list[str]:
    """The actions the server applied to a booking, in order, from its own event log."""
    uri = f"file:{server.database_path}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        rows = db.execute(
            "SELECT action FROM events WHERE booking_id = ? ORDER BY seq", (booking_id,)
        ).fetchall()
    return [str(row[0]) for row in rows]


def bookings_at(server: LiveServer, starts_at: datetime) -> int:
    """How many bookings the server holds starting at `starts_at` (to count creates)."""
    uri = f"file:{server.database_path}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        rows = db.execute("SELECT data FROM bookings").fetchall()
    found = (Booking.model_validate_json(row[0]) for row in rows)
    return sum(1 for booking in found if booking.starts_at == starts_at)
