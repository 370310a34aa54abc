"""Giving a window the keyboard focus, the same way offscreen and on a real X server.

pytest-qt's waitActive is a context manager: called bare it waits for nothing. On xcb a window is
active only once the X server says so, and key clicks before that reach no shortcut."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Show `window`, make it the active window and wait until it is."""
    if window.isActiveWindow():
        return
    with qtbot.waitActive(window):
        window.show()
        window.raise_()
        window.activateWindow()


def focus(qtbot: QtBot, widget: QWidget) -> None:
    """Activate `widget`'s window, give `widget` the focus and wait until it has it."""
    activate(qtbot, widget.window())
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
