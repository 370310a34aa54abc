"""The small non-blocking dialog that asks why, before a decline, a cancel or a no-show is sent.

The reason is optional: OK sends the change with the text (or without one when it is empty),
Cancel sends nothing. The other party sees the reason in their details panel.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from booking_core import Action, Booking
from booking_core.models import MAX_NOTE
from desktop_app.ui.statuses import action_label, time_range

# The changes that ask for a reason first.
REASON_ACTIONS = frozenset({Action.DECLINE, Action.CANCEL, Action.NO_SHOW})


class ReasonDialog(QDialog):
    """Open with `open()`; emits `reason_given(booking_id, action, reason)` on OK (reason None when
    left empty) and nothing on Cancel. Deletes itself when closed."""

    reason_given = Signal(str, object, object)  # booking id, Action, str | None

    def __init__(self, booking: Booking, action: Action, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.booking_id = booking.id
        self.action = action
        self.setWindowTitle(action_label(action))
        self.setAccessibleName(self.tr("Reason"))
        self.setMinimumWidth(380)
        heading = QLabel(f"{booking.service} · {time_range(booking)}", self)
        heading.setObjectName("dialogHeading")
        heading.setWordWrap(True)
        hint = QLabel(self.tr("Reason (optional) — the other party will see it:"), self)
        hint.setObjectName("dialogHint")
        hint.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("reasonText")
        self.text.setAccessibleName(self.tr("Reason"))
        self.text.setPlaceholderText(self.tr("For example: I am ill that day."))
        self.text.setTabChangesFocus(True)
        self.text.textChanged.connect(self._limit)
        hint.setBuddy(self.text)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(action_label(action))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)
        self.text.setFocus()

    def reason(self) -> str | None:
        """The text typed, trimmed; None when there is none."""
        return self.text.toPlainText().strip() or None

    def accept(self) -> None:
        self.reason_given.emit(self.booking_id, self.action, self.reason())
        super().accept()

    def _limit(self) -> None:
        typed = self.text.toPlainText()
        if len(typed) > MAX_NOTE:
            self.text.setPlainText(typed[:MAX_NOTE])
            self.text.moveCursor(self.text.textCursor().MoveOperation.End)
