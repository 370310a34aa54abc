"""Words and colours for bookings (statuses, actions, times), shared by the table, badges, dialogs.

Every word goes through `QCoreApplication.translate` so the UI can be translated in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from booking_core import Action, Booking, ErrorCode, Status
from desktop_app.sync import SyncReason, SyncStatus


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


def sync_detail(status: SyncStatus) -> str:
    """One sentence for a status bar from the engine's reason code (and how many changes wait)."""
    pending = status.pending
    waiting = (
        " "
        + QCoreApplication.translate(
            "SyncStatus", "%n change(s) will be sent when back online.", "", pending
        )
        if pending
        else ""
    )
    match status.reason:
        case SyncReason.SIGNED_OUT:
            return (
                QCoreApplication.translate("SyncStatus", "Signed out: sign in again to sync.")
                + waiting
            )
        case SyncReason.NO_NETWORK:
            return QCoreApplication.translate("SyncStatus", "No network.") + waiting
        case SyncReason.UNREACHABLE:
            return (
                QCoreApplication.translate("SyncStatus", "Cannot reach the server; retrying.")
                + waiting
            )
        case SyncReason.LOADING:
            return QCoreApplication.translate("SyncStatus", "Loading bookings…")
        case SyncReason.SAVING:
            return QCoreApplication.translate("SyncStatus", "Saving %n change(s)…", "", pending)
        case SyncReason.POLLING:
            return QCoreApplication.translate(
                "SyncStatus", "Up to date (checking for changes periodically)."
            )
        case SyncReason.UP_TO_DATE:
            return QCoreApplication.translate("SyncStatus", "Up to date.")
        case SyncReason.STARTING:
            return QCoreApplication.translate("SyncStatus", "Starting")


NOT_CONFIRMED = "not_confirmed"  # the engine's code for a change the server never confirmed


def rollback_reason(code: str) -> str:
    """Why a change was undone, from the engine's code; a bare code never reaches the user."""
    reasons: dict[str, str] = {
        ErrorCode.VERSION_CONFLICT: QCoreApplication.translate(
            "RollbackDialog", "Someone else changed this booking first."
        ),
        ErrorCode.SLOT_TAKEN: QCoreApplication.translate(
            "RollbackDialog", "This time slot was just taken by another booking."
        ),
        ErrorCode.SLOT_UNAVAILABLE: QCoreApplication.translate(
            "RollbackDialog", "This time is not one of the master's free times any more."
        ),
        ErrorCode.INVALID_TRANSITION: QCoreApplication.translate(
            "RollbackDialog",
            "This change is not possible anymore in the booking's current status.",
        ),
        ErrorCode.FORBIDDEN: QCoreApplication.translate(
            "RollbackDialog", "You are not allowed to make this change anymore."
        ),
        ErrorCode.NOT_FOUND: QCoreApplication.translate(
            "RollbackDialog", "The booking no longer exists, or you can no longer see it."
        ),
        ErrorCode.INVALID_REQUEST: QCoreApplication.translate(
            "RollbackDialog", "The server could not accept the values given."
        ),
        NOT_CONFIRMED: QCoreApplication.translate(
            "RollbackDialog", "The server did not confirm the change in time."
        ),
    }
    return reasons.get(
        code, QCoreApplication.translate("RollbackDialog", "The server refused the change.")
    )
