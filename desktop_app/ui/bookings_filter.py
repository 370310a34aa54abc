"""The proxy between the bookings model and the table: it filters (text, scope) and never sorts.

Order lives in the model; a proxy re-sort of 100k rows calls Python `data()` ~3 M times and freezes
the UI for ~20 s (docs/qt-notes.md), so `sort()` is never called and sortColumn stays -1.

The proxy does not override `filterAcceptsRow`: with a Python override Qt calls into Python for
every row on each reset (100k rows: ~80 ms of a start, even with no filter set). Instead it uses
Qt's own filter on the model's `Role.FILTER_MATCH` ("1" when a row passes this proxy's test, which
the model asks through `set_row_filter`) and sets that filter only while the user filters: with
none, Qt accepts every row without calling Python (100k rows: ~2 ms).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum

from PySide6.QtCore import QAbstractItemModel, QObject, QSortFilterProxyModel

from booking_core import Clock, Status, utc_now
from desktop_app.sync import VisibleBooking
from desktop_app.ui.bookings_model import BookingsTableModel, Role

_MATCH = "1"  # what `Role.FILTER_MATCH` answers for a row that passes


class Scope(StrEnum):
    ALL = "all"
    TODAY = "today"
    UPCOMING = "upcoming"
    NEEDS_ANSWER = "needs_answer"


class BookingsFilterProxy(QSortFilterProxyModel):
    """Keeps rows whose text holds every typed word and that fall in the chosen scope."""

    def __init__(self, clock: Clock = utc_now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._words: tuple[str, ...] = ()
        self._scope = Scope.ALL
        self.setFilterRole(Role.FILTER_MATCH)
        self.setFilterKeyColumn(0)
        self.setDynamicSortFilter(True)  # re-filter changed rows; with sortColumn -1 nothing sorts

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        previous = self.sourceModel()
        if isinstance(previous, BookingsTableModel):
            previous.set_row_filter(None)
        super().setSourceModel(model)
        if isinstance(model, BookingsTableModel):
            model.set_row_filter(self.accepts)

    def scope(self) -> Scope:
        return self._scope

    def set_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words != self._words:
            self._change_filter(lambda: setattr(self, "_words", words))

    def set_scope(self, scope: Scope) -> None:
        if scope != self._scope:
            self._change_filter(lambda: setattr(self, "_scope", scope))

    def filtering(self) -> bool:
        return bool(self._words) or self._scope is not Scope.ALL

    def _change_filter(self, change: Callable[[], None]) -> None:
        self.beginFilterChange()
        change()
        pattern = _MATCH if self.filtering() else ""
        if pattern != self.filterRegularExpression().pattern():
            self.setFilterFixedString(pattern)  # re-filters the rows (no reset)
        else:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def accepts(self, item: VisibleBooking) -> bool:
        """Whether a row passes the typed words and the scope."""
        if self._words:
            model = self.sourceModel()
            text = model.search_text(item) if isinstance(model, BookingsTableModel) else ""
            if not all(word in text for word in self._words):
                return False
        return self._in_scope(item)

    def _in_scope(self, item: VisibleBooking) -> bool:
        if self._scope is Scope.ALL:
            return True
        booking = item.booking
        if self._scope is Scope.NEEDS_ANSWER:
            return booking.status == Status.PENDING
        now = self._clock()
        if self._scope is Scope.UPCOMING:
            # What is still ahead: active bookings not over yet (one in progress is).
            return booking.is_active and booking.ends_at > now
        # Today: every booking that takes up part of the local day, e.g. one since 23:00.
        local_now = now.astimezone()
        day_start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        return booking.starts_at < day_start + timedelta(days=1) and booking.ends_at > day_start

    def clock_moved(self) -> None:
        """Re-filter the scopes that depend on the time (call it as the clock passes)."""
        if self._scope in (Scope.TODAY, Scope.UPCOMING):
            self._change_filter(lambda: None)
