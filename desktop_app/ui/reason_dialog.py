"""The small non-blocking dialog that asks why, before a decline, a cancel or a no-show is sent.

The reason is optional: OK sends the change with the text (or without one when it is empty),
Cancel sends nothing. The other party sees the reason in their details panel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
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
        self.text.setPlaceholderText(self._example(action))
        self.text.setTabChangesFocus(True)
        self.text.textChanged.connect(self._limit)
        hint.setBuddy(self.text)
        # The buttons name what they do; the change is not a green tick, going back is no "Cancel"
        # (beside "Cancel booking" that reads as the same thing).
        self.buttons = QDialogButtonBox(self)
        self.send_button = self.buttons.addButton(
            action_label(action), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setObjectName("destructiveButton")
        self.send_button.setIcon(QIcon())
        self.back_button = self.buttons.addButton(
            self.tr("Go back"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.back_button.setIcon(QIcon())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        hint.setText(hint.text() + " " + self.tr("(Ctrl+Enter sends)"))
        self.text.installEventFilter(self)  # Ctrl+Enter in the text sends (it would add a line)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)
        self.text.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.text
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def _example(self, action: Action) -> str:
        """A hint that fits the change (a no-show's reason is the customer's absence)."""
        if action is Action.NO_SHOW:
            return self.tr("For example: did not come and did not answer the phone.")
        if action is Action.DECLINE:
            return self.tr("For example: I am fully booked that afternoon.")
        return self.tr("For example: I am ill that day.")

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
