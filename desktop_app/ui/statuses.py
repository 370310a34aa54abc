"""Words and colours for bookings (statuses, actions, times), shared by the table, badges, dialogs.

Every word goes through `QCoreApplication.translate` so the UI can be translated in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from booking_core import Action, Booking, Status


@dataclass(frozen=True, slots=True)
class BadgeColors:
    background: QColor
    text: QColor


def _badge(background: str, text: str) -> BadgeColors:
    return BadgeColors(QColor(background), QColor(text))


# Tailwind-like 100/800 pairs: readable text on a soft fill, distinct at a glance.
_BADGES: dict[Status, BadgeColors] = {
    Status.PENDING: _badge("#fef3c7", "#92400e"),
    Status.CONFIRMED: _badge("#dbeafe", "#1e40af"),
    Status.IN_PROGRESS: _badge("#e0e7ff", "#3730a3"),
    Status.COMPLETED: _badge("#dcfce7", "#166534"),
    Status.DECLINED: _badge("#fee2e2", "#991b1b"),
    Status.CANCELLED: _badge("#f3f4f6", "#4b5563"),
    Status.NO_SHOW: _badge("#fae8ff", "#86198f"),
    Status.EXPIRED: _badge("#f3f4f6", "#6b7280"),
}

PENDING_COLOR = QColor("#c2410c")  # orange: "saving, not yet confirmed by the server"
CONFLICT_COLOR = QColor("#dc2626")  # red: "your change here was undone"
NEW_COLOR = QColor("#2563eb")  # blue: "a request came in that you have not looked at"


def badge_colors(status: Status) -> BadgeColors:
    return _BADGES[status]


def status_label(status: Status) -> str:
    words = {
        Status.PENDING: QCoreApplication.translate("Status", "Pending"),
        Status.CONFIRMED: QCoreApplication.translate("Status", "Confirmed"),
        Status.IN_PROGRESS: QCoreApplication.translate("Status", "In progress"),
        Status.COMPLETED: QCoreApplication.translate("Status", "Completed"),
        Status.DECLINED: QCoreApplication.translate("Status", "Declined"),
        Status.CANCELLED: QCoreApplication.translate("Status", "Cancelled"),
        Status.NO_SHOW: QCoreApplication.translate("Status", "No-show"),
        Status.EXPIRED: QCoreApplication.translate("Status", "Expired"),
    }
    return words[status]


def action_label(action: Action) -> str:
    """The verb as a menu shows it."""
    words = {
        Action.CREATE: QCoreApplication.translate("Action", "Create"),
        Action.ACCEPT: QCoreApplication.translate("Action", "Accept"),
        Action.DECLINE: QCoreApplication.translate("Action", "Decline"),
        Action.CANCEL: QCoreApplication.translate("Action", "Cancel booking"),
        Action.RESCHEDULE: QCoreApplication.translate("Action", "Reschedule"),
        Action.UPDATE: QCoreApplication.translate("Action", "Edit note"),
        Action.START: QCoreApplication.translate("Action", "Start"),
        Action.NO_SHOW: QCoreApplication.translate("Action", "Mark no-show"),
        Action.COMPLETE: QCoreApplication.translate("Action", "Complete"),
        Action.EXPIRE: QCoreApplication.translate("Action", "Expire"),
    }
    return words[action]


def action_past(action: Action) -> str:
    """What the user did, as a rollback message names it: "Your acceptance of …"."""
    words = {
        Action.CREATE: QCoreApplication.translate("Action", "new booking"),
        Action.ACCEPT: QCoreApplication.translate("Action", "acceptance"),
        Action.DECLINE: QCoreApplication.translate("Action", "decline"),
        Action.CANCEL: QCoreApplication.translate("Action", "cancellation"),
        Action.RESCHEDULE: QCoreApplication.translate("Action", "new time"),
        Action.UPDATE: QCoreApplication.translate("Action", "note change"),
        Action.START: QCoreApplication.translate("Action", "start"),
        Action.NO_SHOW: QCoreApplication.translate("Action", "no-show mark"),
        Action.COMPLETE: QCoreApplication.translate("Action", "completion"),
        Action.EXPIRE: QCoreApplication.translate("Action", "expiry"),
    }
    return words[action]


def time_range(booking: Booking) -> str:
    """'Wed 25 Nov  14:30–15:00' in the computer's local time zone."""
    start, end = booking.starts_at.astimezone(), booking.ends_at.astimezone()
    day = start.strftime("%a %d %b")
    end_text = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%d %b %H:%M")
    return f"{day}  {start:%H:%M}–{end_text}"
