"""Paints the status column as a rounded, coloured badge; a pending change has an orange outline."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QIcon, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from booking_core import Status
from desktop_app.ui.bookings_model import Role
from desktop_app.ui.statuses import PENDING_COLOR, badge_colors

AnyIndex = QModelIndex | QPersistentModelIndex
_PAD_X, _PAD_Y, _MARGIN = 10, 3, 8
_STATUSES = frozenset(s.value for s in Status)


class StatusBadgeDelegate(QStyledItemDelegate):
    """For the status column: reads `Role.STATUS`, `Role.PENDING` and the display text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        value = index.data(Role.STATUS)  # Qt hands a StrEnum back as its plain str
        if value not in _STATUSES:
            super().paint(painter, option, index)
            return
        status = Status(value)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        opt.icon = QIcon()  # the badge replaces any decoration
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        self._paint_badge(painter, opt, text, status, bool(index.data(Role.PENDING)))

    def _paint_badge(
        self,
        painter: QPainter,
        opt: QStyleOptionViewItem,
        text: str,
        status: Status,
        pending: bool,
    ) -> None:
        font = opt.font
        font.setBold(True)
        metrics = QFontMetrics(font)
        width = metrics.horizontalAdvance(text) + 2 * _PAD_X
        height = metrics.height() + 2 * _PAD_Y
        cell = opt.rect
        rect = QRectF(cell.left() + _MARGIN, cell.center().y() - height / 2 + 1, width, height)
        colors = badge_colors(status)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(colors.background)
        if pending:
            pen = QPen(PENDING_COLOR, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        font.setItalic(pending)
        painter.setFont(font)
        painter.setPen(colors.text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        base = super().sizeHint(option, index)
        font = option.font
        font.setBold(True)
        metrics = QFontMetrics(font)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        width = metrics.horizontalAdvance(text) + 2 * (_PAD_X + _MARGIN)
        return QSize(
            max(base.width(), width), max(base.height(), metrics.height() + 2 * _PAD_Y + 8)
        )
