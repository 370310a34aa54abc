"""The catalog's REST calls (docs/protocol.md, "Availability") as the engine sends them, and the
bodies it reads back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from booking_core.availability import Service, TimeOff, WeeklySchedule
from desktop_app.sync.catalog import (
    CatalogIntent,
    CatalogObject,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
    TimeOffAdd,
    TimeOffRemove,
)

API = "/api/v1"

Part = Literal["services", "schedule", "time_off"]
PARTS: tuple[Part, ...] = ("services", "schedule", "time_off")


def _q(value: str) -> str:
    return quote(value, safe="")


def part_path(part: Part, master_id: str) -> str:
    """GET of one part of a master's catalog (all services, archived included: the master's own)."""
    master = f"{API}/masters/{_q(master_id)}"
    return {
        "services": f"{master}/services?include_archived=true",
        "schedule": f"{master}/schedule",
        "time_off": f"{master}/time-off",
    }[part]


class _ServiceList(BaseModel):
    services: list[Service]


class _TimeOffList(BaseModel):
    time_off: list[TimeOff]


def read_part(
    part: Part, body: object | None
) -> list[Service] | WeeklySchedule | list[TimeOff] | None:
    """A part's answer read, or None if it is not one."""
    try:
        if part == "services":
            return _ServiceList.model_validate(body).services
        if part == "schedule":
            return WeeklySchedule.model_validate(body)
        return _TimeOffList.model_validate(body).time_off
    except ValidationError:
        return None


def catalog_request(intent: CatalogIntent, master_id: str) -> tuple[str, str, object | None]:
    """Method, path and JSON body of the request that carries a catalog change."""
    match intent:
        case ServiceAdd(_, body):
            return "POST", f"{API}/services", body.model_dump(mode="json", exclude_unset=True)
        case ServiceEdit(service_id, patch):
            changes = patch.model_dump(mode="json", exclude_unset=True)
            return "PATCH", f"{API}/services/{_q(service_id)}", changes
        case ScheduleSet(update):
            path = f"{API}/masters/{_q(master_id)}/schedule"
            return "PUT", path, update.model_dump(mode="json")
        case TimeOffAdd(_, body):
            path = f"{API}/masters/{_q(master_id)}/time-off"
            return "POST", path, body.model_dump(mode="json", exclude_unset=True)
        case TimeOffRemove(time_off_id):
            return "DELETE", f"{API}/time-off/{_q(time_off_id)}", None


def object_of(intent: CatalogIntent, body: object | None) -> CatalogObject | None:
    """The object a 2xx answer to a change carries (None for a removal, or an unreadable body)."""
    kind: type[Service] | type[WeeklySchedule] | type[TimeOff]
    match intent:
        case ServiceAdd() | ServiceEdit():
            kind = Service
        case ScheduleSet():
            kind = WeeklySchedule
        case TimeOffAdd():
            kind = TimeOff
        case TimeOffRemove():
            return None
    try:
        return kind.model_validate(body)
    except ValidationError:
        return None


def field_of(body: object | None) -> str | None:
    """The field a problem body's first validation error names (`errors[0].field`), if any."""
    if not isinstance(body, Mapping):
        return None
    errors = body.get("errors")
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], Mapping):
        return None
    field = errors[0].get("field")
    return field if isinstance(field, str) and field else None
