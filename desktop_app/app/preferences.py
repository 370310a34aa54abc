"""Edit → Preferences and the one settings file.

The dialog shows the settings in use; on Save, what the user changed there (and only that: a value
given on the command line or in the environment is not written unless changed) is written to the
settings file in use, else `settings.toml` in the user config folder, keeping its other settings.
An empty server or user removes the key (none: the server on this computer / ask). A file that
would not read back (see desktop_app.settings) is not written: the user is told why and the dialog
values stay in the window. "Keep running in the tray" applies at once and at every start; the
other preferences are read at the next start.
"""

from __future__ import annotations

import json
import logging
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop_app.settings import (
    FILE_NAMES,
    Settings,
    SettingsError,
    built_in_settings,
    default_config_folder,
)
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.preferences import DEFAULTS, Value

log = logging.getLogger(__name__)

# Preferences that are "none" when empty (a TOML file has no null: the key is left out).
_NONE_WHEN_EMPTY = frozenset({"server_url", "user"})


def preferences_of(settings: Settings) -> dict[str, Value]:
    """The dialog's values (every key of `desktop_app.ui.preferences.DEFAULTS`) from settings."""
    values: dict[str, Value] = {}
    for key in DEFAULTS:
        value = getattr(settings, key)
        values[key] = "" if value is None else value
    return values


def settings_path(settings: Settings) -> Path:
    """The settings file in use, else settings.toml in the user config folder."""
    if settings.config_file is not None:
        return settings.config_file.expanduser()
    folder = default_config_folder()
    return next((folder / n for n in FILE_NAMES if (folder / n).is_file()), folder / FILE_NAMES[0])


def write_preferences(path: Path, changed: Mapping[str, Value]) -> None:
    """Put `changed` into the settings file at `path` (TOML, or JSON by its suffix), keeping its
    other settings; `SettingsError` (nothing written) when the result would not read back."""
    current = _read(path)
    for key, value in changed.items():
        if key in _NONE_WHEN_EMPTY and value == "":
            current.pop(key, None)
        else:
            current[key] = value
    check = {key: value for key, value in current.items() if key != "config_file"}
    built_in_settings(**check)  # SettingsError naming every problem
    if path.suffix.lower() == ".json":
        text = json.dumps(current, indent=2, ensure_ascii=False) + "\n"
    else:
        text = "".join(f"{key} = {_toml(value)}\n" for key, value in current.items())
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)  # whole or not at all


def connect_preferences(window: MainWindow, settings: Settings) -> None:
    """Show the settings in use in the window's Preferences (keep_in_tray applied now) and write
    what the user changes there to the settings file."""
    shown = preferences_of(settings)
    window.set_preferences(shown)
    path = settings_path(settings)

    def saved(values: dict[str, Value]) -> None:
        changed = {k: v for k, v in values.items() if k in shown and shown[k] != v}
        if not changed:
            return
        try:
            write_preferences(path, changed)
        except (OSError, SettingsError) as exc:
            log.error("could not save the preferences to %s: %s", path, exc)
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                window.tr("Preferences not saved"),
                window.tr("The preferences could not be saved to %1:\n%2")
                .replace("%1", str(path))
                .replace("%2", str(exc)),
                QMessageBox.StandardButton.Close,
                window,
            )
            box.setObjectName("preferencesNotSaved")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # not blocking: the window's values stay as the user chose them
            return
        shown.update(changed)
        log.info("saved the preferences %s to %s", sorted(changed), path)

    window.preferences_saved.connect(saved)


def _read(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        data: object = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SettingsError(f"cannot read the settings file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"the settings file {path} must hold a table/object of settings")
    return data


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # A TOML basic string: JSON's escapes are TOML's (no ASCII escaping: no surrogate pairs).
        return json.dumps(value, ensure_ascii=False)
    raise SettingsError(f"cannot write {value!r} to a TOML settings file")
