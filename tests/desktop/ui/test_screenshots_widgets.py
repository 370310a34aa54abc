"""Screenshots of the status widgets and the rollback dialog, styled with the app's sheet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from booking_core import Action, Status
from desktop_app.sync import Rollback, SyncReason, SyncState, SyncStatus, Transition
from desktop_app.ui.booking_form import BookingForm
from desktop_app.ui.offline_banner import OfflineBanner
from desktop_app.ui.reason_dialog import ReasonDialog
from desktop_app.ui.rollback_dialog import RollbackDialog
from desktop_app.ui.sign_in_dialog import SignInDialog
from desktop_app.ui.status_indicator import StatusIndicator
from desktop_app.ui.theme import Theme

from . import screenshots
from .engine_driver import ANNA
from .factories import CUSTOMER, booking

AT = datetime(2026, 11, 25, 14, 32, 5, tzinfo=UTC)


def test_status_widgets_screenshot(qtbot: QtBot, styled: Theme, tmp_path: Path) -> None:
    panel = QWidget()
    panel.setObjectName("gallery")
    panel.setStyleSheet("QWidget#gallery { background: #ffffff; }")
    layout = QVBoxLayout(panel)
    banner = OfflineBanner()
    banner.set_status(SyncStatus(SyncState.OFFLINE, AT, 3, SyncReason.UNREACHABLE))
    layout.addWidget(banner)
    for state, pending in (
        (SyncState.SYNCHRONIZED, 0),
        (SyncState.UPDATING, 1),
        (SyncState.OFFLINE, 3),
    ):
        indicator = StatusIndicator()
        indicator.set_status(SyncStatus(state, AT, pending, SyncReason.UP_TO_DATE))
        layout.addWidget(indicator)
    panel.resize(560, 200)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert screenshots.save(panel, "status-widgets", tmp_path).stat().st_size > 1000


def test_rollback_dialog_screenshot(qtbot: QtBot, styled: Theme, tmp_path: Path) -> None:
    dialog = RollbackDialog(
        display_name=lambda uid: {CUSTOMER: "Carl Customer"}.get(uid, uid),
        can_retry=lambda rollback: rollback.code == "not_confirmed",
    )
    qtbot.addWidget(dialog)
    dialog.add(
        Rollback(
            "b-1",
            Action.ACCEPT,
            "version_conflict",
            booking(status=Status.CANCELLED, version=3),
        )
    )
    dialog.add(
        Rollback(
            "b-2",
            Action.RESCHEDULE,
            "slot_taken",
            booking("b-2", service="Beard trim", version=2, status=Status.CONFIRMED),
        )
    )
    dialog.add(
        Rollback(
            "b-3",
            Action.START,
            "not_confirmed",
            booking("b-3", service="Colour", version=2, status=Status.CONFIRMED),
            Transition("b-3", Action.START),
        )
    )
    assert len(dialog.retry_buttons()) == 1
    dialog.resize(580, 470)
    qtbot.waitExposed(dialog)
    assert screenshots.save(dialog, "rollback-dialog", tmp_path).stat().st_size > 1000


def test_sign_in_dialog_screenshot(qtbot: QtBot, styled: Theme, tmp_path: Path) -> None:
    dialog = SignInDialog(server_url="https://bookings.example.com", username="anna")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.show_error("Wrong username or password. Check them and try again.")
    assert screenshots.save(dialog, "sign-in-dialog", tmp_path).stat().st_size > 1000


def test_booking_form_screenshot(qtbot: QtBot, styled: Theme, tmp_path: Path) -> None:
    hour = AT.replace(minute=0, second=0)
    others = [booking("b-1", start=hour + timedelta(hours=1))]
    form = BookingForm.for_create(ANNA, lambda: others, people={CUSTOMER: "Carl Customer"})
    qtbot.addWidget(form)
    form.set_values(
        party="Carl Customer",
        service="Beard trim",
        start=hour + timedelta(hours=1, minutes=15),
        minutes=30,
        note="Prefers the window seat",
    )
    form.show()
    qtbot.waitExposed(form)
    form.submit()  # overlaps b-1: the form explains and stays open
    assert "overlaps" in form.error_text()
    assert screenshots.save(form, "booking-form", tmp_path).stat().st_size > 1000


def test_reason_dialog_screenshot(qtbot: QtBot, styled: Theme, tmp_path: Path) -> None:
    dialog = ReasonDialog(booking("b-4", service="Colour"), Action.DECLINE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.text.setPlainText("Fully booked that afternoon, sorry. Could you take Thursday?")
    assert dialog.reason() == "Fully booked that afternoon, sorry. Could you take Thursday?"
    assert screenshots.save(dialog, "reason-dialog", tmp_path).stat().st_size > 1000
