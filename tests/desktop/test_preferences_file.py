"""Edit → Preferences writes the one settings file (issue 15): the dialog shows the settings in use,
Save writes what the user changed (and only that), the next start reads it back, and "keep
running in the tray" applies at once and at the next start. On real files in tmp_path."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.app.preferences import connect_preferences
from desktop_app.settings import Settings, SettingsError, load_settings, save_settings
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.resources import style_sheet
from desktop_app.ui.theme import use_theme
from tests.desktop.ui.engine_controller import EngineController
from tests.desktop.ui.engine_driver import ANNA, EngineDriver


@pytest.fixture
def config_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No RESERVATIONS_* variable and an empty config folder, whatever the machine has."""
    for name in list(os.environ):
        if name.startswith("RESERVATIONS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "reservations-desktop"


def _window(qtbot: QtBot, settings: Settings) -> MainWindow:
    window = MainWindow(EngineController(EngineDriver()), ANNA)
    qtbot.addWidget(window)
    connect_preferences(window, settings)
    return window


def test_the_dialog_shows_the_settings_in_use_and_save_writes_what_changed(
    qtbot: QtBot, config_folder: Path
) -> None:
    path = config_folder / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_text(
        'server_url = "https://bookings.example.com"\nkeep_in_tray = true\npoll_idle_seconds = 7\n'
    )
    # `user` from the command line: in use, shown, but not the file's to keep unless changed.
    window = _window(qtbot, load_settings(user="anna"))
    dialog = window.open_preferences()
    assert dialog.server.text() == "https://bookings.example.com"
    assert dialog.user.text() == "anna"
    assert dialog.tray.isChecked()
    assert not dialog.sound.isChecked()

    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    dialog.sound.setChecked(True)
    dialog.server.setText("")  # back to the server on this computer
    dialog.submit()

    again = load_settings()
    assert (again.theme, again.language, again.notify_sound) == ("dark", "de", True)
    assert again.keep_in_tray
    assert again.poll_idle_seconds == 7  # the file's other settings are kept
    assert again.server_url is None
    assert again.user is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_keep_in_tray_applies_at_once_and_at_the_next_start(
    qtbot: QtBot, config_folder: Path
) -> None:
    window = _window(qtbot, load_settings())
    dialog = window.open_preferences()
    assert not dialog.tray.isChecked()
    dialog.tray.setChecked(True)
    dialog.submit()
    assert window.open_preferences().tray.isChecked()  # this window, at once
    assert (config_folder / "settings.toml").read_text() == "keep_in_tray = true\n"

    later = _window(qtbot, load_settings())  # the next start
    assert later.open_preferences().tray.isChecked()


def test_a_file_that_would_not_read_back_is_left_alone_and_the_user_told(
    qtbot: QtBot, config_folder: Path
) -> None:
    path = config_folder / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"log_level": "INFO"}')
    window = _window(qtbot, load_settings())
    broken = '{"log_level": "INFO", "pol_idle_seconds": 7}'  # a typo, made since the start
    path.write_text(broken)
    dialog = window.open_preferences()
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    dialog.submit()
    assert path.read_text() == broken
    box = window.findChild(QMessageBox, "preferencesNotSaved")
    assert box is not None
    assert "pol_idle_seconds" in box.text()
    assert window.open_preferences().theme.currentData() == "light"  # nothing typed is lost


def test_one_writer_checks_what_it_writes_and_keeps_every_character(config_folder: Path) -> None:
    """The first-run window and Preferences write through the one `save_settings`: a value the
    next start would refuse is refused now, with nothing written, and a name outside the Basic
    Multilingual Plane survives TOML (JSON's ASCII escapes would write a surrogate pair)."""
    path = config_folder / "settings.toml"
    save_settings(path, {"local_server": True, "user": "anna🌷"})
    assert load_settings().user == "anna🌷"
    before = path.read_bytes()
    with pytest.raises(SettingsError, match="poll_idle_seconds"):
        save_settings(path, {"poll_idle_seconds": -1})
    assert path.read_bytes() == before
    save_settings(path, {"user": None})  # removed: the default applies again
    assert path.read_text() == "local_server = true\n"
    assert load_settings().user is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_folder.stat().st_mode) == 0o700


@pytest.fixture
def theme_restored(qapp: QApplication) -> Iterator[None]:
    palette, sheet = qapp.palette(), qapp.styleSheet()
    yield
    use_theme(qapp, "system")
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def test_theme_and_start_at_login_take_effect_at_once(
    qtbot: QtBot, qapp: QApplication, config_folder: Path, theme_restored: None
) -> None:
    window = _window(qtbot, load_settings())
    dialog = window.open_preferences()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.login.setChecked(True)
    dialog.submit()
    assert qapp.styleSheet() == style_sheet("dark")
    entry = config_folder.parent / "autostart" / "org.reservations.Desktop.desktop"
    assert "Exec=" in entry.read_text()

    dialog = window.open_preferences()
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    dialog.login.setChecked(False)
    dialog.submit()
    assert qapp.styleSheet() == style_sheet("light")
    assert not entry.exists()
    again = load_settings()
    assert (again.theme, again.start_at_login) == ("light", False)


def test_an_autostart_folder_that_cannot_be_written_is_told(
    qtbot: QtBot, config_folder: Path
) -> None:
    (config_folder.parent).mkdir(parents=True)
    (config_folder.parent / "autostart").write_text("a file where the folder should be")
    window = _window(qtbot, load_settings())
    dialog = window.open_preferences()
    dialog.login.setChecked(True)
    dialog.submit()
    box = window.findChild(QMessageBox, "startAtLoginNotChanged")
    assert box is not None
    assert "autostart" in box.text()
    assert load_settings().start_at_login, "saved all the same: the next start tries again"
