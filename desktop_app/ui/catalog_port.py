"""What the "Working hours & services" window needs of the controller, as a typing Protocol.

The master's catalog (services, weekly hours, time off) comes as a `CatalogView` value from
`catalog()` and again with every `catalog_changed(CatalogView)`; each edit is one optimistic
`request_*` call, and a refused one comes back through `change_rolled_back` as a
`CatalogRollback`. `desktop_app.controller.SyncController` (and `ControllerPort`) satisfy it: the
window depends on this part only.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance

from booking_core.availability import ScheduleUpdate, ServiceCreate, ServicePatch, TimeOffCreate
from desktop_app.sync import CatalogView


class CatalogPort(Protocol):
    @property
    def catalog_changed(self) -> SignalInstance: ...
    @property
    def change_rolled_back(self) -> SignalInstance: ...

    def catalog(self) -> CatalogView: ...
    def request_service_create(self, body: ServiceCreate) -> None: ...
    def request_service_patch(self, service_id: str, patch: ServicePatch) -> None: ...
    def request_schedule(self, update: ScheduleUpdate) -> None: ...
    def request_time_off_add(self, body: TimeOffCreate) -> None: ...
    def request_time_off_delete(self, time_off_id: str) -> None: ...
