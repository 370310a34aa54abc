"""The table model driven by a real SyncEngine: load, live events, optimistic intents, rollback.

Every step must reach the view as the smallest signal: one insert / update / move / remove, and
never a model reset for one change. pytest-qt's model tester watches the model the whole time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from booking_core import Action, ResyncRequired, Status
from desktop_app.sync import EventReceived, IntentMade, SyncState, Transition
from desktop_app.ui.bookings_model import Column, Role, ids_in_order
from desktop_app.ui.rollback_dialog import RollbackDialog

from .engine_driver import EngineDriver
from .factories import NOW, booking

B1 = booking("b-1", start=NOW + timedelta(hours=1))
B2 = booking("b-2", start=NOW + timedelta(hours=2), status=Status.CONFIRMED, version=2)
B3 = booking("b-3", start=NOW + timedelta(hours=3))


@pytest.fixture
def driver(qtmodeltester) -> EngineDriver:
    driver = EngineDriver()
    qtmodeltester.check(driver.model, force_py=True)  # keeps watching every later signal
    driver.start(B3, B1, B2)
    return driver


def test_the_first_load_fills_the_model_in_start_order(driver: EngineDriver) -> None:
    assert list(ids_in_order(driver.model)) == ["b-1", "b-2", "b-3"]
    assert driver.engine.status.state is SyncState.SYNCHRONIZED
    assert driver.model.index(1, Column.STATUS).data() == "Confirmed"


def test_a_live_create_event_inserts_one_row_at_its_place(
    qtbot: QtBot, driver: EngineDriver
) -> None:
    new = booking("b-0", start=NOW + timedelta(minutes=90), service="Beard trim")
    model = driver.model
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted) as sig:
        driver.event(Action.CREATE, new)
    assert sig.args[1:] == [1, 1]
    assert model.index(1, Column.SERVICE).data() == "Beard trim"


def test_a_live_status_change_is_one_data_changed(qtbot: QtBot, driver: EngineDriver) -> None:
    model = driver.model
    accepted = B1.model_copy(update={"status": Status.CONFIRMED, "version": 2})
    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.assertNotEmitted(model.rowsMoved),
        qtbot.waitSignal(model.dataChanged) as sig,
    ):
        driver.event(Action.ACCEPT, accepted)
    assert sig.args[0].row() == sig.args[1].row() == 0
    assert model.index(0, Column.STATUS).data() == "Confirmed"
    assert model.index(0, 0).data(Role.VERSION) == 2


def test_a_live_reschedule_moves_the_row(qtbot: QtBot, driver: EngineDriver) -> None:
    model = driver.model
    later = B1.model_copy(
        update={
            "starts_at": NOW + timedelta(hours=4),
            "ends_at": NOW + timedelta(hours=4, minutes=30),
            "version": 2,
        }
    )
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsMoved):
        driver.event(Action.RESCHEDULE, later)
    assert list(ids_in_order(model)) == ["b-2", "b-3", "b-1"]


def test_an_optimistic_accept_shows_pending_at_once_then_confirmed(
    qtbot: QtBot, driver: EngineDriver
) -> None:
    model = driver.model
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        driver.feed(IntentMade(Transition("b-1", Action.ACCEPT), driver.tick()))
    index = model.index(0, Column.STATUS)
    assert index.data() == "Confirmed"  # predicted, before the server answered
    assert index.data(Role.PENDING) is True
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Saving… (Accept)"
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    post = driver.requests.pop()
    assert post.path == "/api/v1/bookings/b-1/transitions"
    confirmed = B1.model_copy(update={"status": Status.CONFIRMED, "version": 2})
    with qtbot.waitSignal(model.dataChanged):
        driver.reply(post, 200, confirmed.model_dump(mode="json"))
    assert model.index(0, 0).data(Role.PENDING) is False
    assert model.index(0, Column.SERVICE).data(Qt.ItemDataRole.FontRole) is None


def test_a_refused_change_rolls_back_the_row_and_explains_it(
    qtbot: QtBot, driver: EngineDriver
) -> None:
    model = driver.model
    driver.feed(IntentMade(Transition("b-1", Action.ACCEPT), driver.tick()))
    post = driver.requests.pop()
    cancelled = B1.model_copy(
        update={"status": Status.CANCELLED, "version": 2, "updated_by": B1.customer_id}
    )
    problem = {
        "type": "about:blank",
        "title": "Not possible",
        "status": 409,
        "code": "invalid_transition",
        "current": cancelled.model_dump(mode="json"),
    }
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        driver.reply(post, 409, problem)
    assert model.index(0, Column.STATUS).data() == "Cancelled"
    assert model.index(0, 0).data(Role.PENDING) is False
    [rollback] = driver.rollbacks
    dialog = RollbackDialog()
    qtbot.addWidget(dialog)
    dialog.add(rollback)
    [text] = dialog.texts()
    assert "Your acceptance of “Haircut”" in text
    assert "Cancelled" in text
    assert "invalid_transition" not in text
    assert dialog.isVisible()


def test_a_resync_that_lacks_a_booking_removes_only_that_row(
    qtbot: QtBot, driver: EngineDriver
) -> None:
    model = driver.model
    driver.feed(EventReceived(ResyncRequired(), driver.tick()))
    fetch = driver.requests.pop()
    listing = {"bookings": [b.model_dump(mode="json") for b in (B1, B3)], "cursor": driver.seq}
    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.assertNotEmitted(model.rowsInserted),
        qtbot.waitSignal(model.rowsRemoved) as sig,
    ):
        driver.reply(fetch, 200, listing)
    assert sig.args[1:] == [1, 1]
    assert list(ids_in_order(model)) == ["b-1", "b-3"]
