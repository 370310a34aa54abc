"""100k bookings: one change costs a handful of data() calls, never a re-sort or a reset.

docs/qt-notes.md records a proxy re-sort of 100k rows at ~3.2 M Python data() calls (~20 s);
counting data() calls makes the guarantee deterministic instead of timing it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from booking_core import Booking, Status
from desktop_app.sync import RowsChanged, VisibleBooking
from desktop_app.ui.bookings_filter import BookingsFilterProxy
from desktop_app.ui.bookings_model import BookingsTableModel, Column

from .factories import NOW, booking

N = 100_000
NONE: frozenset[str] = frozenset()
TEMPLATE = booking("template")


def _fast(booking_id: str, minutes: int) -> Booking:
    """Booking.model_construct: the fields are known good, and validation of 100k would be slow."""
    start = NOW + timedelta(minutes=minutes)
    fields = TEMPLATE.__dict__ | {
        "id": booking_id,
        "starts_at": start,
        "ends_at": start + timedelta(minutes=10),
    }
    return Booking.model_construct(**fields)


class CountingModel(BookingsTableModel):
    calls = 0

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        CountingModel.calls += 1
        return super().data(index, role)


@pytest.fixture(scope="module")
def rows() -> dict[str, VisibleBooking]:
    return {f"b{n:06d}": VisibleBooking(_fast(f"b{n:06d}", 15 * n), False, None) for n in range(N)}


def test_one_change_among_100k_rows_is_cheap(qtbot: QtBot, rows: dict[str, VisibleBooking]) -> None:
    source = dict(rows)
    model = CountingModel(lambda: source)
    proxy = BookingsFilterProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.resize(1200, 800)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert proxy.rowCount() == N

    source["new"] = VisibleBooking(_fast("new", 15 * 500 + 7), False, None)
    CountingModel.calls = 0
    with (
        qtbot.assertNotEmitted(proxy.modelReset),
        qtbot.assertNotEmitted(proxy.layoutChanged),  # a proxy re-sort would emit it
        qtbot.waitSignal(proxy.rowsInserted),
    ):
        model.apply(RowsChanged(frozenset({"new"}), NONE, NONE))
        view.repaint()
    assert model.row_of("new") == 501
    assert CountingModel.calls < 5_000

    moved = _fast("b000003", 15 * N)  # to the very end
    source["b000003"] = VisibleBooking(
        moved.model_copy(update={"status": Status.CONFIRMED}), True, None
    )
    CountingModel.calls = 0
    with qtbot.assertNotEmitted(proxy.modelReset), qtbot.waitSignal(model.rowsMoved):
        model.apply(RowsChanged(NONE, frozenset({"b000003"}), NONE))
        view.repaint()
    assert model.row_of("b000003") == N
    assert model.index(N, Column.STATUS).data() == "Confirmed"
    assert CountingModel.calls < 5_000

    CountingModel.calls = 0
    proxy.set_text("haircut")  # the filter reads one role per row: ~N calls, not N log N
    view.repaint()
    assert proxy.rowCount() == N + 1
    assert CountingModel.calls < 2 * N
    assert proxy.sortColumn() == -1
    assert view.isSortingEnabled() is False


def test_a_first_load_of_100k_rows_is_one_reset(
    qtbot: QtBot, rows: dict[str, VisibleBooking]
) -> None:
    source: dict[str, VisibleBooking] = {}
    model = CountingModel(lambda: source)
    proxy = BookingsFilterProxy()
    proxy.setSourceModel(model)
    source.update(rows)
    with (
        qtbot.assertNotEmitted(proxy.rowsInserted),
        qtbot.waitSignal(proxy.modelReset),
    ):
        model.apply(RowsChanged(frozenset(rows), NONE, NONE))
    assert proxy.rowCount() == N
    assert model.booking_id_at(0) == "b000000"


class IndexCountingModel(BookingsTableModel):
    """Counts the Python `index()` calls: what the proxy's filter pass made per row."""

    indexes = 0

    def index(
        self,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008 - Qt's
    ) -> QModelIndex:
        IndexCountingModel.indexes += 1
        return super().index(row, column, parent)


def test_a_reset_with_no_filter_asks_the_model_nothing_per_row(
    qtbot: QtBot, rows: dict[str, VisibleBooking]
) -> None:
    # The engine's mapping is in no particular order: the model sorts it once on reset.
    source: dict[str, VisibleBooking] = {}
    model = IndexCountingModel(lambda: source)
    proxy = BookingsFilterProxy()
    proxy.setSourceModel(model)
    source.update(reversed(rows.items()))
    IndexCountingModel.indexes = 0
    with qtbot.waitSignal(proxy.modelReset):
        model.reset_all()
    assert proxy.rowCount() == N
    assert IndexCountingModel.indexes == 0  # was one per row (100k) before the fast path
    assert [model.booking_id_at(row) for row in (0, 1, N - 1)] == ["b000000", "b000001", "b099999"]

    proxy.set_text("haircut")  # a filter still reads every row
    assert proxy.rowCount() == N
    assert IndexCountingModel.indexes >= N
