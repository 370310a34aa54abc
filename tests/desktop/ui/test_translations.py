"""Every UI string is translatable: with the German catalogue, the window speaks German."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import desktop_app.ui
from booking_core import Action, Status
from desktop_app.sync import SyncReason, SyncState, SyncStatus
from desktop_app.ui.bookings_model import Column
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.resources import translations_dir
from desktop_app.ui.statuses import rollback_reason, status_label, sync_detail
from desktop_app.ui.translations import install_translations, remove_translations

from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    translators = install_translations(qapp, QLocale(QLocale.Language.German))
    assert translators, "the German catalogue was not found"
    yield
    remove_translations(qapp, translators)


def test_the_window_speaks_german(qtbot: QtBot, german: None) -> None:
    driver = EngineDriver()
    controller = EngineController(driver)
    driver.start(*day())
    window = MainWindow(controller, ANNA, clock=lambda: driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    assert window.booking_actions[Action.ACCEPT].text() == "Annehmen"
    assert window.model.headerData(Column.CUSTOMER, Qt.Orientation.Horizontal) == "Kunde"
    assert window.windowTitle() == "Reservierungen — Anna Master"
    assert status_label(Status.PENDING) == "Angefragt"
    assert window.search.placeholderText().startswith("Kunde, Leistung")


def test_english_is_the_source_language(qapp: QApplication) -> None:
    translators = install_translations(qapp, QLocale(QLocale.Language.English))
    try:
        assert status_label(Status.PENDING) == "Pending"
    finally:
        remove_translations(qapp, translators)


def test_the_german_catalogue_covers_every_ui_string(tmp_path: Path) -> None:
    """New UI strings need a translation: re-run lupdate/lrelease (see ui/translations.py)."""
    ui = Path(desktop_app.ui.__file__).parent
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run(
        [str(lupdate), *map(str, sorted(ui.glob("*.py"))), "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    wanted = _sources(fresh)
    done = {
        key
        for key, translated in _sources(translations_dir() / "reservations_de.ts").items()
        if translated
    }
    assert set(wanted) - done == set()


def _sources(path: Path) -> dict[tuple[str, str], bool]:
    """(context, source text) → whether it has a finished translation."""
    found = {}
    for context in ElementTree.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            finished = translation is not None and translation.get("type") is None
            found[name, message.findtext("source") or ""] = finished
    return found


def test_the_engine_s_codes_speak_german(german: None) -> None:
    """The engine sends reason codes, never words: the UI says them in the user's language."""
    offline = SyncStatus(SyncState.OFFLINE, None, 2, SyncReason.NO_NETWORK)
    assert (
        sync_detail(offline) == "Kein Netzwerk. 2 Änderungen werden gesendet, sobald wieder online."
    )
    saving = SyncStatus(SyncState.UPDATING, None, 1, SyncReason.SAVING)
    assert sync_detail(saving) == "1 Änderung wird gespeichert…"
    assert rollback_reason("not_confirmed") != "The server did not confirm the change in time."
