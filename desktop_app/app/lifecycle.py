"""The app's life: start (embedded server or `--server`), sign in, live, sign out or quit.

A session ends in one of three ways: the user quits (window closed), signs out (File → Sign out:
the token is revoked and this user's outbox, cache and remembered sign-in are deleted, after asking
when changes are still waiting), or the server refuses the token (sign in again; the outbox stays).
The loop then asks for a sign-in again, until the user cancels.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app.app.about import add_about_menu, help_menu
from desktop_app.app.preferences import connect_preferences
from desktop_app.app.session import (
    Session,
    SessionOptions,
    open_session,
    resume_session,
    wait_for_sync,
)
from desktop_app.net.api import ApiClient
from desktop_app.net.embedded import EmbeddedServer
from desktop_app.net.errors import AuthError, NetError
from desktop_app.settings import Settings
from desktop_app.store.credentials import CredentialStore, StoredSession, system_keyring
from desktop_app.ui.sign_in_dialog import Credentials, SignInDialog

log = logging.getLogger(__name__)

DEMO_USER = "anna"
DEMO_PASSWORD = "demo"
PASSWORD_ENV = "RESERVATIONS_PASSWORD"
SCREENSHOT_TIMEOUT = 60.0


class Ending(Enum):
    QUIT = "quit"
    SIGN_OUT = "sign out"
    SIGN_IN_AGAIN = "sign in again"


class Launcher:
    """Signs in, runs sessions one after another, and owns the embedded server."""

    def __init__(self, settings: Settings, app: QApplication, screenshot: Path | None) -> None:
        self.settings = settings
        self.app = app
        self.screenshot = screenshot
        # The embedded server is on a new port each start: nothing to remember a sign-in for.
        self.credentials = (
            CredentialStore(settings.data_dir, system_keyring())
            if settings.server_url is not None
            else None
        )
        self.layout = QSettings()
        self.embedded: EmbeddedServer | None = None
        self.quitting = asyncio.Event()
        app.aboutToQuit.connect(self.quitting.set)

    async def run(self) -> int:
        try:
            server_url, username, password = await self._first_sign_in()
            while True:
                session = await self._sign_in(server_url, username, password)
                if session is None:
                    return 1
                server_url, username, password = session.api.base_url, session.user.username, ""
                ending = await self._live(session)
                if ending is Ending.QUIT:
                    await session.close()
                    return 0
                if ending is Ending.SIGN_OUT:
                    await session.sign_out()
                else:  # the server refused the token: a password is needed, the outbox stays
                    await session.close()
                    if self.credentials is not None:
                        self.credentials.forget(server_url)
        finally:
            if self.embedded is not None:
                await self.embedded.stop()

    async def _first_sign_in(self) -> tuple[str, str, str]:
        if self.settings.server_url is None:
            self.embedded = EmbeddedServer(self.settings.data_dir / "embedded.sqlite3")
            server_url = await self.embedded.start()
            return server_url, self.settings.user or DEMO_USER, DEMO_PASSWORD
        password = os.environ.get(PASSWORD_ENV, "")
        return self.settings.server_url, self.settings.user or "", password

    async def _sign_in(self, server_url: str, username: str, password: str) -> Session | None:
        """A session: with the password when there is one; else the remembered sign-in (which
        also works offline); else from the sign-in dialog, until it succeeds or is cancelled."""
        error = ""
        remembered_allowed = True
        while True:
            remembered = (
                self.credentials.load(server_url, username or None)
                if self.credentials is not None
                else None
            )
            if not password and remembered is not None and remembered_allowed:
                return self._resume(server_url, remembered)
            if not password:
                answer = await ask_credentials(server_url, username, error)
                if answer is None:
                    return None
                server_url, username, password = answer.server_url, answer.username, answer.password
                remembered_allowed = False
                continue
            api = self._api(server_url)
            try:
                return await open_session(api, password, username, **self._options())
            except NetError as exc:
                await api.aclose()
                if not isinstance(exc, AuthError) and remembered is not None and remembered_allowed:
                    log.warning("cannot reach %s (%s): opening offline", server_url, exc)
                    return self._resume(server_url, remembered)
                if self.embedded is not None and self.settings.server_url is None and not error:
                    raise  # the demo sign-in on our own server failed: nothing to ask the user
                error, password, remembered_allowed = str(exc), "", False

    def _api(self, server_url: str) -> ApiClient:
        return ApiClient(server_url, timeouts=self.settings.timeouts())

    def _resume(self, server_url: str, remembered: StoredSession) -> Session:
        return resume_session(self._api(server_url), remembered, **self._options())

    def _options(self) -> SessionOptions:
        return {
            "data_dir": self.settings.data_dir,
            "settings": self.settings,
            "credentials": self.credentials,
            "layout": self.layout,
            "store_url": self._store_url(),
        }

    def _store_url(self) -> str | None:
        if self.embedded is None:
            return None
        return self.embedded.database_path.resolve().as_uri()

    async def _live(self, session: Session) -> Ending:
        endings: asyncio.Queue[Ending] = asyncio.Queue()
        window = session.window
        window.sign_out_requested.connect(lambda: endings.put_nowait(Ending.SIGN_OUT))
        session.controller.sign_in_required.connect(
            lambda _reason: endings.put_nowait(Ending.SIGN_IN_AGAIN)
        )

        def window_closed() -> None:
            if not session.closing:
                endings.put_nowait(Ending.QUIT)

        self.app.lastWindowClosed.connect(window_closed)
        quit_watch = asyncio.ensure_future(self.quitting.wait())
        quit_watch.add_done_callback(lambda _task: endings.put_nowait(Ending.QUIT))
        help_menu(window).addAction(window.diagnostics_action)
        add_about_menu(window, self.settings.data_dir)
        connect_preferences(window, self.settings)
        if not self.layout.contains("window/geometry"):
            window.resize(1280, 760)
        window.show()
        try:
            if self.screenshot is not None:
                await asyncio.wait_for(
                    take_screenshot(session, self.screenshot), SCREENSHOT_TIMEOUT
                )
                return Ending.QUIT
            while True:
                ending = await endings.get()
                if ending is not Ending.SIGN_OUT or await confirm_sign_out(session):
                    return ending
        finally:
            quit_watch.cancel()
            self.app.lastWindowClosed.disconnect(window_closed)


async def ask_credentials(server_url: str, username: str, error: str = "") -> Credentials | None:
    """The sign-in dialog, shown without a nested event loop; None when cancelled."""
    dialog = SignInDialog(server_url, username)
    answer: asyncio.Future[Credentials | None] = asyncio.get_running_loop().create_future()

    def settle(credentials: Credentials | None) -> None:
        if not answer.done():
            answer.set_result(credentials)

    dialog.sign_in_requested.connect(settle)
    dialog.rejected.connect(lambda: settle(None))
    if error:
        dialog.show_error(error)
    dialog.show()
    try:
        return await answer
    finally:
        dialog.close()


async def confirm_sign_out(session: Session) -> bool:
    """Signing out deletes changes not yet sent: ask first when there are any."""
    waiting = len(session.controller.engine.outbox)
    if waiting == 0:
        return True
    return await ask_yes_no(
        session.window,
        session.window.tr("Sign out?"),
        session.window.tr(
            "Changes not yet sent to the server: %n. They are lost if you sign out now.",
            "",
            waiting,
        ),
    )


async def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def settle(code: int) -> None:
        if not answer.done():
            answer.set_result(code == QMessageBox.StandardButton.Yes)

    box.finished.connect(settle)
    box.open()  # open(), not exec(): no nested event loop under qasync
    try:
        return await answer
    finally:
        box.deleteLater()


async def take_screenshot(session: Session, path: Path) -> None:
    await wait_for_sync(session.controller)
    # Let the queued paint/layout events of the fresh rows run before grabbing.
    await asyncio.sleep(0.05)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not session.window.grab().save(str(path)):
        raise OSError(f"could not write the screenshot {path}")
    log.info("screenshot written to %s", path)


async def run(options: argparse.Namespace, settings: Settings, app: QApplication) -> int:
    return await Launcher(settings, app, options.screenshot).run()
