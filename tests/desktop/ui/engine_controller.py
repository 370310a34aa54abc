"""A Qt face for EngineDriver with the controller's signals and methods (ControllerPort).

Used until the window is tested against desktop_app.controller.SyncController on a real server:
it forwards the real engine's commands as signals, and user requests as engine intents.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal

from booking_core import Action, BookingCreate, BookingPatch
from booking_core.availability import ScheduleUpdate, ServiceCreate, ServicePatch, TimeOffCreate
from desktop_app.sync import (
    AvailabilityChanged,
    BookingIdAssigned,
    CatalogChanged,
    CatalogIntent,
    CatalogIntentMade,
    CatalogView,
    Command,
    Create,
    Input,
    IntentMade,
    PresenceChanged,
    RemoteChange,
    Reschedule,
    RowsChanged,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
    ShowCatalogRollback,
    ShowRollback,
    Snapshot,
    SyncEngine,
    SyncStatus,
    SyncStatusChanged,
    TimeOffAdd,
    TimeOffRemove,
    Transition,
    VisibleBooking,
    WatchingAvailability,
)

from .engine_driver import EngineDriver

# No server behind the engine driver: the address the diagnostics window is told.
SERVER_URL = "http://bookings.example:8000"


class EngineController(QObject):
    rows_changed = Signal(object)
    remote_changed = Signal(object)
    sync_status_changed = Signal(object)
    change_rolled_back = Signal(object)
    presence_changed = Signal(str, tuple)
    signed_in = Signal(object)
    booking_id_assigned = Signal(str, str)
    history_loaded = Signal(str, object)  # the engine has no server log: tests emit it
    catalog_changed = Signal(object)
    availability_changed = Signal(str)

    def __init__(self, driver: EngineDriver) -> None:
        super().__init__()
        self.driver = driver
        self.viewing: list[str | None] = []
        self.histories_asked: list[str] = []
        self.syncs = 0
        self.watched: list[str | None] = []
        self._catalog = CatalogView(driver.engine.user.id)
        self._new_ids = 0
        driver.listeners.append(self._route)

    def _route(self, command: Command) -> None:
        match command:
            case RowsChanged():
                self.rows_changed.emit(command)
            case RemoteChange():
                self.remote_changed.emit(command)
            case ShowRollback(rollback):
                self.change_rolled_back.emit(rollback)
            case ShowCatalogRollback(catalog_rollback):
                self.change_rolled_back.emit(catalog_rollback)
            case SyncStatusChanged(status):
                self.sync_status_changed.emit(status)
            case PresenceChanged(booking_id, viewers):
                self.presence_changed.emit(booking_id, viewers)
            case BookingIdAssigned(client_id, booking_id):
                self.booking_id_assigned.emit(client_id, booking_id)
            case CatalogChanged(view):
                self._catalog = view
                self.catalog_changed.emit(view)
            case AvailabilityChanged(master_id):
                self.availability_changed.emit(master_id)
            case _:
                pass

    def feed(self, event: Input) -> list[Command]:
        return self.driver.feed(event)

    @property
    def engine(self) -> SyncEngine:
        return self.driver.engine

    def snapshot(self) -> Snapshot:
        return self.driver.engine.snapshot()

    @property
    def status(self) -> SyncStatus:
        return self.driver.engine.status

    def visible(self) -> Mapping[str, VisibleBooking]:
        return self.driver.engine.visible

    def request_transition(
        self, booking_id: str, action: Action, reason: str | None = None
    ) -> None:
        self.feed(IntentMade(Transition(booking_id, action, reason), self.driver.tick()))

    def request_reschedule(self, booking_id: str, patch: BookingPatch) -> None:
        self.feed(IntentMade(Reschedule(booking_id, patch), self.driver.tick()))

    def request_create(self, body: BookingCreate) -> None:
        self.feed(IntentMade(Create(f"new-{len(self.visible())}", body), self.driver.tick()))

    def set_viewing(self, booking_id: str | None) -> None:
        self.viewing.append(booking_id)

    def sync_now(self) -> None:
        self.syncs += 1

    @property
    def server_url(self) -> str:
        return SERVER_URL

    def load_history(self, booking_id: str) -> None:
        self.histories_asked.append(booking_id)

    # --- the catalog (the real engine's, as the controller keeps it) ------------------------------

    def catalog(self) -> CatalogView:
        return self._catalog

    def _catalog_intent(self, intent: CatalogIntent) -> None:
        self.feed(CatalogIntentMade(intent, self.driver.tick()))

    def _new_id(self, kind: str) -> str:
        self._new_ids += 1
        return f"new-{kind}-{self._new_ids}"

    def request_service_create(self, body: ServiceCreate) -> None:
        self._catalog_intent(ServiceAdd(self._new_id("service"), body))

    def request_service_patch(self, service_id: str, patch: ServicePatch) -> None:
        self._catalog_intent(ServiceEdit(service_id, patch))

    def request_schedule(self, update: ScheduleUpdate) -> None:
        self._catalog_intent(ScheduleSet(update))

    def request_time_off_add(self, body: TimeOffCreate) -> None:
        self._catalog_intent(TimeOffAdd(self._new_id("time-off"), body))

    def request_time_off_delete(self, time_off_id: str) -> None:
        self._catalog_intent(TimeOffRemove(time_off_id))

    def watch_availability(self, master_id: str | None) -> None:
        self.watched.append(master_id)
        self.feed(WatchingAvailability(master_id, self.driver.tick()))
