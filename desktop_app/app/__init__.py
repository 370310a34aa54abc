"""The app's entry point: owns the Qt application, the qasync loop, logging and shutdown.

`reservations-desktop --demo` starts the embedded booking server (SQLite, demo data) on a free
loopback port and signs in as the demo master anna; with no settings yet the first-run window asks
how the app is to be used (see `lifecycle` and `first_run`). `session` holds what
the entry point and the end-to-end tests share: sign in, build engine + controller + window.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import platformdirs
import qasync
from PySide6.QtWidgets import QApplication

from desktop_app.app.about import about_text, add_about_menu, app_version, show_about
from desktop_app.app.autostart import AutostartError, set_start_at_login
from desktop_app.app.cli import build_parser, settings_of
from desktop_app.app.lifecycle import run
from desktop_app.app.session import (
    Session,
    fetch_display_names,
    open_session,
    resume_session,
    wait_for_sync,
)
from desktop_app.app.single import SingleInstance, instance_name
from desktop_app.net.errors import NetError
from desktop_app.private import create_private, make_private, restrict_process
from desktop_app.settings import Settings, SettingsError, default_config_folder
from desktop_app.ui.application import prepare_application
from desktop_app.ui.resources import icon

__all__ = [
    "PrivateLogFile",
    "Session",
    "about_text",
    "add_about_menu",
    "app_version",
    "build_parser",
    "configure_logging",
    "fetch_display_names",
    "main",
    "open_session",
    "resume_session",
    "settings_of",
    "show_about",
    "wait_for_sync",
]

log = logging.getLogger("desktop_app")

APP_NAME = "reservations-desktop"
APP_ID = "org.reservations.Desktop"  # reverse DNS: the desktop entry, AppStream, macOS bundle
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_folder() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


class PrivateLogFile(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (the current one and each started by a rollover) is
    readable by its owner only: the log names customers and bookings."""

    def _open(self) -> io.TextIOWrapper:
        create_private(Path(self.baseFilename))
        return super()._open()


def configure_logging(level: str, folder: Path) -> Path:
    """Log to stderr and to a rotating file in the platform's log folder (0700, files 0600);
    returns the file."""
    make_private(folder)
    path = folder / "app.log"
    file_handler = PrivateLogFile(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger().addHandler(file_handler)
    return path


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    log.critical("unexpected error", exc_info=(kind, value, tb))


def apply_start_at_login(settings: Settings) -> None:
    """Honour `start_at_login` both ways at every start: the autostart entry is there exactly
    when it is on (a file copied or deleted by hand, or a moved app, is put right)."""
    try:
        set_start_at_login(settings.start_at_login, settings.config_file)
    except AutostartError as exc:
        log.error("start at login: %s", exc)


def main(argv: Sequence[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        settings = settings_of(options)
    except SettingsError as exc:
        print(f"reservations-desktop: {exc}", file=sys.stderr)
        return 2
    restrict_process()  # everything the app writes from here on is its user's alone
    make_private(settings.data_dir)
    if default_config_folder().is_dir():  # the settings file and window state an older version
        make_private(default_config_folder())  # may have left readable
    configure_logging(settings.log_level, log_folder())
    sys.excepthook = _excepthook
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Reservations")
    app.setOrganizationName("Reservations")
    app.setApplicationVersion(app_version())
    # Every window's title-bar icon, and the desktop entry (Wayland matches the icon by it).
    app.setWindowIcon(icon("app"))
    app.setDesktopFileName(APP_ID)
    # The app ends when run() returns: closing the last window only asks for that, so the
    # session can shut down cleanly (socket closed, outbox saved, server stopped) first.
    app.setQuitOnLastWindowClosed(False)
    # The theme and language chosen in Preferences (else the system's); kept alive while it runs.
    translators = prepare_application(app, theme=settings.theme, language=settings.language)
    log.info(
        "theme %s, language %s (catalogues: %s)",
        settings.theme,
        settings.language,
        ", ".join(t.language() for t in translators) or "none: English",
    )
    apply_start_at_login(settings)
    # One app per user and data folder: a second start raises the first one's window instead.
    # (Not for --screenshot, a rendering tool run beside the app.)
    instance = None
    if options.screenshot is None:
        instance = SingleInstance(instance_name(settings.data_dir))
        if instance.forward_to_running():
            log.info("the app is running already: its window was raised")
            print("reservations-desktop: already running; its window was raised", file=sys.stderr)
            return 0
        if not instance.listen():
            log.warning("cannot watch for a second start (%s)", instance.name)
    try:
        code: int = qasync.run(run(options, settings, app, instance))
        return code
    except NetError as exc:
        log.error("%s", exc)
        print(f"reservations-desktop: {exc}", file=sys.stderr)
        return 2
    finally:
        if instance is not None:
            instance.close()
        del translators


if __name__ == "__main__":
    sys.exit(main())
