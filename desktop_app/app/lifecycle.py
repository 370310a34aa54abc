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

from PySide6.QtCore import QSettings, SignalInstance
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from desktop_app.app.about import add_about_menu, help_menu
from desktop_app.app.first_run import (
    AccountDialog,
    Choice,
    ConnectDialog,
    Connection,
    NewAccount,
    WelcomeWindow,
    add_master,
)
from desktop_app.app.password import add_password_menu
from desktop_app.app.preferences import connect_preferences
from desktop_app.app.session import (
    Session,
    SessionOptions,
    open_session,
    resume_session,
    wait_for_sync,
)
from desktop_app.app.single import SingleInstance
from desktop_app.app.window_state import open_window_state, window_state_folder
from desktop_app.net.api import ApiClient
from desktop_app.net.embedded import EmbeddedServer
from desktop_app.net.errors import AuthError, EmbeddedServerError, NetError
from desktop_app.settings import Settings, SettingsError, save_settings, settings_file_to_write
from desktop_app.store.credentials import CredentialStore, StoredSession, system_keyring
from desktop_app.ui.sign_in_dialog import Credentials, SignInDialog
from desktop_app.ui.window_layout import GROUP as LAYOUT_GROUP

log = logging.getLogger(__name__)

DEMO_USER = "anna"
DEMO_PASSWORD = "demo"
# The server on this computer keeps demo data and real data in different files.
DEMO_DATABASE = "embedded.sqlite3"
LOCAL_DATABASE = "local-server.sqlite3"
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
        self._layout: QSettings | None = None  # the window state, opened with the first window
        self.embedded: EmbeddedServer | None = None
        # The window a second start of the app raises (single.py): first-run, then main.
        self.current_window: QWidget | None = None
        self.quitting = asyncio.Event()
        app.aboutToQuit.connect(self.quitting.set)

    async def run(self) -> int:
        try:
            first = await self._first_sign_in()
            if first is None:
                return 0  # the first-run window was closed: nothing was set up
            server_url, username, password = first
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

    async def _first_sign_in(self) -> tuple[str, str, str] | None:
        """Where to sign in first, as (server URL, username, password); "" asks for the
        password. None: the first-run window was closed."""
        settings = self.settings
        if settings.demo:
            self.embedded = EmbeddedServer(settings.data_dir / DEMO_DATABASE, demo=True)
            server_url = await self.embedded.start()
            return server_url, settings.user or DEMO_USER, DEMO_PASSWORD
        if settings.server_url is not None:
            return settings.server_url, settings.user or "", os.environ.get(PASSWORD_ENV, "")
        if settings.local_server:
            server_url = await self._start_local()
            return server_url, settings.user or "", os.environ.get(PASSWORD_ENV, "")
        return await self._welcome()

    async def _start_local(self) -> str:
        self.embedded = EmbeddedServer(self.settings.data_dir / LOCAL_DATABASE, demo=False)
        return await self.embedded.start()

    async def _welcome(self) -> tuple[str, str, str] | None:
        """The first-run window, until a way to start is set up (or it is closed)."""
        welcome = WelcomeWindow()
        self.current_window = welcome
        try:
            if self.screenshot is not None:  # render what a first start shows, then end
                welcome.show()
                await asyncio.sleep(0.05)  # the queued layout and paint events of the new window
                save_screenshot(welcome, self.screenshot)
                return None
            log.info("first run: the welcome window is shown")
            while True:
                choice = await ask(welcome, welcome.chosen)
                if choice is None:
                    return None
                welcome.hide()
                chosen = (
                    await self._set_up_local() if choice is Choice.LOCAL else await self._connect()
                )
                if chosen is not None:
                    return chosen
                welcome.show()
        finally:
            welcome.close()
            welcome.deleteLater()

    async def _set_up_local(self) -> tuple[str, str, str] | None:
        dialog = AccountDialog()
        self.current_window = dialog
        if self.embedded is None:
            server_url = await self._start_local()
        else:
            server_url = self.embedded.base_url
        assert self.embedded is not None
        try:
            while True:
                account = await ask(dialog, dialog.submitted)
                if account is None:  # back to the welcome window: nothing stays running
                    await self.embedded.stop()
                    self.embedded = None
                    return None
                assert isinstance(account, NewAccount)
                try:
                    await add_master(self.embedded.database_path, account)
                except (EmbeddedServerError, TimeoutError) as exc:
                    dialog.show_error(str(exc) or "the account could not be created")
                    continue
                self._remember({"local_server": True, "user": account.username})
                return server_url, account.username, account.password
        finally:
            dialog.close()
            dialog.deleteLater()

    async def _connect(self) -> tuple[str, str, str] | None:
        dialog = ConnectDialog()
        self.current_window = dialog
        try:
            while True:
                connection = await ask(dialog, dialog.submitted)
                if connection is None:
                    return None
                assert isinstance(connection, Connection)
                api = ApiClient(
                    connection.server_url,
                    timeouts=self.settings.timeouts(),
                    ca_file=connection.ca_file,
                )
                refusal: NetError | None = None
                try:
                    await api.login(connection.username, connection.password)
                    await api.logout()
                except NetError as exc:
                    refusal = exc
                finally:
                    await api.aclose()
                if refusal is not None:
                    # The form takes input again only now, with `ask` listening at once (no await
                    # in between): a submission made as soon as the refusal shows is not lost.
                    dialog.show_error(str(refusal))
                    continue
                chosen: dict[str, str | bool] = {
                    "server_url": connection.server_url,
                    "user": connection.username,
                }
                if connection.ca_file is not None:
                    chosen["ca_file"] = str(connection.ca_file)
                self._remember(chosen)
                self.credentials = CredentialStore(self.settings.data_dir, system_keyring())
                return connection.server_url, connection.username, connection.password
        finally:
            dialog.close()
            dialog.deleteLater()

    def _remember(self, values: dict[str, str | bool]) -> None:
        """Save the first run's choice in the settings file, and use it from now on."""
        path = settings_file_to_write(self.settings)
        try:
            save_settings(path, values)
            log.info("first run: saved %s to %s", sorted(values), path)
        except (OSError, SettingsError) as exc:
            log.error("could not save the settings to %s: %s", path, exc)
        update: dict[str, object] = dict(values)
        if "ca_file" in values:
            update["ca_file"] = Path(str(values["ca_file"]))
        self.settings = self.settings.model_copy(update=update)

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
                if self.settings.demo and not error:
                    raise  # the demo sign-in on our own server failed: nothing to ask the user
                error, password, remembered_allowed = str(exc), "", False

    def _api(self, server_url: str) -> ApiClient:
        return ApiClient(
            server_url, timeouts=self.settings.timeouts(), ca_file=self.settings.ca_file
        )

    def _resume(self, server_url: str, remembered: StoredSession) -> Session:
        return resume_session(self._api(server_url), remembered, **self._options())

    @property
    def layout(self) -> QSettings:
        """Where the main window remembers its state (opened, and an older version's moved in,
        when the first main window is about to show: closing the first-run window saves
        nothing)."""
        if self._layout is None:
            self._layout = open_window_state(window_state_folder(self.settings))
        return self._layout

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
        add_password_menu(window, session.api)
        connect_preferences(window, self.settings)
        self.current_window = window
        if not self.layout.contains(f"{LAYOUT_GROUP}/geometry"):  # a first start
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


def raise_window(window: QWidget | None) -> None:
    """Bring `window` to the front (a second start of the app asked for it)."""
    if window is None:
        return
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


async def ask(dialog: QDialog, signal: SignalInstance) -> object | None:
    """Show `dialog` (without a nested event loop) until `signal` carries an answer; None when
    it is rejected. The dialog stays open: the caller closes it or shows an error in it."""
    answer: asyncio.Future[object | None] = asyncio.get_running_loop().create_future()

    def settle(value: object | None) -> None:
        if not answer.done():
            answer.set_result(value)

    signal.connect(settle)
    dialog.rejected.connect(lambda: settle(None))
    dialog.show()
    try:
        return await answer
    finally:
        signal.disconnect(settle)


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
    save_screenshot(session.window, path)


def save_screenshot(window: QWidget, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise OSError(f"could not write the screenshot {path}")
    log.info("screenshot written to %s", path)


async def run(
    options: argparse.Namespace,
    settings: Settings,
    app: QApplication,
    instance: SingleInstance | None = None,
) -> int:
    launcher = Launcher(settings, app, options.screenshot)
    if instance is not None:
        instance.raise_requested.connect(lambda: raise_window(launcher.current_window))
    return await launcher.run()
