"""The naive baseline, done plainly and honestly: poll the full list, reset the whole model.

`NaiveModel` holds the parsed JSON rows and is reset on every change; the view shows it through a
QSortFilterProxyModel sorted by start time, as a plain Qt app would sort a table. `NaivePoller`
fetches the full list every 3 s and resets the model whenever the answer differs.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

COLUMNS = ("starts_at", "customer_id", "service", "status", "note", "version")
POLL_SECONDS = 3.0
Row = dict[str, Any]


class NaiveModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        # Fair to the baseline: unserved roles return at once, as ours do.
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        return str(self._rows[index.row()][COLUMNS[index.column()]])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def replace_all(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()


def sorted_proxy(model: NaiveModel, parent: QObject | None = None) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setDynamicSortFilter(True)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)  # ISO times sort as text
    return proxy


class NaivePoller:
    """GET the full list every 3 s; reset the model when it changed. `on_poll(started, ended)`
    is called after each poll with loop times, for latency accounting."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        model: NaiveModel | None,
        on_poll: Callable[[float, float, bool], None] | None = None,
        period: float = POLL_SECONDS,
        path: str = "/api/v1/bookings",
    ) -> None:
        self._client = client
        self._path = path  # relative to the client's base URL
        self._model = model
        self._on_poll = on_poll
        self._period = period
        self._last: bytes | None = None
        self.polls = 0

    async def run(self, offset: float = 0.0) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(offset)
        next_at = loop.time()
        while True:
            started = loop.time()
            response = await self._client.get(self._path)
            changed = response.content != self._last
            if changed:
                self._last = response.content
                if self._model is not None:
                    self._model.replace_all(json.loads(response.content)["bookings"])
            self.polls += 1
            if self._on_poll is not None:
                self._on_poll(started, loop.time(), changed)
            next_at += self._period
            await asyncio.sleep(max(0.0, next_at - loop.time()))
