"""The in-app notice under the toolbar: what came in while no desktop notification could say it
(no system tray), e.g. "New booking request — Carl asks for “Haircut” …", with Show and dismiss.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from desktop_app.ui.notifier import Notice


class NoticeBar(QFrame):
    """`show_notice(notice)` shows the latest notice (and how many came); Show emits
    `open_requested(notice)` and hides the bar, × just hides it."""

    open_requested = Signal(object)  # Notice

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setAccessibleName(self.tr("Notice"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._label = QLabel(self)
        self._label.setObjectName("noticeBarText")
        self._label.setWordWrap(True)
        self._open = QPushButton(self.tr("Show"), self)
        self._open.setObjectName("noticeBarShow")
        self._open.clicked.connect(self._show_it)
        close = QToolButton(self)
        close.setText("×")
        close.setAccessibleName(self.tr("Dismiss notice"))
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.setSpacing(10)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._open, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignVCenter)
        self._notice: Notice | None = None
        self._count = 0
        self.hide()

    def text(self) -> str:
        return self._label.text() if self.isVisibleTo(self.parentWidget() or self) else ""

    def show_notice(self, notice: Notice) -> None:
        self._count = self._count + 1 if self.isVisibleTo(self.parentWidget() or self) else 1
        self._notice = notice
        more = self.tr(" (+%n more)", "", self._count - 1) if self._count > 1 else ""
        self._label.setText(f"<b>{_escape(notice.title)}</b> — {_escape(notice.text)}{more}")
        self.setAccessibleDescription(f"{notice.title}: {notice.text}")
        self._open.setVisible(notice.booking_id is not None)
        self.show()

    def dismiss(self) -> None:
        self._count = 0
        self.hide()

    def _show_it(self) -> None:
        notice = self._notice
        self.dismiss()
        if notice is not None:
            self.open_requested.emit(notice)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
