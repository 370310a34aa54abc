"""The status badge delegate draws what Qt's full item option would give it.

It no longer asks the model for every role `initStyleOption` reads (7 Python calls through the
proxy per cell, on every live change) and keeps its fonts and text widths; the reference below
is the straightforward drawing it replaced. Both paint the same cells (plain, pending, selected,
with the app's light and dark looks) and the pixels must be equal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QFontMetrics, QIcon, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from booking_core import Action, Status
from desktop_app.ui.bookings_model import Column, Role
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.status_delegate import StatusBadgeDelegate
from desktop_app.ui.statuses import PENDING_COLOR, badge_colors
from desktop_app.ui.theme import Theme

from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver
from .factories import NOW, booking


class Reference(QStyledItemDelegate):
    """The badge drawn from a fully initialised item option, measured each time."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        status = Status(index.data(Role.STATUS))
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        opt.icon = QIcon()
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        pending = bool(index.data(Role.PENDING))
        font = opt.font
        font.setBold(True)
        metrics = QFontMetrics(font)
        width = metrics.horizontalAdvance(text) + 20
        height = metrics.height() + 6
        cell = opt.rect
        rect = QRectF(cell.left() + 8, cell.center().y() - height / 2 + 1, width, height)
        colors = badge_colors(status)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(colors.background)
        if pending:
            painter.setPen(QPen(PENDING_COLOR, 1.5, Qt.PenStyle.DashLine))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        font.setItalic(pending)
        painter.setFont(font)
        painter.setPen(colors.text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


def cells(window: MainWindow, delegate: QStyledItemDelegate) -> QImage:
    """The status cells of the first rows, as `delegate` paints them, side by side."""
    table = window.table
    rows = range(6)
    image = QImage(200, 40 * len(rows), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    for n in rows:
        index = window.proxy.index(n, Column.STATUS)
        option = QStyleOptionViewItem()
        table.initViewItemOption(option)
        rect = table.visualRect(index)
        rect.moveTo(0, 40 * n)
        option.rect = rect
        if table.selectionModel().isRowSelected(n):
            option.state |= QStyle.StateFlag.State_Selected
        delegate.paint(painter, option, index)
    painter.end()
    return image


@pytest.mark.parametrize("theme", [None, Theme.LIGHT, Theme.DARK])
def test_the_badges_are_drawn_as_before(
    qtbot: QtBot, themed: Callable[[Theme], Theme], theme: Theme | None
) -> None:
    if theme is not None:
        themed(theme)
    driver = EngineDriver()
    controller = EngineController(driver)
    statuses = [Status.PENDING, Status.CONFIRMED, Status.CANCELLED]
    driver.start(
        *[
            booking(f"b-{n}", start=NOW + timedelta(days=1, minutes=30 * n), status=statuses[n % 3])
            for n in range(6)
        ]
    )
    window = MainWindow(controller, ANNA, clock=lambda: driver.now)
    qtbot.addWidget(window)
    window.show()
    window.select_booking("b-3")
    window.request(Action.ACCEPT)  # selected and pending
    controller.request_transition("b-0", Action.DECLINE)  # pending
    delegate = window.table.itemDelegateForColumn(Column.STATUS)
    assert isinstance(delegate, StatusBadgeDelegate)
    first = cells(window, delegate)
    assert first == cells(window, Reference())
    assert cells(window, delegate) == first  # and again, from what it kept
