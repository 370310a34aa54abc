"""The status-bar sync indicator: a coloured dot and "Last synced 14:32:05", driven by SyncStatus.

Green means synchronized, orange an update in progress, red offline; the tooltip carries the detail.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop_app.sync import SyncState, SyncStatus
from desktop_app.ui.statuses import sync_detail

DOT_COLORS: dict[SyncState, QColor] = {
    SyncState.SYNCHRONIZED: QColor("#16a34a"),
    SyncState.UPDATING: QColor("#f59e0b"),
    SyncState.OFFLINE: QColor("#dc2626"),
}


class StatusDot(QWidget):
    """A small filled circle in one colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color = QColor("#9ca3af")
        self.setFixedSize(QSize(12, 12))

    def color(self) -> QColor:
        return self._color

    def set_color(self, color: QColor) -> None:
        if color != self._color:
            self._color = color
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._color)
        painter.drawEllipse(1, 1, self.width() - 2, self.height() - 2)
        painter.end()


class SteadyLabel(QLabel):
    """A label that keeps a fixed size, changed only when its text's size changes.

    A plain label asks its layout again on every new text; in the status bar that re-lays out and
    repaints the whole bar. The "Last synced 14:32:05" text changes every second, mostly to one
    of the same width: then only the label repaints.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._fit()

    def set_text(self, text: str) -> None:
        if text != self.text():
            self.setText(text)
            self._fit()

    def _fit(self) -> None:
        hint = self.sizeHint()
        if hint != self.maximumSize() or hint != self.minimumSize():
            self.setFixedSize(hint)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()  # a new look (theme, style sheet) may need another size


class StatusIndicator(QWidget):
    """Shows one SyncStatus; call `set_status` (a slot for `sync_status_changed`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self.setAccessibleName(self.tr("Sync status"))
        self._dot = StatusDot(self)
        self._label = SteadyLabel(self.tr("Connecting…"), self)
        self._label.setObjectName("statusText")
        self._shown: tuple[object, ...] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setSpacing(6)
        layout.addWidget(self._dot)
        layout.addWidget(self._label)

    def color(self) -> QColor:
        return self._dot.color()

    def text(self) -> str:
        return self._label.text()

    def set_status(self, status: SyncStatus) -> None:
        """Called for every status (each live event is a new "last synced" moment): does nothing
        unless what it shows changed, which is to the second."""
        synced = status.last_synced_at
        shown = (
            status.state,
            status.pending,
            status.reason,
            synced and synced.replace(microsecond=0),
        )
        if shown == self._shown:
            return
        self._shown = shown
        self._dot.set_color(DOT_COLORS[status.state])
        text = self._summary(status)
        self._label.set_text(text)
        self.setAccessibleDescription(text)
        self.setToolTip(self._detail(status))

    def _summary(self, status: SyncStatus) -> str:
        parts = [self._state_words(status.state), self._last_synced(status.last_synced_at)]
        if status.pending:
            parts.append(
                self.tr("1 change waiting")
                if status.pending == 1
                else self.tr("%n changes waiting", "", status.pending)
            )
        return " · ".join(parts)

    def _state_words(self, state: SyncState) -> str:
        return {
            SyncState.SYNCHRONIZED: self.tr("Up to date"),
            SyncState.UPDATING: self.tr("Updating…"),
            SyncState.OFFLINE: self.tr("Offline"),
        }[state]

    def _last_synced(self, when: datetime | None) -> str:
        if when is None:
            return self.tr("Not synced yet")
        return self.tr("Last synced %s") % when.astimezone().strftime("%H:%M:%S")

    def _detail(self, status: SyncStatus) -> str:
        meaning = {
            SyncState.SYNCHRONIZED: self.tr("Everything you see matches the server."),
            SyncState.UPDATING: self.tr("Changes are being sent to or fetched from the server."),
            SyncState.OFFLINE: self.tr(
                "The server cannot be reached. Your changes are kept and sent when it returns."
            ),
        }[status.state]
        return f"{meaning}\n{sync_detail(status)}"
