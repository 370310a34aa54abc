"""Slow and flaky links, end to end (issue 6, scenario 6, and the retry rules).

A reply lost after the server committed is retried with the same Idempotency-Key and applied once;
429 waits the Retry-After it names; 5xx is retried with backoff; a link that goes silent is noticed
by the heartbeat and the socket comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from itertools import pairwise
from pathlib import Path

from booking_core import Action
from desktop_app.app import Session
from desktop_app.sync import SyncState
from tests.e2e.network_kit import (
    BOOKINGS,
    FAST,
    Customer,
    applied,
    master_and_customer,
    open_master,
    proxy_to,
    row_pending,
    shown,
    state,
    until,
)
from tests.support.live_server import LiveServer


async def a_pending_booking(session: Session, customer: Customer) -> str:
    booking_id: str = (await customer.book(session.user.id))["id"]
    await until(lambda: session.window.model.row_of(booking_id) >= 0, "the row appeared")
    return booking_id


def accept(session: Session, booking_id: str) -> None:
    assert session.window.select_booking(booking_id)
    session.window.booking_actions[Action.ACCEPT].trigger()
    assert row_pending(session, booking_id)


async def confirmed(session: Session, booking_id: str) -> None:
    await until(lambda: not row_pending(session, booking_id), "the accept was confirmed")
    assert shown(session)[booking_id].version == 2
    assert not session.window.rollbacks.isVisible(), "nothing was rolled back"


def keys_naming(server: LiveServer, booking_id: str) -> int:
    """Idempotency keys whose stored answer is about `booking_id` (one per distinct request)."""
    uri = f"file:{server.database_path}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        rows = db.execute("SELECT body FROM idempotency_keys").fetchall()
    return sum(1 for (body,) in rows if body is not None and booking_id.encode() in bytes(body))


def test_a_reply_lost_after_the_commit_is_retried_with_the_same_key_and_applied_once(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        customer = Customer(server)
        async with proxy_to(server) as proxy:
            # Give up on an unanswered request after 0.5 + 1 s.
            session = await open_master(
                proxy, tmp_path / "app", connect_timeout_seconds=0.5, request_timeout_seconds=1.0
            )
            try:
                booking_id = await a_pending_booking(session, customer)
                path = f"{BOOKINGS}/{booking_id}/transitions"
                proxy.stall(path, "POST", after_bytes=12)  # the status line's start, then nothing
                accept(session, booking_id)
                await proxy.wait_for(lambda: proxy.stalls == 1)
                assert applied(server, booking_id) == ["create", "accept"], "the server committed"

                await confirmed(session, booking_id)
                assert proxy.count("POST", path) == 2, "sent, lost, sent again"
                first, second = proxy.arrived("POST", path)
                # Given up after the configured 1 s (not before), far sooner than the default 15 s.
                assert 1.0 <= second - first < 10.0, second - first
                assert applied(server, booking_id) == ["create", "accept"], "applied once"
                assert keys_naming(server, booking_id) == 1, "the retry reused the key"
                assert (await customer.get(booking_id))["version"] == 2
            finally:
                await session.close()
        await customer.aclose()

    qt_loop.run_until_complete(scenario())


def test_429_waits_for_retry_after_and_5xx_retries_with_backoff(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with master_and_customer(server, tmp_path / "app") as (proxy, session, customer):
            # 429 with Retry-After: 1 — far longer than any backoff delay here (≤ 0.3 s).
            rated = await a_pending_booking(session, customer)
            path = f"{BOOKINGS}/{rated}/transitions"
            proxy.answer("POST", path, 429, retry_after=1.0)
            accept(session, rated)
            await confirmed(session, rated)
            first, second = proxy.arrived("POST", path)
            assert second - first >= 1.0, "the retry waited for Retry-After"
            assert applied(server, rated) == ["create", "accept"]

            # Two 503s (a gateway in trouble), then the request gets through.
            failing = await a_pending_booking(session, customer)
            path = f"{BOOKINGS}/{failing}/transitions"
            proxy.answer("POST", path, 503, times=2)
            accept(session, failing)
            await confirmed(session, failing)
            sent = proxy.arrived("POST", path)
            assert len(sent) == 3, "retried after each 503"
            assert all(b - a < 1.0 + FAST["retry_max_seconds"] for a, b in pairwise(sent))
            assert proxy.answered == 3
            assert applied(server, failing) == ["create", "accept"]
            assert state(session) is SyncState.SYNCHRONIZED

    qt_loop.run_until_complete(scenario())


def test_a_silent_link_is_noticed_by_the_heartbeat_and_the_socket_comes_back(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with master_and_customer(
            server, tmp_path / "app", heartbeat_interval_seconds=0.3, heartbeat_timeout_seconds=0.5
        ) as (proxy, session, customer):
            await until(lambda: session.controller.socket_open, "live")
            upgrades = proxy.upgrades_forwarded
            proxy.freeze()  # nothing closes, nothing arrives: only the heartbeat can tell
            await until(lambda: not session.controller.socket_open, "the dead socket dropped")
            booking_id = (await customer.book(session.user.id))["id"]
            proxy.thaw()
            await until(lambda: session.controller.socket_open, "the socket came back")
            assert proxy.upgrades_forwarded > upgrades
            await until(
                lambda: session.window.model.row_of(booking_id) >= 0,
                "the change made while silent arrived",
            )

    qt_loop.run_until_complete(scenario())
