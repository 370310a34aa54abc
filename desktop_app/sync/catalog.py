"""A master's catalog as the engine holds it: services, working hours and time off (issue 18).

The catalog is synced like the bookings (see `engine.py`), in two layers:

1. the confirmed catalog (`CatalogState`): what the server last said, fetched at start, after
   `availability:updated` for the user's own id and after every (re)connect;
2. the user's catalog changes not yet confirmed (`CatalogIntent`s in `catalog_sync.CatalogQueue`,
   persisted in the outbox as `CatalogEntry`s).

What the user sees (`CatalogView`) is layer 1 with layer 2 applied in order (`catalog_view`), so
an edit shows at once; a refusal takes it out again and is reported (`CatalogRollback`).

Objects are named by id; a service or time off created here is named by its client id until the
server gives it one; the weekly schedule by the literal `SCHEDULE`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from booking_core.availability import (
    ScheduleUpdate,
    Service,
    ServiceCreate,
    ServicePatch,
    TimeOff,
    TimeOffCreate,
    WeeklySchedule,
    default_schedule,
    new_service,
    patched_service,
)

SCHEDULE = "schedule"  # the target name of the weekly schedule (one per master)

CatalogSubject = Literal["service", "schedule", "time_off"]


@dataclass(frozen=True)
class CatalogView:
    """A master's catalog as shown: the confirmed one with the pending edits applied.

    `services`: all of the master's (archived included) in the order created; `schedule`:
    `default_schedule()` when never set; `time_off` sorted by `starts_at`; `pending`: the ids of
    objects with unconfirmed edits (`SCHEDULE` for the schedule); `loaded`: False until fetched
    or read from the cache.
    """

    master_id: str
    services: tuple[Service, ...] = ()
    schedule: WeeklySchedule = field(default_factory=default_schedule)
    time_off: tuple[TimeOff, ...] = ()
    pending: frozenset[str] = frozenset()
    loaded: bool = False

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def active_services(self) -> tuple[Service, ...]:
        return tuple(s for s in self.services if s.active)

    def to_json(self) -> dict[str, object]:
        """The confirmed part as JSON (for the local store's cache; `pending` is not kept)."""
        return {
            "master_id": self.master_id,
            "services": [s.model_dump(mode="json") for s in self.services],
            "schedule": self.schedule.model_dump(mode="json"),
            "time_off": [t.model_dump(mode="json") for t in self.time_off],
        }

    @classmethod
    def from_json(cls, data: object) -> CatalogView:
        """A cached catalog (loaded, nothing pending); ValueError when unreadable."""
        if not isinstance(data, Mapping):
            raise ValueError("a catalog is an object")
        try:
            return cls(
                master_id=str(data["master_id"]),
                services=tuple(Service.model_validate(s) for s in data["services"]),
                schedule=WeeklySchedule.model_validate(data["schedule"]),
                time_off=_sorted(TimeOff.model_validate(t) for t in data["time_off"]),
                loaded=True,
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"unreadable catalog: {exc}") from exc


# --- the user's changes ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceAdd:
    """POST /services; `client_id` names the service until the server gives it an id."""

    client_id: str
    body: ServiceCreate


@dataclass(frozen=True, slots=True)
class ServiceEdit:
    """PATCH /services/{id} (If-Match): only the fields set in `patch` change."""

    service_id: str
    patch: ServicePatch


@dataclass(frozen=True, slots=True)
class ScheduleSet:
    """PUT /masters/{id}/schedule (If-Match, "0" when never set): the whole schedule."""

    update: ScheduleUpdate


@dataclass(frozen=True, slots=True)
class TimeOffAdd:
    """POST /masters/{id}/time-off; `client_id` names it until the server gives it an id."""

    client_id: str
    body: TimeOffCreate


@dataclass(frozen=True, slots=True)
class TimeOffRemove:
    """DELETE /time-off/{id}."""

    time_off_id: str


CatalogIntent = ServiceAdd | ServiceEdit | ScheduleSet | TimeOffAdd | TimeOffRemove


def catalog_target(intent: CatalogIntent) -> str:
    """The id of the object a change is about (`SCHEDULE` for the schedule)."""
    match intent:
        case ServiceAdd(client_id, _) | TimeOffAdd(client_id, _):
            return client_id
        case ServiceEdit(service_id, _):
            return service_id
        case ScheduleSet():
            return SCHEDULE
        case TimeOffRemove(time_off_id):
            return time_off_id


def subject_of(intent: CatalogIntent) -> CatalogSubject:
    match intent:
        case ServiceAdd() | ServiceEdit():
            return "service"
        case ScheduleSet():
            return "schedule"
        case TimeOffAdd() | TimeOffRemove():
            return "time_off"


def with_target(intent: CatalogIntent, target: str) -> CatalogIntent:
    """The same change about `target` (a created object's server id instead of its client id)."""
    match intent:
        case ServiceEdit(_, patch):
            return ServiceEdit(target, patch)
        case TimeOffRemove():
            return TimeOffRemove(target)
        case _:
            return intent


CatalogObject = Service | WeeklySchedule | TimeOff


@dataclass(frozen=True, slots=True)
class CatalogRollback:
    """A catalog change of the user's that was undone (or refused before sending), and why.

    `code` is the protocol error code (version_conflict, forbidden, not_found, invalid_request,
    ...) or "not_confirmed"; `field` the field a 422 named, if any; `current` the object as the
    server now has it (None if gone or never created); `intent` the change itself.
    """

    target: str
    intent: CatalogIntent
    code: str
    field: str | None = None
    current: CatalogObject | None = None

    @property
    def subject(self) -> CatalogSubject:
        return subject_of(self.intent)


# --- layer 1 and the view ----------------------------------------------------------------------


class CatalogState:
    """The confirmed catalog of one master, as far as the engine knows."""

    def __init__(self, master_id: str) -> None:
        self.master_id = master_id
        self.services: dict[str, Service] = {}  # in the order created
        self.schedule: WeeklySchedule | None = None  # None: not known yet
        self.time_off: dict[str, TimeOff] = {}
        # Read from the cache or fetched: there is something to show.
        self.loaded = False
        # Ids this session deleted: a fetch that left before the delete does not bring them back.
        self._deleted: set[str] = set()
        # Objects our own answers created, by the `mark` they were learnt at: a fetch that left
        # before (an earlier mark) does not know them, and must not drop them.
        self.mark = 0
        self._learnt: dict[str, int] = {}

    def restore(self, cached: CatalogView) -> None:
        self.services = {s.id: s for s in cached.services}
        self.schedule = cached.schedule
        self.time_off = {t.id: t for t in cached.time_off}
        self.loaded = True

    def merge_service(self, service: Service) -> None:
        known = self.services.get(service.id)
        if known is None:
            self._learn(service.id)
        if known is None or known.version < service.version:
            self.services[service.id] = service

    def _learn(self, object_id: str) -> None:
        self.mark += 1
        self._learnt[object_id] = self.mark

    def merge_schedule(self, schedule: WeeklySchedule) -> None:
        if self.schedule is None or self.schedule.version <= schedule.version:
            self.schedule = schedule

    def add_time_off(self, item: TimeOff) -> None:
        if item.id not in self._deleted:
            self._learn(item.id)
            self.time_off[item.id] = item

    def remove_time_off(self, time_off_id: str) -> None:
        self._deleted.add(time_off_id)
        self.time_off.pop(time_off_id, None)

    def set_services(self, services: Iterable[Service], mark: int) -> None:
        """A fetch's list (the order created), sent at `mark`: versions older than ours are not
        taken, and services we learnt since it was sent stay."""
        fresh: dict[str, Service] = {}
        for service in services:
            known = self.services.get(service.id)
            newer = known is not None and known.version > service.version
            fresh[service.id] = known if newer and known is not None else service
        for service_id, service in self.services.items():
            if service_id not in fresh and self._learnt.get(service_id, 0) > mark:
                fresh[service_id] = service
        self.services = fresh

    def set_time_off(self, items: Iterable[TimeOff], mark: int) -> None:
        """A fetch's list, sent at `mark`: time off removed or learnt since stays so."""
        fresh = {t.id: t for t in items if t.id not in self._deleted}
        for item_id, item in self.time_off.items():
            if item_id not in fresh and self._learnt.get(item_id, 0) > mark:
                fresh[item_id] = item
        self.time_off = fresh

    def object(self, target: str, subject: CatalogSubject) -> CatalogObject | None:
        if subject == "schedule":
            return self.schedule
        if subject == "service":
            return self.services.get(target)
        return self.time_off.get(target)

    def view(self, intents: Iterable[CatalogIntent], loaded: bool | None = None) -> CatalogView:
        """Layer 1 with `intents` applied in order (one that no longer applies is skipped)."""
        services = dict(self.services)
        schedule = self.schedule or default_schedule()
        time_off = dict(self.time_off)
        pending: set[str] = set()
        for intent in intents:
            pending.add(catalog_target(intent))
            match intent:
                case ServiceAdd(client_id, body):
                    services[client_id] = new_service(
                        body, service_id=client_id, master_id=self.master_id
                    )
                case ServiceEdit(service_id, patch) if service_id in services:
                    with contextlib.suppress(ValueError):  # a half price: the server will say so
                        services[service_id] = patched_service(services[service_id], patch)
                case ScheduleSet(update):
                    schedule = WeeklySchedule(**update.model_dump(), version=schedule.version)
                case TimeOffAdd(client_id, body):
                    time_off[client_id] = TimeOff(
                        id=client_id, master_id=self.master_id, **body.model_dump()
                    )
                case TimeOffRemove(time_off_id):
                    time_off.pop(time_off_id, None)
        return CatalogView(
            self.master_id,
            tuple(services.values()),
            schedule,
            _sorted(time_off.values()),
            frozenset(pending),
            self.loaded if loaded is None else loaded,
        )


def _sorted(items: Iterable[TimeOff]) -> tuple[TimeOff, ...]:
    return tuple(sorted(items, key=lambda t: (t.starts_at, t.ends_at, t.id)))


__all__ = [
    "SCHEDULE",
    "CatalogIntent",
    "CatalogObject",
    "CatalogRollback",
    "CatalogState",
    "CatalogSubject",
    "CatalogView",
    "ScheduleSet",
    "ServiceAdd",
    "ServiceEdit",
    "TimeOffAdd",
    "TimeOffRemove",
    "catalog_target",
    "subject_of",
    "with_target",
]
