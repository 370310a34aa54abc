"""The day view and the details panel follow the selection both ways and show the engine's state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from booking_core import Action, Status, Viewer
from booking_core.events import Presence
from desktop_app.sync import EventReceived
from desktop_app.ui.main_window import MainWindow

from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver
from .factories import NOW


@pytest.fixture
def controller() -> EngineController:
    driver = EngineDriver()
    controller = EngineController(driver)
    driver.start(*day())
    return controller


@pytest.fixture
def window(qtbot: QtBot, controller: EngineController) -> MainWindow:
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    return window


def test_the_day_view_shows_todays_bookings_as_blocks(window: MainWindow) -> None:
    blocks = window.day_view.blocks()
    assert [b.row.booking.id for b in blocks] == [f"d-{n:02d}" for n in range(1, 12)]
    by_id = {b.row.booking.id: b.rect for b in blocks}
    assert by_id["d-05"].top() < by_id["d-06"].top()  # later is lower
    # The cancelled d-09 overlaps d-10: side by side, as wide, neither hidden (issue 15 #4, #5).
    assert not by_id["d-09"].intersects(by_id["d-10"])
    assert by_id["d-09"].width() == by_id["d-10"].width()
    assert by_id["d-06"].height() < by_id["d-08"].height()  # 30 min is shorter than 60


def test_free_gaps_are_the_time_ahead_between_held_bookings(window: MainWindow) -> None:
    gaps = window.day_view.free_gaps()
    assert gaps
    assert all(start >= NOW for start, _ in gaps)
    held = [
        r.booking for r in window.day_view.rows() if r.booking.id not in ("d-07", "d-09", "d-03")
    ]
    for start, end in gaps:
        assert end - start >= timedelta(minutes=30)
        assert not any(b.starts_at < end and start < b.ends_at for b in held)


def test_clicking_a_block_selects_the_booking_in_the_table(
    qtbot: QtBot, window: MainWindow
) -> None:
    block = next(b for b in window.day_view.blocks() if b.row.booking.id == "d-10")
    qtbot.mouseClick(window.day_view, Qt.MouseButton.LeftButton, pos=block.rect.center().toPoint())
    selected = window.selected_booking()
    assert selected is not None
    assert selected.id == "d-10"
    assert window.details.booking_id() == "d-10"
    assert window.day_view.selected_id() == "d-10"


def test_clicking_a_block_hidden_by_the_search_clears_the_search(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.search.setText("dora")
    block = next(b for b in window.day_view.blocks() if b.row.booking.id == "d-05")
    qtbot.mouseClick(window.day_view, Qt.MouseButton.LeftButton, pos=block.rect.center().toPoint())
    assert window.search.text() == ""
    assert window.details.booking_id() == "d-05"


def test_selecting_in_the_table_highlights_the_block(window: MainWindow) -> None:
    window.select_booking("d-08")
    assert window.day_view.selected_id() == "d-08"


def test_details_show_every_field_and_a_pending_change(window: MainWindow) -> None:
    window.select_booking("d-08")
    details = window.details
    assert details.field_text("customer") == "Fay Lindqvist"
    assert details.field_text("note") == "Allergic to ammonia"
    assert details.saving_text() == ""
    window.request(Action.ACCEPT)
    assert details.saving_text() == "Saving your change… Accept"
    assert details.status_text() == "Confirmed"


def test_details_show_the_reason_of_a_decline_only(
    window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-08")
    assert window.details.reason_text() == ""
    window.request(Action.DECLINE)
    dialog = window.reason_dialog
    assert dialog is not None
    dialog.text.setPlainText("Fully booked")
    dialog.accept()
    assert window.details.reason_text() == "Reason: Fully booked"  # pending, at once
    request = controller.driver.requests[-1]
    assert request.json == {"action": "decline", "reason": "Fully booked"}
    declined = controller.visible()["d-08"].booking
    controller.driver.reply(request, 200, declined.model_dump(mode="json"))
    assert not controller.visible()["d-08"].pending
    assert window.details.reason_text() == "Reason: Fully booked"
    # A reason given with an accept is stored, but the panel names reasons only of endings.
    window.select_booking("d-06")
    pending = controller.visible()["d-06"].booking
    accepted = pending.model_copy(
        update={"status": Status.CONFIRMED, "version": pending.version + 1, "reason": "See you"}
    )
    controller.driver.event(Action.ACCEPT, accepted)
    assert controller.visible()["d-06"].booking.reason == "See you"
    assert window.details.reason_text() == ""


def test_details_name_who_else_is_viewing(window: MainWindow, controller: EngineController) -> None:
    window.select_booking("d-05")
    viewers = [Viewer(id="u-ben", display_name="Ben"), Viewer(id=ANNA.id, display_name="Anna")]
    presence = Presence(booking_id="d-05", viewers=viewers)
    controller.feed(EventReceived(presence, controller.driver.tick()))
    assert window.details.presence_text() == "Ben is viewing this booking"
    window.select_booking("d-06")
    assert window.details.presence_text() == ""


def test_the_keyboard_walks_bookings_and_days(qtbot: QtBot, window: MainWindow) -> None:
    view = window.day_view
    window.select_booking("d-05")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.details.booking_id() == "d-06"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert window.details.booking_id() == "d-04"
    today = view.day()
    assert view.accessibleDescription().endswith(": 11 bookings")
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.day() == today + timedelta(days=1)
    assert view.blocks() == []
    assert view.accessibleDescription().endswith(": 0 bookings")
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.day() == today


def test_details_show_the_history_this_window_saw(
    window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")
    # Loaded at version 1: its creation is known. Loaded later versions only set a baseline.
    assert window.details.history_text() == "History\n09:00  You: created as Pending"
    window.select_booking("d-05")
    assert window.details.history_text() == ""
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    assert "Confirmed" not in window.details.history_text()  # optimistic is not history
    post = controller.driver.requests[-1]
    confirmed = controller.visible()["d-06"].booking
    controller.driver.reply(post, 200, confirmed.model_dump(mode="json"))
    moved = confirmed.model_copy(
        update={
            "starts_at": confirmed.starts_at + timedelta(hours=6),
            "ends_at": confirmed.ends_at + timedelta(hours=6),
            "status": Status.PENDING,
            "version": confirmed.version + 1,
            "updated_by": "u-carl",
        }
    )
    controller.driver.event(Action.RESCHEDULE, moved)
    lines = window.details.history_text().splitlines()
    assert lines[0] == "History"
    assert lines[1].endswith("Carl Jensen: Confirmed → Pending, moved to Wed 25 Nov  17:00–17:30")
    assert lines[2].endswith("You: Pending → Confirmed")
    assert lines[3].endswith("You: created as Pending")
