"""A live change repaints what shows it and nothing else, and every panel stays right.

Each event used to repaint the day view (whatever day the change was on), the whole status bar
(the presence label was cleared every time) and, with a booking selected, the details panel (its
status badge's style sheet was set again). These tests count the paint events each panel gets
after one change, and check what the panels show when the change does concern them.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QImage, QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from booking_core import Action, Booking, BookingUpdated, Status, Viewer
from booking_core.events import Presence
from desktop_app.sync import EventReceived
from desktop_app.ui.bookings_table import ROW_HEIGHT
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.status_indicator import SteadyLabel

from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver
from .factories import NOW, booking
from .focus import activate

NEXT_WEEK = booking("w-01", start=NOW + timedelta(days=7), service="Shave", customer="u-gus")


class Paints(QObject):
    """Counts paint events per watched widget (and its children)."""

    def __init__(self, **widgets: QWidget) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        self.rects: dict[str, list[QRect]] = {name: [] for name in widgets}  # the widget's own
        self._tops = {widget: name for name, widget in widgets.items()}
        self._names: dict[QObject, str] = {}
        for name, widget in widgets.items():
            for part in [widget, *widget.findChildren(QWidget)]:
                self._names[part] = name
                part.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched in self._names:
            self.counts[self._names[watched]] += 1
            if watched in self._tops:
                assert isinstance(event, QPaintEvent)
                self.rects[self._tops[watched]].append(event.region().boundingRect())
        return False

    def after(self) -> Counter[str]:
        """Let every posted repaint happen, then return the counts since the last call."""
        for _ in range(3):
            QApplication.sendPostedEvents()
            QApplication.processEvents()
        counts, self.counts = self.counts, Counter()
        return counts

    def rects_of(self, name: str) -> list[QRect]:
        rects, self.rects[name] = self.rects[name], []
        return rects


@pytest.fixture
def controller() -> EngineController:
    driver = EngineDriver()
    controller = EngineController(driver)
    driver.start(*day(), NEXT_WEEK)
    return controller


@pytest.fixture
def window(qtbot: QtBot, controller: EngineController) -> MainWindow:
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    with qtbot.waitExposed(window):
        window.show()
    activate(qtbot, window)  # a focused window shows no in-app notice of the others' changes
    return window


@pytest.fixture
def paints(window: MainWindow) -> Paints:
    counter = Paints(
        table=window.table.viewport(),
        day=window.day_view,
        details=window.details,
        status_bar=window.statusBar(),
    )
    counter.after()
    for name in counter.rects:
        counter.rects_of(name)
    return counter


def changed(
    controller: EngineController, booking_id: str, at: datetime | None = None, **update: object
) -> Booking:
    """The server tells of another user's change to `booking_id`."""
    current = controller.visible()[booking_id].booking
    fresh = current.model_copy(
        update={"version": current.version + 1, "updated_by": "u-carl", **update}
    )
    action = Action.RESCHEDULE if "starts_at" in update else Action.UPDATE
    driver = controller.driver
    driver.seq += 1
    message = BookingUpdated(
        seq=driver.seq, action=action, booking=fresh, changes={}, actor=fresh.updated_by
    )
    # At the time the status bar shows as "Last synced hh:mm:ss": a new second rightly changes it.
    controller.feed(EventReceived(message, at or controller.status.last_synced_at or driver.now))
    return fresh


def moved(controller: EngineController, booking_id: str, by: timedelta) -> Booking:
    current = controller.visible()[booking_id].booking
    return changed(
        controller, booking_id, starts_at=current.starts_at + by, ends_at=current.ends_at + by
    )


def block_ids(window: MainWindow) -> list[str]:
    return [block.row.booking.id for block in window.day_view.blocks()]


def test_a_change_on_another_day_repaints_only_the_table_row(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    window.select_booking("d-05")
    paints.after()
    shown = block_ids(window)
    changed(controller, "w-01", note="Bring the beard oil")
    counts = paints.after()
    assert counts["day"] == 0
    assert counts["details"] == 0
    assert counts["status_bar"] == 0
    assert block_ids(window) == shown
    assert window.details.booking_id() == "d-05"
    row = window.model.visible_booking("w-01")
    assert row is not None
    assert row.booking.note == "Bring the beard oil"


def test_a_change_of_a_visible_row_repaints_the_table(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    changed(controller, "d-06", note="Second visit")
    counts = paints.after()
    assert counts["table"] >= 1
    assert counts["status_bar"] == 0


def test_a_change_on_the_day_shown_repaints_the_day_view(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    changed(controller, "d-06", status=Status.CONFIRMED)
    assert paints.after()["day"] >= 1
    block = next(b for b in window.day_view.blocks() if b.row.booking.id == "d-06")
    assert block.row.booking.status is Status.CONFIRMED


def test_a_booking_moved_off_or_onto_the_day_shown_repaints_the_day_view(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    moved(controller, "d-11", timedelta(days=2))
    assert paints.after()["day"] >= 1
    assert "d-11" not in block_ids(window)
    assert window.day_view.accessibleDescription().endswith(": 10 bookings")
    moved(controller, "w-01", -timedelta(days=7))
    assert paints.after()["day"] >= 1
    assert "w-01" in block_ids(window)
    assert window.day_view.accessibleDescription().endswith(": 11 bookings")


def test_the_day_view_follows_changes_on_the_day_it_shows(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    window.day_view.set_day((NOW + timedelta(days=7)).date())
    paints.after()
    changed(controller, "d-06", note="Elsewhere")
    assert paints.after()["day"] == 0
    changed(controller, "w-01", status=Status.CONFIRMED)
    assert paints.after()["day"] >= 1
    assert [b.row.booking.status for b in window.day_view.blocks()] == [Status.CONFIRMED]


def test_the_selected_booking_changed_shows_in_the_details(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    window.select_booking("d-08")
    paints.after()
    changed(controller, "d-08", status=Status.CONFIRMED, note="Patch test done")
    counts = paints.after()
    assert counts["details"] >= 1
    assert counts["day"] >= 1
    assert window.details.status_text() == "Confirmed"
    assert window.details.field_text("note") == "Patch test done"


def test_presence_still_shows_and_clears(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    window.select_booking("d-05")
    viewers = [Viewer(id="u-ben", display_name="Ben")]
    controller.feed(
        EventReceived(Presence(booking_id="d-05", viewers=viewers), controller.driver.tick())
    )
    assert window.viewers_text() == "Ben is viewing this booking"
    paints.after()
    changed(controller, "d-06", note="Unrelated")
    assert paints.after()["status_bar"] == 0
    assert window.viewers_text() == "Ben is viewing this booking"
    window.select_booking("d-06")
    assert window.viewers_text() == ""
    assert paints.after()["status_bar"] >= 1


def test_the_day_view_repaints_as_the_clock_moves(window: MainWindow, paints: Paints) -> None:
    timer = window.day_view.clock_timer()
    assert timer.isActive()
    assert timer.interval() <= 60_000  # the "now" line is at most a minute behind
    timer.timeout.emit()
    assert paints.after()["day"] >= 1


def test_a_changed_row_repaints_that_row_alone(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    """Qt's update for a range of cells reaches 1 px into the next row: two rows were painted."""
    changed(controller, "d-06", note="Second visit")
    paints.after()
    row = window.proxy.mapFromSource(window.model.index(window.model.row_of("d-06"), 0)).row()
    top = window.table.rowViewportPosition(row)
    width = window.table.viewport().width()
    assert paints.rects_of("table") == [QRect(0, top, width, ROW_HEIGHT)]


def on_screen(window: MainWindow) -> QImage:
    """What the window's backing store holds (the offscreen platform grabs from it)."""
    screen = QApplication.primaryScreen()
    return screen.grabWindow(window.winId()).toImage()


def test_what_is_on_screen_is_what_a_full_repaint_draws(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    """After partial repaints (one row, a selection, a move, the day view left alone), the pixels
    shown equal a repaint of the whole window."""
    window.select_booking("d-07")
    paints.after()
    changed(controller, "d-06", status=Status.CONFIRMED, note="Second visit")
    paints.after()
    assert on_screen(window) == window.grab().toImage()
    changed(controller, "d-08", note="Patch test done")
    moved(controller, "d-10", timedelta(minutes=-300))
    changed(controller, "w-01", note="elsewhere")
    paints.after()
    assert on_screen(window) == window.grab().toImage()


def test_a_new_second_repaints_the_sync_text_alone(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    """Each live event is a new "Last synced" moment; within the same second nothing in the
    status bar repaints, and a new second of the same width repaints only that text (a plain
    label re-laid out and repainted the whole status bar)."""
    count = window.findChild(QLabel, "countText")
    assert count is not None
    labels = Paints(count=count)
    labels.after()
    changed(controller, "d-06", note="Second visit")
    assert paints.after()["status_bar"] == 0
    shown = controller.status.last_synced_at
    assert shown is not None
    changed(controller, "d-06", at=shown + timedelta(seconds=1), note="Third visit")
    assert paints.after()["status_bar"] >= 1
    assert labels.after()["count"] == 0
    synced = controller.status.last_synced_at
    assert synced is not None
    assert window.indicator.text().endswith(synced.strftime("%H:%M:%S"))


def test_the_sync_text_gets_the_room_it_needs(qtbot: QtBot) -> None:
    label = SteadyLabel("Up to date · Last synced 09:00:01")
    qtbot.addWidget(label)
    short = label.width()
    label.set_text("Up to date · Last synced 09:00:02")
    assert label.width() == short
    label.set_text("Offline · Last synced 09:00:02 · 12 changes waiting")
    assert label.width() > short
    assert label.size() == label.sizeHint()
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    assert label.size() == label.sizeHint()


def test_a_change_the_day_view_does_not_show_leaves_it_alone(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    """Notes are not drawn in the day view: a note change on the day shown repaints nothing."""
    changed(controller, "d-06", note="Second visit")
    assert paints.after()["day"] == 0
    assert "d-06" in block_ids(window)


def test_a_changed_block_repaints_alone_and_the_pixels_are_right(
    window: MainWindow, controller: EngineController, paints: Paints
) -> None:
    """A status change that keeps the hours and free gaps repaints that block's area only;
    one that frees its slot (a cancellation) changes the gaps: the whole view repaints."""
    changed(controller, "d-06", status=Status.CONFIRMED)
    assert paints.after()["day"] >= 1
    block = next(b for b in window.day_view.blocks() if b.row.booking.id == "d-06")
    [rect] = paints.rects_of("day")
    assert rect.contains(block.rect.toRect())
    assert rect.height() < window.day_view.height() / 4
    assert on_screen(window) == window.grab().toImage()
    changed(controller, "d-06", status=Status.CANCELLED)
    paints.after()
    assert window.day_view.rect() in paints.rects_of("day")
    assert on_screen(window) == window.grab().toImage()
    moved(controller, "d-10", timedelta(minutes=-30))
    paints.after()
    assert on_screen(window) == window.grab().toImage()
