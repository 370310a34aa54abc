"""What the UI needs of the sync controller: its signals and request methods, as a typing Protocol.

`desktop_app.controller.SyncController` satisfies it; the window is typed against this so a change
on the controller's side that breaks the UI shows up in mypy, not at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from PySide6.QtCore import SignalInstance

from booking_core import Action, BookingCreate, BookingPatch
from booking_core.availability import ScheduleUpdate, ServiceCreate, ServicePatch, TimeOffCreate
from desktop_app.sync import (
    CatalogView,
    Create,
    Intent,
    Reschedule,
    Snapshot,
    SyncStatus,
    Transition,
    VisibleBooking,
)


class ControllerPort(Protocol):
    """Signals: rows_changed(RowsChanged), remote_changed(RemoteChange),
    sync_status_changed(SyncStatus), change_rolled_back(Rollback),
    presence_changed(str, tuple[Viewer, ...]), signed_in(UserPublic),
    booking_id_assigned(client id, server id), history_loaded(booking id, HistoryList),
    catalog_changed(CatalogView), availability_changed(master id). No view into the engine:
    `visible()` is the controller's own copy of the rows, `catalog()` of the master's catalog,
    `snapshot()` the engine's state as values; `load_history(id)` asks for a booking's history
    from the server's log (answered by `history_loaded`).

    Catalog edits (`request_service_create` ... `request_time_off_delete`) show at once, are
    queued offline, and a refusal comes back through `change_rolled_back` as a
    `CatalogRollback`. `watch_availability(master_id)` asks for `availability_changed` of that
    master (again after every reconnect; None stops)."""

    @property
    def rows_changed(self) -> SignalInstance: ...
    @property
    def sync_status_changed(self) -> SignalInstance: ...
    @property
    def change_rolled_back(self) -> SignalInstance: ...
    @property
    def presence_changed(self) -> SignalInstance: ...
    @property
    def signed_in(self) -> SignalInstance: ...
    @property
    def booking_id_assigned(self) -> SignalInstance: ...
    @property
    def status(self) -> SyncStatus: ...
    @property
    def remote_changed(self) -> SignalInstance: ...
    @property
    def history_loaded(self) -> SignalInstance: ...
    @property
    def server_url(self) -> str: ...
    @property
    def catalog_changed(self) -> SignalInstance: ...
    @property
    def availability_changed(self) -> SignalInstance: ...

    def visible(self) -> Mapping[str, VisibleBooking]: ...
    def snapshot(self) -> Snapshot: ...
    def request_transition(
        self, booking_id: str, action: Action, reason: str | None = None
    ) -> None: ...
    def request_reschedule(self, booking_id: str, patch: BookingPatch) -> None: ...
    def request_create(self, body: BookingCreate) -> None: ...
    def set_viewing(self, booking_id: str | None) -> None: ...
    def sync_now(self) -> None: ...
    def load_history(self, booking_id: str) -> None: ...
    def catalog(self) -> CatalogView: ...
    def request_service_create(self, body: ServiceCreate) -> None: ...
    def request_service_patch(self, service_id: str, patch: ServicePatch) -> None: ...
    def request_schedule(self, update: ScheduleUpdate) -> None: ...
    def request_time_off_add(self, body: TimeOffCreate) -> None: ...
    def request_time_off_delete(self, time_off_id: str) -> None: ...
    def watch_availability(self, master_id: str | None) -> None: ...


def send_intent(controller: ControllerPort, intent: Intent) -> None:
    """Ask the controller for an intent again (e.g. "Try again" on an undone change)."""
    match intent:
        case Transition(booking_id, action, reason):
            controller.request_transition(booking_id, action, reason)
        case Reschedule(booking_id, patch):
            controller.request_reschedule(booking_id, patch)
        case Create(_, body):
            controller.request_create(body)
