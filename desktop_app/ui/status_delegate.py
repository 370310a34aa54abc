"""Paints the status column as a rounded, coloured badge; a pending change has an orange outline."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from booking_core import Status
from desktop_app.ui.bookings_model import Role
from desktop_app.ui.statuses import PENDING_COLOR, badge_colors

AnyIndex = QModelIndex | QPersistentModelIndex
_PAD_X, _PAD_Y, _MARGIN = 10, 3, 8
_STATUSES = {s.value: s for s in Status}


class StatusBadgeDelegate(QStyledItemDelegate):
    """For the status column: reads `Role.STATUS`, `Role.PENDING` and the display text.

    A live change repaints its row, so this runs once per change: the badge's fonts and text
    widths are kept per cell font (the table has one or two), not measured again each time.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fonts: dict[tuple[str, bool], tuple[QFont, QFontMetrics]] = {}
        self._widths: dict[tuple[str, bool, str], int] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        status = _STATUSES.get(index.data(Role.STATUS))  # Qt hands a StrEnum back as a str
        if status is None:
            super().paint(painter, option, index)
            return
        # What initStyleOption would read (7 roles, each a Python call through the proxy) that
        # the cell's background shows; the text is drawn by the badge in its own font and colours.
        opt = QStyleOptionViewItem(option)
        if isinstance(index, QModelIndex):
            opt.index = index
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        if background is not None:
            opt.backgroundBrush = QBrush(background)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        widget = opt.widget
        style = widget.style() if widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        self._paint_badge(painter, opt, text, status, bool(index.data(Role.PENDING)))

    def _badge_font(self, key: tuple[str, bool], font: QFont) -> tuple[QFont, QFontMetrics]:
        """The cell's font, bold, and italic for a pending change (as the model's FontRole)."""
        fonts = self._fonts.get(key)
        if fonts is None:
            badge = QFont(font)
            badge.setBold(True)
            badge.setItalic(key[1])
            fonts = self._fonts[key] = (badge, QFontMetrics(badge))
        return fonts

    def _paint_badge(
        self,
        painter: QPainter,
        opt: QStyleOptionViewItem,
        text: str,
        status: Status,
        pending: bool,
    ) -> None:
        key = (opt.font.key(), pending)
        font, metrics = self._badge_font(key, opt.font)
        width = self._widths.get((*key, text))
        if width is None:
            width = self._widths[(*key, text)] = metrics.horizontalAdvance(text) + 2 * _PAD_X
        height = metrics.height() + 2 * _PAD_Y
        cell = opt.rect
        rect = QRectF(cell.left() + _MARGIN, cell.center().y() - height / 2 + 1, width, height)
        colors = badge_colors(status)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(colors.background)
        if pending:
            painter.setPen(QPen(PENDING_COLOR, 1.5, Qt.PenStyle.DashLine))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, height / 2, height / 2)
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
