"""Cut links and offline work, end to end (issue 6, scenarios 3, 4 and 5).

The proxy between the master's app and the server cuts every connection and refuses new ones (a
pulled cable); the customer keeps using the server directly. After the link returns the master
shows exactly the server's state, and every change made offline — also across an app restart —
reaches the server once, with its original Idempotency-Key.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

from booking_core import Action, BookingCreate, Status
from desktop_app.app import Session, open_session
from desktop_app.net.api import ApiClient
from desktop_app.settings import built_in_settings
from desktop_app.store.local import LocalStore
from desktop_app.sync import RowsChanged, SyncState
from tests.e2e.network_kit import (
    BOOKINGS,
    FAST,
    WAIT,
    Customer,
    NetProxy,
    applied,
    bookings_at,
    master_and_customer,
    open_master,
    pending,
    proxy_to,
    row_pending,
    server_view,
    shown,
    state,
    until,
)
from tests.support.live_server import LiveServer

WS_PATH = "/api/v1/ws"


async def cut(proxy: NetProxy, session: Session) -> None:
    """Pull the cable: open connections reset, new ones refused, until the app shows offline."""
    await proxy.refuse_new()
    proxy.cut_all()
    await until(lambda: state(session) is SyncState.OFFLINE, "the app noticed it is offline")
    await until(session.window.banner.isVisible, "the offline banner is shown")
    # The app may call itself offline on a failed request before its socket's close is read:
    # wait for that too, rather than assume the order.
    await until(lambda: not session.controller.socket_open, "the socket closed")


async def shows_the_server_state(session: Session, server: LiveServer) -> None:
    """Wait until the master's table equals what the server holds for anna, booking for booking
    (the server's clock may move demo bookings meanwhile, so the server is asked again)."""
    async with asyncio.timeout(WAIT):
        while shown(session) != await server_view(server, "anna"):  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # then ask the server again, like until() does


async def customer_bookings(session: Session, customer: Customer, count: int) -> list[str]:
    ids = [(await customer.book(session.user.id))["id"] for _ in range(count)]
    model = session.window.model
    await until(lambda: all(model.row_of(i) >= 0 for i in ids), "the new rows appeared")
    return ids


def test_after_a_cut_the_master_shows_exactly_the_server_state(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with master_and_customer(server, tmp_path / "app") as (proxy, session, customer):
            changed: list[RowsChanged] = []
            session.controller.rows_changed.connect(changed.append)
            first, second = await customer_bookings(session, customer, 2)
            await until(lambda: session.controller.socket_open, "live")
            cursor_before = session.controller.engine.cursor
            await cut(proxy, session)
            changed.clear()

            # Three changes the master cannot hear about while cut off.
            cancelled = await customer.act(await customer.get(first), "cancel")
            noted = await customer.note(await customer.get(second), "after the cut")
            created = await customer.book(session.user.id)
            assert {first, second} <= shown(session).keys()
            assert created["id"] not in shown(session)
            assert not changed, "nothing reached the master while cut off"

            await proxy.accept_new()
            await until(lambda: session.controller.socket_open, "the socket reconnected")
            await shows_the_server_state(session, server)
            now = shown(session)
            assert now[first].status is Status.CANCELLED
            assert now[first].version == cancelled["version"]
            assert now[second].note == "after the cut"
            assert now[second].version == noted["version"]
            assert now[created["id"]].status is Status.PENDING

            # Each change reached the table once: a replayed event and a fetch of the same
            # change do not apply it twice.
            touched = Counter(
                booking_id
                for rows in changed
                for booking_id in rows.inserted | rows.updated
                if booking_id in (first, second, created["id"])
            )
            assert touched == {first: 1, second: 1, created["id"]: 1}, touched
            # The socket resumed from the app's cursor (the one before the cut, or a later
            # one if a poll answered first), never from scratch.
            resumed = [r.target for _, r in proxy.arrivals if r.path == WS_PATH][-1]
            since = parse_qs(urlsplit(resumed).query)["since"]
            assert cursor_before is not None
            assert int(since[0]) >= cursor_before
            assert state(session) is SyncState.SYNCHRONIZED
            assert session.window.banner.isHidden()

    qt_loop.run_until_complete(scenario())


def test_changes_made_offline_are_pending_then_applied_once(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with master_and_customer(server, tmp_path / "app", max_retries=3) as (
            proxy,
            session,
            customer,
        ):
            to_accept, to_decline = await customer_bookings(session, customer, 2)
            await cut(proxy, session)

            # The master works on: every change shows at once, marked pending.
            window = session.window
            assert window.select_booking(to_accept)
            window.booking_actions[Action.ACCEPT].trigger()
            assert window.select_booking(to_decline)
            window.booking_actions[Action.DECLINE].trigger()
            reason_dialog = window.reason_dialog
            assert reason_dialog is not None
            reason_dialog.text.setPlainText("Closed that day")
            reason_dialog.accept()  # the decline goes out with its reason once online
            starts = _free_start()
            session.controller.request_create(_phone_booking(session, customer, starts))
            assert row_pending(session, to_accept)
            assert row_pending(session, to_decline)
            assert shown(session)[to_accept].status is Status.CONFIRMED
            assert shown(session)[to_decline].status is Status.DECLINED
            await until(lambda: pending(session) == 3, "three changes wait")
            await until(lambda: "3 changes" in window.banner.text(), "the banner counts them")
            assert state(session) is SyncState.OFFLINE
            assert applied(server, to_accept) == ["create"], "nothing reached the server"
            assert bookings_at(server, starts) == 0

            reconnected_at = asyncio.get_running_loop().time()
            await proxy.accept_new()
            await until(lambda: pending(session) == 0, "the outbox drained")
            await until(lambda: state(session) is SyncState.SYNCHRONIZED, "synchronized")
            assert window.banner.isHidden()
            assert not window.rollbacks.isVisible()

            # The server applied each change exactly once.
            assert applied(server, to_accept) == ["create", "accept"]
            assert applied(server, to_decline) == ["create", "decline"]
            assert bookings_at(server, starts) == 1
            # In order: the create (which takes a slot) went after the changes before it.
            transitions = [
                t
                for booking_id in (to_accept, to_decline)
                for t in proxy.arrived(
                    "POST", f"{BOOKINGS}/{booking_id}/transitions", after=reconnected_at
                )
            ]
            creates = proxy.arrived("POST", BOOKINGS, after=reconnected_at)
            assert transitions
            assert creates
            assert max(transitions) < min(creates)
            await shows_the_server_state(session, server)
            assert shown(session)[to_decline].reason == "Closed that day"  # the server's too

    qt_loop.run_until_complete(scenario())


def test_changes_pending_when_the_app_closes_offline_are_sent_once_after_restart(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "app"

    async def scenario() -> None:
        customer = Customer(server)
        async with proxy_to(server) as proxy:
            first = await open_master(proxy, data_dir)
            to_accept, to_cancel = await customer_bookings(first, customer, 2)
            await cut(proxy, first)
            first.controller.request_transition(to_accept, Action.ACCEPT)
            first.controller.request_transition(to_cancel, Action.CANCEL)
            await until(lambda: pending(first) == 2, "two changes wait")
            user_id = first.user.id
            await first.close()  # the app quits while offline

            keys = _outbox_keys(data_dir, proxy.url, user_id)
            assert len(keys) == 2, "the outbox is on disk"
            assert applied(server, to_accept) == ["create"]

            # Restarted: signing in works, then the link drops again before anything is sent.
            await proxy.accept_new()
            second = await _open_without_waiting(proxy, data_dir)
            try:
                await proxy.refuse_new()
                proxy.cut_all()
                assert pending(second) == 2, "still pending after the restart"
                assert row_pending(second, to_accept)
                assert row_pending(second, to_cancel)
                assert shown(second)[to_accept].status is Status.CONFIRMED
                await until(lambda: state(second) is SyncState.OFFLINE, "offline again")
                await until(second.window.banner.isVisible, "the banner is shown")
                assert applied(server, to_accept) == ["create"]

                await proxy.accept_new()
                await until(lambda: pending(second) == 0, "the outbox drained")
                assert not second.window.rollbacks.isVisible()
                assert applied(server, to_accept) == ["create", "accept"]
                assert applied(server, to_cancel) == ["create", "cancel"]
                assert _server_keys(server, user_id) >= set(keys), "sent with the original keys"
                await shows_the_server_state(second, server)
            finally:
                await second.close()
        await customer.aclose()

    qt_loop.run_until_complete(scenario())


async def _open_without_waiting(proxy: NetProxy, data_dir: Path) -> Session:
    settings = built_in_settings(**FAST)
    api = ApiClient(proxy.url, timeouts=settings.timeouts())
    session = await open_session(api, "demo", "anna", data_dir=data_dir, settings=settings)
    session.window.show()
    return session


def _outbox_keys(data_dir: Path, server_url: str, user_id: str) -> list[str]:
    store = LocalStore.open(data_dir / "stores", server_url, user_id)
    try:
        return [entry.key for entry in store.load_outbox()]
    finally:
        store.close()


def _server_keys(server: LiveServer, user_id: str) -> set[str]:
    uri = f"file:{server.database_path}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        rows = db.execute("SELECT key FROM idempotency_keys WHERE user_id = ?", (user_id,))
        return {str(row[0]) for row in rows.fetchall()}


def _free_start() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(
        days=250, minutes=uuid4().int % 300_000
    )


def _phone_booking(session: Session, customer: Customer, starts: datetime) -> BookingCreate:
    body: dict[str, Any] = {
        "master_id": session.user.id,
        "customer_id": customer.id,
        "service": "Phone booking",
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=30),
    }
    return BookingCreate.model_validate(body)
