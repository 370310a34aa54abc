"""The bookings table view: rows selected whole, no sorting (the model keeps the order), status
badges, and selection by booking id through the filter proxy.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAccessible, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from booking_core import Booking
from desktop_app.ui.bookings_filter import BookingsFilterProxy
from desktop_app.ui.bookings_model import BookingsTableModel, Column, Role
from desktop_app.ui.status_delegate import StatusBadgeDelegate

ROW_HEIGHT = 38
OVERNIGHT_SAMPLE = "Wed 30 Dec  23:30–31 Dec 01:30"  # the longest time text
TIME_PADDING = 44  # the cell's margins and the pending / conflict dot before the text
COLUMN_WIDTHS: dict[Column, int] = {
    Column.TIME: 200,
    Column.CUSTOMER: 160,
    Column.SERVICE: 150,
    Column.STATUS: 130,
    Column.NOTE: 220,
    Column.VERSION: 72,
}


class BookingsTable(QTableView):
    """Shows `proxy` (over `model`); one booking is selected at a time."""

    def __init__(
        self,
        model: BookingsTableModel,
        proxy: BookingsFilterProxy,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._proxy = proxy
        self.setObjectName("bookingsTable")
        self.setAccessibleName(self.tr("Bookings"))
        self.setModel(proxy)
        self.setSortingEnabled(False)  # the model keeps the order: no proxy sort, ever
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab leaves the table (to the details and the day view); arrows move between rows.
        self.setTabKeyNavigation(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._set_up_headers()
        self.setItemDelegateForColumn(Column.STATUS, StatusBadgeDelegate(self))

    def _set_up_headers(self) -> None:
        rows = self.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(ROW_HEIGHT)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in COLUMN_WIDTHS.items():
            self.setColumnWidth(column, width)
        # The longest time text (an overnight booking) fits whole.
        widest = self.fontMetrics().horizontalAdvance(OVERNIGHT_SAMPLE) + TIME_PADDING
        self.setColumnWidth(Column.TIME, max(COLUMN_WIDTHS[Column.TIME], widest))
        header.setSectionResizeMode(Column.NOTE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.VERSION, QHeaderView.ResizeMode.Fixed)
        self.setColumnHidden(Column.VERSION, True)  # the server's counter: not a master's concern

    def empty_text(self) -> str:
        """What the table says when it shows no rows ("" when it shows some)."""
        if self._proxy.rowCount():
            return ""
        if self._model.rowCount():
            return self.tr("No bookings match the search or the filter.")
        return self.tr("No bookings yet. New requests appear here as they arrive.")

    def dataChanged(
        self,
        top_left: QModelIndex | QPersistentModelIndex,
        bottom_right: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        """One changed row repaints that row. Qt's own update rectangle for a range of cells
        reaches one pixel into the next row, so every live change painted two rows (each cell
        asks the model ~7 roles). Ranges, and everything while a screen reader listens (Qt tells
        it of the change), go through Qt as before."""
        row = top_left.row()  # a table's cells have no parent: one row is one range
        if row < 0 or bottom_right.row() != row or QAccessible.isActive() or not self.isVisible():
            super().dataChanged(top_left, bottom_right, roles)
            return
        viewport = self.viewport()
        top, height = self.rowViewportPosition(row), self.rowHeight(row)
        if top + height > 0 and top < viewport.height():
            viewport.update(0, top, viewport.width(), height)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        text = self.empty_text()
        if text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                text,
            )
            painter.end()

    def selected_booking(self) -> Booking | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        booking = rows[0].data(Role.BOOKING)
        return booking if isinstance(booking, Booking) else None

    def select_booking(self, booking_id: str) -> bool:
        """Select and show the booking's row; False if it is unknown or filtered out."""
        row = self._model.row_of(booking_id)
        if row < 0:
            return False
        index = self._proxy.mapFromSource(self._model.index(row, 0))
        if not index.isValid():
            return False
        self.selectRow(index.row())
        self.scrollTo(index)
        return True
