"""The "Working hours & services" window (issue 18): what a master types is checked and named,
sent as one request, shown as saving until the server confirms it, and put back when refused."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from booking_core import ErrorCode, Role, UserPublic
from booking_core.availability import ScheduleUpdate, ServiceCreate, ServicePatch, TimeOffCreate
from desktop_app.sync import NetworkChanged, SocketClosed, SocketOpened, Started
from desktop_app.ui.hours_services import HoursServicesWindow
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.theme import Theme
from desktop_app.ui.translations import install_translations, remove_translations

from . import screenshots
from .catalog_backend import CatalogBackend
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver
from .focus import activate, focus

CARL = UserPublic(id="u-carl", username="carl", role=Role.CUSTOMER, display_name="Carl Lind")

TODAY = date(2026, 12, 7)


@pytest.fixture
def backend() -> CatalogBackend:
    return CatalogBackend()


@pytest.fixture
def window(qtbot: QtBot, backend: CatalogBackend) -> HoursServicesWindow:
    window = HoursServicesWindow(backend.controller, today=TODAY)
    qtbot.addWidget(window)
    activate(qtbot, window)  # the keyboard's focus, offscreen and on a real X server alike
    return window


def _type(qtbot: QtBot, field: QWidget, text: str) -> None:
    """Select what the field holds and type over it, as a user does."""
    focus(qtbot, field)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def test_edited_hours_are_sent_shown_as_saving_then_confirmed(
    qtbot: QtBot, window: HoursServicesWindow, backend: CatalogBackend
) -> None:
    tuesday = window.hours.days["tue"]
    assert [row.typed() for row in tuesday.rows] == [("09:00", "13:00"), ("14:00", "18:00")]
    _type(qtbot, tuesday.rows[1].end, "1930")
    assert window.hours.has_unsaved_edits()
    assert window.status_text() == "Working hours edited, not saved yet."
    qtbot.mouseClick(window.hours.save, Qt.MouseButton.LeftButton)
    assert backend.schedules_sent()[-1] == ScheduleUpdate(
        time_zone="Europe/Berlin",
        weekly={
            **{
                day: [("09:00", "13:00"), ("14:00", "18:00")]
                for day in ("mon", "wed", "thu", "fri")
            },
            "tue": [("09:00", "13:00"), ("14:00", "19:30")],
            "sat": [("10:00", "14:00")],
        },
        min_notice_minutes=60,
        horizon_days=60,
        slot_step_minutes=15,
    )
    assert window.hours.pending.isVisible()
    assert window.status_text() == "Saving 1 change…"
    assert tuesday.rows[1].end.text() == "19:30"  # the optimistic schedule, as typed
    backend.confirm()
    qtbot.waitUntil(lambda: not window.hours.pending.isVisible(), timeout=30_000)
    assert window.status_text() == "All changes saved."
    assert window.view().schedule.weekly["tue"][1] == ("14:00", "19:30")
    assert not window.hours.has_unsaved_edits()


@pytest.mark.parametrize(
    ("day", "row", "which", "typed", "named"),
    [
        ("mon", 1, "start", "12:00", "Monday: 12:00–18:00 overlaps 09:00–13:00."),
        ("wed", 0, "end", "08:00", "Wednesday: 09:00–08:00 ends before it starts."),
        ("fri", 1, "start", "25:00", "Friday, hours 2, from: “25:00” is not a time."),
    ],
)
def test_an_invalid_interval_is_refused_inline_and_nothing_typed_is_lost(
    qtbot: QtBot,
    window: HoursServicesWindow,
    backend: CatalogBackend,
    day: str,
    row: int,
    which: str,
    typed: str,
    named: str,
) -> None:
    interval = window.hours.days[day].rows[row]  # type: ignore[index]
    field = interval.start if which == "start" else interval.end
    _type(qtbot, field, typed)
    sent = len(backend.schedules_sent())
    qtbot.mouseClick(window.hours.save, Qt.MouseButton.LeftButton)
    assert len(backend.schedules_sent()) == sent  # nothing sent
    assert window.hours.error.isVisible()
    assert window.hours.error_text().startswith(named)
    assert field.property("invalid") is True
    assert field.hasFocus()
    assert field.text() == typed  # kept as typed
    qtbot.keyClick(field, Qt.Key.Key_Backspace)  # editing clears the problem
    assert not window.hours.error.isVisible()
    assert field.property("invalid") is False


def test_an_unknown_time_zone_is_named(
    qtbot: QtBot, window: HoursServicesWindow, backend: CatalogBackend
) -> None:
    window.hours.zone.setCurrentText("Europe/Atlantis")
    assert not window.hours.submit()
    assert window.hours.error_text().startswith("Time zone: “Europe/Atlantis” is not a time zone")
    assert backend.schedules_sent() == []
    window.hours.zone.setCurrentText("America/New_York")
    assert window.hours.submit()
    assert backend.schedules_sent()[-1].time_zone == "America/New_York"


def test_a_break_is_added_in_the_middle_and_removed_again(
    qtbot: QtBot, window: HoursServicesWindow
) -> None:
    saturday = window.hours.days["sat"]
    qtbot.mouseClick(saturday.add_break, Qt.MouseButton.LeftButton)
    assert saturday.intervals() == [("10:00", "11:30"), ("12:30", "14:00")]
    assert saturday.breaks[0].accessibleName() == "Remove the break 11:30–12:30 on Saturday"
    qtbot.mouseClick(saturday.breaks[0], Qt.MouseButton.LeftButton)
    assert saturday.intervals() == [("10:00", "14:00")]
    qtbot.mouseClick(saturday.add_hours, Qt.MouseButton.LeftButton)
    assert saturday.intervals() == [("10:00", "14:00"), ("15:00", "17:00")]
    sunday = window.hours.days["sun"]
    assert not sunday.works.isChecked()
    qtbot.mouseClick(sunday.works, Qt.MouseButton.LeftButton)
    assert sunday.intervals() == [("09:00", "17:00")]
    qtbot.mouseClick(sunday.rows[0].remove, Qt.MouseButton.LeftButton)
    assert not sunday.works.isChecked()  # no hours left: a day off
    assert sunday.intervals() == []


def test_unsaved_edits_survive_a_change_from_elsewhere(
    qtbot: QtBot, window: HoursServicesWindow, backend: CatalogBackend
) -> None:
    _type(qtbot, window.hours.days["mon"].rows[0].start, "0800")
    backend.schedule_changed_elsewhere(slot_step_minutes=30)
    qtbot.waitUntil(lambda: window.hours.elsewhere.isVisible(), timeout=30_000)
    assert window.hours.days["mon"].rows[0].start.text() == "0800"  # kept
    qtbot.mouseClick(window.hours.discard, Qt.MouseButton.LeftButton)
    assert window.hours.days["mon"].rows[0].start.text() == "09:00"
    assert window.hours.step.value() == 30  # the new schedule


def test_time_off_is_added_and_deleted_after_a_confirmation(
    qtbot: QtBot, window: HoursServicesWindow, backend: CatalogBackend
) -> None:
    window.tabs.setCurrentWidget(window.time_off)
    panel = window.time_off
    before = len(panel.ids())
    panel.set_values(date(2027, 2, 1), date(2027, 2, 5), note="Skiing")
    qtbot.mouseClick(panel.add, Qt.MouseButton.LeftButton)
    # Whole days in the master's zone (Berlin, UTC+1 in February).
    assert backend.time_off_sent()[-1] == TimeOffCreate(
        starts_at=datetime(2027, 1, 31, 23, tzinfo=UTC),
        ends_at=datetime(2027, 2, 5, 23, tzinfo=UTC),
        note="Skiing",
    )
    assert len(panel.ids()) == before + 1
    new = next(i for i in window.view().time_off if i.note == "Skiing")
    assert new.id in window.view().pending
    new_row = panel.ids().index(new.id)
    assert panel.table.item(new_row, 2).text() == "Saving…"  # type: ignore[union-attr]
    assert panel.table.item(new_row, 0).text() == "Mon 1 Feb 2027 – Fri 5 Feb 2027"  # type: ignore[union-attr]
    backend.confirm()
    qtbot.waitUntil(lambda: "Saving…" not in _column(panel.table, 2), timeout=30_000)
    confirmed = next(i for i in window.view().time_off if i.note == "Skiing")
    assert panel.select(confirmed.id)
    box = panel.ask_delete()
    assert isinstance(box, QMessageBox)
    assert "Mon 1 Feb 2027 – Fri 5 Feb 2027" in box.text()
    keep = next(b for b in box.buttons() if b.text() == "Keep")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert backend.deletes_sent() == []  # kept
    assert panel.select(confirmed.id)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)  # the keyboard way asks too
    box = panel.confirm
    assert isinstance(box, QMessageBox)
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert backend.deletes_sent() == [confirmed.id]
    assert confirmed.id not in panel.ids()  # gone at once
    backend.confirm()
    qtbot.waitUntil(lambda: confirmed.id not in {i.id for i in window.view().time_off})


def test_part_of_a_day_off_and_a_wrong_range_is_named(
    qtbot: QtBot, window: HoursServicesWindow, backend: CatalogBackend
) -> None:
    panel = window.time_off
    panel.set_values(date(2027, 3, 2), date(2027, 3, 2), times=("14:00", "12:00"), note="Dentist")
    assert not panel.submit()
    assert panel.error_text() == "Time off: “until” must be after “from”."
    assert panel.to_time.property("invalid") is True
    assert panel.note.text() == "Dentist"  # nothing lost
    assert backend.time_off_sent() == []
    _type(qtbot, panel.to_time, "1730")
    assert panel.submit()
    assert backend.time_off_sent()[-1] == TimeOffCreate(
        starts_at=datetime(2027, 3, 2, 13, tzinfo=UTC),
        ends_at=datetime(2027, 3, 2, 16, 30, tzinfo=UTC),
        note="Dentist",
    )


def test_a_service_is_added_with_its_price_in_minor_units_and_archived(
    qtbot: QtBot, window: HoursServicesWindow, backend: CatalogBackend
) -> None:
    window.tabs.setCurrentWidget(window.services)
    panel = window.services
    qtbot.mouseClick(panel.new, Qt.MouseButton.LeftButton)
    _type(qtbot, panel.name, "Kids' cut")
    panel.duration.setValue(30)
    _type(qtbot, panel.price, "22,5")
    panel.buffer.setValue(10)
    _type(qtbot, panel.price, "22.555")
    assert not panel.submit()
    assert panel.error_text() == "Price: EUR has at most 2 decimal places."
    assert panel.price.hasFocus()
    _type(qtbot, panel.price, "22,5")
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    assert backend.creates_sent()[-1] == ServiceCreate(
        name="Kids' cut",
        duration_minutes=30,
        price_minor=2250,
        currency="EUR",
        buffer_after_minutes=10,
    )
    rows = panel.row_texts()
    assert ["Kids' cut", "30 min", "22.50 EUR", "10 min", "Saving…"] in rows
    backend.confirm()
    qtbot.waitUntil(
        lambda: ["Kids' cut", "30 min", "22.50 EUR", "10 min", "Active"] in panel.row_texts(),
        timeout=30_000,
    )
    haircut = next(s for s in window.view().services if s.name == "Haircut")
    assert panel.select(haircut.id)
    assert panel.name.text() == "Haircut"
    assert panel.price.text() == "35.00"
    assert panel.archive.text().replace("&", "") == "Archive"
    qtbot.mouseClick(panel.archive, Qt.MouseButton.LeftButton)
    assert backend.patches_sent()[-1] == (haircut.id, ServicePatch(active=False))
    backend.confirm()
    qtbot.waitUntil(
        lambda: ["Haircut", "45 min", "35.00 EUR", "15 min", "Archived"] in panel.row_texts()
    )
    assert panel.archive.text().replace("&", "") == "Restore"


def test_a_price_change_sends_only_what_changed(
    qtbot: QtBot, window: HoursServicesWindow, backend: CatalogBackend
) -> None:
    panel = window.services
    beard = next(s for s in window.view().services if s.name == "Beard trim")
    panel.select(beard.id)
    _type(qtbot, panel.price, "")
    qtbot.keyClick(panel.price, Qt.Key.Key_Backspace)
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    sent = backend.patches_sent()[-1]
    assert sent == (beard.id, ServicePatch(price_minor=None, currency=None))
    assert sent[1].model_fields_set == {"price_minor", "currency"}  # the price removed


def test_a_refused_change_is_shown_and_can_be_edited_again(
    qtbot: QtBot, window: HoursServicesWindow, backend: CatalogBackend
) -> None:
    thursday = window.hours.days["thu"]
    _type(qtbot, thursday.rows[0].start, "0700")
    assert window.hours.submit()
    assert thursday.rows[0].start.text() == "07:00"
    backend.schedule_changed_elsewhere(told=False, slot_step_minutes=30)
    backend.confirm()  # 412: changed meanwhile; fetched again, the edit is undone
    qtbot.waitUntil(lambda: window.undone.isVisible(), timeout=30_000)
    assert window.undone_message().startswith("Not saved: your working hours. It was changed")
    assert thursday.rows[0].start.text() == "09:00"  # rolled back: the server's hours
    assert not window.hours.pending.isVisible()
    qtbot.mouseClick(window.restore, Qt.MouseButton.LeftButton)
    assert window.hours.days["thu"].rows[0].start.text() == "07:00"  # the edits, to send again
    assert window.hours.has_unsaved_edits()
    assert not window.undone.isVisible()


def test_a_refused_service_names_the_field(
    qtbot: QtBot, window: HoursServicesWindow, backend: CatalogBackend
) -> None:
    panel = window.services
    panel.start_new()
    _type(qtbot, panel.name, "Shave")
    assert panel.submit()
    backend.refuse_next(ErrorCode.INVALID_REQUEST, "name")
    qtbot.waitUntil(lambda: window.undone.isVisible(), timeout=30_000)
    assert window.undone_message() == (
        "Not saved: the new service “Shave”. The server could not accept the name given."
    )
    assert "Shave" not in [row[0] for row in panel.row_texts()]
    window.restore_edits()
    assert window.tabs.currentWidget() is panel
    assert panel.name.text() == "Shave"
    assert panel.editing() is None


def test_keyboard_reaches_every_field_in_reading_order_and_each_has_a_name(
    qtbot: QtBot, window: HoursServicesWindow
) -> None:
    chain = window.hours.focus_chain()
    monday = window.hours.days["mon"]
    assert chain[:6] == [
        window.hours.zone,
        monday.works,
        monday.rows[0].start,
        monday.rows[0].end,
        monday.rows[0].remove,
        monday.breaks[0],
    ]
    focus(qtbot, window.hours.zone)
    for expected in chain[1:8]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected
    qtbot.mouseClick(monday.add_hours, Qt.MouseButton.LeftButton)  # the order follows new rows
    new = monday.rows[-1]
    focus(qtbot, new.start)
    qtbot.keyClick(new.start, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is new.end
    for page in (window.hours, window.time_off, window.services):
        for widget in page.findChildren(QWidget):
            # Qt's own parts (a spin box's line edit) are named by the box.
            if (
                widget.isVisibleTo(page)
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not widget.objectName().startswith("qt_")
            ):
                # A button's words are its name; a symbol (✕) is not.
                worded = isinstance(widget, QAbstractButton) and widget.text() not in ("", "✕")
                assert widget.accessibleName() or worded, f"{type(widget).__name__} has no name"


def test_the_window_fits_a_small_screen(window: HoursServicesWindow) -> None:
    """1600×1000 at scale 1.5 leaves about 1066×640 (less the panels): the window fits."""
    hint = window.minimumSizeHint()
    assert hint.width() <= 1000, hint
    assert hint.height() <= 600, hint


def test_screenshot(
    qtbot: QtBot,
    window: HoursServicesWindow,
    backend: CatalogBackend,
    tmp_path: Path,
    styled: Theme,
) -> None:
    window.resize(960, 660)
    tuesday = window.hours.days["tue"]
    _type(qtbot, tuesday.rows[1].end, "1930")
    assert window.hours.submit()  # shown as saving
    path = screenshots.save(window, "hours-services", tmp_path)
    assert path.stat().st_size > 10_000
    window.tabs.setCurrentWidget(window.services)
    assert screenshots.save(window, "hours-services-services", tmp_path).stat().st_size > 10_000


def _column(table: object, column: int) -> list[str]:
    from PySide6.QtWidgets import QTableWidget

    assert isinstance(table, QTableWidget)
    return [
        item.text() if (item := table.item(row, column)) is not None else ""
        for row in range(table.rowCount())
    ]


def test_the_window_speaks_german(
    qtbot: QtBot, qapp: QApplication, backend: CatalogBackend
) -> None:
    translators = install_translations(qapp, QLocale(QLocale.Language.German))
    assert translators, "the German catalogue was not found"
    try:
        window = HoursServicesWindow(backend.controller, today=TODAY)
        qtbot.addWidget(window)
        assert window.windowTitle() == "Arbeitszeiten & Leistungen"
        assert window.hours.days["mon"].works.text() == "Montag"
        window.hours.days["mon"].rows[1].start.setText("12:00")
        assert not window.hours.submit()
        assert window.hours.error_text().startswith(
            "Montag: 12:00–18:00 überschneidet sich mit 09:00–13:00."
        )
        window.services.price.setText("1,234")
        window.services.name.setText("Rasur")
        assert not window.services.submit()
        assert window.services.error_text() == "Preis: EUR hat höchstens 2 Nachkommastellen."
    finally:
        remove_translations(qapp, translators)


def test_the_main_window_opens_it_from_the_menu_for_masters_only(
    qtbot: QtBot, backend: CatalogBackend
) -> None:
    main = MainWindow(backend.controller, ANNA, clock=lambda: backend.driver.now)
    qtbot.addWidget(main)
    assert main.hours_action.isVisible()
    edit_menu = main.menuBar().actions()[1].menu()
    assert isinstance(edit_menu, QMenu)
    assert main.hours_action in edit_menu.actions()
    main.hours_action.trigger()
    window = main.hours_services
    assert isinstance(window, HoursServicesWindow)
    assert window.isVisible()
    assert [row[0] for row in window.services.row_texts()][:3] == [
        "Haircut",
        "Beard trim",
        "Colouring",
    ]
    _type(qtbot, window.hours.days["mon"].rows[0].start, "08:00")
    window.close()
    main.hours_action.trigger()  # the same window again, with what was typed
    assert main.hours_services is window
    assert window.hours.days["mon"].rows[0].start.text() == "08:00"
    driver = EngineDriver(CARL)
    driver.start()
    customer = MainWindow(EngineController(driver), CARL)
    qtbot.addWidget(customer)
    assert not customer.hours_action.isVisible()
    assert customer.open_hours_services() is None


def test_a_refusal_is_told_in_the_hours_window_when_open_else_in_the_rollback_dialog(
    qtbot: QtBot, backend: CatalogBackend
) -> None:
    main = MainWindow(backend.controller, ANNA, clock=lambda: backend.driver.now)
    qtbot.addWidget(main)
    backend.controller.request_service_create(ServiceCreate(name="Shave", duration_minutes=20))
    backend.refuse_next(ErrorCode.INVALID_REQUEST, "name")
    qtbot.waitUntil(main.rollbacks.isVisible, timeout=30_000)  # no hours window open: the dialog
    assert len(main.rollbacks.rollbacks()) == 1
    window = main.open_hours_services()
    assert isinstance(window, HoursServicesWindow)
    window.services.start_new()
    _type(qtbot, window.services.name, "Beard oil")
    assert window.services.submit()
    backend.refuse_next(ErrorCode.FORBIDDEN)
    qtbot.waitUntil(window.undone.isVisible, timeout=30_000)
    assert window.undone_message() == (
        "Not saved: the new service “Beard oil”. You are not allowed to change it."
    )
    assert len(main.rollbacks.rollbacks()) == 1  # the open window was the explanation


def test_nothing_can_be_edited_until_the_catalog_is_known(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    driver = EngineDriver()
    controller = EngineController(driver)
    driver.feed(Started(driver.tick()))  # the catalog's GETs are out, not answered yet
    window = HoursServicesWindow(controller, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    assert window.status_text() == "Loading from the server…"
    assert not window.tabs.isEnabled()  # the placeholder could be saved over the real hours
    driver.answer_catalog()  # a master who never set any
    qtbot.waitUntil(window.tabs.isEnabled, timeout=30_000)
    assert window.status_text() == "All changes saved."
    assert window.hours.zone.currentText() == "America/New_York"  # this computer's zone
    assert all(not row.works.isChecked() for row in window.hours.days.values())
    qtbot.mouseClick(window.hours.days["mon"].works, Qt.MouseButton.LeftButton)
    assert window.hours.submit()
    sent = next(r for r in driver.requests if r.method == "PUT")
    assert sent.headers["If-Match"] == '"0"'
    assert sent.json == {
        "time_zone": "America/New_York",
        "weekly": {"mon": [["09:00", "17:00"]]},
        "min_notice_minutes": 60,
        "horizon_days": 60,
        "slot_step_minutes": 15,
    }


def test_an_edit_made_offline_is_kept_as_saving_and_sent_when_back_online(
    qtbot: QtBot, window: HoursServicesWindow, backend: CatalogBackend
) -> None:
    driver = backend.driver
    driver.feed(SocketClosed(driver.tick(), 1006))
    driver.feed(NetworkChanged(False, driver.tick()))
    _type(qtbot, window.hours.days["fri"].rows[1].end, "16:00")
    assert window.hours.submit()
    backend.deliver()  # nothing reaches the server while offline
    assert backend.schedules_sent() == []
    assert window.hours.pending.isVisible()
    assert window.hours.days["fri"].rows[1].end.text() == "16:00"
    driver.feed(NetworkChanged(True, driver.tick()))
    driver.feed(SocketOpened(driver.tick()))
    backend.deliver()
    qtbot.waitUntil(lambda: not window.hours.pending.isVisible(), timeout=30_000)
    assert backend.server.catalogs.schedule(ANNA.id).weekly["fri"][1] == ("14:00", "16:00")
    assert window.status_text() == "All changes saved."
