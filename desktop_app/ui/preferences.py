"""The Preferences dialog: server, account, notifications, theme, language and start at login.

It shows the values it is given and, on Save, emits `save_requested` with every value as the
settings file spells it (keys of `desktop_app.settings.Settings`); the app writes them to the one
settings file and applies what can change at once. A value that cannot be right (a server address
that is not http(s)://…) is named in the dialog and nothing is emitted, nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

Value = str | bool
# The keys written, with their defaults.
DEFAULTS: Final[dict[str, Value]] = {
    "server_url": "",  # empty: the embedded local server
    "user": "",
    "notify_sound": False,
    "keep_in_tray": False,
    "theme": "system",
    "language": "system",
    "start_at_login": False,
}
THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "de")


class PreferencesDialog(QDialog):
    """`PreferencesDialog(values)`; non-blocking (open()); Save emits `save_requested(dict)`."""

    save_requested = Signal(dict)  # key -> str | bool, every key of DEFAULTS

    def __init__(self, values: Mapping[str, Value], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(self.tr("Preferences"))
        self.setModal(False)
        self.setMinimumWidth(460)
        given = {**DEFAULTS, **{k: v for k, v in values.items() if k in DEFAULTS}}
        self.server = QLineEdit(str(given["server_url"]))
        self.server.setAccessibleName(self.tr("Server address"))
        self.server.setPlaceholderText(self.tr("Empty: this computer (local server)"))
        self.user = QLineEdit(str(given["user"]))
        self.user.setAccessibleName(self.tr("User name"))
        self.sound = QCheckBox(self.tr("Play a sound for a new request"))
        self.sound.setChecked(bool(given["notify_sound"]))
        self.tray = QCheckBox(self.tr("Keep running in the tray when the window closes"))
        self.tray.setChecked(bool(given["keep_in_tray"]))
        self.theme = self._choice(
            {
                "system": self.tr("As the system"),
                "light": self.tr("Light"),
                "dark": self.tr("Dark"),
            },
            str(given["theme"]),
            self.tr("Theme"),
        )
        self.language = self._choice(
            {"system": self.tr("As the system"), "en": "English", "de": "Deutsch"},
            str(given["language"]),
            self.tr("Language"),
        )
        self.login = QCheckBox(self.tr("Start Reservations when I log in"))
        self.login.setChecked(bool(given["start_at_login"]))
        self._error = QLabel()
        self._error.setObjectName("formError")
        self._error.setWordWrap(True)
        self._error.hide()
        self.server.textEdited.connect(self._error.hide)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()

    def _choice(self, options: dict[str, str], current: str, name: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        for key, text in options.items():
            box.addItem(text, key)
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    def _group(self, title: str, rows: list[tuple[str, QWidget]]) -> QGroupBox:
        group = QGroupBox(title)
        form = QFormLayout(group)
        for caption, widget in rows:
            if caption:
                form.addRow(caption, widget)
            else:
                form.addRow(widget)
        return group

    def _lay_out(self) -> None:
        heading = QLabel(self.windowTitle())
        heading.setObjectName("dialogHeading")
        hint = QLabel(
            self.tr(
                "Server and account changes take effect at the next sign-in, a new language at "
                "the next start; the rest at once."
            )
        )
        hint.setObjectName("dialogHint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(
            self._group(
                self.tr("Server and account"),
                [(self.tr("&Server:"), self.server), (self.tr("&User:"), self.user)],
            )
        )
        layout.addWidget(self._group(self.tr("Notifications"), [("", self.sound), ("", self.tray)]))
        layout.addWidget(
            self._group(
                self.tr("Look and start"),
                [
                    (self.tr("&Theme:"), self.theme),
                    (self.tr("&Language:"), self.language),
                    ("", self.login),
                ],
            )
        )
        layout.addWidget(hint)
        layout.addWidget(self._error)
        layout.addWidget(self.buttons)

    def error_text(self) -> str:
        return "" if self._error.isHidden() else self._error.text()

    def values(self) -> dict[str, Value]:
        return {
            "server_url": self.server.text().strip(),
            "user": self.user.text().strip(),
            "notify_sound": self.sound.isChecked(),
            "keep_in_tray": self.tray.isChecked(),
            "theme": str(self.theme.currentData()),
            "language": str(self.language.currentData()),
            "start_at_login": self.login.isChecked(),
        }

    def submit(self) -> None:
        values = self.values()
        server = str(values["server_url"])
        if server and not _http_url(server):
            self._error.setText(
                self.tr("Server: “%s” is not an address such as https://bookings.example.com.")
                % server
            )
            self._error.show()
            self.server.setFocus()
            return
        self.save_requested.emit(values)
        self.accept()


def _http_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def tell_not_saved(parent: QWidget, where: str, reason: str) -> QMessageBox:
    """The preferences could not be written (the reason names every problem); not blocking: the
    window keeps the values as the user chose them."""
    text = QCoreApplication.translate(
        "PreferencesDialog", "The preferences could not be saved to %1:\n%2"
    )
    return _tell(
        parent,
        "preferencesNotSaved",
        QCoreApplication.translate("PreferencesDialog", "Preferences not saved"),
        text.replace("%1", where).replace("%2", reason),
    )


def tell_login_not_changed(parent: QWidget, reason: str) -> QMessageBox:
    """The autostart entry could not be written or removed (saved in the settings all the same:
    the next start tries again)."""
    text = QCoreApplication.translate(
        "PreferencesDialog",
        "Starting at login could not be changed: %1\nThe next start of the app tries again.",
    )
    return _tell(
        parent,
        "startAtLoginNotChanged",
        QCoreApplication.translate("PreferencesDialog", "Start at login not changed"),
        text.replace("%1", reason),
    )


def _tell(parent: QWidget, name: str, title: str, text: str) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Close, parent
    )
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # open(), not exec(): no nested event loop under qasync
    return box
