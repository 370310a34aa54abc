"""The first slice, end to end: a customer books over REST, the master's app shows it, accepts it
optimistically, and rolls back with a dialog when the server refuses."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import websockets

from booking_core import Action, Status, parse_server_message
from booking_core.events import BookingUpdated
from desktop_app.app import Session
from desktop_app.sync import Rollback
from desktop_app.ui.bookings_model import Role
from tests.e2e.conftest import app_session, until
from tests.support.live_server import LiveServer


def _slot(hours_ahead: int) -> dict[str, str]:
    starts = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(
        days=3, hours=hours_ahead
    )
    return {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(minutes=45)).isoformat(),
    }


def _create_as_customer(
    server: LiveServer, token: str, master_id: str, hours: int
) -> dict[str, Any]:
    body = {"master_id": master_id, "service": "Haircut", **_slot(hours)}
    reply = httpx.post(
        f"{server.base_url}/api/v1/bookings", json=body, headers=server.auth(token), timeout=60
    )
    assert reply.status_code == 201, reply.text
    created: dict[str, Any] = reply.json()
    return created


def _row_value(session: Session, booking_id: str, role: Role) -> object:
    model = session.window.model
    row = model.row_of(booking_id)
    assert row >= 0, f"{booking_id} has no row"
    return model.data(model.index(row, 0), role)


async def _next_update(ws: websockets.ClientConnection, booking_id: str) -> BookingUpdated:
    async with asyncio.timeout(10):
        while True:
            message = parse_server_message(await ws.recv())
            if isinstance(message, BookingUpdated) and message.booking.id == booking_id:
                return message


def test_new_booking_reaches_master_and_accept_reaches_customer(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    carl = server.login_response("carl")
    carl_token: str = carl["token"]

    async def scenario() -> None:
        session = await app_session(server.base_url, "anna", tmp_path / "app")
        resets: list[object] = []
        inserted: list[tuple[int, int]] = []
        model = session.window.model
        model.modelReset.connect(lambda: resets.append(True))
        model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
        try:
            async with websockets.connect(server.ws_url_for(carl_token)) as carl_ws:
                assert json.loads(await carl_ws.recv())["type"] == "hello"
                booking = _create_as_customer(server, carl_token, session.user.id, hours=2)
                booking_id = booking["id"]
                await _next_update(carl_ws, booking_id)  # the customer's own create event

                # The customer's booking reaches the master's open socket: one inserted row.
                await until(lambda: model.row_of(booking_id) >= 0, what="row appeared")
                assert inserted == [(model.row_of(booking_id), model.row_of(booking_id))]
                assert _row_value(session, booking_id, Role.STATUS) == Status.PENDING

                # The master accepts from the window: the row changes at once, marked pending.
                assert session.window.select_booking(booking_id)
                session.window.booking_actions[Action.ACCEPT].trigger()
                assert _row_value(session, booking_id, Role.STATUS) == Status.CONFIRMED
                assert _row_value(session, booking_id, Role.PENDING) is True

                # Confirmed by the server's reply; the customer's socket gets the accept.
                await until(lambda: _row_value(session, booking_id, Role.PENDING) is False)
                assert _row_value(session, booking_id, Role.VERSION) == 2
                event = await _next_update(carl_ws, booking_id)
                assert (event.action, event.booking.status, event.actor) == (
                    Action.ACCEPT,
                    Status.CONFIRMED,
                    session.user.id,
                )
            assert resets == [], "one change must never reset the model"
            assert not session.window.rollbacks.isVisible()
        finally:
            await session.close()

    qt_loop.run_until_complete(scenario())
    on_server = httpx.get(
        f"{server.base_url}/api/v1/bookings", headers=server.auth(carl_token), timeout=60
    ).json()["bookings"]
    accepted = [b for b in on_server if b["status"] == "confirmed" and b["version"] == 2]
    assert len(accepted) >= 1


def test_refused_accept_rolls_back_with_a_dialog(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    carl_token = server.login("carl")

    async def scenario() -> None:
        session = await app_session(server.base_url, "anna", tmp_path / "app")
        try:
            booking = _create_as_customer(server, carl_token, session.user.id, hours=5)
            booking_id = booking["id"]
            created.append(booking_id)
            await until(lambda: session.window.model.row_of(booking_id) >= 0)

            # The customer cancels first. The blocking call keeps the app's loop from running,
            # so the master still sees the booking pending when accepting it: a real race.
            cancelled = httpx.post(  # noqa: ASYNC210 - blocking on purpose (see above)
                f"{server.base_url}/api/v1/bookings/{booking_id}/transitions",
                json={"action": "cancel"},
                headers=server.auth(carl_token, **{"If-Match": '"1"'}),
                timeout=60,
            )
            assert cancelled.status_code == 200, cancelled.text
            assert session.window.select_booking(booking_id)
            session.window.booking_actions[Action.ACCEPT].trigger()
            assert _row_value(session, booking_id, Role.STATUS) == Status.CONFIRMED
            assert _row_value(session, booking_id, Role.PENDING) is True

            # The server refuses; the row rolls back to the server's state and a dialog says why.
            dialog = session.window.rollbacks
            await until(dialog.isVisible, what="rollback dialog shown")
            await until(lambda: _row_value(session, booking_id, Role.PENDING) is False)
            assert _row_value(session, booking_id, Role.STATUS) == Status.CANCELLED
            [rollback] = dialog.rollbacks()
            assert isinstance(rollback, Rollback)
            assert (rollback.booking_id, rollback.action) == (booking_id, Action.ACCEPT)
            assert rollback.current is not None
            assert rollback.current.status is Status.CANCELLED
            [text] = dialog.texts()
            assert "cancel" in text.lower()
            assert rollback.code not in text, "the user reads plain words, never a raw code"
        finally:
            await session.close()

    created: list[str] = []

    qt_loop.run_until_complete(scenario())
    # The server applied the customer's cancel and never the master's accept.
    final = httpx.get(
        f"{server.base_url}/api/v1/bookings/{created[0]}",
        headers=server.auth(carl_token),
        timeout=60,
    )
    assert (final.json()["status"], final.headers["etag"]) == ("cancelled", '"2"')
