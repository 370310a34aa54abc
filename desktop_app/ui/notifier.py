"""Desktop notifications for what others did (a new request, a cancellation, a status change) and
for undone changes, shown while the window is not focused; plus a tray icon coloured by sync state.

`notice_for` is pure: it words one RemoteChange (the server's action, actor and booking; nothing is
re-derived from rows). The Notifier shows its notices through QSystemTrayIcon where a tray exists,
and always emits `notified`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QSystemTrayIcon

from booking_core import SYSTEM_ACTOR, Action, Booking, Status
from desktop_app.sync import CatalogRollback, RemoteChange, Rollback, SyncState, SyncStatus
from desktop_app.ui.catalog_words import catalog_what, catalog_why
from desktop_app.ui.status_indicator import DOT_COLORS
from desktop_app.ui.statuses import (
    action_past,
    rollback_reason,
    status_label,
    sync_detail,
    time_range,
)

Names = Callable[[str], str]
TRAY_CHECK_MS = 15_000  # how often to look for a tray that was not there


@dataclass(frozen=True, slots=True)
class Notice:
    title: str
    text: str
    booking_id: str | None = None


def notice_for(change: RemoteChange, name: Names) -> Notice | None:
    """What someone else (or the clock) did, as the server's event said: its action and actor,
    never guessed from rows. A change learned only from a fetch brings no RemoteChange and no
    notice: who did what is unknown then, and a reload is no news."""
    booking = change.booking
    who = (
        name(change.actor)
        if change.actor != SYSTEM_ACTOR
        else QCoreApplication.translate("Notifier", "The schedule")
    )
    when = time_range(booking)
    match change.action:
        case Action.CREATE:
            if booking.status is not Status.PENDING:
                return None  # created already answered: not a request to act on
            text = QCoreApplication.translate("Notifier", "%s asks for “%s” on %s.") % (
                who,
                booking.service,
                when,
            )
            title = QCoreApplication.translate("Notifier", "New booking request")
            return Notice(title, text, booking.id)
        case Action.RESCHEDULE:
            text = QCoreApplication.translate("Notifier", "%s moved “%s” to %s.") % (
                who,
                booking.service,
                when,
            )
            return Notice(QCoreApplication.translate("Notifier", "Booking moved"), text, booking.id)
        case Action.UPDATE:
            return None  # a note: shown in the booking's details, no interruption
        case Action.CANCEL:
            text = QCoreApplication.translate("Notifier", "%s cancelled “%s” on %s.") % (
                who,
                booking.service,
                when,
            )
            return Notice(
                QCoreApplication.translate("Notifier", "Booking cancelled"),
                _with_reason(text, booking),
                booking.id,
            )
    if change.actor == SYSTEM_ACTOR:
        return None  # the clock starting, completing or expiring a booking is no news
    text = QCoreApplication.translate("Notifier", "%s: “%s” on %s is now %s.") % (
        who,
        booking.service,
        when,
        status_label(booking.status).lower(),
    )
    return Notice(
        QCoreApplication.translate("Notifier", "Booking updated"),
        _with_reason(text, booking),
        booking.id,
    )


def _with_reason(text: str, booking: Booking) -> str:
    """The notice's text, followed by the reason given with the change, if any."""
    if not booking.reason:
        return text
    return f"{text} " + QCoreApplication.translate("Notifier", "Reason: %s") % booking.reason


def rollback_notice(rollback: Rollback | CatalogRollback) -> Notice:
    if isinstance(rollback, CatalogRollback):
        return Notice(catalog_what(rollback), catalog_why(rollback))
    title = QCoreApplication.translate("Notifier", "Your %s was undone") % action_past(
        rollback.action
    )
    return Notice(title, rollback_reason(rollback.code), rollback.booking_id)


class Notifier(QObject):
    """Feed it `remote_changed(change)`, `rolled_back(...)` and `set_status(...)`."""

    notified = Signal(object)  # Notice
    opened = Signal(object)  # Notice | None: the tray icon (None) or a notification was clicked
    tray_changed = Signal()  # the tray icon appeared

    def __init__(
        self,
        me: str | None,
        name: Names,
        focused: Callable[[], bool],
        parent: QObject | None = None,
        *,
        tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
    ) -> None:
        super().__init__(parent)
        self._me = me
        self._name = name
        self._focused = focused
        self._tray: QSystemTrayIcon | None = None
        self._tray_shows: tuple[SyncState, str] | None = None
        self._last: Notice | None = None
        self._tray_available = tray_available
        # A tray may appear after the start (a panel started later): look again now and then.
        self.tray_timer = QTimer(self)
        self.tray_timer.setInterval(TRAY_CHECK_MS)
        self.tray_timer.timeout.connect(self.check_tray)
        if not self.check_tray():
            self.tray_timer.start()

    def check_tray(self) -> bool:
        """Put the icon in the tray if there is one now; True once it is there."""
        if self._tray is not None:
            return True
        if not self._tray_available():
            return False
        self.tray_timer.stop()
        self._tray = QSystemTrayIcon(_dot_icon(QColor("#9ca3af")), self)
        self._tray.setToolTip(QCoreApplication.translate("Notifier", "Reservations"))
        self._tray.activated.connect(lambda _reason: self.opened.emit(None))
        self._tray.messageClicked.connect(lambda: self.opened.emit(self._last))
        self._tray_shows = None
        self._tray.show()
        self.tray_changed.emit()
        return True

    @property
    def tray(self) -> QSystemTrayIcon | None:
        return self._tray

    def set_me(self, user_id: str) -> None:
        self._me = user_id

    def set_focus_probe(self, focused: Callable[[], bool]) -> None:
        self._focused = focused

    def set_status(self, status: SyncStatus) -> None:
        # Every live event brings a status; a new tray icon (drawn, then sent to the tray host)
        # only when its colour or words change.
        detail = sync_detail(status)
        if self._tray is not None and (status.state, detail) != self._tray_shows:
            self._tray_shows = (status.state, detail)
            self._tray.setIcon(_dot_icon(DOT_COLORS[status.state]))
            self._tray.setToolTip(detail)

    def remote_changed(self, change: RemoteChange) -> None:
        """Someone else's change, as the controller's `remote_changed` forwards it."""
        if self._me is None or change.actor == self._me:
            return
        notice = notice_for(change, self._name)
        if notice is not None:
            self._show(notice)

    def rolled_back(self, rollback: Rollback | CatalogRollback) -> None:
        self._show(rollback_notice(rollback))

    def _show(self, notice: Notice) -> None:
        if self._focused():
            return  # the window itself shows it
        self._last = notice
        if self._tray is not None:
            self._tray.showMessage(notice.title, notice.text)
        self.notified.emit(notice)


def _dot_icon(color: QColor, size: int = 32) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(4, 4, size - 8, size - 8)
    painter.end()
    return QIcon(pixmap)
