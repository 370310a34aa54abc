"""The non-blocking dialog that says which of the user's changes the server undid, why, and how the
booking stands now. Rollbacks that pile up while it is open are listed in the same dialog. A
master's catalog changes (services, working hours, time off) are told the same way, in the words
of `catalog_words`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from booking_core import SYSTEM_ACTOR, Booking, ErrorCode
from desktop_app.sync import CatalogRollback, Rollback
from desktop_app.ui.catalog_words import catalog_now, catalog_what, catalog_why
from desktop_app.ui.resources import icon
from desktop_app.ui.status_badge import status_badge
from desktop_app.ui.statuses import action_past, rollback_reason, time_range


class RollbackDialog(QDialog):
    """Lists undone changes; `add(rollback)` appends one and shows the dialog without blocking.

    With `can_retry`, a change that would still be allowed gets a "Try again" button, which emits
    `retry_requested(rollback)`.
    """

    retry_requested = Signal(object)  # Rollback

    def __init__(
        self,
        display_name: Callable[[str], str] | None = None,
        parent: QWidget | None = None,
        *,
        other_party: Callable[[Booking], str] | None = None,
        can_retry: Callable[[Rollback], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rollbackDialog")
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setWindowIcon(icon("undo"))
        self.setAccessibleName(self.tr("Undone changes"))
        self.setMinimumWidth(460)
        name = self._name = display_name or (lambda user_id: user_id)
        # Who the booking is with, by name: the customer for a master, the master for a customer.
        self._other_party = other_party or (lambda booking: name(booking.customer_id))
        self._rollbacks: list[Rollback | CatalogRollback] = []
        self._can_retry = can_retry or (lambda _rollback: False)
        self._heading = QLabel(self)
        self._heading.setObjectName("dialogHeading")
        hint = QLabel(self.tr("The server did not accept these changes, so they were undone."))
        hint.setObjectName("dialogHint")
        hint.setWordWrap(True)
        self._cards = QVBoxLayout()
        self._cards.setSpacing(8)
        self._cards.addStretch(1)
        holder = QWidget()
        holder.setObjectName("rollbackList")
        holder.setLayout(self._cards)
        scroll = QScrollArea(self)
        scroll.setObjectName("rollbackScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(self._heading)
        layout.addWidget(hint)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.finished.connect(self._clear)

    def rollbacks(self) -> list[Rollback | CatalogRollback]:
        return list(self._rollbacks)

    def texts(self) -> list[str]:
        """Every card's text, one string per undone change (what, why, now)."""
        return [
            "\n".join(label.text() for label in card.findChildren(QLabel))
            for card in self._card_widgets()
        ]

    def add(self, rollback: Rollback | CatalogRollback) -> None:
        """A slot for `change_rolled_back`: list it and show the dialog (show, never exec)."""
        self._rollbacks.append(rollback)
        self._cards.insertWidget(self._cards.count() - 1, self._card(rollback))
        self._heading.setText(
            self.tr("A change was undone")
            if len(self._rollbacks) == 1
            else self.tr("%n changes were undone", "", len(self._rollbacks))
        )
        self.setWindowTitle(self._heading.text())
        self.show()
        self.raise_()

    def _card_widgets(self) -> list[QFrame]:
        items = (self._cards.itemAt(i) for i in range(self._cards.count()))
        return [w for item in items if item and isinstance(w := item.widget(), QFrame)]

    def _clear(self) -> None:
        self._rollbacks.clear()
        for card in self._card_widgets():
            self._cards.removeWidget(card)
            card.deleteLater()

    def _card(self, rollback: Rollback | CatalogRollback) -> QFrame:
        card = QFrame()
        card.setObjectName("rollbackCard")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        if isinstance(rollback, CatalogRollback):
            what = catalog_what(rollback)
            layout.addWidget(_label(what, "rollbackWhat"))
            layout.addWidget(_label(catalog_why(rollback), "rollbackWhy"))
            now = catalog_now(rollback)
            if now is not None:
                layout.addWidget(_label(now, "rollbackCurrent"))
            card.setAccessibleName(what)
            return card
        layout.addWidget(_label(self._what(rollback), "rollbackWhat"))
        layout.addWidget(_label(self._why(rollback), "rollbackWhy"))
        row = self._now_row(rollback.current)
        if rollback.intent is not None and self._can_retry(rollback):
            row.addWidget(self._retry_button(rollback))
        layout.addLayout(row)
        card.setAccessibleName(self._what(rollback))
        return card

    def _retry_button(self, rollback: Rollback) -> QPushButton:
        button = QPushButton(self.tr("Try again"))
        button.setObjectName("rollbackRetry")
        button.setAccessibleName(self.tr("Try the change again"))
        button.setAutoDefault(False)

        def retry() -> None:
            button.setEnabled(False)
            button.setText(self.tr("Sent again"))
            self.retry_requested.emit(rollback)

        button.clicked.connect(retry)
        return button

    def retry_buttons(self) -> list[QPushButton]:
        return [b for card in self._card_widgets() for b in card.findChildren(QPushButton)]

    def _now_row(self, booking: Booking | None) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        row.setContentsMargins(0, 4, 0, 0)
        if booking is None:
            row.addWidget(_label(self.tr("The server has no such booking now."), "rollbackCurrent"))
            return row
        row.addWidget(_label(self.tr("Now on the server:"), "rollbackCurrent"))
        row.addWidget(status_badge(booking.status))
        row.addWidget(_label(time_range(booking), "rollbackCurrent"), 1)
        return row

    def _what(self, rollback: Rollback) -> str:
        change = action_past(rollback.action)
        booking = rollback.current
        if booking is None:
            return self.tr("Your %s was undone.") % change
        return self.tr("Your %s of “%s” with %s was undone.") % (
            change,
            booking.service,
            self._other_party(booking),
        )

    def _why(self, rollback: Rollback) -> str:
        current = rollback.current
        who = (
            self._name(current.updated_by)
            if current is not None and current.updated_by != SYSTEM_ACTOR
            else None
        )
        # A name known: say who, not "someone else".
        if (
            rollback.code == ErrorCode.VERSION_CONFLICT
            and current is not None
            and who
            and who != current.updated_by
        ):
            return self.tr("%s changed this booking first, at %s.") % (
                who,
                current.updated_at.astimezone().strftime("%H:%M"),
            )
        return rollback_reason(str(rollback.code))


def _label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
