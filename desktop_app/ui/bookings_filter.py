"""The proxy between the bookings model and the table: it filters (text, scope) and never sorts.

Order lives in the model; a proxy re-sort of 100k rows calls Python `data()` ~3 M times and freezes
the UI for ~20 s (../shared/QT_NOTES.md), so `sort()` is never called and sortColumn stays -1.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from booking_core import Status
from desktop_app.ui.bookings_model import Role

Clock = Callable[[], datetime]


class Scope(StrEnum):
    ALL = "all"
    TODAY = "today"
    UPCOMING = "upcoming"
    NEEDS_ANSWER = "needs_answer"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class BookingsFilterProxy(QSortFilterProxyModel):
    """Keeps rows whose text holds every typed word and that fall in the chosen scope."""

    def __init__(self, clock: Clock = _utc_now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._words: tuple[str, ...] = ()
        self._scope = Scope.ALL
        self.setDynamicSortFilter(True)  # re-filter changed rows; with sortColumn -1 nothing sorts

    def scope(self) -> Scope:
        return self._scope

    def set_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words != self._words:
            self._change_filter(lambda: setattr(self, "_words", words))

    def set_scope(self, scope: Scope) -> None:
        if scope != self._scope:
            self._change_filter(lambda: setattr(self, "_scope", scope))

    def _change_filter(self, change: Callable[[], None]) -> None:
        self.beginFilterChange()
        change()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        # A reset runs this for every row (100k): with no filter, answer before any Qt call.
        if not self._words and self._scope is Scope.ALL:
            return True
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._words:
            text = model.data(index, Role.SEARCH_TEXT) or ""
            if not all(word in text for word in self._words):
                return False
        return self._in_scope(index)

    def _in_scope(self, index: QModelIndex) -> bool:
        if self._scope is Scope.ALL:
            return True
        model = self.sourceModel()
        if self._scope is Scope.NEEDS_ANSWER:
            return bool(model.data(index, Role.STATUS) == Status.PENDING)
        starts_at: datetime = model.data(index, Role.STARTS_AT)
        now = self._clock()
        if self._scope is Scope.UPCOMING:
            return starts_at >= now
        local_now = now.astimezone()
        day_start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        return day_start <= starts_at < day_start + timedelta(days=1)
