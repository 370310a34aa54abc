"""What the "Working hours & services" window needs of the controller, as a typing Protocol.

The master's catalog (services, weekly hours, time off) comes as a `CatalogView` value from
`catalog()` and again with every `catalog_changed(CatalogView)`; each edit is one optimistic
`request_*` call, refused ones come back through `change_rolled_back(Rollback)`.
`desktop_app.controller.SyncController` satisfies it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import SignalInstance

from booking_core.availability import (
    ScheduleUpdate,
    Service,
    ServiceCreate,
    ServicePatch,
    TimeOff,
    TimeOffCreate,
    WeeklySchedule,
    default_schedule,
)

SCHEDULE = "schedule"  # the id `CatalogView.pending` names the schedule by


@dataclass(frozen=True)
class CatalogView:
    master_id: str
    services: tuple[Service, ...] = ()
    schedule: WeeklySchedule = field(default_factory=default_schedule)
    time_off: tuple[TimeOff, ...] = ()
    pending: frozenset[str] = frozenset()
    loaded: bool = False


@dataclass(frozen=True, slots=True)
class ServiceAdd:
    client_id: str
    body: ServiceCreate


@dataclass(frozen=True, slots=True)
class ServiceEdit:
    service_id: str
    patch: ServicePatch


@dataclass(frozen=True, slots=True)
class ScheduleSet:
    update: ScheduleUpdate


@dataclass(frozen=True, slots=True)
class TimeOffAdd:
    client_id: str
    body: TimeOffCreate


@dataclass(frozen=True, slots=True)
class TimeOffRemove:
    time_off_id: str


CatalogIntent = ServiceAdd | ServiceEdit | ScheduleSet | TimeOffAdd | TimeOffRemove


@dataclass(frozen=True, slots=True)
class CatalogRollback:
    target: str
    intent: CatalogIntent
    code: str
    field: str | None = None
    current: Service | WeeklySchedule | TimeOff | None = None


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
