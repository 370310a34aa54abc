"""The sync diagnostics window: connection state, cursor, the pending queue with ages, recent
rollbacks and the engine's counters (conflicts, retries, reconnects, event latency).

It reads a `Snapshot` built from the engine's public state, refreshes once a second while shown,
and never changes anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.sync import (
    CatalogEntry,
    CatalogRollback,
    OutboxEntry,
    Rollback,
    SyncCounters,
    SyncStatus,
    action_of,
)
from desktop_app.sync import Snapshot as EngineSnapshot
from desktop_app.ui.catalog_words import catalog_change_label, catalog_subject, catalog_why
from desktop_app.ui.statuses import action_label, rollback_reason, sync_detail

REFRESH_MS = 1000


@dataclass(frozen=True, slots=True)
class PendingChange:
    """`booking_id` is named in words by the window; `what` (a catalog change's) is the words."""

    action: str
    booking_id: str
    age: timedelta
    sent: bool
    what: str | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    now: datetime
    status: SyncStatus
    cursor: int | None
    next_wakeup: datetime | None
    counters: SyncCounters
    pending: tuple[PendingChange, ...]
    rollbacks: tuple[tuple[datetime, Rollback | CatalogRollback], ...]


def pending_of(
    outbox: Iterable[OutboxEntry], now: datetime, catalog: Iterable[CatalogEntry] = ()
) -> tuple[PendingChange, ...]:
    bookings = [
        PendingChange(
            action_label(action_of(entry.intent)), entry.booking_id, now - entry.made_at, entry.sent
        )
        for entry in outbox
    ]
    changes = [
        PendingChange(
            catalog_change_label(entry.intent),
            entry.target,
            now - entry.made_at,
            entry.sent,
            catalog_subject(entry.intent),
        )
        for entry in catalog
    ]
    return (*bookings, *changes)


def snapshot_of(
    engine: EngineSnapshot,
    now: datetime,
    rollbacks: Iterable[tuple[datetime, Rollback | CatalogRollback]] = (),
) -> Snapshot:
    """The engine's snapshot of itself (values, from the controller) as this window shows it."""
    return Snapshot(
        now=now,
        status=engine.status,
        cursor=engine.cursor,
        next_wakeup=engine.next_wakeup,
        counters=engine.counters,
        pending=pending_of(engine.outbox, now, engine.catalog_outbox),
        rollbacks=tuple(rollbacks),
    )


class SyncDiagnostics(QDialog):
    """Non-blocking; `source()` is called on every refresh."""

    def __init__(
        self,
        source: Callable[[], Snapshot],
        parent: QWidget | None = None,
        *,
        describe: Callable[[str], str] | None = None,
        account: Callable[[], str] | None = None,
        server: Callable[[], str] | None = None,
    ) -> None:
        """`describe(booking id)` names a booking in words (default: its id); `account()` says
        who is signed in, `server()` the server's address."""
        super().__init__(parent)
        self._describe = describe or (lambda booking_id: booking_id)
        self._account = account or (lambda: "—")
        self._server = server or (lambda: "—")
        self.setObjectName("syncDiagnostics")
        self.setWindowTitle(self.tr("Sync diagnostics"))
        self.setAccessibleName(self.tr("Sync diagnostics"))
        self.setModal(False)
        self.resize(720, 560)
        self._source = source
        self._values: dict[str, QLabel] = {}
        self._pending = self._table(
            [self.tr("Change"), self.tr("Sent"), self.tr("Waiting for"), self.tr("Booking")]
        )
        self._rollbacks = self._table([self.tr("When"), self.tr("Change"), self.tr("Why")])
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(self._group(self.tr("Connection"), self._connection_rows()), 1)
        top.addWidget(self._group(self.tr("Counters"), self._counter_rows()), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self._box(self.tr("Pending changes"), self._pending), 1)
        layout.addWidget(self._box(self.tr("Recent rollbacks"), self._rollbacks), 1)
        layout.addWidget(buttons)

    def value(self, key: str) -> str:
        return self._values[key].text()

    def pending_rows(self) -> list[list[str]]:
        return _rows_of(self._pending)

    def rollback_rows(self) -> list[list[str]]:
        return _rows_of(self._rollbacks)

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        snap = self._source()
        status = snap.status
        self._set("server", self._server())
        self._set("account", self._account())
        self._set("state", status.state.value)
        self._set("detail", sync_detail(status))
        self._set("last_synced", _clock(status.last_synced_at))
        self._set("cursor", "—" if snap.cursor is None else str(snap.cursor))
        self._set("next_wakeup", _clock(snap.next_wakeup))
        self._set("pending", str(status.pending))
        for field in fields(SyncCounters):
            self._set(field.name, _counter(getattr(snap.counters, field.name)))
        _fill(
            self._pending,
            [
                [
                    p.action,
                    self.tr("yes") if p.sent else self.tr("no"),
                    _age(p.age),
                    self._describe(p.booking_id) if p.what is None else p.what,
                ]
                for p in snap.pending
            ],
        )
        _fill(
            self._rollbacks,
            [[_clock(at), *_rollback_row(r)] for at, r in reversed(snap.rollbacks)],
        )

    # -- building ---------------------------------------------------------------------------------

    def _connection_rows(self) -> list[tuple[str, str]]:
        return [
            ("server", self.tr("Server")),
            ("account", self.tr("Signed in as")),
            ("state", self.tr("State")),
            ("detail", self.tr("Detail")),
            ("last_synced", self.tr("Last synced")),
            ("cursor", self.tr("Cursor")),
            ("next_wakeup", self.tr("Next wake-up")),
            ("pending", self.tr("Pending changes")),
        ]

    def _counter_rows(self) -> list[tuple[str, str]]:
        return [(f.name, f.name.replace("_", " ").capitalize()) for f in fields(SyncCounters)]

    def _group(self, title: str, rows: list[tuple[str, str]]) -> QGroupBox:
        form = QFormLayout()
        form.setVerticalSpacing(4)
        for key, caption in rows:
            label = QLabel("—")
            label.setObjectName("diagnosticsValue")
            label.setWordWrap(True)
            self._values[key] = label
            form.addRow(caption, label)
        group = QGroupBox(title)
        group.setLayout(form)
        return group

    def _box(self, title: str, widget: QWidget) -> QGroupBox:
        group = QGroupBox(title)
        layout = QVBoxLayout(group)
        layout.addWidget(widget)
        return group

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        table.setWordWrap(True)
        table.setShowGrid(False)
        # Room for a few rows, not one: the header and four rows at least.
        rows = table.verticalHeader().defaultSectionSize()
        table.setMinimumHeight(table.horizontalHeader().sizeHint().height() + 4 * rows + 4)
        return table

    def _set(self, key: str, text: str) -> None:
        self._values[key].setText(text)


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def _rows_of(table: QTableWidget) -> list[list[str]]:
    return [
        [item.text() if (item := table.item(r, c)) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _clock(moment: datetime | None) -> str:
    return "—" if moment is None else moment.astimezone().strftime("%H:%M:%S")


def _age(age: timedelta) -> str:
    seconds = max(0, int(age.total_seconds()))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def _counter(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, timedelta):
        return f"{value.total_seconds() * 1000:.0f} ms"
    return str(value)


def _rollback_row(rollback: Rollback | CatalogRollback) -> list[str]:
    """What was undone and why, in a diagnostics row."""
    if isinstance(rollback, CatalogRollback):
        return [catalog_change_label(rollback.intent), catalog_why(rollback)]
    return [action_label(rollback.action), rollback_reason(rollback.code)]
