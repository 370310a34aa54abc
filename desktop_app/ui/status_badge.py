"""A booking status as a small rounded, coloured label (the widget twin of the table's badges)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy

from booking_core import Status
from desktop_app.ui.statuses import badge_colors, status_label

_STATUS = "badgeStatus"  # the status the badge shows (a dynamic Qt property)


def status_badge(status: Status | None = None) -> QLabel:
    """A rounded, coloured label with the status's name; `set_badge_status` changes it later."""
    badge = QLabel()
    badge.setObjectName("statusBadge")
    badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    if status is not None:
        set_badge_status(badge, status)
    return badge


def set_badge_status(badge: QLabel, status: Status) -> None:
    # A style sheet set again re-polishes and repaints the label even when it is the same: the
    # details panel sets the badge after every row change, mostly to the status it shows already.
    if badge.property(_STATUS) == status.value:
        return
    badge.setProperty(_STATUS, status.value)
    colors = badge_colors(status)
    badge.setText(status_label(status))
    badge.setStyleSheet(
        f"QLabel#statusBadge {{ background: {colors.background.name()};"
        f" color: {colors.text.name()}; border-radius: 8px; padding: 2px 10px;"
        " font-weight: 600; }"
    )
