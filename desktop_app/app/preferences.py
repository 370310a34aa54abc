"""Edit → Preferences, written to the one settings file.

The dialog shows the settings in use; on Save, what the user changed there (and only that: a value
given on the command line or in the environment is not written unless changed) is written with
`desktop_app.settings.save_settings` to the settings file in use, else `settings.toml` in the user
config folder, keeping its other settings. An empty server or user removes the key (none: the
server on this computer / ask). A file that would not read back is not written: the user is told
why and the dialog values stay in the window.

Each preference applies at every start (desktop_app.app.main), and these at once when saved: the
theme, "keep running in the tray" (the window's), "play a sound" (the window's notifier) and
"start at login" (the autostart entry written or removed). The language and the server and
account take effect at the next start (the dialog says so): the open windows keep theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from PySide6.QtWidgets import QApplication

from desktop_app.app.autostart import AutostartError, set_start_at_login
from desktop_app.settings import (
    Settings,
    SettingsError,
    SettingValue,
    save_settings,
    settings_file_to_write,
)
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.preferences import DEFAULTS, Value, tell_login_not_changed, tell_not_saved
from desktop_app.ui.theme import use_theme

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


def to_settings(values: dict[str, Value]) -> dict[str, SettingValue]:
    """The dialog's values as the settings file spells them (an empty server or user: no key)."""
    return {k: None if k in _NONE_WHEN_EMPTY and v == "" else v for k, v in values.items()}


def connect_preferences(window: MainWindow, settings: Settings) -> None:
    """Show the settings in use in the window's Preferences (keep_in_tray applied now) and write
    what the user changes there to the settings file."""
    shown = preferences_of(settings)
    window.set_preferences(shown)
    path = settings_file_to_write(settings)

    def saved(values: dict[str, Value]) -> None:
        changed = {k: v for k, v in values.items() if k in shown and shown[k] != v}
        if not changed:
            return
        try:
            save_settings(path, to_settings(changed))
        except (OSError, SettingsError) as exc:
            log.error("could not save the preferences to %s: %s", path, exc)
            tell_not_saved(window, str(path), str(exc))
            return
        shown.update(changed)
        log.info("saved the preferences %s to %s", sorted(changed), path)
        apply_at_once(window, changed, settings)

    window.preferences_saved.connect(saved)


def apply_at_once(window: MainWindow, changed: Mapping[str, Value], settings: Settings) -> None:
    """What can change while the app runs, changed now (the window applies the tray and the
    sound itself)."""
    app = QApplication.instance()
    if "theme" in changed and isinstance(app, QApplication):
        use_theme(app, str(changed["theme"]))
    if "start_at_login" in changed:
        try:
            set_start_at_login(bool(changed["start_at_login"]), settings.config_file)
        except AutostartError as exc:
            log.error("start at login: %s", exc)
            tell_login_not_changed(window, str(exc))
