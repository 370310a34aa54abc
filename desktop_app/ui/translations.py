"""Loads the UI's translations (resources/translations/reservations_<lang>.qm) and Qt's own.

Every UI string goes through tr() / QCoreApplication.translate. To refresh a catalogue after
changing strings:
    pyside6-lupdate -no-obsolete desktop_app/ui/*.py -ts resources/translations/reservations_de.ts
    pyside6-lrelease resources/translations/reservations_de.ts \
        -qm resources/translations/reservations_de.qm
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop_app.ui.resources import translations_dir

CATALOGUE = "reservations"
# The `language` setting's values (besides "system": the system's locale).
LANGUAGES = {"en": QLocale.Language.English, "de": QLocale.Language.German}


def locale_of(language: str) -> QLocale | None:
    """The locale of the `language` setting; None for "system" (the system's)."""
    chosen = LANGUAGES.get(language)
    return None if chosen is None else QLocale(chosen)


def install_translations(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Install the catalogues for `locale` (default: the system's) that exist; English needs none.

    Returns the installed translators: keep them alive, and pass them to `remove_translations`.
    """
    wanted = locale or QLocale.system()
    installed = []
    sources = (
        (CATALOGUE, str(translations_dir())),
        ("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
    )
    for name, folder in sources:
        translator = QTranslator(app)
        if translator.load(wanted, name, "_", folder) and app.installTranslator(translator):
            installed.append(translator)
    return installed


def remove_translations(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
