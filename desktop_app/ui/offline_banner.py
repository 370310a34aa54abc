"""The offline banner across the top of the window, shown and hidden only from SyncStatus.

"You are offline — 3 changes will be sent when the connection returns"; it goes away by itself when
the engine reports any state other than offline.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from desktop_app.sync import SyncState, SyncStatus
from desktop_app.ui.resources import icon


class OfflineBanner(QFrame):
    """Call `set_status` with every SyncStatus; the banner decides whether it is visible."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.setAccessibleName(self.tr("Offline notice"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        picture = QLabel(self)
        picture.setPixmap(icon("offline").pixmap(20, 20))
        self._label = QLabel(self)
        self._label.setObjectName("offlineBannerText")
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(10)
        layout.addWidget(picture)
        layout.addWidget(self._label, 1)
        self.hide()

    def text(self) -> str:
        return self._label.text()

    def set_status(self, status: SyncStatus) -> None:
        offline = status.state is SyncState.OFFLINE
        if offline:
            self._label.setText(self._message(status.pending))
            self.setAccessibleDescription(self._label.text())
        self.setVisible(offline)

    def _message(self, pending: int) -> str:
        if pending == 0:
            return self.tr(
                "You are offline — changes you make will be sent when the connection returns"
            )
        if pending == 1:
            return self.tr("You are offline — 1 change will be sent when the connection returns")
        return self.tr(
            "You are offline — %n changes will be sent when the connection returns", "", pending
        )
