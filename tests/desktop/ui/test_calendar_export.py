"""A printable day sheet (PDF) and an iCalendar export of a date range, from the window."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from pytestqt.qtbot import QtBot

from booking_core import Action, Status
from desktop_app.ui.calendar_export import day_sheet_html, ics_of
from desktop_app.ui.main_window import MainWindow

from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver
from .factories import NOW, booking

TODAY = NOW.date()


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
    return window


def test_the_ics_export_holds_the_range_with_names_and_states(
    window: MainWindow, controller: EngineController, tmp_path: Path
) -> None:
    later = booking("x-9", start=NOW + timedelta(days=40), status=Status.CONFIRMED)
    controller.driver.event(Action.CREATE, later)
    path = window.export_ics(tmp_path / "week.ics", TODAY, TODAY + timedelta(days=6))
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert "x-9@reservations" not in events  # outside the range
    assert "d-07@reservations" not in events  # declined: it never took place
    assert "d-03@reservations" not in events  # expired
    haircut = events["d-05@reservations"]
    assert str(haircut["summary"]) == "Haircut · Emil Novák"
    assert haircut.decoded("dtstart") == NOW + timedelta(hours=1)
    assert haircut.decoded("dtend") == NOW + timedelta(hours=1, minutes=45)
    assert str(haircut["status"]) == "CONFIRMED"
    assert str(events["d-06@reservations"]["status"]) == "TENTATIVE"  # pending
    assert str(events["d-09@reservations"]["status"]) == "CANCELLED"
    assert str(events["d-10@reservations"]["description"]) == "Two children"
    assert not list(tmp_path.glob("*.part"))


def test_an_export_that_cannot_be_written_says_so_and_leaves_nothing(
    window: MainWindow, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "week.ics"
    window._report(window.export_ics, str(missing), TODAY, TODAY)
    assert window.statusBar().currentMessage().startswith("Not saved:")
    assert not missing.parent.exists()


def test_the_day_sheet_is_a_pdf_of_the_days_bookings(window: MainWindow, tmp_path: Path) -> None:
    path = window.print_day_sheet(tmp_path / "day.pdf", TODAY)
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    assert len(content) > 2_000
    sheet = day_sheet_html(
        [r.booking for r in window._controller.visible().values()],
        TODAY,
        window.model.other_party_name,
        "Anna Master",
        "Customer",
    )
    assert sheet.index("06:00–06:45") < sheet.index("10:00–10:45")
    assert "Emil Novák" in sheet
    assert "Allergic to ammonia" in sheet
    assert "line-through" in sheet  # the cancelled and declined ones are struck through


def test_the_menu_asks_where_to_save(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.ask_export_ics()
    assert dialog.isVisible()
    assert dialog.selectedFiles()[0].endswith(f"bookings-{window.week.view.monday():%Y-%m-%d}.ics")
    dialog.reject()
    sheet = window.ask_print_day_sheet()
    assert sheet.selectedFiles()[0].endswith(f"day-sheet-{TODAY:%Y-%m-%d}.pdf")
    sheet.reject()


def test_ics_of_nothing_is_an_empty_calendar() -> None:
    calendar = icalendar.Calendar.from_ical(ics_of([], str, date(2026, 1, 1), date(2026, 1, 2)))
    assert list(calendar.walk("VEVENT")) == []
