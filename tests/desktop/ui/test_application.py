"""prepare_application styles, translates and names the whole app in one call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from booking_core import Status
from desktop_app.ui.application import prepare_application
from desktop_app.ui.resources import style_sheet
from desktop_app.ui.statuses import status_label
from desktop_app.ui.theme import Theme, system_theme
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
