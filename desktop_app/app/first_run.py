"""The first run: with no settings yet (no server, no local server, no --demo) the app asks how
it is to be used, once.

- "Use on this computer": the booking server runs inside the app on a real database in the data
  folder; the master creates their account (`booking-server user add`, run beside the server on
  the same file) and is signed in. Saved as `local_server = true` and `user`.
- "Connect to a server": its address, a username and password, and optionally a CA certificate to
  trust (a company CA, or a self-signed server's). The sign-in is tried before anything is saved;
  saved as `server_url`, `user` and `ca_file`.

The dialogs do no networking themselves: they emit what was typed, and the caller answers with
`show_error(...)` (nothing typed is lost) or closes them.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.net.embedded import no_console, server_launcher
from desktop_app.net.errors import EmbeddedServerError
from desktop_app.ui.resources import icon

MIN_PASSWORD = 8  # the server's rule for a changed password too
ACCOUNT_TIMEOUT = 120.0


class Choice(Enum):
    LOCAL = "local"
    CONNECT = "connect"


@dataclass(frozen=True, slots=True)
class NewAccount:
    display_name: str
    username: str
    password: str


@dataclass(frozen=True, slots=True)
class Connection:
    server_url: str
    username: str
    password: str
    ca_file: Path | None


class WelcomeWindow(QDialog):
    """Two ways to start; emits `chosen(Choice)`, or is rejected (closed)."""

    chosen = Signal(object)  # Choice

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeWindow")
        self.setWindowTitle(self.tr("Welcome — Reservations"))
        self.setWindowIcon(icon("app"))
        self.setMinimumWidth(520)
        heading = QLabel(self.tr("Welcome to Reservations"))
        heading.setObjectName("dialogHeading")
        intro = QLabel(self.tr("Where do your bookings live?"))
        self.local_button = QCommandLinkButton(
            self.tr("Use on this computer"),
            self.tr(
                "Your bookings are kept on this computer. You create your account now; "
                "customers and colleagues cannot connect."
            ),
        )
        self.local_button.setObjectName("useLocally")
        self.connect_button = QCommandLinkButton(
            self.tr("Connect to a server"),
            self.tr(
                "Your business runs a booking server: enter its address and sign in. "
                "Everyone sees the same bookings, in real time."
            ),
        )
        self.connect_button.setObjectName("connectToServer")
        self.local_button.clicked.connect(lambda: self.chosen.emit(Choice.LOCAL))
        self.connect_button.clicked.connect(lambda: self.chosen.emit(Choice.CONNECT))
        quit_button = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        quit_button.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.local_button)
        layout.addWidget(self.connect_button)
        layout.addWidget(quit_button)


class _FormDialog(QDialog):
    """A form with an error line and OK/Cancel; `submitted` carries what `_value()` makes."""

    submitted = Signal(object)

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowIcon(icon("app"))
        self.setMinimumWidth(440)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._error = QLabel()
        self._error.setObjectName("formError")
        self._error.setWordWrap(True)
        self._error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._ok_text = ok_text
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self._fields: list[QLineEdit] = []
        self._focus_before_busy: QLineEdit | None = None

    def _lay_out(self, heading: str) -> None:
        title = QLabel(heading)
        title.setObjectName("dialogHeading")
        title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.addWidget(title)
        layout.addLayout(self.form)
        layout.addWidget(self._error)
        layout.addWidget(self.buttons)

    def field(self, label: str, name: str, *, secret: bool = False, text: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setAccessibleName(name)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.textEdited.connect(self._error.hide)
        self.form.addRow(label, edit)
        self._fields.append(edit)
        return edit

    def error_text(self) -> str:
        return self._error.text() if not self._error.isHidden() else ""

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self._error.setText(message)
        self._error.show()

    def set_busy(self, busy: bool, text: str = "") -> None:
        if busy:
            # Disabling the fields moves the focus on to the next button ("Choose…", where Enter
            # would open a file dialog): remember the field, and give it back with its text
            # selected, so that a refused password is simply typed again.
            focused = self.focusWidget()
            self._focus_before_busy = focused if isinstance(focused, QLineEdit) else None
        for edit in self._fields:
            edit.setEnabled(not busy)
        if not busy and self._focus_before_busy is not None:
            self._focus_before_busy.setFocus()
            self._focus_before_busy.selectAll()
            self._focus_before_busy = None
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not busy)
        ok.setText(text if busy and text else self._ok_text)

    def _submit(self) -> None:
        problem = self._problem()
        if problem:
            self.show_error(problem)
            return
        self._error.hide()
        self.set_busy(True, self.tr("Please wait…"))
        self.submitted.emit(self._value())

    def _problem(self) -> str:
        raise NotImplementedError

    def _value(self) -> object:
        raise NotImplementedError


class AccountDialog(_FormDialog):
    """The master's own account on this computer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Your account — Reservations"), self.tr("Create account"), parent)
        self.display_name = self.field(self.tr("Your &name:"), self.tr("Your name"))
        self.username = self.field(self.tr("&Username:"), self.tr("Username"))
        self.password = self.field(self.tr("&Password:"), self.tr("Password"), secret=True)
        self.repeat = self.field(self.tr("&Repeat:"), self.tr("Password again"), secret=True)
        self._lay_out(self.tr("Create your account: you sign in with it on this computer."))
        self.display_name.setFocus()

    def _problem(self) -> str:
        if not self.display_name.text().strip():
            return self.tr("Enter your name, as customers see it.")
        if not self.username.text().strip() or any(c.isspace() for c in self.username.text()):
            return self.tr("Enter a username without spaces.")
        if len(self.password.text()) < MIN_PASSWORD:
            return self.tr("The password needs at least %n characters.", "", MIN_PASSWORD)
        if self.password.text() != self.repeat.text():
            return self.tr("The two passwords differ.")
        return ""

    def _value(self) -> NewAccount:
        return NewAccount(
            self.display_name.text().strip(), self.username.text().strip(), self.password.text()
        )


class ConnectDialog(_FormDialog):
    """A booking server's address, a sign-in, and optionally a CA certificate to trust."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Connect — Reservations"), self.tr("Connect"), parent)
        self.server = self.field(self.tr("&Server:"), self.tr("Server address"))
        self.server.setPlaceholderText("https://bookings.example.com")
        self.username = self.field(self.tr("&Username:"), self.tr("Username"))
        self.password = self.field(self.tr("&Password:"), self.tr("Password"), secret=True)
        self.ca_file = QLineEdit()
        self.ca_file.setAccessibleName(self.tr("CA certificate"))
        self.ca_file.setPlaceholderText(self.tr("only for a server with its own certificate"))
        self._fields.append(self.ca_file)
        choose = QPushButton(self.tr("Choose…"))
        choose.setAutoDefault(False)  # Enter in the form connects, never opens a file dialog
        choose.clicked.connect(self._choose_ca)
        row = QHBoxLayout()
        row.addWidget(self.ca_file)
        row.addWidget(choose)
        # A label shows its & as a mnemonic only with a buddy (a row of a layout has none).
        label = QLabel(self.tr("&Trust CA:"))
        label.setBuddy(self.ca_file)
        self.form.addRow(label, row)
        self._lay_out(self.tr("Connect to your business's booking server."))
        self.server.setFocus()

    def _choose_ca(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("CA certificate"), "", self.tr("Certificates (*.pem *.crt *.cer)")
        )
        if path:
            self.ca_file.setText(path)

    def _problem(self) -> str:
        url = QUrl(self.server.text().strip(), QUrl.ParsingMode.StrictMode)
        if url.scheme() not in ("http", "https") or not url.host():
            return self.tr("Enter the server address, e.g. https://bookings.example.com")
        if not self.username.text().strip():
            return self.tr("Enter your username.")
        if not self.password.text():
            return self.tr("Enter your password.")
        ca = self.ca_file.text().strip()
        if ca and not Path(ca).expanduser().is_file():
            return self.tr("The CA certificate file does not exist.")
        return ""

    def _value(self) -> Connection:
        ca = self.ca_file.text().strip()
        return Connection(
            self.server.text().strip().rstrip("/"),
            self.username.text().strip(),
            self.password.text(),
            Path(ca).expanduser().resolve() if ca else None,
        )


async def add_master(
    database_path: Path, account: NewAccount, python: str = sys.executable
) -> None:
    """Create the master's account in the local server's database, with the server's own
    `user add` command (the app never imports the server); `EmbeddedServerError` if refused."""
    command = [
        *server_launcher(python),
        "user",
        "add",
        "--role",
        "master",
        "--username",
        account.username,
        "--display-name",
        account.display_name,
        "--database-url",
        f"sqlite:///{database_path}",
    ]
    try:
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            **no_console(),
        )
    except OSError as exc:
        raise EmbeddedServerError(f"could not run {command[0]}: {exc}") from exc
    async with asyncio.timeout(ACCOUNT_TIMEOUT):
        _out, err = await process.communicate((account.password + "\n").encode())
    if process.returncode != 0:
        message = err.decode(errors="replace").strip().removeprefix("booking-server: ")
        raise EmbeddedServerError(message or f"the account was not created ({process.returncode})")
