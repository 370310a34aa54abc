"""The main window on the real SyncController, against a real booking server process.

Live events reach the table, an accept shows pending at once and then confirmed, a change the
customer beat us to comes back as a rollback dialog with the server's state, and the offline
banner comes and goes with the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from booking_core import Action
from desktop_app.controller import SyncController
from desktop_app.net.api import ApiClient
from desktop_app.sync import SyncConfig, SyncEngine, SyncState
from desktop_app.ui.bookings_model import Column, Role
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.notifier import Notice
from desktop_app.ui.status_indicator import DOT_COLORS
from tests.support.live_server import LiveServer

WAIT = 60.0  # seconds: generous for a loaded CI machine; every wait ends on a condition
FAST = SyncConfig(
    backoff_initial=timedelta(milliseconds=100),
    backoff_max=timedelta(milliseconds=500),
    poll_active=timedelta(milliseconds=500),
    poll_idle=timedelta(milliseconds=500),
    request_timeout=timedelta(seconds=3),
)


@pytest.fixture
def qt_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("ui-server")) as live:
        yield live


async def until(controller: SyncController, condition: Callable[[], bool], what: str) -> None:
    """Wait until `condition()` holds, re-checking it on every signal of the controller (the
    window's own slots ran first: they were connected first)."""
    if condition():
        return
    reached = asyncio.Event()

    def check(*_args: object) -> None:
        if condition():
            reached.set()

    signals = (
        controller.rows_changed,
        controller.sync_status_changed,
        controller.change_rolled_back,
        controller.presence_changed,
    )
    for signal in signals:
        signal.connect(check)
    try:
        async with asyncio.timeout(WAIT):
            await reached.wait()
    except TimeoutError:
        raise AssertionError(f"timed out waiting for: {what}") from None
    finally:
        for signal in signals:
            signal.disconnect(check)


class Session:
    """Anna's window on a real controller, and Carl's plain REST client for the other side."""

    def __init__(
        self, server: LiveServer, anna: ApiClient, carl: ApiClient, window: MainWindow
    ) -> None:
        self.server, self.anna, self.carl, self.window = server, anna, carl, window
        self.controller: SyncController = window._controller  # type: ignore[assignment]

    async def carl_books(self) -> str:
        starts = datetime.now(UTC).replace(microsecond=0) + timedelta(
            days=300, minutes=uuid4().int % 400_000
        )
        body = {
            "master_id": self.anna_id,
            "service": "Live trim",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(minutes=30)).isoformat(),
        }
        reply = await self.carl.perform("POST", "/api/v1/bookings", body)
        assert reply.status == 201, reply.body
        return str(reply.body["id"])

    async def carl_cancels(self, booking_id: str) -> None:
        current = await self.carl.perform("GET", f"/api/v1/bookings/{booking_id}")
        reply = await self.carl.perform(
            "POST",
            f"/api/v1/bookings/{booking_id}/transitions",
            {"action": "cancel"},
            {"If-Match": f'"{current.body["version"]}"'},
        )
        assert reply.status == 200, reply.body

    def carl_cancels_now(self, booking_id: str) -> None:
        """The same as `carl_cancels`, blocking the loop (no event is read meanwhile)."""
        with self.server.client(self.carl.token) as http:
            version = http.get(f"/bookings/{booking_id}").json()["version"]
            reply = http.post(
                f"/bookings/{booking_id}/transitions",
                json={"action": "cancel"},
                headers={"If-Match": f'"{version}"'},
            )
        assert reply.status_code == 200, reply.text

    @property
    def anna_id(self) -> str:
        return self.controller.user.id

    def cell(self, booking_id: str, column: Column, role: int = 0) -> Any:
        row = self.window.model.row_of(booking_id)
        assert row >= 0, f"{booking_id} is not in the table"
        return self.window.model.index(row, column).data(role)


def run(loop: asyncio.AbstractEventLoop, server: LiveServer, qtbot: QtBot, body: Any) -> None:
    """Sign both users in, open Anna's window on a real controller, run `body(session)`."""

    async def main() -> None:
        anna = ApiClient(server.base_url)
        carl = ApiClient(server.base_url)
        login = await anna.login("anna", "demo")
        await carl.login("carl", "demo")
        engine = SyncEngine(login.user, FAST)
        controller = SyncController(anna, login.user, engine)
        window = MainWindow(controller, login.user)
        qtbot.addWidget(window)
        window.show()
        controller.start()
        try:
            await until(controller, lambda: controller.status.last_synced_at is not None, "sync")
            await body(Session(server, anna, carl, window))
        finally:
            window.rollbacks.close()
            await controller.stop()
            await anna.aclose()
            await carl.aclose()

    loop.run_until_complete(main())


def test_live_insert_accept_and_customer_cancel(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, qtbot: QtBot
) -> None:
    async def body(s: Session) -> None:
        listed = await s.anna.perform("GET", "/api/v1/bookings")
        assert s.window.model.rowCount() == len(listed.body["bookings"])
        s.window.notifier.set_focus_probe(lambda: False)  # Anna is in another app
        notices: list[Notice] = []
        s.window.notifier.notified.connect(notices.append)
        booking_id = await s.carl_books()
        await until(
            s.controller, lambda: s.window.model.row_of(booking_id) >= 0, "the new request appears"
        )
        assert s.cell(booking_id, Column.STATUS) == "Pending"
        assert [(n.title, n.booking_id) for n in notices] == [("New booking request", booking_id)]

        assert s.window.select_booking(booking_id)
        assert s.window.booking_actions[Action.ACCEPT].isEnabled()
        # The toolbar's action (its shortcut A is proven in test_main_window; a key press here
        # would depend on the offscreen window being active in time).
        s.window.booking_actions[Action.ACCEPT].trigger()
        assert s.cell(booking_id, Column.STATUS) == "Confirmed"  # at once, before the server
        assert s.cell(booking_id, Column.STATUS, Role.PENDING) is True
        assert s.window.indicator.color() == DOT_COLORS[SyncState.UPDATING]  # orange: saving
        assert "1 change waiting" in s.window.indicator.text()
        await until(
            s.controller, lambda: not s.cell(booking_id, Column.STATUS, Role.PENDING), "confirmed"
        )
        assert s.cell(booking_id, Column.STATUS) == "Confirmed"
        assert s.cell(booking_id, Column.VERSION, Role.VERSION) == 2
        green = DOT_COLORS[SyncState.SYNCHRONIZED]
        await until(s.controller, lambda: s.window.indicator.color() == green, "green again")

        await s.carl_cancels(booking_id)
        await until(
            s.controller, lambda: s.cell(booking_id, Column.STATUS) == "Cancelled", "live cancel"
        )
        assert not s.window.booking_actions[Action.ACCEPT].isEnabled()

    run(qt_loop, server, qtbot, body)


def test_master_and_customer_see_each_other_viewing_a_booking(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, qtbot: QtBot
) -> None:
    async def body(s: Session) -> None:
        booking_id = await s.carl_books()
        await until(s.controller, lambda: s.window.model.row_of(booking_id) >= 0, "appears")
        login = await s.carl.login("carl", "demo")
        carls = SyncController(s.carl, login.user, SyncEngine(login.user, FAST))
        window = MainWindow(carls, login.user)
        qtbot.addWidget(window)
        carls.start()
        try:
            await until(carls, lambda: carls.socket_open, "Carl's live connection")
            assert window.select_booking(booking_id)
            await until(s.controller, lambda: s.controller.socket_open, "Anna's connection")
            assert s.window.select_booking(booking_id)  # Anna opens it: the app says so
            anna = s.controller.user.display_name
            await until(
                carls,
                lambda: window.details.presence_text() == f"{anna} is viewing this booking",
                "Carl sees Anna viewing",
            )
            assert window.viewers_text() == f"{anna} is viewing this booking"
            carl = login.user.display_name  # and the other way round
            await until(
                s.controller,
                lambda: s.window.details.presence_text() == f"{carl} is viewing this booking",
                "Anna sees Carl viewing",
            )
        finally:
            await carls.stop()

    run(qt_loop, server, qtbot, body)


def test_a_change_the_customer_beat_us_to_comes_back_as_a_rollback(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, qtbot: QtBot
) -> None:
    async def body(s: Session) -> None:
        booking_id = await s.carl_books()
        await until(
            s.controller, lambda: s.window.model.row_of(booking_id) >= 0, "the request appears"
        )
        assert s.window.select_booking(booking_id)
        # Carl cancels with a blocking call: the window's loop cannot read the cancel's event
        # before Anna's accept is made, so the accept goes out with a stale version.
        s.carl_cancels_now(booking_id)
        s.window.request(Action.ACCEPT)
        assert s.cell(booking_id, Column.STATUS) == "Confirmed"  # optimistic, for now
        await until(s.controller, s.window.rollbacks.isVisible, "the rollback dialog")
        [text] = s.window.rollbacks.texts()
        assert "Your acceptance of “Live trim”" in text
        assert "Cancelled" in text
        for code in ("version_conflict", "invalid_transition", "412", "409"):
            assert code not in text
        await until(
            s.controller, lambda: s.cell(booking_id, Column.STATUS) == "Cancelled", "server state"
        )
        assert s.cell(booking_id, Column.STATUS, Role.PENDING) is False

    run(qt_loop, server, qtbot, body)


def test_the_offline_banner_follows_the_server(
    qt_loop: asyncio.AbstractEventLoop, tmp_path: Path, qtbot: QtBot
) -> None:
    own = LiveServer(tmp_path / "offline-server").start()
    try:

        async def body(s: Session) -> None:
            assert s.window.banner.isHidden()
            own.stop()
            await until(s.controller, lambda: not s.window.banner.isHidden(), "the banner appears")
            assert s.window.indicator.text().startswith("Offline")
            assert s.window.banner.text().startswith("You are offline")
            await asyncio.to_thread(own.restart)
            await until(s.controller, s.window.banner.isHidden, "the banner goes away by itself")
            await until(
                s.controller, lambda: s.window.indicator.text().startswith("Up to date"), "green"
            )

        run(qt_loop, own, qtbot, body)
    finally:
        own.stop()


def test_a_decline_asks_for_a_reason_that_both_sides_then_see(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, qtbot: QtBot
) -> None:
    async def body(s: Session) -> None:
        booking_id = await s.carl_books()
        await until(
            s.controller, lambda: s.window.model.row_of(booking_id) >= 0, "the request appears"
        )
        assert s.window.select_booking(booking_id)

        # Cancel in the dialog sends nothing.
        s.window.booking_actions[Action.DECLINE].trigger()
        dialog = s.window.reason_dialog
        assert dialog is not None
        assert dialog.isVisible()  # open() shows it at once, without blocking
        dialog.back_button.click()
        left = s.window.reason_dialog
        assert left is None
        assert s.cell(booking_id, Column.STATUS) == "Pending"
        assert s.cell(booking_id, Column.STATUS, Role.PENDING) is False

        # OK sends the decline with the text typed.
        s.window.booking_actions[Action.DECLINE].trigger()
        dialog = s.window.reason_dialog
        assert dialog is not None
        assert dialog.isVisible()  # open() shows it at once, without blocking
        assert dialog.windowModality() is Qt.WindowModality.WindowModal  # open(), not exec()
        qtbot.keyClicks(dialog.text, "  Ill that day, sorry  ")
        dialog.send_button.click()
        assert s.cell(booking_id, Column.STATUS) == "Declined"  # at once, before the server
        assert s.cell(booking_id, Column.STATUS, Role.PENDING) is True
        assert s.window.details.reason_text() == "Reason: Ill that day, sorry"
        await until(
            s.controller, lambda: not s.cell(booking_id, Column.STATUS, Role.PENDING), "confirmed"
        )
        assert s.window.details.reason_text() == "Reason: Ill that day, sorry"
        stored = await s.carl.perform("GET", f"/api/v1/bookings/{booking_id}")
        assert (stored.body["status"], stored.body["reason"]) == (
            "declined",
            "Ill that day, sorry",
        )

        # The customer cancels another booking with a reason: Anna sees it once it is synced.
        other = await s.carl_books()
        await until(s.controller, lambda: s.window.model.row_of(other) >= 0, "the other appears")
        assert s.window.select_booking(other)
        assert s.window.details.reason_text() == ""
        current = await s.carl.perform("GET", f"/api/v1/bookings/{other}")
        reply = await s.carl.perform(
            "POST",
            f"/api/v1/bookings/{other}/transitions",
            {"action": "cancel", "reason": "My train is cancelled"},
            {"If-Match": f'"{current.body["version"]}"'},
        )
        assert reply.status == 200, reply.body
        await until(
            s.controller,
            lambda: s.window.details.reason_text() == "Reason: My train is cancelled",
            "the customer's reason in the details",
        )
        assert s.cell(other, Column.STATUS) == "Cancelled"

    run(qt_loop, server, qtbot, body)
