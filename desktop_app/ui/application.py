"""One call for the app's entry point: the look (theme following the system), the language
(translations for the system locale) and the window icon of the whole application.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from desktop_app.ui.resources import icon
from desktop_app.ui.theme import follow_system_theme
from desktop_app.ui.translations import install_translations


def prepare_application(app: QApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Style and translate `app`; keep the returned translators alive as long as the app runs."""
    app.setWindowIcon(icon("app"))
    follow_system_theme(app)
    return install_translations(app, locale)
