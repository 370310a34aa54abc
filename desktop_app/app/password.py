"""File → Change password…: the signed-in user's own password change (POST /auth/password).

The dialog checks what it can locally (the new password long enough and typed twice alike), emits
`change_requested`, and the caller answers with `show_error(...)` (nothing typed is lost) or
`accept()`. On the server the user's other sessions are signed out; this one goes on.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.net.api import ApiClient
from desktop_app.net.errors import NetError

log = logging.getLogger(__name__)

PASSWORD_PATH = "/api/v1/auth/password"
MIN_LENGTH = 8  # the server's rule too (docs/protocol.md)


class PasswordDialog(QDialog):
    change_requested = Signal(str, str)  # current, new

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change password — Reservations"))
        self.setMinimumWidth(380)
        self._error = QLabel()
        self._error.setObjectName("passwordError")
        self._error.setWordWrap(True)
        self._error.hide()
        self.current = self._field(self.tr("Current password"))
        self.new = self._field(self.tr("New password"))
        self.repeat = self._field(self.tr("New password again"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Change"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Current password:"), self.current)
        form.addRow(self.tr("&New password:"), self.new)
        form.addRow(self.tr("&Repeat:"), self.repeat)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._error)
        layout.addWidget(self.buttons)
        self.current.setFocus()

    def _field(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        field.textEdited.connect(self._error.hide)
        return field

    def error_text(self) -> str:
        return self._error.text() if not self._error.isHidden() else ""

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self._error.setText(message)
        self._error.show()

    def set_busy(self, busy: bool) -> None:
        for widget in (self.current, self.new, self.repeat):
            widget.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def _submit(self) -> None:
        if not self.current.text():
            self.show_error(self.tr("Enter your current password."))
        elif len(self.new.text()) < MIN_LENGTH:
            self.show_error(
                self.tr("The new password needs at least %n characters.", "", MIN_LENGTH)
            )
        elif self.new.text() != self.repeat.text():
            self.show_error(self.tr("The two new passwords differ."))
        else:
            self._error.hide()
            self.set_busy(True)
            self.change_requested.emit(self.current.text(), self.new.text())


async def change_password(api: ApiClient, current: str, new: str) -> str:
    """Ask the server; "" when the password was changed, else what to tell the user."""
    body = {"current_password": current, "new_password": new}
    try:
        reply = await api.perform("POST", PASSWORD_PATH, body)
    except NetError as exc:
        return f"The server cannot be reached now ({exc}); try again later."
    if reply.status == 204:
        return ""
    if reply.status == 403:
        return "The current password is wrong."
    if reply.status == 422:
        return f"The server refused the new password: it needs {MIN_LENGTH} to 1024 characters."
    if reply.status == 401:
        return "Your sign-in has ended: sign in again, then change the password."
    return f"The server could not change the password now (HTTP {reply.status})."


def _file_menu(window: QMainWindow, anchor: QAction | None) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and (anchor is None or anchor in menu.actions()):
            return menu
    return None


def add_password_menu(window: QMainWindow, api: ApiClient) -> QAction:
    """File → Change password…, placed before Sign out."""
    anchor = getattr(window, "sign_out_action", None)
    action = QAction(window.tr("Change &password…"), window)
    action.setObjectName("changePassword")
    menu = _file_menu(window, anchor if isinstance(anchor, QAction) else None)
    if menu is None:
        menu = window.menuBar().addMenu(window.tr("&File"))
    if isinstance(anchor, QAction) and anchor in menu.actions():
        menu.insertAction(anchor, action)
    else:
        menu.addAction(action)
    action.triggered.connect(lambda: open_password_dialog(window, api))
    return action


# The running changes, so their tasks are not collected while they wait on the server.
_RUNNING: set[asyncio.Task[None]] = set()


def open_password_dialog(window: QWidget, api: ApiClient) -> PasswordDialog:
    dialog = PasswordDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    async def run(current: str, new: str) -> None:
        problem = await change_password(api, current, new)
        if problem:
            dialog.show_error(problem)
            return
        log.info("the password was changed; other sessions are signed out")
        dialog.accept()
        box = QMessageBox(
            QMessageBox.Icon.Information,
            window.tr("Password changed"),
            window.tr("Your password was changed. Other devices signed in as you are signed out."),
            parent=window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def start(current: str, new: str) -> None:
        task = asyncio.ensure_future(run(current, new))
        _RUNNING.add(task)
        task.add_done_callback(_RUNNING.discard)

    dialog.change_requested.connect(start)
    dialog.open()  # open(), not exec(): no nested event loop under qasync
    return dialog
