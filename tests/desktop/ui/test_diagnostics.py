"""The sync diagnostics window shows the engine's state, queue, rollbacks and counters."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from booking_core import Action
from desktop_app.sync import SocketClosed
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.theme import Theme

from . import screenshots
from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver


@pytest.fixture
def controller() -> EngineController:
    driver = EngineDriver()
    controller = EngineController(driver)
    driver.start(*day())
    return controller


def test_diagnostics_show_queue_rollbacks_and_counters(
    qtbot: QtBot, styled: Theme, controller: EngineController, tmp_path: Path
) -> None:
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    driver = controller.driver
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    driver.reply(driver.requests[-1], 409, {"title": "x", "status": 409, "code": "slot_taken"})
    window.rollbacks.close()
    window.select_booking("d-11")
    window.request(Action.DECLINE)  # left waiting for the server
    assert window.reason_dialog is not None
    window.reason_dialog.accept()
    driver.feed(SocketClosed(driver.tick(5)))
    diagnostics = window.open_diagnostics()
    qtbot.waitUntil(diagnostics.isVisible)
    assert diagnostics.isVisible()
    assert not diagnostics.isModal()
    assert diagnostics.value("state") == "updating"
    assert diagnostics.value("pending") == "1"
    assert diagnostics.value("cursor") == str(driver.seq)
    assert diagnostics.value("full_loads") == "1"
    assert diagnostics.value("rollbacks") == "1"
    [pending] = diagnostics.pending_rows()
    # made 5 s before the window's clock; the booking in words, not its id
    assert pending == ["Decline", "yes", "5 s", "Haircut · Emil Novák, Wed 25 Nov  15:00–15:45"]
    [rollback] = diagnostics.rollback_rows()
    assert rollback[1] == "Accept"
    assert "slot_taken" not in rollback[2]
    assert window.open_diagnostics() is diagnostics  # one window, raised again
    assert screenshots.save(diagnostics, "sync-diagnostics", tmp_path).stat().st_size > 1000
