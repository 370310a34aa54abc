"""The week view: a week at a time, overlaps side by side, and direct manipulation — click or drag
on free time to ask for a booking, drag a block to move it, drag its edge to resize it; each an
optimistic change through the controller, undone like any other if the server refuses."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPointF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from booking_core import Action, Status
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.theme import Theme
from desktop_app.ui.week_view import WeekView

from . import screenshots
from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver
from .factories import NOW, booking
from .focus import focus


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
    window.resize(1440, 900)
    window.views.setCurrentWidget(window.week)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(lambda: window.week.view.height() >= window.week.view.minimumHeight())
    return window


def _block(view: WeekView, booking_id: str) -> QPointF:
    return next(b.rect for b in view.blocks() if b.row.booking.id == booking_id).center()


def _drag(view: WeekView, start: QPointF, end: QPointF) -> None:
    QTest.mousePress(view, Qt.MouseButton.LeftButton, pos=start.toPoint())
    middle = (start + end) / 2
    QTest.mouseMove(view, middle.toPoint())
    QTest.mouseMove(view, end.toPoint())
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, pos=end.toPoint())


def _hour_px(view: WeekView) -> float:
    first, last = view.hours()
    return (view.height() - 48) / (last - first)


def test_the_week_runs_monday_to_sunday_and_moves_a_week_at_a_time(window: MainWindow) -> None:
    view = window.week.view
    assert view.monday() == date(2026, 11, 23)  # NOW is Wednesday 25 November
    assert len({b.row.booking.id for b in view.blocks()}) == 11
    window.week.next.click()
    assert view.monday() == date(2026, 11, 30)
    assert view.blocks() == []
    assert "30 Nov" in window.week.title.text()
    window.week.previous.click()
    window.week.previous.click()
    assert view.monday() == date(2026, 11, 16)
    window.week.today.click()
    assert view.monday() == date(2026, 11, 23)
    window.week.picker.setDate(QDate(2027, 1, 14))
    assert view.monday() == date(2027, 1, 11)


def test_overlapping_bookings_stand_side_by_side(
    window: MainWindow, controller: EngineController
) -> None:
    twin = booking("x-1", start=NOW + timedelta(hours=1), minutes=45, status=Status.CONFIRMED)
    controller.driver.event(Action.CREATE, twin)
    rects = {b.row.booking.id: b.rect for b in window.week.view.blocks()}
    assert not rects["x-1"].intersects(rects["d-05"])
    assert rects["x-1"].width() == rects["d-05"].width()


def test_dragging_a_booking_moves_it_two_hours_later_optimistically(
    window: MainWindow, controller: EngineController
) -> None:
    view = window.week.view
    start = _block(view, "d-10")
    _drag(view, start, start + QPointF(0, 2 * _hour_px(view)))
    request = controller.driver.requests[-1]
    assert (request.method, request.path) == ("PATCH", "/api/v1/bookings/d-10")
    moved = controller.visible()["d-10"]
    assert moved.pending
    assert moved.booking.starts_at == NOW + timedelta(hours=7)
    assert moved.booking.ends_at == NOW + timedelta(hours=7, minutes=30)
    assert window.selected_booking() is not None


def test_dragging_a_booking_to_the_next_day_moves_it_there(
    window: MainWindow, controller: EngineController
) -> None:
    view = window.week.view
    start = _block(view, "d-10")
    column = (view.width() - 52 - 8) / 7
    _drag(view, start, start + QPointF(column, 0))
    assert controller.visible()["d-10"].booking.starts_at == NOW + timedelta(days=1, hours=5)


def test_dragging_the_bottom_edge_makes_a_booking_longer(
    window: MainWindow, controller: EngineController
) -> None:
    view = window.week.view
    rect = next(b.rect for b in view.blocks() if b.row.booking.id == "d-10")
    edge = QPointF(rect.center().x(), rect.bottom() - 2)
    _drag(view, edge, edge + QPointF(0, _hour_px(view) / 2))
    changed = controller.visible()["d-10"].booking
    assert changed.starts_at == NOW + timedelta(hours=5)
    assert changed.ends_at == NOW + timedelta(hours=6)


def test_a_move_onto_another_booking_is_refused_before_sending(
    window: MainWindow, controller: EngineController
) -> None:
    view = window.week.view
    sent = len(controller.driver.requests)
    start = _block(view, "d-10")
    _drag(view, start, start - QPointF(0, 2 * _hour_px(view)))  # onto d-08 (12:00–13:00)
    assert len(controller.driver.requests) == sent
    assert "overlaps “Colour”" in window.statusBar().currentMessage()


def test_a_finished_booking_cannot_be_dragged(
    window: MainWindow, controller: EngineController
) -> None:
    view = window.week.view
    sent = len(controller.driver.requests)
    start = _block(view, "d-01")
    _drag(view, start, start + QPointF(0, 4 * _hour_px(view)))
    assert len(controller.driver.requests) == sent
    assert "cannot be moved" in window.statusBar().currentMessage()


def test_clicking_free_time_asks_for_a_booking_there(qtbot: QtBot, window: MainWindow) -> None:
    view = window.week.view
    column = (view.width() - 52 - 8) / 7
    first, _ = view.hours()
    saturday_noon = QPointF(52 + 5.5 * column, 48 + (12 - first) * _hour_px(view) + 2)
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, pos=saturday_noon.toPoint())
    form = window.current_form()
    assert form is not None
    starts_at, ends_at = form.times()
    assert starts_at.astimezone().strftime("%a %H:%M") == "Sat 12:00"
    assert ends_at - starts_at == timedelta(minutes=30)


def test_dragging_over_free_time_asks_for_that_long_a_booking(
    window: MainWindow, tmp_path: Path, styled: Theme
) -> None:
    view = window.week.view
    column = (view.width() - 52 - 8) / 7
    first, _ = view.hours()
    top = QPointF(52 + 4.5 * column, 48 + (14 - first) * _hour_px(view) + 2)
    bottom = top + QPointF(0, 1.5 * _hour_px(view))
    QTest.mousePress(view, Qt.MouseButton.LeftButton, pos=top.toPoint())
    QTest.mouseMove(view, bottom.toPoint())
    # Drag in progress: the proposed time is drawn over the week.
    assert screenshots.save(window, "week-drag", tmp_path).stat().st_size > 10_000
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, pos=bottom.toPoint())
    form = window.current_form()
    assert form is not None
    starts_at, ends_at = form.times()
    assert starts_at.astimezone().strftime("%a %H:%M") == "Fri 14:00"
    assert ends_at - starts_at == timedelta(minutes=90)


def test_week_view_screenshot(window: MainWindow, tmp_path: Path, styled: Theme) -> None:
    window.select_booking("d-05")
    assert screenshots.save(window, "week-view", tmp_path).stat().st_size > 10_000


def test_a_move_the_server_refuses_is_undone_like_any_other(
    window: MainWindow, controller: EngineController
) -> None:
    view = window.week.view
    start = _block(view, "d-10")
    _drag(view, start, start + QPointF(0, 2 * _hour_px(view)))
    request = controller.driver.requests[-1]
    original = day()[9]
    problem = {"title": "Slot taken", "status": 409, "code": "slot_taken"}
    controller.driver.reply(request, 409, problem)
    row = controller.visible()["d-10"]
    assert not row.pending
    assert row.booking.starts_at == original.starts_at
    assert window.rollbacks.isVisible()


# -- the undo bar ---------------------------------------------------------------------------------


def test_a_move_offers_undo_which_sends_the_booking_back(
    window: MainWindow, controller: EngineController, tmp_path: Path, styled: Theme
) -> None:
    view = window.week.view
    start = _block(view, "d-10")
    _drag(view, start, start + QPointF(0, 2 * _hour_px(view)))
    bar = window.undo_bar
    assert bar.isVisibleTo(window)
    assert bar.text() == "Moved “Kids' haircut” to Wed 25 Nov 16:00"
    assert screenshots.save(window, "undo-bar", tmp_path).stat().st_size > 10_000
    moved = controller.driver.requests[-1]
    controller.driver.reply(
        moved, 200, controller.visible()["d-10"].booking.model_dump(mode="json")
    )
    bar.undo_button.click()
    back = controller.driver.requests[-1]
    assert back.method == "PATCH"
    assert back is not moved
    assert controller.visible()["d-10"].booking.starts_at == NOW + timedelta(hours=5)
    assert not bar.isVisibleTo(window)


def test_ctrl_z_undoes_a_new_length(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    view = window.week.view
    rect = next(b.rect for b in view.blocks() if b.row.booking.id == "d-10")
    edge = QPointF(rect.center().x(), rect.bottom() - 2)
    _drag(view, edge, edge + QPointF(0, _hour_px(view) / 2))
    assert window.undo_bar.text() == "“Kids' haircut” now lasts 60 min"
    focus(qtbot, window.table)
    QTest.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert controller.visible()["d-10"].booking.ends_at == NOW + timedelta(hours=5, minutes=30)


def test_the_undo_offer_goes_after_a_few_seconds(window: MainWindow) -> None:
    view = window.week.view
    start = _block(view, "d-10")
    _drag(view, start, start + QPointF(0, 2 * _hour_px(view)))
    bar = window.undo_bar
    assert bar.timer.isActive()
    assert 3_000 <= bar.timer.interval() <= 15_000
    bar.timer.timeout.emit()
    assert not bar.isVisibleTo(window)
    assert bar.offered() is None


def test_a_note_edited_in_the_form_can_be_undone(
    window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")
    form = window.open_edit_booking()
    assert form is not None
    form.set_values(note="Second visit")
    form.submit()
    assert window.undo_bar.text() == "Changed the note of “Beard trim”"
    window.undo_bar.undo_button.click()
    assert controller.visible()["d-06"].booking.note == "First visit"
