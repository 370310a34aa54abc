"""The main window over a real SyncEngine: actions enabled as the server would allow, requests
reach the engine, sync feedback shows, rollbacks pop up, and the table follows every change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractButton, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from booking_core import Action, Role, Status, UserPublic, Viewer
from booking_core.events import Presence, ResyncRequired
from desktop_app.sync import EventReceived, NetworkChanged
from desktop_app.ui.bookings_filter import Scope
from desktop_app.ui.bookings_model import Column
from desktop_app.ui.bookings_model import Role as ModelRole
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.theme import Theme

from . import screenshots
from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver
from .factories import NOW, booking
from .focus import focus

ENABLED_FOR = {
    "d-06": {Action.ACCEPT, Action.DECLINE, Action.CANCEL},  # pending
    "d-05": {Action.CANCEL, Action.START},  # confirmed, not started yet
    "d-04": {Action.COMPLETE, Action.NO_SHOW},  # in progress, after its start
    "d-01": set(),  # completed: nothing left to do
}


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


def _enabled(window: MainWindow) -> set[Action]:
    return {a for a, qaction in window.booking_actions.items() if qaction.isEnabled()}


def test_title_names_the_signed_in_user(window: MainWindow) -> None:
    assert window.windowTitle() == "Reservations — Anna Master"


def test_nothing_selected_means_no_booking_action(window: MainWindow) -> None:
    assert _enabled(window) == set()


@pytest.mark.parametrize(("booking_id", "expected"), ENABLED_FOR.items())
def test_actions_are_enabled_exactly_as_booking_core_decides(
    window: MainWindow, booking_id: str, expected: set[Action]
) -> None:
    assert window.select_booking(booking_id)
    assert _enabled(window) == expected


def test_a_customer_may_only_cancel(qtbot: QtBot, controller: EngineController) -> None:
    carl = UserPublic(id="u-carl", username="carl", role=Role.CUSTOMER, display_name="Carl")
    window = MainWindow(controller, carl, clock=lambda: controller.driver.now)
    qtbot.addWidget(window)
    window.select_booking("d-06")
    assert _enabled(window) == {Action.CANCEL}


def test_the_accept_shortcut_sends_the_intent_and_the_row_turns_pending(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")
    focus(qtbot, window.table)
    qtbot.keyClick(window.table, Qt.Key.Key_A)
    row = window.model.row_of("d-06")
    assert window.model.index(row, Column.STATUS).data() == "Confirmed"
    assert window.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) == "Saving… (Accept)"
    assert controller.driver.requests[-1].path == "/api/v1/bookings/d-06/transitions"
    # the selection stays on the booking, and accept is no longer possible on it
    assert window.selected_booking() is not None
    assert Action.ACCEPT not in _enabled(window)


def test_a_disabled_shortcut_sends_nothing(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-01")
    before = len(controller.driver.requests)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert len(controller.driver.requests) == before


def test_f5_syncs_now_and_ctrl_f_focuses_search(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    focus(qtbot, window.table)
    qtbot.keyClick(window.table, Qt.Key.Key_F5)
    assert controller.syncs == 1
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "dora")
    assert window.proxy.rowCount() == 2


def test_selection_tells_the_controller_what_is_viewed(
    window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-05")
    assert controller.viewing[-1] == "d-05"


def test_presence_of_someone_else_shows_in_the_status_bar(
    window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-05")
    viewers = [Viewer(id="u-ben", display_name="Ben"), Viewer(id=ANNA.id, display_name="Anna")]
    controller.feed(
        EventReceived(Presence(booking_id="d-05", viewers=viewers), controller.driver.tick())
    )
    assert window.viewers_text() == "Ben is viewing this booking"


def test_offline_shows_the_banner_and_a_red_dot_then_recovers(
    window: MainWindow, controller: EngineController
) -> None:
    controller.feed(NetworkChanged(False, controller.driver.tick()))
    assert not window.banner.isHidden()
    assert window.indicator.text().startswith("Offline")
    controller.feed(NetworkChanged(True, controller.driver.tick()))
    assert window.banner.isHidden()


def test_a_rollback_opens_the_non_blocking_dialog(
    window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    post = controller.driver.requests[-1]
    problem = {"title": "Taken", "status": 409, "code": "slot_taken"}
    controller.driver.reply(post, 409, problem)
    assert window.rollbacks.isVisible()
    assert not window.rollbacks.isModal()
    [text] = window.rollbacks.texts()
    assert "Your acceptance of “Beard trim” with Carl Jensen was undone." in text
    assert "slot_taken" not in text
    row = window.model.row_of("d-06")
    assert window.model.index(row, Column.STATUS).data() == "Pending"


def test_scope_actions_filter_the_table(window: MainWindow) -> None:
    window.scope_actions[Scope.NEEDS_ANSWER].trigger()
    statuses = {window.proxy.index(r, Column.STATUS).data() for r in range(window.proxy.rowCount())}
    assert statuses == {"Pending"}
    assert window.proxy.rowCount() == 3


def test_main_window_screenshot(
    qtbot: QtBot, styled: Theme, controller: EngineController, tmp_path: Path
) -> None:
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.select_booking("d-08")
    window.request(Action.ACCEPT)  # one row visibly pending
    d11 = controller.visible()["d-11"].booking
    noted = {"note": "Could we do 15 minutes later?", "version": 2, "updated_by": "u-emil"}
    controller.driver.event(Action.UPDATE, d11.model_copy(update=noted))  # Emil, live
    window.select_booking("d-11")
    assert window.details.history_text().count("\n") == 2
    assert screenshots.save(window, "main-window", tmp_path).stat().st_size > 10_000
    controller.feed(NetworkChanged(False, controller.driver.tick()))
    assert screenshots.save(window, "main-window-offline", tmp_path).stat().st_size > 10_000
    assert window.indicator.text().startswith("Offline")


def test_main_window_dark_screenshot(
    qtbot: QtBot,
    themed: Callable[[Theme], Theme],
    controller: EngineController,
    tmp_path: Path,
) -> None:
    assert themed(Theme.DARK) is Theme.DARK
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.select_booking("d-05")
    base = window.day_view.palette().color(QPalette.ColorRole.Base)
    assert base.lightness() < 60  # the day view paints with the dark palette
    assert screenshots.save(window, "main-window-dark", tmp_path).stat().st_size > 10_000


def test_the_layout_is_remembered_between_sessions(
    qtbot: QtBot, controller: EngineController, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    first = MainWindow(controller, ANNA, settings=settings)
    qtbot.addWidget(first)
    first.resize(1300, 780)
    first.show()
    first.main_splitter.setSizes([700, 560])
    first.table.setColumnWidth(Column.SERVICE, 233)
    first.scope_actions[Scope.UPCOMING].trigger()
    sizes = first.main_splitter.sizes()
    first.close()
    settings.sync()

    second = MainWindow(controller, ANNA, settings=settings)
    qtbot.addWidget(second)
    with qtbot.waitExposed(second):
        second.show()
    assert second.proxy.scope() is Scope.UPCOMING
    assert second.scope_actions[Scope.UPCOMING].isChecked()
    assert second.table.columnWidth(Column.SERVICE) == 233
    assert second.main_splitter.sizes()[1] == sizes[1]  # the day view keeps its width
    # The offscreen screen clamps restored geometry to its size: check the saved value reads back.
    assert second.restoreGeometry(settings.value("mainWindow/geometry"))


def test_customer_mode_names_the_master_and_offers_only_customer_actions(qtbot: QtBot) -> None:
    carl = UserPublic(id="u-carl", username="carl", role=Role.CUSTOMER, display_name="Carl")
    driver = EngineDriver(carl)
    controller = EngineController(driver)
    driver.start(*[b for b in day() if b.customer_id == carl.id])
    names = {ANNA.id: "Anna Master"}
    window = MainWindow(controller, carl, clock=lambda: driver.now, display_names=names)
    qtbot.addWidget(window)
    assert window.model.headerData(Column.CUSTOMER, Qt.Orientation.Horizontal) == "Master"
    assert window.model.index(0, Column.CUSTOMER).data() == "Anna Master"
    window.select_booking("d-06")  # pending
    assert _enabled(window) == {Action.CANCEL}
    assert window.edit_action.isEnabled()
    assert window.details.field_text("customer") == "Anna Master"
    sent = len(driver.requests)
    window.request(Action.CANCEL)
    assert window.reason_dialog is not None
    assert len(driver.requests) == sent  # nothing goes out before the reason dialog's OK
    window.reason_dialog.accept()  # no reason typed: sent without one
    assert driver.requests[-1].json == {"action": "cancel"}
    row = window.model.row_of("d-06")
    assert window.model.index(row, Column.STATUS).data() == "Cancelled"
    assert driver.requests[-1].path == "/api/v1/bookings/d-06/transitions"


def test_an_undone_change_flags_its_row_until_the_user_moves_on(
    window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    post = controller.driver.requests[-1]
    controller.driver.reply(post, 409, {"title": "Taken", "status": 409, "code": "slot_taken"})
    row = window.model.row_of("d-06")
    index = window.model.index(row, Column.TIME)
    assert index.data(ModelRole.CONFLICT)
    assert index.data(Qt.ItemDataRole.ToolTipRole).startswith("Your change was undone:")
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    window.select_booking("d-05")
    assert window.model.index(row, Column.TIME).data(ModelRole.CONFLICT) is None
    assert window.model.index(row, Column.TIME).data(Qt.ItemDataRole.DecorationRole) is None


def test_every_focusable_control_has_an_accessible_name(window: MainWindow) -> None:
    checked, unnamed = 0, []
    for widget in window.findChildren(QWidget):
        interactive = widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        if not widget.isVisible() or not (interactive or isinstance(widget, QAbstractButton)):
            continue
        checked += 1
        label = widget.accessibleName()
        if not label and isinstance(widget, QAbstractButton):
            label = widget.text()
        if not label and isinstance(widget, QToolButton) and widget.defaultAction():
            label = widget.defaultAction().text()
        if not label:
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert checked >= 15  # table, search, scope and toolbar buttons…
    assert unnamed == []


def test_sign_out_is_asked_of_the_app(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.sign_out_requested):
        window.sign_out_action.trigger()


def test_try_again_resends_an_undone_change_that_is_still_allowed(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    first = controller.driver.requests[-1]
    controller.driver.reply(first, 409, {"title": "Taken", "status": 409, "code": "slot_taken"})
    [button] = window.rollbacks.retry_buttons()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    again = controller.driver.requests[-1]
    assert again is not first
    assert again.path == "/api/v1/bookings/d-06/transitions"
    assert not button.isEnabled()
    assert button.text() == "Sent again"


def test_no_try_again_for_a_change_the_server_would_refuse(
    window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    post = controller.driver.requests[-1]
    cancelled = controller.visible()["d-06"].booking.model_copy(
        update={"status": Status.CANCELLED, "version": 2, "updated_by": "u-carl"}
    )
    problem = {
        "title": "x",
        "status": 409,
        "code": "invalid_transition",
        "current": cancelled.model_dump(mode="json"),
    }
    controller.driver.reply(post, 409, problem)
    assert window.rollbacks.texts()
    assert window.rollbacks.retry_buttons() == []


def test_an_empty_table_says_why(qtbot: QtBot, window: MainWindow) -> None:
    assert window.table.empty_text() == ""
    qtbot.keyClicks(window.search, "nobody by this name")
    assert window.table.empty_text() == "No bookings match the search or the filter."
    empty = EngineController(EngineDriver())
    empty.driver.start()
    bare = MainWindow(empty, ANNA)
    qtbot.addWidget(bare)
    assert bare.table.empty_text().startswith("No bookings yet.")


def test_typing_in_the_search_field_never_fires_a_booking_shortcut(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")  # pending: A, D and Del would all act on it
    before = len(controller.driver.requests)
    window.search.setFocus()
    qtbot.keyClicks(window.search, "ad")
    qtbot.keyClick(window.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(window.search, Qt.Key.Key_Home)
    qtbot.keyClick(window.search, Qt.Key.Key_Delete)
    assert len(controller.driver.requests) == before
    assert window.search.text() == ""


def test_customer_mode_screenshot(qtbot: QtBot, styled: Theme, tmp_path: Path) -> None:
    carl = UserPublic(id="u-carl", username="carl", role=Role.CUSTOMER, display_name="Carl Jensen")
    driver = EngineDriver(carl)
    controller = EngineController(driver)
    driver.start(*[b for b in day() if b.customer_id == carl.id])
    names = {ANNA.id: "Anna Master"}
    window = MainWindow(controller, carl, clock=lambda: driver.now, display_names=names)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.select_booking("d-06")
    assert _enabled(window) == {Action.CANCEL}
    shown = {a for a, qaction in window.booking_actions.items() if qaction.isVisible()}
    assert shown == {Action.CANCEL}  # masters' actions are not even offered
    assert window.day_view.free_gaps() == []  # the master's free time is not a customer's
    assert screenshots.save(window, "main-window-customer", tmp_path).stat().st_size > 10_000


def test_a_bulk_reload_keeps_the_selection_and_announces_nothing(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    window.notifier.set_focus_probe(lambda: False)
    notices: list[object] = []
    window.notifier.notified.connect(notices.append)
    window.select_booking("d-06")
    driver = controller.driver
    many = [
        booking(f"x-{n:03d}", start=NOW + timedelta(days=2, minutes=15 * n), customer="u-dora")
        for n in range(300)
    ]
    controller.feed(EventReceived(ResyncRequired(), driver.tick()))
    fetch = driver.requests[-1]
    listing = [b.model_dump(mode="json") for b in [*day(), *many]]
    with qtbot.waitSignal(window.model.modelReset):
        driver.reply(fetch, 200, {"bookings": listing, "cursor": driver.seq})
    assert window.model.rowCount() == 11 + 300
    selected = window.selected_booking()
    assert selected is not None
    assert selected.id == "d-06"
    assert notices == []  # 300 pending requests appeared, but by a reload, not live
