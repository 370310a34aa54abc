"""Where the window remembers its state (geometry, splitters, columns, scope): `window.ini` in the
app's one config folder, beside the settings file — not Qt's default place for QSettings (on Linux
~/.config/Reservations/Reservations.conf, a second config folder; issue 15, defect 18).

The folder is the user's alone (0700) and the file too (0600). The first start after the move
copies what an older version left in Qt's default place into the new file, once, and removes
the old one, so nobody loses the window they arranged.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings

from desktop_app.private import PRIVATE_DIR, create_private
from desktop_app.settings import Settings, default_config_folder, settings_file_to_write

log = logging.getLogger(__name__)

FILE_NAME = "window.ini"
# What the app named itself for QSettings() before the move (app/__init__.py).
OLD_ORGANIZATION = "Reservations"
OLD_APPLICATION = "Reservations"


def window_state_folder(settings: Settings) -> Path:
    """The folder of the settings file the app writes: the user config folder, or the folder of
    a settings file named with --config-file (everything of the app's in one place)."""
    return settings_file_to_write(settings).parent


def open_window_state(folder: Path) -> QSettings:
    """The window state in `folder`, private (the folder 0700, the file 0600). In the user config
    folder, what an older version kept in Qt's default place is moved in the first time."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    path = folder / FILE_NAME
    fresh = not path.exists()
    create_private(path)  # 0600 before Qt writes it: Qt keeps an existing file's mode
    state = QSettings(str(path), QSettings.Format.IniFormat)
    if fresh and folder == default_config_folder():
        _move_old_state(state)
    return state


def old_window_state() -> QSettings:
    """Qt's default QSettings of older versions (native format: an .conf file on Linux, a plist
    on macOS, the registry on Windows)."""
    return QSettings(
        QSettings.Format.NativeFormat,
        QSettings.Scope.UserScope,
        OLD_ORGANIZATION,
        OLD_APPLICATION,
    )


def _move_old_state(state: QSettings) -> None:
    old = old_window_state()
    keys = old.allKeys()
    if not keys:
        return
    for key in keys:
        state.setValue(key, old.value(key))
    state.sync()
    if state.status() is not QSettings.Status.NoError:
        log.warning("could not move the window state to %s: the old one is kept", state.fileName())
        return
    old.clear()
    old.sync()
    _remove_file(Path(old.fileName()))
    log.info("moved the window state from %s to %s", old.fileName(), state.fileName())


def _remove_file(path: Path) -> None:
    """The old file and its folder, if they are files on disk and the folder is empty now (the
    registry on Windows has no file)."""
    if not path.is_absolute() or not path.is_file():
        return
    try:
        path.unlink()
        path.parent.rmdir()  # only when empty: something else may live there
    except OSError:
        return
