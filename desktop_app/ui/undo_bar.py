"""The undo bar: "Moved “Haircut” to Wed 25 Nov 14:00 · Undo", for several seconds after a change
that has an inverse (a move, a new length, a new note), as Google Calendar and Gmail do.

The bar only offers; the window sends the inverse through the controller when Undo (or Ctrl+Z)
is pressed. Changes without an inverse (complete, no-show, decline, cancel) ask before they are
sent instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from booking_core import BookingPatch

UNDO_MS = 8_000  # how long the bar offers to undo


@dataclass(frozen=True, slots=True)
class Undoable:
    """What was done (in words) and the patch that puts the booking back."""

    booking_id: str
    text: str
    inverse: BookingPatch


class UndoBar(QFrame):
    """`offer(undoable)` shows the bar; Undo emits `undo_requested(undoable)` and hides it."""

    undo_requested = Signal(object)  # Undoable

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.setAccessibleName(self.tr("Undo"))
        self._label = QLabel(self)
        self._label.setObjectName("undoBarText")
        self.undo_button = QPushButton(self.tr("Undo"), self)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolTip(self.tr("Undo (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo)
        close = QToolButton(self)
        close.setText("×")
        close.setAccessibleName(self.tr("Dismiss"))
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 8, 6)
        layout.setSpacing(12)
        layout.addWidget(self._label, 1)
        layout.addWidget(self.undo_button)
        layout.addWidget(close)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(UNDO_MS)
        self.timer.timeout.connect(self.dismiss)
        self._offered: Undoable | None = None
        self.hide()

    def text(self) -> str:
        return self._label.text() if self._offered is not None else ""

    def offered(self) -> Undoable | None:
        return self._offered

    def offer(self, undoable: Undoable) -> None:
        self._offered = undoable
        self._label.setText(undoable.text)
        self.setAccessibleDescription(undoable.text)
        self.show()
        self.timer.start()

    def undo(self) -> None:
        undoable = self._offered
        self.dismiss()
        if undoable is not None:
            self.undo_requested.emit(undoable)

    def dismiss(self) -> None:
        self._offered = None
        self.timer.stop()
        self.hide()

    def forget(self, booking_id: str) -> None:
        """Withdraw an offer for `booking_id` (the server undid the change itself)."""
        if self._offered is not None and self._offered.booking_id == booking_id:
            self.dismiss()
