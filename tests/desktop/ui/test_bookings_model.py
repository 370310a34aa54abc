"""The bookings model keeps rows ordered by start and mirrors each change with minimal signals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont
from pytestqt.qtbot import QtBot

from booking_core import Action, Booking, Status
from desktop_app.sync import RowsChanged, VisibleBooking
from desktop_app.ui.bookings_model import (
    CHANGED_ROLES,
    BookingsTableModel,
    Column,
    Role,
    ids_in_order,
)
from desktop_app.ui.statuses import PENDING_COLOR

from .factories import CUSTOMER, NOW, booking

NONE: frozenset[str] = frozenset()


def _changed(
    inserted: frozenset[str] = NONE, updated: frozenset[str] = NONE, removed: frozenset[str] = NONE
) -> RowsChanged:
    return RowsChanged(inserted, updated, removed)


class Source:
    """The engine's visible mapping as a plain dict the test edits (a value, not a fake engine)."""

    def __init__(self, *bookings: Booking) -> None:
        self.rows: dict[str, VisibleBooking] = {
            b.id: VisibleBooking(b, False, None) for b in bookings
        }

    def __call__(self) -> dict[str, VisibleBooking]:
        return self.rows

    def put(self, b: Booking, pending_action: Action | None = None) -> None:
        self.rows[b.id] = VisibleBooking(b, pending_action is not None, pending_action)


def _at(hours: float) -> Booking:
    return booking(f"b-{hours}", start=NOW + timedelta(hours=hours))


@pytest.fixture
def source() -> Source:
    return Source(_at(3), _at(1), _at(2))


@pytest.fixture
def model(source: Source, qtmodeltester) -> BookingsTableModel:
    model = BookingsTableModel(source, display_names={CUSTOMER: "Carl Customer"})
    qtmodeltester.check(model, force_py=True)
    return model


def test_rows_are_ordered_by_start_and_show_readable_cells(model: BookingsTableModel) -> None:
    assert list(ids_in_order(model)) == ["b-1", "b-2", "b-3"]
    assert model.columnCount() == len(Column)
    index = model.index(0, Column.CUSTOMER)
    assert index.data() == "Carl Customer"
    assert model.index(0, Column.STATUS).data() == "Pending"
    assert model.index(0, Column.SERVICE).data() == "Haircut"
    assert model.index(0, Column.VERSION).data() == "1"
    assert model.index(0, 0).data(Role.BOOKING_ID) == "b-1"
    assert model.index(0, 0).data(Role.STATUS) == Status.PENDING  # a StrEnum arrives as its str
    assert model.index(0, 0).data(Role.PENDING) is False
    assert isinstance(model.index(0, 0).data(Role.BOOKING), Booking)
    assert model.headerData(Column.TIME, Qt.Orientation.Horizontal) == "Time"


def test_unknown_customer_falls_back_to_the_id(source: Source) -> None:
    model = BookingsTableModel(source)
    assert model.index(0, Column.CUSTOMER).data() == CUSTOMER


def test_unserved_roles_answer_none(model: BookingsTableModel) -> None:
    index = model.index(0, 0)
    for role in (Qt.ItemDataRole.SizeHintRole, Qt.ItemDataRole.CheckStateRole, 5000):
        assert index.data(role) is None
    assert index.data(Qt.ItemDataRole.FontRole) is None  # not pending: default font


def test_insert_is_one_row_at_its_sorted_place_without_reset(
    qtbot: QtBot, source: Source, model: BookingsTableModel, qtmodeltester
) -> None:
    source.put(_at(1.5))
    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.waitSignal(model.rowsInserted) as inserted,
    ):
        model.apply(_changed(inserted=frozenset({"b-1.5"})))
    assert inserted.args[1:] == [1, 1]
    assert list(ids_in_order(model)) == ["b-1", "b-1.5", "b-2", "b-3"]
    qtmodeltester.check(model, force_py=True)


def test_update_in_place_is_one_data_changed_row_with_explicit_roles(
    qtbot: QtBot, source: Source, model: BookingsTableModel
) -> None:
    confirmed = _at(2).model_copy(update={"status": Status.CONFIRMED, "version": 2})
    source.put(confirmed)
    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.assertNotEmitted(model.rowsMoved),
        qtbot.waitSignal(model.dataChanged) as changed,
    ):
        model.apply(_changed(updated=frozenset({"b-2"})))
    top_left, bottom_right, roles = changed.args
    assert (top_left.row(), bottom_right.row()) == (1, 1)
    assert (top_left.column(), bottom_right.column()) == (0, len(Column) - 1)
    assert roles == CHANGED_ROLES
    assert model.index(1, Column.STATUS).data() == "Confirmed"
    assert model.index(1, Column.VERSION).data(Role.VERSION) == 2


def test_a_new_start_time_moves_the_row(
    qtbot: QtBot, source: Source, model: BookingsTableModel, qtmodeltester
) -> None:
    later = _at(1).model_copy(
        update={
            "starts_at": NOW + timedelta(hours=5),
            "ends_at": NOW + timedelta(hours=5, minutes=30),
        }
    )
    source.put(later, Action.RESCHEDULE)
    seen: list[tuple[str, tuple[int, ...]]] = []
    model.rowsMoved.connect(
        lambda _p, first, last, _d, dest: seen.append(("moved", (first, last, dest)))
    )
    model.dataChanged.connect(lambda tl, br, _r: seen.append(("changed", (tl.row(), br.row()))))
    with qtbot.assertNotEmitted(model.modelReset), qtbot.assertNotEmitted(model.rowsInserted):
        model.apply(_changed(updated=frozenset({"b-1"})))
    # row 0 goes before old row 3 (the end), then that one row repaints at its new place
    assert seen == [("moved", (0, 0, 3)), ("changed", (2, 2))]
    assert list(ids_in_order(model)) == ["b-2", "b-3", "b-1"]
    assert model.index(2, 0).data(Role.PENDING) is True
    qtmodeltester.check(model, force_py=True)


def test_moving_up_and_a_key_change_that_keeps_the_place(
    qtbot: QtBot, source: Source, model: BookingsTableModel
) -> None:
    earlier = _at(3).model_copy(update={"starts_at": NOW, "ends_at": NOW + timedelta(minutes=20)})
    source.put(earlier)
    with qtbot.waitSignal(model.rowsMoved) as moved:
        model.apply(_changed(updated=frozenset({"b-3"})))
    assert (moved.args[1], moved.args[4]) == (2, 0)
    assert list(ids_in_order(model)) == ["b-3", "b-1", "b-2"]
    nudged = _at(2).model_copy(
        update={
            "starts_at": NOW + timedelta(hours=2, minutes=1),
            "ends_at": NOW + timedelta(hours=2, minutes=31),
        }
    )
    source.put(nudged)
    with qtbot.assertNotEmitted(model.rowsMoved), qtbot.waitSignal(model.dataChanged):
        model.apply(_changed(updated=frozenset({"b-2"})))
    assert model.row_of("b-2") == 2


def test_removal_is_one_row_without_reset(
    qtbot: QtBot, source: Source, model: BookingsTableModel
) -> None:
    del source.rows["b-2"]
    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.waitSignal(model.rowsRemoved) as removed,
    ):
        model.apply(_changed(removed=frozenset({"b-2"})))
    assert removed.args[1:] == [1, 1]
    assert list(ids_in_order(model)) == ["b-1", "b-3"]
    assert model.row_of("b-2") == -1


def test_an_update_for_a_row_gone_from_the_source_removes_it(
    qtbot: QtBot, source: Source, model: BookingsTableModel
) -> None:
    del source.rows["b-3"]
    with qtbot.waitSignal(model.rowsRemoved):
        model.apply(_changed(updated=frozenset({"b-3"})))
    assert model.rowCount() == 2


def test_a_pending_row_is_italic_orange_with_a_saving_tooltip(
    source: Source, model: BookingsTableModel
) -> None:
    source.put(_at(1).model_copy(update={"status": Status.CONFIRMED}), Action.ACCEPT)
    model.apply(_changed(updated=frozenset({"b-1"})))
    index = model.index(0, Column.SERVICE)
    font = index.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont)
    assert font.italic()
    brush = index.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush)
    assert brush.color() == PENDING_COLOR
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "Saving… (Accept)"
    assert model.index(0, Column.TIME).data(Qt.ItemDataRole.DecorationRole) is not None
    assert index.data(Role.PENDING_ACTION) == Action.ACCEPT


def test_display_names_repaint_only_the_customer_column(
    qtbot: QtBot, model: BookingsTableModel
) -> None:
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.set_display_names({CUSTOMER: "Carl C."})
    top_left, bottom_right, _ = changed.args
    assert top_left.column() == bottom_right.column() == Column.CUSTOMER
    assert (top_left.row(), bottom_right.row()) == (0, 2)
    assert model.index(2, Column.CUSTOMER).data() == "Carl C."


def test_reset_all_reloads_everything(
    qtbot: QtBot, source: Source, model: BookingsTableModel
) -> None:
    source.rows = {"b-9": VisibleBooking(_at(9), False, None)}
    with qtbot.waitSignal(model.modelReset):
        model.reset_all()
    assert list(ids_in_order(model)) == ["b-9"]
