"""One call for the app's entry point: the look (the `theme` setting: the system's, light or
dark), the language (the `language` setting: the system locale's, English or German) and the
window icon of the whole application.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from desktop_app.ui.resources import icon
from desktop_app.ui.theme import SYSTEM, use_theme
from desktop_app.ui.translations import install_translations, locale_of


def prepare_application(
    app: QApplication,
    locale: QLocale | None = None,
    *,
    theme: str = SYSTEM,
    language: str = SYSTEM,
) -> list[QTranslator]:
    """Style and translate `app` (`theme`, `language`: the settings' values; an explicit `locale`
    wins over `language`); keep the returned translators alive as long as the app runs."""
    app.setWindowIcon(icon("app"))
    use_theme(app, theme)
    return install_translations(app, locale or locale_of(language))
