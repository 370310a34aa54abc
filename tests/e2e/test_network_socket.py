"""Live socket versus polling, end to end (issue 6, scenarios 1 and 2).

The master's real app reaches the real server only through a fault proxy that counts (and times)
every request; the customer talks to the server directly. With the socket up nothing polls; with
the upgrade refused the app polls at the configured interval, pauses while a change is in flight,
and stops polling as soon as the socket works again.
"""

from __future__ import annotations

import asyncio
import functools
import statistics
from pathlib import Path

import websockets

from booking_core import Action, Status
from desktop_app.app import Session
from tests.e2e.network_kit import (
    BOOKINGS,
    FAST,
    Customer,
    NetProxy,
    live_and_caught_up,
    master_and_customer,
    next_update,
    open_master,
    proxy_to,
    row_pending,
    until,
)
from tests.support.live_server import LiveServer

HEALTH = "/healthz"
POLL = FAST["poll_active_seconds"]


async def probes_pass(proxy: NetProxy, count: int) -> None:
    """Let the app's own reachability probe (every 0.2 s, through the proxy) tick `count` times:
    a clock that runs on its own, to wait out several poll periods without sleeping."""
    target = proxy.count("GET", HEALTH) + count
    await proxy.wait_for(lambda: proxy.count("GET", HEALTH) >= target, within=30)


def has_row(session: Session, booking_id: str) -> bool:
    return session.window.model.row_of(booking_id) >= 0


async def accept_in_window(session: Session, booking_id: str) -> None:
    assert session.window.select_booking(booking_id)
    session.window.booking_actions[Action.ACCEPT].trigger()
    assert row_pending(session, booking_id)


def test_with_the_socket_up_changes_flow_both_ways_and_nothing_polls(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with master_and_customer(server, tmp_path / "app") as (proxy, session, customer):
            await until(lambda: live_and_caught_up(session), "live and caught up")
            proxy.reset_counters()  # count from here: the app is synced and live
            async with websockets.connect(server.ws_url_for(customer.token)) as carl_ws:
                booking = await customer.book(session.user.id)
                booking_id = booking["id"]
                model = session.window.model
                await until(lambda: model.row_of(booking_id) >= 0, "the new row appeared")

                await accept_in_window(session, booking_id)
                await until(lambda: not row_pending(session, booking_id), "accept confirmed")
                event = await next_update(carl_ws, booking_id)
                if event.action is Action.CREATE:
                    event = await next_update(carl_ws, booking_id)
                assert (event.action, event.booking.status) == (
                    Action.ACCEPT,
                    Status.CONFIRMED,
                )
            await probes_pass(proxy, 5)  # a full second: five poll periods
            assert proxy.count("GET", BOOKINGS) == 0, (
                "no GET /api/v1/bookings while the socket is up",
                [r.target for _, r in proxy.arrivals],
                session.controller.engine.counters,
            )
            assert proxy.count("POST", f"{BOOKINGS}/{booking_id}/transitions") == 1
            assert proxy.upgrades_forwarded == 0, "the same socket carried everything"

    qt_loop.run_until_complete(scenario())


def test_with_the_socket_up_others_activity_causes_no_polling(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        carl = Customer(server)
        dora = Customer(server, "dora")
        ben_id = server.user("ben")["id"]
        async with proxy_to(server) as proxy:
            session = await open_master(proxy, tmp_path / "app")
            try:
                await until(lambda: live_and_caught_up(session), "live and caught up")
                proxy.reset_counters()
                for _ in range(2):
                    await dora.book(ben_id)  # another master's booking: not anna's to see
                    mine: str = (await carl.book(session.user.id))["id"]
                    await until(functools.partial(has_row, session, mine), "anna's new row")
                await probes_pass(proxy, 3)
                assert proxy.count("GET", BOOKINGS) == 0, [r.target for _, r in proxy.arrivals]
            finally:
                await session.close()
        await carl.aclose()
        await dora.aclose()

    qt_loop.run_until_complete(scenario())


def test_refused_upgrade_falls_back_to_polling_then_back_to_the_socket(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        customer = Customer(server)
        async with proxy_to(server) as proxy:
            proxy.refuse_upgrades = True
            session = await open_master(proxy, tmp_path / "app")
            try:
                await polls_at_the_interval_and_changes_arrive(session, proxy, customer)
                await polls_pause_while_a_change_is_in_flight(session, proxy, customer)
                await back_on_the_socket_polling_stops(session, proxy, customer)
            finally:
                await session.close()
        await customer.aclose()

    qt_loop.run_until_complete(scenario())


async def polls_at_the_interval_and_changes_arrive(
    session: Session, proxy: NetProxy, customer: Customer
) -> None:
    await proxy.wait_for(lambda: len(proxy.polls()) >= 8, within=30)
    assert not session.controller.socket_open
    assert proxy.upgrades_refused >= 1, "the app keeps trying the socket"
    gaps = [b - a for a, b in zip(proxy.polls(), proxy.polls()[1:], strict=False)]
    # Never faster than configured (no hammering), and about as often as configured.
    assert min(gaps) >= POLL * 0.95, gaps
    assert statistics.median(gaps) < POLL * 5, gaps
    assert proxy.count("GET", BOOKINGS) == len(proxy.polls()) + 1, "one full load, then deltas"

    booking = await customer.book(session.user.id)
    model = session.window.model
    await until(lambda: model.row_of(booking["id"]) >= 0, "a polled change reached the table")


async def polls_pause_while_a_change_is_in_flight(
    session: Session, proxy: NetProxy, customer: Customer
) -> None:
    booking = await customer.book(session.user.id)
    booking_id = booking["id"]
    await until(lambda: session.window.model.row_of(booking_id) >= 0, "the row appeared")
    path = f"{BOOKINGS}/{booking_id}/transitions"
    proxy.stall(path, "POST", after_bytes=12)
    await accept_in_window(session, booking_id)
    await proxy.wait_for(lambda: proxy.stalls == 1)
    loop = asyncio.get_running_loop()
    stalled_at = loop.time()
    await probes_pass(proxy, 4)  # four poll periods with the accept unanswered
    assert proxy.polls(after=stalled_at) == [], "no poll while the accept is in flight"
    proxy.release_stalls()
    await until(lambda: not row_pending(session, booking_id), "the accept was confirmed")
    released_at = loop.time()
    await proxy.wait_for(lambda: len(proxy.polls(after=released_at)) >= 2)
    assert (await customer.get(booking_id))["status"] == "confirmed"


async def back_on_the_socket_polling_stops(
    session: Session, proxy: NetProxy, customer: Customer
) -> None:
    proxy.refuse_upgrades = False
    await until(lambda: session.controller.socket_open, "back on the socket")
    opened_at = asyncio.get_running_loop().time()
    assert proxy.upgrades_forwarded == 1

    booking = await customer.book(session.user.id)
    await until(lambda: session.window.model.row_of(booking["id"]) >= 0, "a live change arrived")
    await probes_pass(proxy, 5)
    assert proxy.polls(after=opened_at) == [], "polling stopped once the socket was back"
    assert session.controller.socket_open


def test_a_configured_socket_url_is_used(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    """REST through the proxy (which refuses upgrades), the socket straight to the server."""

    async def scenario() -> None:
        customer = Customer(server)
        async with proxy_to(server) as proxy:
            proxy.refuse_upgrades = True
            session = await open_master(proxy, tmp_path / "app", socket_url=server.ws_url)
            try:
                await until(lambda: session.controller.socket_open, "the socket opened")
                assert proxy.count("GET", "/api/v1/ws") == 0, "the socket did not use the proxy"
                booking = await customer.book(session.user.id)
                await until(lambda: has_row(session, booking["id"]), "a live change arrived")
                assert proxy.count("GET", BOOKINGS) == 1, "the first load only: no polling"
            finally:
                await session.close()
        await customer.aclose()

    qt_loop.run_until_complete(scenario())
