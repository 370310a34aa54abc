"""The sign-in dialog: server URL, username and password, with errors shown inside the dialog.

It does no networking itself: it emits `sign_in_requested` and the caller answers with
`show_error(...)` (the form stays filled, nothing typed is lost) or `accept()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.resources import icon


@dataclass(frozen=True, slots=True)
class Credentials:
    server_url: str
    username: str
    password: str


class SignInDialog(QDialog):
    """Collects credentials; emits `sign_in_requested(Credentials)` when they look well formed."""

    sign_in_requested = Signal(object)  # Credentials

    def __init__(
        self, server_url: str = "", username: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in — Reservations"))
        self.setWindowIcon(icon("app"))
        self.setMinimumWidth(380)
        self._server = self._field(server_url, self.tr("Server address"), "https://…")
        self._username = self._field(username, self.tr("Username"), "")
        self._password = self._field("", self.tr("Password"), "")
        self._password.setEchoMode(QLineEdit.EchoMode.Password)
        self._error = QLabel()
        self._error.setObjectName("signInError")
        self._error.setWordWrap(True)
        self._error.setAccessibleName(self.tr("Sign-in error"))
        self._error.hide()
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self._buttons.accepted.connect(self._submit)
        self._buttons.rejected.connect(self.reject)
        self._lay_out()
        first_empty = next(
            (f for f in (self._server, self._username) if not f.text()), self._password
        )
        first_empty.setFocus()

    def _field(self, text: str, name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit(text)
        field.setAccessibleName(name)
        field.setPlaceholderText(placeholder)
        field.textEdited.connect(self._clear_error)
        return field

    def _lay_out(self) -> None:
        heading = QLabel(self.tr("Sign in to your bookings"))
        heading.setObjectName("dialogHeading")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Server:"), self._server)
        form.addRow(self.tr("&Username:"), self._username)
        form.addRow(self.tr("&Password:"), self._password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self._error)
        layout.addWidget(self._buttons)

    def credentials(self) -> Credentials:
        return Credentials(
            self._server.text().strip(), self._username.text().strip(), self._password.text()
        )

    def error_text(self) -> str:
        """The error shown, or "" when none is."""
        return self._error.text() if not self._error.isHidden() else ""

    def show_error(self, message: str) -> None:
        """Show why sign-in failed; keep what was typed and let the user try again."""
        self.set_busy(False)
        self._error.setText(message)
        self._error.show()
        self._password.setFocus()
        self._password.selectAll()

    def set_busy(self, busy: bool) -> None:
        for widget in (self._server, self._username, self._password):
            widget.setEnabled(not busy)
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not busy)
        ok.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))

    def _clear_error(self) -> None:
        self._error.hide()

    def _submit(self) -> None:
        problem = self._problem(self.credentials())
        if problem:
            self.show_error(problem)
            return
        self._error.hide()
        self.set_busy(True)
        self.sign_in_requested.emit(self.credentials())

    def _problem(self, creds: Credentials) -> str:
        url = QUrl(creds.server_url, QUrl.ParsingMode.StrictMode)
        if url.scheme() not in ("http", "https") or not url.host():
            return self.tr("Enter the server address, e.g. https://bookings.example.com")
        if not creds.username:
            return self.tr("Enter your username.")
        if not creds.password:
            return self.tr("Enter your password.")
        return ""
