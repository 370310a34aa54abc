"""The booking form: new requests and moves reach the engine; bad input is explained in place."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from booking_core import BookingCreate, BookingPatch, Role, UserPublic
from desktop_app.ui.booking_form import BookingForm
from desktop_app.ui.bookings_model import Column
from desktop_app.ui.bookings_model import Role as ModelRole
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
    window.show()
    return window


def test_a_master_books_a_customer_by_name_and_the_row_appears_pending(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.open_new_booking()
    assert form is not None
    assert form.isVisible()
    assert not form.isModal()
    form.set_values(party="Dora Okafor", service="Trim", start=NOW + timedelta(hours=8), minutes=45)
    with qtbot.waitSignal(form.create_requested) as sent:
        form.submit()
    body = sent.args[0]
    assert isinstance(body, BookingCreate)
    assert (body.master_id, body.customer_id) == (ANNA.id, "u-dora")
    assert body.ends_at - body.starts_at == timedelta(minutes=45)
    rows = [window.model.index(r, 0) for r in range(window.model.rowCount())]
    new = [i for i in rows if i.data(ModelRole.BOOKING).service == "Trim"]
    assert len(new) == 1
    assert new[0].data(ModelRole.PENDING) is True
    assert window.model.index(new[0].row(), Column.CUSTOMER).data() == "Dora Okafor"


def test_an_overlapping_time_is_refused_in_the_form(qtbot: QtBot, window: MainWindow) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.set_values(party="u-carl", service="Trim", start=NOW + timedelta(hours=1), minutes=30)
    with qtbot.assertNotEmitted(form.create_requested):
        form.submit()
    assert "overlaps “Haircut”" in form.error_text()
    assert form.isVisible()  # nothing typed is lost


def test_an_empty_service_is_explained_in_plain_words(qtbot: QtBot, window: MainWindow) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.set_values(party="u-carl", service="", start=NOW + timedelta(hours=9))
    with qtbot.assertNotEmitted(form.create_requested):
        form.submit()
    assert form.error_text().startswith("Service:")
    assert "ValidationError" not in form.error_text()


def test_moving_a_booking_sends_a_patch_and_the_row_moves(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    window.select_booking("d-06")
    form = window.open_edit_booking()
    assert form is not None
    form.set_values(start=NOW + timedelta(hours=7))
    with (
        qtbot.waitSignal(window.model.rowsMoved),
        qtbot.waitSignal(form.reschedule_requested) as sent,
    ):
        form.submit()
    booking_id, patch = sent.args
    assert booking_id == "d-06"
    assert isinstance(patch, BookingPatch)
    assert patch.starts_at == NOW + timedelta(hours=7)
    assert controller.driver.requests[-1].method == "PATCH"
    assert window.model.row_of("d-06") == window.model.rowCount() - 1


def test_a_booking_in_progress_may_only_get_a_new_note(window: MainWindow) -> None:
    window.select_booking("d-04")
    assert window.edit_action.isEnabled()
    form = window.open_edit_booking()
    assert form is not None
    times = form.findChild(QLabel, "readOnlyTimes")
    assert times is not None
    assert times.isVisibleTo(form)  # shown as text, not as greyed fields
    window.select_booking("d-01")  # completed: nothing to edit
    assert not window.edit_action.isEnabled()
    assert window.open_edit_booking() is None


def test_a_customer_books_with_a_master(qtbot: QtBot) -> None:
    carl = UserPublic(id="u-carl", username="carl", role=Role.CUSTOMER, display_name="Carl")
    form = BookingForm.for_create(carl, list, people={"u-anna": "Anna Master"})
    qtbot.addWidget(form)
    form.set_values(party="Anna Master", service="Haircut", start=NOW + timedelta(days=1))
    with qtbot.waitSignal(form.create_requested) as sent:
        form.submit()
    assert sent.args[0].master_id == "u-anna"
    assert sent.args[0].customer_id is None


def test_a_created_row_stays_selected_when_the_server_names_it(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.set_values(party="u-dora", service="Trim", start=NOW + timedelta(hours=8))
    form.submit()
    [client_id] = [bid for bid in controller.visible() if bid.startswith("new-")]
    assert window.select_booking(client_id)
    post = controller.driver.requests[-1]
    assert (post.method, post.path) == ("POST", "/api/v1/bookings")
    created = controller.visible()[client_id].booking.model_copy(update={"id": "srv-1"})
    controller.driver.reply(post, 201, created.model_dump(mode="json"))
    assert window.model.row_of(client_id) == -1
    selected = window.selected_booking()
    assert selected is not None
    assert selected.id == "srv-1"
    assert window.details.booking_id() == "srv-1"
