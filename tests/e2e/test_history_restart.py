"""A booking's history survives a restart of the app (defect 14 of issue 15): it comes from the
server's event log when the booking's details are shown, and from the copy kept of it when the
server cannot be reached. And the sync diagnostics name the server (defect 15)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from booking_core import Action
from desktop_app.app import Session, open_session, resume_session
from desktop_app.net.api import ApiClient
from desktop_app.store.credentials import CredentialStore
from desktop_app.sync import SyncConfig, SyncState
from tests.e2e.conftest import until
from tests.support.api import create
from tests.support.live_server import LiveServer
from tests.support.proxy import FaultProxy

CONFIG = SyncConfig(backoff_initial=timedelta(seconds=0.05), backoff_max=timedelta(seconds=0.3))
EXPECTED = [
    "Carl Lind: note changed",  # made while the app was closed
    "You: Pending → Confirmed",  # made in the app's first run
    "Carl Lind: created as Pending",  # made before the app first opened
]


def _history(session: Session) -> list[str]:
    """The details pane's history lines, without their times ("who: what")."""
    lines = session.window.details.history_text().splitlines()[1:]  # after the heading
    return [line.split("  ", 1)[1] for line in lines]


def _resume(url: str, data_dir: Path, credentials: CredentialStore) -> Session:
    remembered = credentials.load(url, "anna")
    assert remembered is not None, "the sign-in was remembered"
    return resume_session(
        ApiClient(url),
        remembered,
        data_dir=data_dir,
        config=CONFIG,
        credentials=credentials,
        watch_network=False,
    )


def test_history_comes_back_after_a_restart_and_offline_from_the_kept_copy(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "app"
    credentials = CredentialStore(tmp_path / "credentials")
    anna_id = server.user("anna")["id"]
    with server.client(server.login("carl")) as carl:
        booking = create(carl, anna_id, service="Beard trim")
    booking_id = booking["id"]

    async def scenario() -> None:
        async with FaultProxy(server.base_url) as proxy:
            # First run: anna accepts the request in the app.
            session = await open_session(
                ApiClient(proxy.url),
                "demo",
                "anna",
                data_dir=data_dir,
                config=CONFIG,
                credentials=credentials,
                watch_network=False,
            )
            try:
                await until(lambda: session.controller.status.state is SyncState.SYNCHRONIZED)
                session.controller.request_transition(booking_id, Action.ACCEPT)
                await until(
                    lambda: (
                        (row := session.controller.visible().get(booking_id)) is not None
                        and not row.pending
                        and row.booking.version == 2
                    ),
                    what="the accept confirmed",
                )
            finally:
                await session.close()

            # While the app is closed carl adds a note.
            with server.client(server.login("carl")) as carl:
                noted = carl.patch(
                    f"/bookings/{booking_id}",
                    json={"note": "a little shorter"},
                    headers={"If-Match": '"2"'},
                )
                assert noted.status_code == 200, noted.text

            # Second run: the whole history, though this window saw none of it happen.
            session = _resume(proxy.url, data_dir, credentials)
            try:
                session.window.show()
                await until(lambda: session.controller.status.state is SyncState.SYNCHRONIZED)
                assert session.window.select_booking(booking_id)
                await until(lambda: _history(session) == EXPECTED, what=str(_history(session)))
                # Sync diagnostics say which server this is (defect 15).
                diagnostics = session.window.open_diagnostics()
                assert diagnostics.value("server") == proxy.url.rstrip("/")
            finally:
                await session.close()

            # Third run, with the server gone: the history kept from the last fetch.
            await proxy.refuse_new()
            server.stop()
            session = _resume(proxy.url, data_dir, credentials)
            try:
                session.window.show()
                assert session.window.select_booking(booking_id)
                await until(lambda: _history(session) == EXPECTED, what=str(_history(session)))
                assert session.controller.status.state is not SyncState.SYNCHRONIZED
            finally:
                await session.close()

    qt_loop.run_until_complete(scenario())
