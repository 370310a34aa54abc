"""Remembering the main window's layout between sessions in QSettings: geometry, toolbars,
splitters, column widths and the chosen scope. Unreadable or missing values keep the defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QPoint, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QWidget

from desktop_app.ui.bookings_filter import Scope

GROUP = "mainWindow"


@dataclass(frozen=True)
class LayoutParts:
    window: QMainWindow
    main_splitter: QSplitter
    table_splitter: QSplitter
    columns: QHeaderView
    scope: Scope


def _states(
    parts: LayoutParts,
) -> dict[str, tuple[Callable[[], QByteArray], Callable[..., object]]]:
    return {
        "geometry": (parts.window.saveGeometry, parts.window.restoreGeometry),
        "state": (parts.window.saveState, parts.window.restoreState),
        "mainSplitter": (parts.main_splitter.saveState, parts.main_splitter.restoreState),
        "tableSplitter": (parts.table_splitter.saveState, parts.table_splitter.restoreState),
        "columns": (parts.columns.saveState, parts.columns.restoreState),
    }


def save_layout(parts: LayoutParts, settings: QSettings) -> None:
    for key, (save, _restore) in _states(parts).items():
        settings.setValue(f"{GROUP}/{key}", save())
    settings.setValue(f"{GROUP}/scope", parts.scope.value)


def restore_layout(parts: LayoutParts, settings: QSettings) -> Scope | None:
    """Restore what was saved; returns the saved scope for the caller to apply (None: none)."""
    for key, (_save, restore) in _states(parts).items():
        value = settings.value(f"{GROUP}/{key}")
        if isinstance(value, QByteArray):
            restore(value)
    scope = settings.value(f"{GROUP}/scope")
    return Scope(scope) if scope in {s.value for s in Scope} else None


def fit_into_screen(widget: QWidget, *, offscreen_too: bool = False) -> None:
    """Shrink and move a window so that all of it, frame included, lies on its screen's available
    area (a large scale factor or a smaller screen than last time would put parts off screen).

    Not on the offscreen platform unless `offscreen_too`: its screen is a made-up 800×600, and
    windows rendered there (screenshots) keep the size they were given."""
    if QGuiApplication.platformName() == "offscreen" and not offscreen_too:
        return
    area = widget.screen().availableGeometry()
    frame = widget.frameGeometry()
    extra = QSize(frame.width() - widget.width(), frame.height() - widget.height())
    most = QSize(max(1, area.width() - extra.width()), max(1, area.height() - extra.height()))
    size = widget.size().boundedTo(most)
    if size != widget.size():
        widget.resize(size.expandedTo(widget.minimumSizeHint().boundedTo(most)))
    frame = widget.frameGeometry()
    x = min(max(frame.left(), area.left()), area.right() - frame.width() + 1)
    y = min(max(frame.top(), area.top()), area.bottom() - frame.height() + 1)
    if QPoint(x, y) != frame.topLeft():
        widget.move(max(x, area.left()), max(y, area.top()))
