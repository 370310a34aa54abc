"""The app's entry point: owns the Qt application, the qasync loop, sign-in and shutdown.

`reservations-desktop` with no `--server` starts the embedded booking server (SQLite, demo data) on
a free loopback port and signs in as the demo master anna. `open_session` is what the entry point
and the end-to-end tests share: sign in, build engine + controller + window, start syncing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from booking_core import UserPublic
from desktop_app.controller import Clock, SyncController, utc_now
from desktop_app.net.api import ApiClient
from desktop_app.net.embedded import EmbeddedServer
from desktop_app.net.errors import NetError
from desktop_app.net.reachability import Reachability
from desktop_app.settings import Settings, SettingsError, built_in_settings, load_settings
from desktop_app.store.local import LocalStore
from desktop_app.sync import SyncConfig, SyncEngine, SyncState, SyncStatus
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.sign_in_dialog import Credentials, SignInDialog

log = logging.getLogger("desktop_app")

APP_NAME = "reservations-desktop"
DEMO_USER = "anna"
DEMO_PASSWORD = "demo"
PASSWORD_ENV = "RESERVATIONS_PASSWORD"
USERS_PATH = "/api/v1/users"


def app_version() -> str:
    try:
        return version("reservations-desktop")
    except PackageNotFoundError:
        return "0+unknown"


def about_text(data_dir: Path) -> str:
    return (
        f"<h3>Reservations Desktop {app_version()}</h3>"
        "<p>Run your day's bookings, synced in real time.</p>"
        f"<p>Data folder: {data_dir}</p>"
    )


def add_about_menu(window: QMainWindow, data_dir: Path) -> QAction:
    """Help → About: the version (package metadata, i.e. pyproject) and where the data lives."""
    action = window.menuBar().addMenu("&Help").addAction("&About Reservations")
    action.setObjectName("about")
    action.triggered.connect(lambda: show_about(window, data_dir))
    return action


def show_about(window: QMainWindow, data_dir: Path) -> QMessageBox:
    # open(), not exec(): no nested event loop under qasync.
    box = QMessageBox(window)
    box.setWindowTitle("About Reservations")
    box.setText(about_text(data_dir))
    box.setIconPixmap(window.windowIcon().pixmap(64, 64))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


# Options whose command-line name differs from the setting's name.
_FLAGS = {"server_url": "--server", "config_file": "--config"}


def build_parser() -> argparse.ArgumentParser:
    """Every setting is an option (`--poll-active-seconds 3`, ...), plus --screenshot/--version.

    Options default to None, so an option not given leaves the environment, the settings file or
    the default in charge (see `desktop_app.settings`)."""
    parser = argparse.ArgumentParser(
        prog="reservations-desktop",
        description="Run your day's bookings, synced in real time.",
        epilog="Each option also reads RESERVATIONS_<NAME> and the settings file; "
        "see docs/configuration.md.",
    )
    for name, info in Settings.model_fields.items():
        flag = _FLAGS.get(name, "--" + name.replace("_", "-"))
        parser.add_argument(flag, dest=name, default=None, help=info.description)
    parser.add_argument(
        "--screenshot",
        type=Path,
        help="render the main window to this PNG after the first successful sync, then exit 0",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {app_version()}")
    return parser


def settings_of(options: argparse.Namespace) -> Settings:
    """The settings with the command line on top; `SettingsError` if any value is unusable."""
    return load_settings(**{name: getattr(options, name) for name in Settings.model_fields})


@dataclass
class Session:
    """One signed-in user's running app: close it to stop syncing and free everything."""

    api: ApiClient
    user: UserPublic
    controller: SyncController
    window: MainWindow
    store: LocalStore
    reachability: Reachability | None = None
    embedded: EmbeddedServer | None = None
    extras: list[object] = field(default_factory=list)

    async def close(self) -> None:
        if self.reachability is not None:
            self.reachability.stop()
        await self.controller.stop()
        self.window.close()
        self.store.close()
        await self.api.aclose()
        if self.embedded is not None:
            await self.embedded.stop()


async def open_session(
    api: ApiClient,
    password: str,
    username: str,
    *,
    data_dir: Path,
    config: SyncConfig | None = None,
    clock: Clock = utc_now,
    watch_network: bool = True,
    settings: Settings | None = None,
) -> Session:
    """Sign in on `api`, then build engine, controller and window and start syncing.

    `settings` gives the sync timing, socket URL and heartbeat, and the reachability probe's
    period (`config`, when given, wins for the engine); the request timeouts are the `api`'s.
    Raises `AuthError` when the server refuses the credentials, `NetError` when it cannot be
    reached; nothing is left running then.
    """
    # Without settings: the built-in defaults, never the environment or the user's settings file.
    settings = settings or built_in_settings()
    login = await api.login(username, password)
    names = await _display_names(api)
    store = LocalStore.open(data_dir / "stores", api.base_url, login.user.id)
    engine = SyncEngine(login.user, config or settings.sync_config())
    controller = SyncController(
        api,
        login.user,
        engine,
        store,
        clock=clock,
        socket_settings=settings.socket_settings(),
        socket_url=settings.socket_url,
    )
    window = MainWindow(controller, login.user, display_names=names)
    reachability = None
    if watch_network:
        reachability = Reachability(
            api.base_url.rstrip("/") + "/healthz",
            probe_interval_ms=settings.health_check_ms,
            parent=controller,
        )
        reachability.online_changed.connect(controller.network_changed)
    controller.start()
    if reachability is not None:
        reachability.start()
    return Session(api, login.user, controller, window, store, reachability)


async def _display_names(api: ApiClient) -> dict[str, str]:
    """Names to show instead of user ids; an older server without /users just shows ids."""
    try:
        reply = await api.perform("GET", USERS_PATH)
    except NetError:
        return {}
    if reply.status != 200 or not isinstance(reply.body, dict):
        return {}
    users = reply.body.get("users", [])
    return {u["id"]: u["display_name"] for u in users if isinstance(u, dict) and "id" in u}


async def wait_for_sync(controller: SyncController) -> None:
    """Return once the controller reports a completed sync with the server."""
    done = asyncio.Event()

    def check(status: SyncStatus) -> None:
        if status.state is SyncState.SYNCHRONIZED and status.last_synced_at is not None:
            done.set()

    controller.sync_status_changed.connect(check)
    check(controller.status)
    try:
        await done.wait()
    finally:
        controller.sync_status_changed.disconnect(check)


async def _ask_credentials(server_url: str, username: str) -> Credentials | None:
    dialog = SignInDialog(server_url, username)
    answer: asyncio.Future[Credentials | None] = asyncio.get_running_loop().create_future()

    def settle(credentials: Credentials | None) -> None:
        if not answer.done():
            answer.set_result(credentials)

    dialog.sign_in_requested.connect(settle)
    dialog.rejected.connect(lambda: settle(None))
    dialog.show()
    try:
        return await answer
    finally:
        dialog.close()


async def _start(settings: Settings) -> Session | None:
    data_dir = settings.data_dir
    embedded = None
    if settings.server_url is None:
        embedded = EmbeddedServer(data_dir / "embedded.sqlite3")
        server_url = await embedded.start()
        username, password = settings.user or DEMO_USER, DEMO_PASSWORD
    else:
        server_url, username = settings.server_url, settings.user or ""
        password = os.environ.get(PASSWORD_ENV, "")
    while True:
        if not (username and password):
            credentials = await _ask_credentials(server_url, username)
            if credentials is None:
                return None
            server_url, username, password = (
                credentials.server_url,
                credentials.username,
                credentials.password,
            )
        api = ApiClient(server_url, timeouts=settings.timeouts())
        try:
            session = await open_session(
                api, password, username, data_dir=data_dir, settings=settings
            )
        except NetError as exc:
            await api.aclose()
            if embedded is not None:
                await embedded.stop()
                raise
            QMessageBox.warning(None, "Sign-in failed", str(exc))
            password = ""
            continue
        session.embedded = embedded
        return session


async def _screenshot(session: Session, path: Path) -> None:
    await wait_for_sync(session.controller)
    # Let the queued paint/layout events of the fresh rows run before grabbing.
    await asyncio.sleep(0.05)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not session.window.grab().save(str(path)):
        raise OSError(f"could not write the screenshot {path}")
    log.info("screenshot written to %s", path)


async def _run(options: argparse.Namespace, settings: Settings, app: QApplication) -> int:
    # The app ends when main() returns (qasync): closing the last window only asks for that, so
    # the session can shut down cleanly (socket closed, outbox saved, server stopped) first.
    quitting = asyncio.Event()
    app.lastWindowClosed.connect(quitting.set)
    app.aboutToQuit.connect(quitting.set)
    session = await _start(settings)
    if session is None:
        return 1
    add_about_menu(session.window, settings.data_dir)
    session.window.resize(1280, 760)
    session.window.show()
    try:
        if options.screenshot is not None:
            await asyncio.wait_for(_screenshot(session, options.screenshot), timeout=60)
            return 0
        await quitting.wait()
        return 0
    finally:
        await session.close()


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    log.critical("unexpected error", exc_info=(kind, value, tb))


def main(argv: Sequence[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        settings = settings_of(options)
    except SettingsError as exc:
        print(f"reservations-desktop: {exc}", file=sys.stderr)
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    sys.excepthook = _excepthook
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Reservations")
    app.setOrganizationName("Reservations")
    app.setApplicationVersion(app_version())
    app.setQuitOnLastWindowClosed(False)
    try:
        code: int = qasync.run(_run(options, settings, app))
        return code
    except NetError as exc:
        log.error("%s", exc)
        print(f"reservations-desktop: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
