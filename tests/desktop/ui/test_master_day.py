"""Issue 15's defects, each as a master meets them in the first hour (window over a real engine)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QTableWidget
from pytestqt.qtbot import QtBot

from booking_core import Action, Booking, BookingCreate, Status, UserPublic, changes_between
from booking_core import Role as UserRole
from booking_core.history import HistoryEvent, HistoryList
from desktop_app.sync import NetworkChanged
from desktop_app.ui.booking_details import BookingDetails
from desktop_app.ui.booking_form import BookingForm
from desktop_app.ui.bookings_filter import Scope
from desktop_app.ui.bookings_model import Column
from desktop_app.ui.bookings_model import Role as ModelRole
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.notifier import Notifier
from desktop_app.ui.theme import Theme
from desktop_app.ui.window_layout import fit_into_screen

from . import screenshots
from .demo import NAMES, day
from .engine_controller import SERVER_URL, EngineController
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
    with qtbot.waitExposed(window):
        window.show()
    return window


# -- 1: a customer typed by first name or username; a refusal reopens the form -------------------


def test_a_customer_typed_by_first_name_is_booked_as_that_customer(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.set_values(party="carl", service="Trim", start=NOW + timedelta(hours=8))
    with qtbot.waitSignal(form.create_requested) as sent:
        form.submit()
    assert sent.args[0].customer_id == "u-carl"


def test_an_unknown_customer_is_named_in_the_form_and_nothing_is_sent(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.set_values(party="zed", service="Trim", start=NOW + timedelta(hours=8), note="Hi")
    sent_before = len(controller.driver.requests)
    with qtbot.assertNotEmitted(form.create_requested):
        form.submit()
    assert form.error_text().startswith("Customer:")
    assert "“zed”" in form.error_text()
    assert form.isVisible()
    assert len(controller.driver.requests) == sent_before


def test_a_refused_new_booking_reopens_the_form_with_what_was_typed(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.set_values(party="Dora", service="Trim", start=NOW + timedelta(hours=8), note="Late")
    form.submit()
    request = controller.driver.requests[-1]
    assert request.method == "POST"
    problem = {
        "title": "Invalid request",
        "status": 422,
        "code": "invalid_request",
        "detail": "customer_id: unknown user",
    }
    controller.driver.reply(request, 422, problem)
    again = window.current_form()
    assert again is not None
    assert again is not form
    qtbot.waitUntil(again.isVisible)
    assert again.error_text()
    body = _body_of(again)
    assert (body.customer_id, body.service, body.note) == ("u-dora", "Trim", "Late")
    assert body.starts_at == NOW + timedelta(hours=8)
    assert not window.rollbacks.isVisible()  # no "Try again" of a request refused word for word


def _body_of(form: BookingForm) -> BookingCreate:
    sent: list[BookingCreate] = []
    form.create_requested.connect(sent.append)
    form.submit()
    return sent[0]


# -- 2: the details pane shows everything, however long, and nothing is drawn over anything ------


def _clipped(details: BookingDetails) -> list[str]:
    """The shown labels of the details that are cut off, or drawn over another."""
    shown = [label for label in details.findChildren(QLabel) if label.isVisibleTo(details)]
    problems = []
    for label in shown:
        if label.wordWrap() and label.height() < label.heightForWidth(label.width()):
            problems.append(f"too short: {label.text()}")
        if label.mapTo(details, label.rect().topRight()).x() > details.width():
            problems.append(f"too wide: {label.text()}")
    boxes = [(label, label.geometry()) for label in shown]
    for n, (label, box) in enumerate(boxes):
        for other, other_box in boxes[n + 1 :]:
            if label.parentWidget() is other.parentWidget() and box.intersects(other_box):
                problems.append(f"overlap: {label.text()} / {other.text()}")
    return problems


def test_a_long_note_service_and_name_are_shown_whole_even_offline_with_a_reason(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    long = day()[7].model_copy(
        update={
            "service": "Colour, cut, wash and a very long consultation about it all",
            "note": "Allergic to ammonia. " * 10,
            "version": 2,
        }
    )
    controller.driver.event(Action.UPDATE, long)
    window.select_booking("d-08")
    controller.feed(NetworkChanged(False, controller.driver.tick()))
    window.request(Action.DECLINE)
    dialog = window.reason_dialog
    assert dialog is not None
    dialog.text.setPlainText("Fully booked that afternoon, sorry")
    dialog.accept()
    details = window.details
    assert details.saving_text()
    assert details.reason_text()
    assert details.saving_text() not in details.reason_text()
    qtbot.waitUntil(lambda: not _clipped(details))


# -- 3: Tab walks the window, it is not trapped in the table --------------------------------------


def test_tab_goes_from_search_to_table_to_details_to_day_view(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.select_booking("d-05")
    focus(qtbot, window.search)
    walked = []
    for _ in range(3):
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        walked.append(QApplication.focusWidget())
    assert walked == [window.table, window.details.scroller, window.day_view]
    selected = window.selected_booking()
    assert selected is not None
    assert selected.id == "d-05"  # Tab did not walk the cells


# -- 4, 5: overlaps side by side; short and ended bookings keep a labelled block ------------------


def test_overlapping_bookings_stand_side_by_side_and_each_click_selects_its_own(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    twin = booking("x-1", start=NOW + timedelta(hours=1), minutes=45, status=Status.CONFIRMED)
    controller.driver.event(Action.CREATE, twin)
    by_id = {b.row.booking.id: b.rect for b in window.day_view.blocks()}
    assert not by_id["d-05"].intersects(by_id["x-1"])
    assert by_id["d-05"].width() == by_id["x-1"].width() > 60
    for booking_id in ("x-1", "d-05"):
        qtbot.mouseClick(
            window.day_view, Qt.MouseButton.LeftButton, pos=by_id[booking_id].center().toPoint()
        )
        selected = window.selected_booking()
        assert selected is not None
        assert selected.id == booking_id
        assert window.day_view.selected_id() == booking_id


def test_a_30_minute_booking_has_room_for_its_label_on_a_long_day(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    night = booking("x-2", start=NOW.replace(hour=1), minutes=30, status=Status.CONFIRMED)
    controller.driver.event(Action.CREATE, night)
    qtbot.waitUntil(lambda: window.day_view.hours(window.day_view.rows())[0] == 1)
    view = window.day_view
    qtbot.waitUntil(lambda: view.height() >= view.minimumHeight())
    by_id = {b.row.booking.id: b for b in view.blocks()}
    line = view.fontMetrics().height()
    for booking_id in ("x-2", "d-06", "d-07"):  # d-07 was declined
        assert by_id[booking_id].rect.height() >= line + 4
    declined = by_id["d-07"]
    assert view.block_text(declined.row) == "11:30  Haircut · Fay Lindqvist"
    assert declined.rect.width() > view.width() / 2  # not a narrow lane


# -- 6, 17: at midnight the day view and "Today" turn to the new day on the next tick -------------


def test_at_midnight_the_day_view_and_today_turn_at_once(
    window: MainWindow, controller: EngineController
) -> None:
    view = window.day_view
    assert view.day() == NOW.date()
    controller.driver.now = NOW.replace(hour=23, minute=59, second=30)
    timer = view.clock_timer()
    timer.timeout.emit()
    assert timer.interval() <= 30_100  # the next tick comes at 00:00, not a minute later
    window.scope_actions[Scope.TODAY].trigger()
    assert window.proxy.rowCount() == 11
    controller.driver.now = NOW.replace(hour=0, minute=0, second=1) + timedelta(days=1)
    timer.timeout.emit()
    assert view.day() == NOW.date() + timedelta(days=1)
    assert view.accessibleDescription().endswith(": 0 bookings")
    assert window.proxy.rowCount() == 0


# -- 7..10: the booking form --------------------------------------------------------------------


def _start_field(form: BookingForm) -> QLineEdit:
    field = form.findChild(QLineEdit, "timeField")
    assert isinstance(field, QLineEdit)
    return field


def _local_start(form: BookingForm) -> str:
    return form.times()[0].astimezone().strftime("%H:%M")


@pytest.mark.parametrize("typed", ["0130", "01:30", "1:30", "130", "01.30"])
def test_a_start_time_typed_after_a_click_is_the_time_typed(
    qtbot: QtBot, window: MainWindow, typed: str
) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.set_values(start=NOW + timedelta(hours=8))
    field = _start_field(form)
    focus(qtbot, form.findChildren(QLineEdit)[0])  # the focus elsewhere in the form
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    QTest.keyClicks(field, typed)
    assert _local_start(form) == "01:30"
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field, "10:45")
    assert _local_start(form) == "10:45"


def test_an_unreadable_start_time_is_named_in_the_form(qtbot: QtBot, window: MainWindow) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.set_values(party="Carl", service="Trim")
    _start_field(form).setText("25:00")
    with qtbot.assertNotEmitted(form.create_requested):
        form.submit()
    assert form.error_text().startswith("Start time:")


def test_the_overlap_message_goes_when_the_time_is_changed(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.set_values(party="Carl", service="Trim", start=NOW + timedelta(hours=1))
    form.submit()
    assert "overlaps" in form.error_text()
    field = _start_field(form)
    field.selectAll()
    QTest.keyClicks(field, "19:00")
    assert form.error_text() == ""


def test_saving_move_or_edit_without_a_change_sends_nothing(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")
    form = window.open_edit_booking()
    assert form is not None
    sent = len(controller.driver.requests)
    with qtbot.assertNotEmitted(form.reschedule_requested):
        form.submit()
    assert len(controller.driver.requests) == sent
    assert not form.isVisible()
    assert controller.visible()["d-06"].booking.version == 1


def test_what_move_or_edit_cannot_change_is_shown_as_text(qtbot: QtBot, window: MainWindow) -> None:
    window.select_booking("d-06")
    form = window.open_edit_booking()
    assert form is not None
    fixed = form.findChildren(QLineEdit, "readOnlyField")
    assert sorted(field.text() for field in fixed) == ["Beard trim", "Carl Jensen"]
    assert all(field.isReadOnly() and not field.hasFrame() for field in fixed)
    assert all(field.focusPolicy() == Qt.FocusPolicy.NoFocus for field in fixed)


# -- 11: a keypress never completes or double-starts a booking silently ---------------------------


def _press_on_table(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    focus(qtbot, window.table)
    QTest.keyClick(window.table, key)


def test_c_asks_before_completing_and_only_the_answer_sends_it(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-04")
    sent = len(controller.driver.requests)
    _press_on_table(qtbot, window, Qt.Key.Key_C)
    box = window.confirm_dialog
    assert box is not None
    assert "cannot be undone" in box.text()
    assert "(45 min from now)" in box.text()
    assert len(controller.driver.requests) == sent
    button = box.findChild(QAbstractButton, "confirmButton")
    assert button is not None
    button.click()
    assert controller.driver.requests[-1].json == {"action": "complete"}


def test_s_while_another_booking_is_in_progress_asks_first(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-05")
    sent = len(controller.driver.requests)
    _press_on_table(qtbot, window, Qt.Key.Key_S)
    box = window.confirm_dialog
    assert box is not None
    assert box.text() == "“Colour” with Dora Okafor is still in progress. Start “Haircut” anyway?"
    box.reject()
    assert len(controller.driver.requests) == sent


# -- 12: reason dialogs say what fits, name their buttons plainly, send with Ctrl+Enter -----------


@pytest.mark.parametrize(
    ("action", "booking_id", "hint"),
    [
        (Action.NO_SHOW, "d-04", "did not come"),
        (Action.DECLINE, "d-06", "fully booked"),
        (Action.CANCEL, "d-05", "ill that day"),
    ],
)
def test_reason_dialogs_fit_the_action_and_send_with_ctrl_enter(
    qtbot: QtBot,
    window: MainWindow,
    controller: EngineController,
    action: Action,
    booking_id: str,
    hint: str,
) -> None:
    window.select_booking(booking_id)
    window.request(action)
    dialog = window.reason_dialog
    assert dialog is not None
    assert hint in dialog.text.placeholderText()
    texts = sorted(button.text() for button in dialog.buttons.buttons())
    assert "Cancel" not in texts
    assert "Go back" in texts
    assert all(button.icon().isNull() for button in dialog.buttons.buttons())
    focus(qtbot, dialog.text)
    QTest.keyClicks(dialog.text, "Sorry")
    QTest.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert controller.driver.requests[-1].json == {"action": action.value, "reason": "Sorry"}


# -- 13: a new request is noticed: highlighted until seen, counted, and told without a tray -------


def _request_by_carl(booking_id: str) -> Booking:
    base = booking(booking_id, start=NOW + timedelta(hours=7), service="Shave")
    return base.model_copy(update={"updated_by": "u-carl"})


def test_a_new_request_is_marked_and_counted_until_it_is_looked_at(
    window: MainWindow, controller: EngineController
) -> None:
    needs_answer = window.scope_actions[Scope.NEEDS_ANSWER]
    assert needs_answer.text() == "Needs answer (3)"
    controller.driver.event(Action.CREATE, _request_by_carl("n-1"))
    index = window.model.index(window.model.row_of("n-1"), 0)
    assert index.data(ModelRole.NEW) is True
    assert index.data(Qt.ItemDataRole.FontRole).bold()
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).startswith("New: ")
    assert needs_answer.text() == "Needs answer (4)"
    assert window.windowTitle() == "(1) Reservations — Anna Master"
    window.select_booking("n-1")
    assert index.data(ModelRole.NEW) is False
    assert window.windowTitle() == "Reservations — Anna Master"
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    assert needs_answer.text() == "Needs answer (3)"  # answered: d-06 left the count


def test_without_a_tray_a_request_is_told_in_the_window(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    assert window.notifier.tray is None  # as on stock GNOME or a plain window manager
    window.notifier.set_focus_probe(lambda: False)
    controller.driver.event(Action.CREATE, _request_by_carl("n-1"))
    bar = window.notice_bar
    assert bar.isVisibleTo(window)
    assert "New booking request" in bar.text()
    assert "Shave" in bar.text()
    controller.driver.event(Action.CREATE, _request_by_carl("n-2"))
    assert "(+1 more)" in bar.text()
    show = bar.findChild(QAbstractButton, "noticeBarShow")
    assert show is not None
    show.click()
    assert not bar.isVisibleTo(window)
    selected = window.selected_booking()
    assert selected is not None
    assert selected.id == "n-2"


def test_a_tray_that_appears_after_the_start_is_used(qtbot: QtBot) -> None:
    there = [False]
    notifier = Notifier("u-anna", str, lambda: False, tray_available=lambda: there[0])
    has_tray: list[bool] = []
    notifier.tray_changed.connect(lambda: has_tray.append(notifier.tray is not None))
    assert notifier.tray_timer.isActive()
    notifier.tray_timer.timeout.emit()
    assert has_tray == []
    there[0] = True
    with qtbot.waitSignal(notifier.tray_changed):
        notifier.tray_timer.timeout.emit()
    assert has_tray == [True]
    assert not notifier.tray_timer.isActive()


# -- 16: windows stay inside the available screen -------------------------------------------------


def test_a_window_larger_than_the_screen_is_fitted_inside_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    """As with a 1.5 scale factor on a 1600×1000 screen: the window would be 1919×1139."""
    screen = window.screen()
    assert screen is not None
    area = screen.availableGeometry()
    window.resize(area.width() + 500, area.height() + 300)
    window.move(area.left() - 40, area.top() - 30)
    fit_into_screen(window, offscreen_too=True)
    assert area.contains(window.frameGeometry())
    assert window.width() > area.width() / 2
    form = window.open_new_booking()
    assert form is not None
    form.move(area.right() - 50, area.bottom() - 50)
    fit_into_screen(form, offscreen_too=True)
    assert area.contains(form.frameGeometry())


# -- 18: the small things a master meets -----------------------------------------------------------


def test_escape_clears_the_search_then_returns_to_the_table(
    qtbot: QtBot, window: MainWindow
) -> None:
    focus(qtbot, window.search)
    QTest.keyClicks(window.search, "dora")
    assert window.proxy.rowCount() < window.model.rowCount()
    QTest.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert window.proxy.rowCount() == window.model.rowCount()
    QTest.keyClick(window.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.table.hasFocus)


def test_f1_shows_the_keyboard_shortcuts(qtbot: QtBot, window: MainWindow) -> None:
    focus(qtbot, window.table)
    QTest.keyClick(window.table, Qt.Key.Key_F1)
    box = window.help_box
    assert box is not None
    assert box.isVisible()
    assert "Complete" in box.text()
    assert "Ctrl+N" in box.text()


def test_no_version_column_or_internal_id_is_shown_to_a_master(window: MainWindow) -> None:
    assert window.table.isColumnHidden(Column.VERSION)
    window.select_booking("d-06")
    shown = [label.text() for label in window.details.findChildren(QLabel) if label.isVisible()]
    assert not any("d-06" in text or "Version" in text for text in shown)


def test_an_overnight_time_fits_in_the_time_column(
    window: MainWindow, controller: EngineController
) -> None:
    late = booking("x-3", start=NOW.replace(hour=23, minute=30), minutes=120)
    controller.driver.event(Action.CREATE, late)
    text = window.model.index(window.model.row_of("x-3"), Column.TIME).data()
    assert text == "Wed 25 Nov  23:30–26 Nov 01:30"
    needed = window.table.fontMetrics().horizontalAdvance(text) + 24  # margins and the dot
    assert window.table.columnWidth(Column.TIME) >= needed


def test_a_customer_books_with_a_master_by_name_not_by_user_id(qtbot: QtBot) -> None:
    carl = UserPublic(id="u-carl", username="carl", role=UserRole.CUSTOMER, display_name="Carl")
    form = BookingForm.for_create(carl, list, people={"u-anna": "Anna Berg"})
    qtbot.addWidget(form)
    party = form.findChild(QLineEdit)
    assert party is not None
    assert "ID" not in party.placeholderText()
    assert party.placeholderText().startswith("Name")


def test_a_conflict_names_who_changed_the_booking_first(
    window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    request = controller.driver.requests[-1]
    current = controller.visible()["d-06"].booking.model_copy(
        update={"status": Status.CANCELLED, "version": 2, "updated_by": "u-carl"}
    )
    problem = {
        "title": "Conflict",
        "status": 409,
        "code": "version_conflict",
        "current": current.model_dump(mode="json"),
    }
    controller.driver.reply(request, 409, problem)
    [text] = window.rollbacks.texts()
    assert "Carl Jensen changed this booking first, at 09:00." in text
    assert "Someone else" not in text


def test_a_free_gap_is_not_labelled_under_an_ended_booking(window: MainWindow) -> None:
    """Seen in a real window: "Free · 30 min" drawn through a declined booking's struck text."""
    declined = window.model.visible_booking("d-07")
    assert declined is not None
    start = declined.booking.starts_at
    view = window.day_view
    assert (start, declined.booking.ends_at) in view.free_gaps()  # it holds no slot
    labelled = view.labelled_gaps()
    assert not any(g[0] == start for g in labelled)
    assert labelled  # the other gaps keep their label


def test_attention_screenshot(
    qtbot: QtBot, window: MainWindow, controller: EngineController, tmp_path: Path, styled: Theme
) -> None:
    """A request came in while the master was elsewhere, with no tray: notice, mark and count."""
    window.resize(1440, 800)
    window.notifier.set_focus_probe(lambda: False)
    controller.driver.event(Action.CREATE, _request_by_carl("n-1"))
    assert window.notice_bar.isVisibleTo(window)
    assert window.scope_actions[Scope.NEEDS_ANSWER].text() == "Needs answer (4)"
    assert screenshots.save(window, "attention", tmp_path).stat().st_size > 10_000


def test_closing_the_window_keeps_running_in_the_tray_when_asked(
    qtbot: QtBot, controller: EngineController
) -> None:
    window = MainWindow(
        controller, ANNA, display_names=NAMES, keep_in_tray=True, tray_available=lambda: True
    )
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    with qtbot.assertNotEmitted(app.lastWindowClosed):
        assert not window.close()
    assert not window.isVisible()
    window.notifier.opened.emit(None)  # the tray icon clicked
    assert window.isVisible()
    window.quit()
    assert not window.isVisible()
    assert window.notifier.tray is not None


def test_without_the_setting_closing_the_window_closes_it(
    qtbot: QtBot, controller: EngineController
) -> None:
    window = MainWindow(controller, ANNA, display_names=NAMES, tray_available=lambda: True)
    qtbot.addWidget(window)
    window.show()
    assert window.close()


def test_day_view_blocks_are_list_items_to_assistive_technology(window: MainWindow) -> None:
    window.select_booking("d-05")
    view = QAccessible.queryAccessibleInterface(window.day_view)
    assert view is not None
    assert view.role() == QAccessible.Role.List
    assert view.childCount() == 11
    items = [view.child(n) for n in range(view.childCount())]
    names = [item.text(QAccessible.Text.Name) for item in items if item is not None]
    assert names[0] == "06:00–06:45 Haircut & wash · Carl Jensen, Completed"
    selected = [item for item in items if item is not None and item.state().selected]
    assert [item.text(QAccessible.Text.Name) for item in selected] == [
        "10:00–10:45 Haircut · Emil Novák, Confirmed"
    ]
    assert selected[0].role() == QAccessible.Role.ListItem
    assert view.indexOfChild(selected[0]) == 4
    assert not selected[0].rect().isEmpty()


# -- 14 (the window's part): details ask for the history from the server's log and show it ------


def test_details_ask_for_the_history_and_show_the_server_s_log(
    window: MainWindow, controller: EngineController
) -> None:
    shown = controller.visible()["d-06"].booking
    window.select_booking("d-06")
    assert controller.histories_asked == ["d-06"]
    # Before the log answers: what this window knows (a load at version 1: a creation).
    assert window.details.history_text().splitlines()[1:] == [
        f"{shown.updated_at.astimezone():%H:%M}  You: created as Pending"
    ]
    window.select_booking("d-06")  # the same booking: not asked again
    assert controller.histories_asked == ["d-06"]

    noted = shown.model_copy(update={"note": "Beard only", "version": 2})
    log = HistoryList(
        events=[
            HistoryEvent(
                seq=4,
                action=Action.CREATE,
                actor="u-carl",
                changes=changes_between(None, shown),
                at=NOW.replace(hour=7, minute=5),
            ),
            HistoryEvent(
                seq=9,
                action=Action.UPDATE,
                actor="u-carl",
                changes=changes_between(shown, noted),
                at=NOW.replace(hour=7, minute=40),
            ),
        ]
    )
    controller.history_loaded.emit("d-06", log)
    assert window.details.history_text().splitlines()[1:] == [
        f"{NOW.replace(hour=7, minute=40).astimezone():%H:%M}  Carl Jensen: note changed",
        f"{NOW.replace(hour=7, minute=5).astimezone():%H:%M}  Carl Jensen: created as Pending",
    ]
    controller.history_loaded.emit("d-08", log)  # another booking's: this one's stays
    assert len(window.details.history_text().splitlines()) == 3

    window.select_booking("d-08")
    window.select_booking("d-06")  # shown again: asked again (it may have changed since)
    assert controller.histories_asked == ["d-06", "d-08", "d-06"]


# -- 15 (the window's part): diagnostics name the user and the bookings, with room for rows ------


def test_diagnostics_name_the_account_and_the_waiting_bookings(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    controller.feed(NetworkChanged(False, controller.driver.tick()))
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    diagnostics = window.open_diagnostics()
    qtbot.waitUntil(diagnostics.isVisible)
    assert diagnostics.value("account") == "Anna Master (anna)"
    assert diagnostics.value("server") == SERVER_URL
    [row] = diagnostics.pending_rows()
    assert row[-1] == "Beard trim · Carl Jensen, Wed 25 Nov  11:00–11:30"
    table = diagnostics.findChildren(QTableWidget)[0]
    assert table.minimumHeight() >= 4 * table.verticalHeader().defaultSectionSize()


def test_a_long_day_opens_scrolled_to_now(qtbot: QtBot, controller: EngineController) -> None:
    night = booking("x-5", start=NOW.replace(hour=0, minute=30), minutes=30)
    controller.driver.event(Action.CREATE, night)
    late = booking("x-6", start=NOW.replace(hour=22), minutes=60)
    controller.driver.event(Action.CREATE, late)
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    window.resize(1200, 700)
    with qtbot.waitExposed(window):
        window.show()
    y = window.day_view.now_y()
    assert y is not None
    scroller = window.day_scroller
    shown = scroller.verticalScrollBar().value()
    assert shown > 0  # the day is taller than the view: it did scroll
    assert shown <= y <= shown + scroller.viewport().height()


# -- issue 16: the master's public booking page, shown and copied ------------------------------


def test_a_master_copies_the_link_of_their_booking_page(window: MainWindow) -> None:
    action = window.booking_page_action
    assert action.isVisible()
    assert action.toolTip() == f"{SERVER_URL}/book/anna"
    QApplication.clipboard().clear()
    action.trigger()
    assert QApplication.clipboard().text() == f"{SERVER_URL}/book/anna"
    assert f"{SERVER_URL}/book/anna" in window.statusBar().currentMessage()


def test_a_customer_has_no_booking_page_link(window: MainWindow) -> None:
    window.set_user(
        UserPublic(id="c-1", username="carl", role=UserRole.CUSTOMER, display_name="Carl")
    )
    assert not window.booking_page_action.isVisible()
    assert window.booking_page_link() is None
