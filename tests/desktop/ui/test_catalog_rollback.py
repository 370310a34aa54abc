"""An undone catalog change (services, working hours, time off) is told in plain words, like a
booking's: in the rollback dialog, the diagnostics' recent rollbacks, and in German."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from booking_core.availability import (
    ScheduleUpdate,
    Service,
    ServicePatch,
    TimeOff,
    TimeOffCreate,
    WeeklySchedule,
)
from desktop_app.sync import CatalogRollback, CatalogView, ServiceEdit, TimeOffAdd
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.notifier import rollback_notice
from desktop_app.ui.rollback_dialog import RollbackDialog
from desktop_app.ui.translations import install_translations, remove_translations

from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver
from .factories import NOW

HOURS = ScheduleUpdate(time_zone="Europe/Berlin", weekly={"mon": [("09:00", "13:00")]})
ELSEWHERE = WeeklySchedule(
    time_zone="Europe/Berlin", weekly={"tue": [("10:00", "14:00")]}, version=3
)
SERVICE = Service(
    id="svc-1",
    master_id=ANNA.id,
    name="Haircut",
    duration_minutes=45,
    price_minor=3500,
    currency="EUR",
    version=1,
)


@pytest.fixture
def controller() -> EngineController:
    driver = EngineDriver()
    controller = EngineController(driver)
    catalog = CatalogView(ANNA.id, (SERVICE,), WeeklySchedule(**HOURS.model_dump(), version=2))
    driver.start(*day(), catalog=catalog)
    return controller


@pytest.fixture
def window(qtbot: QtBot, controller: EngineController) -> MainWindow:
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    return window


def test_a_refused_service_change_is_undone_with_the_field_in_words(
    window: MainWindow, controller: EngineController
) -> None:
    driver = controller.driver
    assert controller.catalog().services == (SERVICE,)
    controller.request_service_patch(SERVICE.id, ServicePatch(duration_minutes=60))
    assert controller.catalog().services[0].duration_minutes == 60  # shown at once
    patch = driver.requests.pop()
    assert (patch.method, patch.headers["If-Match"]) == ("PATCH", '"1"')
    diagnostics = window.open_diagnostics()
    [waiting] = diagnostics.pending_rows()
    assert (waiting[0], waiting[1], waiting[3]) == ("Service change", "yes", "—")
    assert diagnostics.value("pending") == "1"
    error = {"loc": ["body", "duration_minutes"], "field": "duration_minutes", "msg": "x"}
    body = {"status": 422, "title": "x", "code": "invalid_request", "errors": [error]}
    driver.reply(patch, 422, body)
    assert controller.catalog().services == (SERVICE,)  # undone
    [text] = window.rollbacks.texts()
    assert "Your change to the service “Haircut” was undone." in text
    assert "The server did not accept this value: duration." in text
    assert "Now on the server: Haircut · 45 min · 35.00 EUR" in text
    assert "invalid_request" not in text
    diagnostics.refresh()
    assert diagnostics.pending_rows() == []
    [row] = diagnostics.rollback_rows()
    assert row[1:] == ["Service change", "The server did not accept this value: duration."]


def test_hours_changed_elsewhere_are_fetched_and_the_master_told(
    window: MainWindow, controller: EngineController
) -> None:
    driver = controller.driver
    controller.request_schedule(ScheduleUpdate(time_zone="Europe/Berlin", weekly={}))
    put = driver.requests.pop()
    assert (put.method, put.headers["If-Match"]) == ("PUT", '"2"')
    conflict = {"status": 412, "title": "x", "code": "version_conflict", "current_version": 3}
    driver.reply(put, 412, conflict)
    assert window.rollbacks.texts() == []  # not before the server's hours are known
    driver.answer_catalog(CatalogView(ANNA.id, (SERVICE,), ELSEWHERE))
    [text] = window.rollbacks.texts()
    assert "Your change to working hours was undone." in text
    assert "It was changed elsewhere first" in text
    assert "Now on the server: Tue 10:00–14:00" in text
    assert controller.catalog().schedule == ELSEWHERE


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    translators = install_translations(qapp, QLocale(QLocale.Language.German))
    assert translators, "the German catalogue was not found"
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German))  # numbers as a German system writes them
    yield
    QLocale.setDefault(before)
    remove_translations(qapp, translators)


def test_catalog_rollbacks_speak_german(qtbot: QtBot, german: None) -> None:
    dialog = RollbackDialog()
    qtbot.addWidget(dialog)
    off = TimeOffCreate(starts_at=NOW, ends_at=NOW + timedelta(hours=4))
    dialog.add(CatalogRollback("local-1", TimeOffAdd("local-1", off), "not_confirmed"))
    archive = ServiceEdit(SERVICE.id, ServicePatch(active=False))
    dialog.add(CatalogRollback(SERVICE.id, archive, "version_conflict", None, SERVICE))
    first, second = dialog.texts()
    assert first.startswith("Ihre Abwesenheit ")
    assert "wurde rückgängig gemacht." in first
    assert "Das Archivieren der Leistung „Haircut“ wurde rückgängig gemacht." in second
    assert "Es wurde zuvor anderswo geändert" in second
    assert "Jetzt auf dem Server: Haircut · 45 Min. · 35,00 EUR" in second
    item = TimeOff(id="off-1", master_id=ANNA.id, starts_at=NOW, ends_at=NOW + timedelta(days=1))
    notice = rollback_notice(CatalogRollback("x", archive, "forbidden", None, item))
    assert notice.text == "Nur Meister können Leistungen, Arbeitszeiten und Abwesenheiten ändern."
