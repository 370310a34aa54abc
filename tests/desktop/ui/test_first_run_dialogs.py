"""The first run's Connect form by keyboard, as a master types into it (also on the xcb pass:
focus moves differently on a real X server). The whole first run against a real server is in
tests/e2e/test_first_run.py."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop_app.app.first_run import ConnectDialog, Connection

from .focus import activate, focus


def _filled(qtbot: QtBot) -> ConnectDialog:
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.server.setText("https://bookings.example.com")
    dialog.username.setText("anna")
    dialog.password.setText("wrong")
    return dialog


def test_a_refused_password_is_typed_again_and_enter_connects(qtbot: QtBot) -> None:
    dialog = _filled(qtbot)
    sent: list[object] = []
    dialog.submitted.connect(sent.append)
    focus(qtbot, dialog.password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert len(sent) == 1, "Enter in the form connects"
    assert not dialog.password.isEnabled(), "the form waits for the server's answer"

    dialog.show_error("the server refused the sign-in of 'anna': wrong username or password")

    # The focus is back in the password field with what was typed selected (it once went on to
    # "Choose…", where the next Enter opened a file dialog instead of connecting).
    assert dialog.focusWidget() is dialog.password
    qtbot.waitUntil(dialog.password.hasFocus)
    assert dialog.password.selectionLength() == len("wrong")
    qtbot.keyClicks(dialog.password, "demo")
    assert dialog.password.text() == "demo"
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert len(sent) == 2
    again = sent[1]
    assert isinstance(again, Connection)
    assert (again.username, again.password) == ("anna", "demo")


def test_the_trust_ca_label_is_a_mnemonic_not_an_ampersand(qtbot: QtBot) -> None:
    dialog = _filled(qtbot)
    # Without a buddy a label shows "&Trust CA:" with its ampersand, and Alt+T does nothing.
    (label,) = [each for each in dialog.findChildren(QLabel) if each.text() == "&Trust CA:"]
    assert label.buddy() is dialog.ca_file
    focus(qtbot, dialog.server)
    qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.ca_file.hasFocus)
