"""The status-bar indicator and the offline banner show exactly what SyncStatus says."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from desktop_app.sync import SyncReason, SyncState, SyncStatus
from desktop_app.ui.offline_banner import OfflineBanner
from desktop_app.ui.status_indicator import StatusIndicator

SYNCED_AT = datetime(2026, 11, 25, 14, 32, 5, tzinfo=UTC)
LOCAL_TIME = "14:32:05"  # conftest renders local time in UTC


def _status(
    state: SyncState, pending: int = 0, reason: SyncReason = SyncReason.POLLING
) -> SyncStatus:
    return SyncStatus(state=state, last_synced_at=SYNCED_AT, pending=pending, reason=reason)


@pytest.mark.parametrize(
    ("state", "color", "words"),
    [
        (SyncState.SYNCHRONIZED, "#16a34a", "Up to date"),
        (SyncState.UPDATING, "#f59e0b", "Updating…"),
        (SyncState.OFFLINE, "#dc2626", "Offline"),
    ],
)
def test_indicator_colour_and_text_follow_the_state(
    qtbot: QtBot, state: SyncState, color: str, words: str
) -> None:
    indicator = StatusIndicator()
    qtbot.addWidget(indicator)
    indicator.set_status(_status(state))
    assert indicator.color() == QColor(color)
    assert indicator.text() == f"{words} · Last synced {LOCAL_TIME}"
    assert "checking for changes periodically" in indicator.toolTip()  # the reason, in words


def test_indicator_counts_waiting_changes_and_says_when_never_synced(qtbot: QtBot) -> None:
    indicator = StatusIndicator()
    qtbot.addWidget(indicator)
    indicator.set_status(SyncStatus(SyncState.UPDATING, None, 3, SyncReason.SAVING))
    assert indicator.text() == "Updating… · Not synced yet · 3 changes waiting"
    indicator.set_status(_status(SyncState.OFFLINE, pending=1))
    assert indicator.text().endswith("1 change waiting")
    assert indicator.accessibleDescription() == indicator.text()


def test_banner_appears_offline_with_the_pending_count_and_goes_away_by_itself(
    qtbot: QtBot,
) -> None:
    banner = OfflineBanner()
    qtbot.addWidget(banner)
    banner.set_status(_status(SyncState.SYNCHRONIZED))
    assert banner.isHidden()
    banner.set_status(_status(SyncState.OFFLINE, pending=3))
    assert not banner.isHidden()
    assert banner.text() == "You are offline — 3 changes will be sent when the connection returns"
    banner.set_status(_status(SyncState.OFFLINE, pending=1))
    assert banner.text() == "You are offline — 1 change will be sent when the connection returns"
    banner.set_status(_status(SyncState.UPDATING, pending=1))
    assert banner.isHidden()


def test_banner_offline_with_nothing_waiting(qtbot: QtBot) -> None:
    banner = OfflineBanner()
    qtbot.addWidget(banner)
    banner.set_status(_status(SyncState.OFFLINE))
    assert banner.text().startswith("You are offline — changes you make will be sent")
