"""The sign-in dialog checks what it can locally, emits credentials, and shows errors in place."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.ui.sign_in_dialog import Credentials, SignInDialog


def _dialog(
    qtbot: QtBot, server: str = "http://127.0.0.1:8765", user: str = "anna"
) -> SignInDialog:
    dialog = SignInDialog(server_url=server, username=user)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_well_formed_credentials_are_emitted_and_the_form_goes_busy(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    dialog._password.setText("demo")
    with qtbot.waitSignal(dialog.sign_in_requested) as blocker:
        dialog._buttons.accepted.emit()
    assert blocker.args == [Credentials("http://127.0.0.1:8765", "anna", "demo")]
    assert not dialog._password.isEnabled()
    assert dialog.error_text() == ""


def test_a_bad_server_address_is_explained_and_nothing_is_sent(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, server="localhost:8765")
    dialog._password.setText("demo")
    with qtbot.assertNotEmitted(dialog.sign_in_requested):
        dialog._buttons.accepted.emit()
    assert "server address" in dialog.error_text()
    assert dialog._password.isEnabled()


def test_a_missing_password_is_explained(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    with qtbot.assertNotEmitted(dialog.sign_in_requested):
        dialog._buttons.accepted.emit()
    assert dialog.error_text() == "Enter your password."


def test_a_server_refusal_is_shown_and_keeps_what_was_typed(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    dialog._password.setText("wrong")
    dialog._buttons.accepted.emit()
    dialog.show_error("Wrong username or password.")
    assert dialog.error_text() == "Wrong username or password."
    assert dialog.credentials() == Credentials("http://127.0.0.1:8765", "anna", "wrong")
    assert dialog._password.isEnabled()
    dialog._password.setText("demo")
    dialog._password.textEdited.emit("demo")
    assert dialog.error_text() == ""
