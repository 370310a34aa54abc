"""prepare_application styles, translates and names the whole app in one call."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from booking_core import Status
from desktop_app.ui.application import prepare_application
from desktop_app.ui.resources import style_sheet
from desktop_app.ui.statuses import status_label
from desktop_app.ui.theme import Theme, system_theme, use_theme
from desktop_app.ui.translations import remove_translations


def test_prepare_application_applies_theme_language_and_icon(
    qapp: QApplication, themed: Callable[[Theme], Theme]
) -> None:
    translators = prepare_application(qapp, QLocale(QLocale.Language.German))
    try:
        assert qapp.styleSheet() == style_sheet(system_theme().value)
        assert status_label(Status.CONFIRMED) == "Bestätigt"
        assert not qapp.windowIcon().isNull()
    finally:
        remove_translations(qapp, translators)
    assert status_label(Status.CONFIRMED) == "Confirmed"


@pytest.fixture
def restored(qapp: QApplication, themed: Callable[[Theme], Theme]) -> Iterator[None]:
    """The theme choice is back to "system" after the test (the sheet: `themed`)."""
    yield
    use_theme(qapp, "system")


def test_the_theme_and_language_settings_are_applied_at_start(
    qapp: QApplication, restored: None
) -> None:
    translators = prepare_application(qapp, theme="dark", language="de")
    try:
        assert qapp.styleSheet() == style_sheet("dark")
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == "#111318"
        assert status_label(Status.CONFIRMED) == "Bestätigt"
    finally:
        remove_translations(qapp, translators)


def test_a_chosen_theme_stays_when_the_system_switches_and_system_follows(
    qapp: QApplication, restored: None
) -> None:
    hints = qapp.styleHints()
    use_theme(qapp, "dark")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)  # what Qt does when the system switches
    assert qapp.styleSheet() == style_sheet("dark")
    use_theme(qapp, "system")  # Preferences: "As the system", at once
    assert qapp.styleSheet() == style_sheet(system_theme().value)
    qapp.setStyleSheet("")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert qapp.styleSheet() == style_sheet(system_theme().value), "followed again"
