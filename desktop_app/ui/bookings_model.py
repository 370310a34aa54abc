"""The bookings table model: a thin Qt adapter over the sync engine's visible bookings.

Rows stay ordered by (starts_at, id) inside the model, kept with bisect, so the view never needs a
sorting proxy (a full proxy re-sort of 100k rows freezes the UI for ~20 s, docs/qt-notes.md).
`apply(RowsChanged)` turns each engine change into the smallest Qt signal: one insert, one move, one
dataChanged with an explicit role list, or one remove; only a first load or a bulk change (hundreds
of rows at once, e.g. a resync) resets, since row-by-row signals would cost O(rows) each.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import IntEnum
from types import MappingProxyType
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from booking_core import Booking
from booking_core import Role as UserRole
from desktop_app.sync import RowsChanged, VisibleBooking
from desktop_app.ui.statuses import (
    CONFLICT_COLOR,
    NEW_COLOR,
    PENDING_COLOR,
    action_label,
    status_label,
    time_range,
)

AnyIndex = QModelIndex | QPersistentModelIndex
SortKey = tuple[datetime, str]
VisibleSource = Callable[[], Mapping[str, VisibleBooking]]
RowFilter = Callable[[VisibleBooking], bool]


class Column(IntEnum):
    TIME = 0
    CUSTOMER = 1  # the other party: the customer for a master, the master for a customer
    SERVICE = 2
    STATUS = 3
    NOTE = 4
    VERSION = 5


class Role(IntEnum):
    BOOKING_ID = Qt.ItemDataRole.UserRole + 1
    STATUS = Qt.ItemDataRole.UserRole + 2  # booking_core.Status (views get its str value back)
    PENDING = Qt.ItemDataRole.UserRole + 3  # bool: an optimistic change awaits the server
    VERSION = Qt.ItemDataRole.UserRole + 4  # int
    BOOKING = Qt.ItemDataRole.UserRole + 5  # booking_core.Booking
    PENDING_ACTION = Qt.ItemDataRole.UserRole + 6  # booking_core.Action (as str) | None
    SEARCH_TEXT = Qt.ItemDataRole.UserRole + 7  # lower-case words a text filter matches
    STARTS_AT = Qt.ItemDataRole.UserRole + 8  # aware datetime (UTC)
    CONFLICT = Qt.ItemDataRole.UserRole + 9  # str | None: why the user's last change was undone
    FILTER_MATCH = Qt.ItemDataRole.UserRole + 10  # "1" if the row passes `set_row_filter`'s test
    NEW = Qt.ItemDataRole.UserRole + 11  # bool: a request that came in and was not seen yet


_D = Qt.ItemDataRole
# Every role a changed row may render differently with; dataChanged names exactly these.
CHANGED_ROLES: list[int] = [
    _D.DisplayRole,
    _D.ToolTipRole,
    _D.FontRole,
    _D.ForegroundRole,
    _D.DecorationRole,
    _D.AccessibleTextRole,
    *(int(role) for role in Role),
]
_SERVED = frozenset(CHANGED_ROLES) | {_D.TextAlignmentRole}


# Changes of at least this many rows reload the model (one reset) instead of row by row.
BULK_CHANGES = 256


def sort_key(booking: Booking) -> SortKey:
    return (booking.starts_at, booking.id)


class BookingsTableModel(QAbstractTableModel):
    """Rows of the bookings visible to the signed-in user, ordered by start time.

    `source` returns the engine's current `Mapping[str, VisibleBooking]` (e.g. `engine.visible`
    or `controller.visible`); the model keeps its own snapshot and compares against it on `apply`.
    `display_names` maps user ids to names for the customer column (unknown ids show as they are).
    """

    def __init__(
        self,
        source: VisibleSource,
        display_names: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._names: dict[str, str] = dict(display_names or {})
        self._ids: list[str] = []
        self._keys: list[SortKey] = []
        self._items: dict[str, VisibleBooking] = {}
        self._pending_icon: QIcon | None = None
        self._show_masters = False  # customers see their master in the "other party" column
        self._conflicts: dict[str, str] = {}  # booking id -> why the user's change was undone
        self._new: set[str] = set()  # requests that came in and were not looked at yet
        self._new_icon: QIcon | None = None
        self._conflict_icon: QIcon | None = None
        self._row_filter: RowFilter | None = None
        self._load()

    # -- reading ---------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _D.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == _D.DisplayRole:
            return self._header(Column(section))
        if role == _D.TextAlignmentRole:
            return int(_alignment(Column(section)) | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: AnyIndex, role: int = _D.DisplayRole) -> Any:
        # A repaint asks ~7 roles per cell: answer the ones not served before any lookup.
        if role not in _SERVED or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._ids) or not 0 <= index.column() < len(Column):
            return None
        item = self._items[self._ids[row]]
        if role >= Qt.ItemDataRole.UserRole:
            return self._custom(item, Role(role))
        return self._presentation(item, Column(index.column()), role)

    def booking_id_at(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, booking_id: str) -> int:
        """The row showing `booking_id`, or -1."""
        item = self._items.get(booking_id)
        return -1 if item is None else self._find(sort_key(item.booking))

    def visible_booking(self, booking_id: str) -> VisibleBooking | None:
        return self._items.get(booking_id)

    def visible_between(self, start: datetime, end: datetime) -> list[VisibleBooking]:
        """Rows starting in [start, end), in order: a bisect, not a scan (for the day view)."""
        first = bisect_left(self._keys, (start, ""))
        last = bisect_left(self._keys, (end, ""))
        return [self._items[booking_id] for booking_id in self._ids[first:last]]

    def set_row_filter(self, accepts: RowFilter | None) -> None:
        """The test `Role.FILTER_MATCH` answers with (a filter proxy's: see bookings_filter)."""
        self._row_filter = accepts

    def search_text(self, item: VisibleBooking) -> str:
        """The lower-case words of a row that a text filter matches (`Role.SEARCH_TEXT`)."""
        booking = item.booking
        words = (
            self.other_party_name(booking),
            self.other_party(booking),
            booking.service,
            status_label(booking.status),
            booking.note,
        )
        return " ".join(words).casefold()

    def set_perspective(self, role: UserRole) -> None:
        """Whose bookings these are: a master's show the customer, a customer's the master."""
        show_masters = role is UserRole.CUSTOMER
        if show_masters == self._show_masters:
            return
        self._show_masters = show_masters
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, Column.CUSTOMER, Column.CUSTOMER)
        self._customer_column_changed()

    def other_party(self, booking: Booking) -> str:
        """The id of the person on the other side of the booking."""
        return booking.master_id if self._show_masters else booking.customer_id

    def other_party_name(self, booking: Booking) -> str:
        return self.display_name(self.other_party(booking))

    def display_names(self) -> dict[str, str]:
        return dict(self._names)

    def display_name(self, user_id: str) -> str:
        return self._names.get(user_id, user_id)

    # -- changing --------------------------------------------------------------------------------

    def is_bulk(self, rows: RowsChanged) -> bool:
        """Whether `apply` will reload everything: a first load, or too many rows at once.

        Each insert through the proxy and view costs O(rows); a first full sync of 100k bookings
        as 100k inserts would take minutes, one reset takes milliseconds.
        """
        changed = len(rows.inserted) + len(rows.updated) + len(rows.removed)
        return (not self._ids and len(rows.inserted) > 1) or changed >= BULK_CHANGES

    def apply(self, rows: RowsChanged) -> None:
        """Mirror one engine change with minimal signals: removals, then updates, then inserts.

        A bulk change (`is_bulk`) is one reset instead, the only reset outside `reset_all`.
        """
        if self.is_bulk(rows):
            self.reset_all()
            return
        visible = self._source()
        for booking_id in sorted(rows.removed):
            self._remove(booking_id)
        for booking_id in sorted(rows.updated | rows.inserted):
            fresh = visible.get(booking_id)
            if fresh is None:
                self._remove(booking_id)
            elif booking_id in self._items:
                self._update(fresh)
            else:
                self._insert(fresh)

    def mark_conflict(self, booking_id: str, why: str) -> None:
        """Flag a row whose change of the user's was undone, until `clear_conflict`."""
        self._conflicts[booking_id] = why
        self._row_changed(booking_id)

    def clear_conflict(self, booking_id: str) -> None:
        if self._conflicts.pop(booking_id, None) is not None:
            self._row_changed(booking_id)

    def mark_new(self, booking_id: str) -> None:
        """Highlight a request that came in, until `clear_new` (the user looked at it)."""
        if booking_id not in self._new and self.row_of(booking_id) >= 0:
            self._new.add(booking_id)
            self._row_changed(booking_id)

    def clear_new(self, booking_id: str) -> None:
        if booking_id in self._new:
            self._new.discard(booking_id)
            self._row_changed(booking_id)

    def new_ids(self) -> frozenset[str]:
        return frozenset(self._new)

    def conflict(self, booking_id: str) -> str | None:
        return self._conflicts.get(booking_id)

    def _row_changed(self, booking_id: str) -> None:
        row = self.row_of(booking_id)
        if row >= 0:
            self.dataChanged.emit(
                self.index(row, 0), self.index(row, len(Column) - 1), CHANGED_ROLES
            )

    def reset_all(self) -> None:
        """Reload everything from the source: only for a full resync, never for one change."""
        self.beginResetModel()
        self._load()
        self.endResetModel()

    def set_display_names(self, names: Mapping[str, str]) -> None:
        """Learn user names; only the customer cells repaint."""
        self._names.update(names)
        self._customer_column_changed()

    def _customer_column_changed(self) -> None:
        if self._ids:
            self.dataChanged.emit(
                self.index(0, Column.CUSTOMER),
                self.index(len(self._ids) - 1, Column.CUSTOMER),
                [
                    _D.DisplayRole,
                    _D.ToolTipRole,
                    _D.AccessibleTextRole,
                    Role.SEARCH_TEXT,
                    Role.FILTER_MATCH,
                ],
            )

    def _load(self) -> None:
        # One pass builds the keys; sorting the bare key tuples (ids are unique, so no ties) is
        # ~3x faster than sorting the rows by a key function, and the ids come out of the keys.
        # The source is keyed by booking id already: a plain copy, no attribute read per row.
        # `copy()` of the engine's read-only view copies the dict beneath at C speed; `dict()`
        # of it would read key by key (100k rows: ~12 ms -> ~1 ms).
        source = self._source()
        items = source.copy() if isinstance(source, dict | MappingProxyType) else dict(source)
        keys = [(v.booking.starts_at, booking_id) for booking_id, v in items.items()]
        keys.sort()
        self._keys = keys
        self._ids = [booking_id for _, booking_id in keys]
        self._items = items
        self._new.intersection_update(items)

    def _find(self, key: SortKey) -> int:
        row = bisect_left(self._keys, key)
        return row if row < len(self._keys) and self._keys[row] == key else -1

    def _insert(self, fresh: VisibleBooking) -> None:
        key = sort_key(fresh.booking)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._keys.insert(row, key)
        self._ids.insert(row, fresh.booking.id)
        self._items[fresh.booking.id] = fresh
        self.endInsertRows()

    def _remove(self, booking_id: str) -> None:
        row = self.row_of(booking_id)
        self._conflicts.pop(booking_id, None)
        self._new.discard(booking_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._keys[row]
        del self._ids[row]
        del self._items[booking_id]
        self.endRemoveRows()

    def _update(self, fresh: VisibleBooking) -> None:
        booking_id = fresh.booking.id
        row = self.row_of(booking_id)
        old_key, new_key = self._keys[row], sort_key(fresh.booking)
        if new_key != old_key:
            row = self._move(row, new_key)
        self._items[booking_id] = fresh
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1), CHANGED_ROLES)

    def _move(self, row: int, new_key: SortKey) -> int:
        """Move one row to where `new_key` sorts; returns its new row."""
        booking_id = self._ids[row]
        keys_without = self._keys[:row] + self._keys[row + 1 :]
        target = bisect_left(keys_without, new_key)
        if target == row:  # same place among the others: only the key changes
            self._keys[row] = new_key
            return row
        # Qt counts the destination in the list as it is before the move.
        destination = target if target < row else target + 1
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        del self._keys[row]
        del self._ids[row]
        self._keys.insert(target, new_key)
        self._ids.insert(target, booking_id)
        self.endMoveRows()
        return target

    # -- presentation ----------------------------------------------------------------------------

    def _header(self, column: Column) -> str:
        return {
            Column.TIME: self.tr("Time"),
            Column.CUSTOMER: self.tr("Master") if self._show_masters else self.tr("Customer"),
            Column.SERVICE: self.tr("Service"),
            Column.STATUS: self.tr("Status"),
            Column.NOTE: self.tr("Note"),
            Column.VERSION: self.tr("Version"),
        }[column]

    def _custom(self, item: VisibleBooking, role: Role) -> Any:
        booking = item.booking
        match role:
            case Role.BOOKING_ID:
                return booking.id
            case Role.STATUS:
                return booking.status
            case Role.PENDING:
                return item.pending
            case Role.VERSION:
                return booking.version
            case Role.BOOKING:
                return booking
            case Role.PENDING_ACTION:
                return item.pending_action
            case Role.SEARCH_TEXT:
                return self.search_text(item)
            case Role.STARTS_AT:
                return booking.starts_at
            case Role.CONFLICT:
                return self._conflicts.get(booking.id)
            case Role.NEW:
                return booking.id in self._new
            case Role.FILTER_MATCH:
                accepts = self._row_filter
                return "1" if accepts is None or accepts(item) else ""

    def _presentation(self, item: VisibleBooking, column: Column, role: int) -> Any:
        if role == _D.DisplayRole:
            return self._text(item.booking, column)
        if role == _D.AccessibleTextRole:
            text = self._text(item.booking, column)
            if column == Column.TIME and item.booking.id in self._new:
                return self.tr("New: %s") % text
            return text
        if role == _D.ToolTipRole:
            return self._tooltip(item, column)
        if role == _D.TextAlignmentRole:
            return int(_alignment(column) | Qt.AlignmentFlag.AlignVCenter)
        if not item.pending:
            new = item.booking.id in self._new
            if role == _D.DecorationRole and column == Column.TIME:
                if item.booking.id in self._conflicts:
                    return self._conflict_marker()
                return self._new_marker() if new else None
            if role == _D.FontRole and new:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == _D.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        if role == _D.ForegroundRole:
            return QBrush(PENDING_COLOR)
        if role == _D.DecorationRole and column == Column.TIME:
            return self._pending_marker()
        return None

    def _text(self, booking: Booking, column: Column) -> str:
        match column:
            case Column.TIME:
                return time_range(booking)
            case Column.CUSTOMER:
                return self.other_party_name(booking)
            case Column.SERVICE:
                return booking.service
            case Column.STATUS:
                return status_label(booking.status)
            case Column.NOTE:
                return booking.note.replace("\n", " ")
            case Column.VERSION:
                return str(booking.version)

    def _tooltip(self, item: VisibleBooking, column: Column) -> str | None:
        if (why := self._conflicts.get(item.booking.id)) is not None and not item.pending:
            return self.tr("Your change was undone: %s") % why
        if item.pending:
            if item.pending_action is not None:
                return self.tr("Saving… (%s)") % action_label(item.pending_action)
            return self.tr("Saving…")
        if item.booking.id in self._new:
            return self.tr("New request — not looked at yet")
        if column == Column.NOTE and item.booking.note:
            return item.booking.note
        if column == Column.CUSTOMER:
            return self.other_party(item.booking)
        return None

    def _new_marker(self) -> QIcon:
        if self._new_icon is None:
            self._new_icon = _dot_icon(NEW_COLOR)
        return self._new_icon

    def _conflict_marker(self) -> QIcon:
        if self._conflict_icon is None:
            self._conflict_icon = _dot_icon(CONFLICT_COLOR)
        return self._conflict_icon

    def _pending_marker(self) -> QIcon:
        if self._pending_icon is None:
            self._pending_icon = _dot_icon(PENDING_COLOR)
        return self._pending_icon


def _alignment(column: Column) -> Qt.AlignmentFlag:
    return Qt.AlignmentFlag.AlignRight if column == Column.VERSION else Qt.AlignmentFlag.AlignLeft


def _dot_icon(color: QColor, size: int = 10) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def ids_in_order(model: BookingsTableModel) -> Iterable[str]:
    """Every booking id, top row first (for tests and selection restore)."""
    return [model.booking_id_at(row) for row in range(model.rowCount())]
