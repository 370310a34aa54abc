"""The details panel beside the table: every field of the selected booking, whether a change of the
user's is still being saved, and who else is viewing it right now (presence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from booking_core import SYSTEM_ACTOR, Booking, Role, Status, Viewer
from desktop_app.sync import VisibleBooking
from desktop_app.ui.status_badge import set_badge_status, status_badge
from desktop_app.ui.statuses import action_label, time_range

HISTORY_LINES = 5
# The statuses whose reason (the booking's `reason`, a protocol extension) the panel shows.
REASON_SHOWN = frozenset({Status.DECLINED, Status.CANCELLED, Status.NO_SHOW})


class BookingDetails(QFrame):
    """Call `show_booking(row)` on selection and on every change; `set_viewers` on presence."""

    def __init__(
        self,
        display_name: Callable[[str], str] | None = None,
        me: str | None = None,
        parent: QWidget | None = None,
        *,
        other_party: Callable[[Booking], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bookingDetails")
        self.setAccessibleName(self.tr("Booking details"))
        self._name = display_name or (lambda user_id: user_id)
        self._other_party = other_party or (lambda booking: self._name(booking.customer_id))
        self._captions_of: dict[str, QLabel] = {}
        self._me = me
        self._title = _label("detailsTitle")
        self._badge = status_badge()
        self._saving = _label("detailsSaving")
        self._reason = _label("detailsReason")
        self._reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._presence = _label("detailsPresence")
        self._history = _label("detailsHistory")
        self._history.setAccessibleName(self.tr("History"))
        self._empty = _label("detailsEmpty")
        self._empty.setText(self.tr("Select a booking to see its details."))
        self._fields: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        for n, (key, caption) in enumerate(self._captions()):
            row, pair = n % 2, n // 2
            caption_label = _label("detailsCaption")
            caption_label.setText(caption)
            self._captions_of[key] = caption_label
            value = _label("detailsValue")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._fields[key] = value
            grid.addWidget(caption_label, row, pair * 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, pair * 2 + 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        heading = QVBoxLayout()
        heading.setSpacing(6)
        heading.addWidget(self._title)
        heading.addWidget(self._badge)
        heading.addWidget(self._reason)
        heading.addWidget(self._saving)
        heading.addWidget(self._presence)
        heading.addStretch(1)
        self._body = QWidget()
        body = QHBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(24)
        body.addLayout(heading, 2)
        body.addLayout(grid, 5)
        body.addWidget(self._history, 3)
        # The content scrolls instead of being squeezed: a long note, service or name is never
        # cut off, and labels never overlap when the pane is short.
        content = QWidget()
        content.setObjectName("detailsContent")
        inner = QVBoxLayout(content)
        inner.setContentsMargins(16, 12, 16, 12)
        inner.addWidget(self._empty)
        inner.addWidget(self._body)
        inner.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("detailsScroll")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Reachable by Tab (and scrolled with the arrow keys) between the table and the day view.
        self.scroller.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scroller.setAccessibleName(self.tr("Booking details"))
        self.scroller.setWidget(content)
        self.scroller.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.scroller)
        self._viewers: tuple[Viewer, ...] = ()
        self._shown: VisibleBooking | None = None
        self._history_lines: list[str] | None = None
        self._empty.setVisible(True)
        self._body.setVisible(False)
        self._refresh_presence()
        self.set_history([])

    def _captions(self) -> Iterable[tuple[str, str]]:
        return (
            ("when", self.tr("When")),
            ("customer", self.tr("Customer")),
            ("note", self.tr("Note")),
            ("changed", self.tr("Last change")),
        )

    def set_me(self, user_id: str) -> None:
        """The signed-in user: their own presence and changes are not news to them."""
        self._me = user_id
        self._refresh_presence()

    def set_perspective(self, role: Role) -> None:
        """A customer's details name the master; a master's, the customer."""
        master = role is Role.CUSTOMER
        self._captions_of["customer"].setText(self.tr("Master") if master else self.tr("Customer"))

    def booking_id(self) -> str | None:
        return self._shown.booking.id if self._shown is not None else None

    def field_text(self, key: str) -> str:
        return self._fields[key].text()

    def status_text(self) -> str:
        """The status badge's words ("" with no booking shown)."""
        return "" if self._shown is None else self._badge.text()

    def reason_text(self) -> str:
        """ "Reason: …" of a declined, cancelled or no-show booking that has one; else ""."""
        return "" if self._reason.isHidden() else self._reason.text()

    def saving_text(self) -> str:
        return "" if self._saving.isHidden() else self._saving.text()

    def presence_text(self) -> str:
        return "" if self._presence.isHidden() else self._presence.text()

    def show_booking(self, row: VisibleBooking | None) -> None:
        if row is None and self._shown is None and not self._viewers:
            return  # empty, and still empty (called after every row change)
        if row is None or self._shown is None or row.booking.id != self._shown.booking.id:
            self._viewers = ()
        self._shown = row
        self._empty.setVisible(row is None)
        self._body.setVisible(row is not None)
        if row is not None:
            self._fill(row)
        self._refresh_presence()

    def set_history(self, lines: list[str]) -> None:
        """The selected booking's changes as this window saw them, newest first."""
        shown = lines[:HISTORY_LINES]
        if shown == self._history_lines:
            return
        self._history_lines = shown
        heading = self.tr("History")
        self._history.setText("\n".join([heading, *shown]) if shown else "")
        self._history.setVisible(bool(shown))

    def history_text(self) -> str:
        return "" if self._history.isHidden() else self._history.text()

    def set_viewers(self, viewers: Iterable[Viewer]) -> None:
        now = tuple(viewers)
        if now != self._viewers:
            self._viewers = now
            self._refresh_presence()

    def _fill(self, row: VisibleBooking) -> None:
        booking = row.booking
        self._title.setText(booking.service)
        set_badge_status(self._badge, booking.status)
        if row.pending:
            what = action_label(row.pending_action) if row.pending_action else ""
            self._saving.setText(self.tr("Saving your change… %s") % what)
        self._saving.setVisible(row.pending)
        reason = booking.reason if booking.status in REASON_SHOWN else None
        if reason:
            self._reason.setText(self.tr("Reason: %s") % reason)
        self._reason.setVisible(bool(reason))
        self._fields["when"].setText(time_range(booking))
        self._fields["customer"].setText(self._other_party(booking))
        self._fields["note"].setText(booking.note or "—")
        self._fields["changed"].setText(self._changed(booking))

    def _changed(self, booking: Booking) -> str:
        when = booking.updated_at.astimezone().strftime("%a %d %b %H:%M")
        if booking.updated_by == SYSTEM_ACTOR:
            who = self.tr("the schedule")
        elif booking.updated_by == self._me:
            who = self.tr("you")
        else:
            who = self._name(booking.updated_by)
        return self.tr("%s by %s") % (when, who)

    def _refresh_presence(self) -> None:
        others = [v.display_name for v in self._viewers if v.id != self._me]
        if self._shown is None or not others:
            self._presence.hide()
            return
        if len(others) == 1:
            self._presence.setText(self.tr("%s is viewing this booking") % others[0])
        else:
            self._presence.setText(self.tr("%s are viewing this booking") % ", ".join(others))
        self._presence.show()


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label
