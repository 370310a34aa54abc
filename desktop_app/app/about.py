"""Help → About: the version and build, and where the data lives.

One place each: the version is `version` in pyproject.toml (read back from the package metadata,
also in a bundle); the build is the `BUILD` file the packaging writes into the bundle (the git
commit and the build time, packaging/build.sh). From a source checkout the build is "source".
"""

from __future__ import annotations

import html
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox


def app_version() -> str:
    try:
        return version("reservations-desktop")
    except PackageNotFoundError:
        return "0+unknown"


def app_build() -> str:
    """The bundle's BUILD line (e.g. `3f2c1ab 2026-12-06T02:40Z`), or "source"."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        try:
            return (Path(bundle) / "desktop_app" / "BUILD").read_text(encoding="utf-8").strip()
        except OSError:
            return "unknown"
    return "source"


def about_text(data_dir: Path) -> str:
    return (
        f"<h3>Reservations Desktop {app_version()}</h3>"
        f"<p>Build: {html.escape(app_build())}</p>"
        "<p>Run your day's bookings, synced in real time.</p>"
        f"<p>Data folder: {data_dir}</p>"
        f"<p><small>Qt {qVersion()} · PySide6 {PySide6.__version__} · "
        f"Python {platform.python_version()}</small></p>"
    )


def help_menu(window: QMainWindow) -> QMenu:
    """The window's Help menu, made once."""
    menu = window.menuBar().findChild(QMenu, "helpMenu")
    if isinstance(menu, QMenu):
        return menu
    menu = window.menuBar().addMenu(window.tr("&Help"))
    menu.setObjectName("helpMenu")
    return menu


def add_about_menu(window: QMainWindow, data_dir: Path) -> QAction:
    action = help_menu(window).addAction(window.tr("&About Reservations"))
    action.setObjectName("about")
    action.triggered.connect(lambda: show_about(window, data_dir))
    return action


def show_about(window: QMainWindow, data_dir: Path) -> QMessageBox:
    # open(), not exec(): no nested event loop under qasync.
    box = QMessageBox(window)
    box.setWindowTitle(window.tr("About Reservations"))
    box.setText(about_text(data_dir))
    box.setIconPixmap(window.windowIcon().pixmap(64, 64))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
