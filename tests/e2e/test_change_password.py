"""File → Change password… in the real app against a real server: a wrong current password is
explained in the dialog, a good change is made on the server (the old password stops working, the
app's own session goes on), and the dialog refuses a short or mistyped new password locally."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from desktop_app.app import open_session
from desktop_app.app.password import PasswordDialog, add_password_menu
from desktop_app.net.api import ApiClient
from tests.e2e.conftest import until
from tests.support.live_server import LiveServer


def _dialog() -> PasswordDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, PasswordDialog)]
    visible = [dialog for dialog in found if dialog.isVisible()]
    return visible[0] if visible else None


def _fill(dialog: PasswordDialog, current: str, new: str) -> None:
    dialog.current.setText(current)
    dialog.new.setText(new)
    dialog.repeat.setText(new)
    dialog.buttons.accepted.emit()


def test_change_password_from_the_file_menu(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        session = await open_session(
            ApiClient(server.base_url), "demo", "anna", data_dir=tmp_path / "app"
        )
        try:
            action = add_password_menu(session.window, session.api)
            file_menu = session.window.menuBar().actions()[0].menu()
            assert isinstance(file_menu, QMenu)
            menu_texts = [a.text() for a in file_menu.actions()]
            assert menu_texts.index(action.text()) == menu_texts.index("Sign &out") - 1
            action.trigger()
            await until(lambda: _dialog() is not None, what="the dialog opens")
            dialog = _dialog()
            assert dialog is not None
            _fill(dialog, "not-demo", "a-new-password")
            await until(lambda: dialog.error_text() != "", what="the refusal is shown")
            assert "current password is wrong" in dialog.error_text()

            _fill(dialog, "demo", "a-new-password")
            await until(lambda: _dialog() is None, what="the dialog closes")
            old = await asyncio.to_thread(
                httpx.post,
                f"{server.api_url}/auth/login",
                json={"username": "anna", "password": "demo"},
            )
            assert old.status_code == 401
            server.login("anna", "a-new-password")
            assert (await session.api.perform("GET", "/api/v1/auth/me")).status == 200
        finally:
            await session.close()

    qt_loop.run_until_complete(scenario())


def test_the_dialog_checks_the_new_password_locally(qtbot: QtBot) -> None:
    dialog = PasswordDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.assertNotEmitted(dialog.change_requested):
        _fill(dialog, "old", "short")
    assert "at least 8" in dialog.error_text()
    dialog.current.setText("old")
    dialog.new.setText("long-enough-1")
    dialog.repeat.setText("long-enough-2")
    with qtbot.assertNotEmitted(dialog.change_requested):
        dialog.buttons.accepted.emit()
    assert "differ" in dialog.error_text()
    dialog.repeat.setText("long-enough-1")
    with qtbot.waitSignal(dialog.change_requested) as blocker:
        dialog.buttons.accepted.emit()
    assert blocker.args == ["old", "long-enough-1"]
