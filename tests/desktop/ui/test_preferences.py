"""Edit > Preferences: the settings in use, checked in place, saved as one set of values."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.preferences import DEFAULTS, PreferencesDialog
from desktop_app.ui.theme import Theme

from . import screenshots
from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    driver = EngineDriver()
    controller = EngineController(driver)
    driver.start(*day())
    window = MainWindow(controller, ANNA, display_names=NAMES, tray_available=lambda: True)
    qtbot.addWidget(window)
    window.set_preferences({"server_url": "https://bookings.example.com", "user": "anna"})
    return window


def test_preferences_show_the_settings_and_save_every_value(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, styled: Theme
) -> None:
    window.preferences_action.trigger()
    dialog = window.preferences
    assert isinstance(dialog, PreferencesDialog)
    assert dialog.isVisible()
    assert dialog.server.text() == "https://bookings.example.com"
    assert dialog.user.text() == "anna"
    dialog.tray.setChecked(True)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert screenshots.save(dialog, "preferences", tmp_path).stat().st_size > 1000
    with qtbot.waitSignal(window.preferences_saved) as saved:
        dialog.submit()
    values = saved.args[0]
    assert set(values) == set(DEFAULTS)
    assert values["keep_in_tray"] is True
    assert values["theme"] == "dark"
    assert values["server_url"] == "https://bookings.example.com"
    assert not window.close()  # applied at once: closing now keeps running in the tray
    window.quit()


def test_a_wrong_server_address_is_named_and_nothing_is_saved(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = window.open_preferences()
    dialog.server.setText("bookings.example.com")
    dialog.user.setText("ben")
    with qtbot.assertNotEmitted(window.preferences_saved):
        dialog.submit()
    assert dialog.error_text().startswith("Server:")
    assert dialog.isVisible()
    assert dialog.user.text() == "ben"  # nothing typed is lost
