"""A Qt face for EngineDriver with the controller's signals and methods (ControllerPort).

Used until the window is tested against desktop_app.controller.SyncController on a real server:
it forwards the real engine's commands as signals, and user requests as engine intents.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal

from booking_core import Action, BookingCreate, BookingPatch
from desktop_app.sync import (
    BookingIdAssigned,
    Command,
    Create,
    Input,
    IntentMade,
    PresenceChanged,
    RemoteChange,
    Reschedule,
    RowsChanged,
    ShowRollback,
    Snapshot,
    SyncEngine,
    SyncStatus,
    SyncStatusChanged,
    Transition,
    VisibleBooking,
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

    def __init__(self, driver: EngineDriver) -> None:
        super().__init__()
        self.driver = driver
        self.viewing: list[str | None] = []
        self.histories_asked: list[str] = []
        self.syncs = 0
        driver.listeners.append(self._route)

    def _route(self, command: Command) -> None:
        match command:
            case RowsChanged():
                self.rows_changed.emit(command)
            case RemoteChange():
                self.remote_changed.emit(command)
            case ShowRollback(rollback):
                self.change_rolled_back.emit(rollback)
            case SyncStatusChanged(status):
                self.sync_status_changed.emit(status)
            case PresenceChanged(booking_id, viewers):
                self.presence_changed.emit(booking_id, viewers)
            case BookingIdAssigned(client_id, booking_id):
                self.booking_id_assigned.emit(client_id, booking_id)
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
