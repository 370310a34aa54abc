"""Catalog changes in the outbox: plain records the shell persists and hands back on restart.

Like `outbox.OutboxEntry`, but for a catalog change (`catalog.CatalogIntent`): `to_json()` /
`from_json()` give a JSON-ready dict, marked `"catalog": true` so a store tells it from a booking's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from booking_core.availability import (
    ScheduleUpdate,
    Service,
    ServiceCreate,
    ServicePatch,
    TimeOff,
    TimeOffCreate,
    WeeklySchedule,
)
from desktop_app.sync.catalog import (
    CatalogIntent,
    CatalogObject,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
    TimeOffAdd,
    TimeOffRemove,
    subject_of,
)
from desktop_app.sync.outbox import OutboxFormatError


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One pending catalog change, in the order it must reach the server.

    `key` is the Idempotency-Key, reused on every retry. `sent`: the server may already have it,
    so it is resent exactly as before (same key, same If-Match from `base`). `base` is the object
    the change builds on (its version is the If-Match once sent; for an edit, what the user saw).
    """

    key: str
    intent: CatalogIntent
    target: str
    made_at: datetime
    base: CatalogObject | None = None
    sent: bool = False
    first_sent_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "catalog": True,
            "key": self.key,
            "intent": catalog_intent_to_json(self.intent),
            "target": self.target,
            "made_at": self.made_at.isoformat(),
            "base": self.base.model_dump(mode="json") if self.base is not None else None,
            "sent": self.sent,
            "first_sent_at": self.first_sent_at.isoformat() if self.first_sent_at else None,
        }

    @classmethod
    def from_json(cls, data: object) -> CatalogEntry:
        """Raises OutboxFormatError on anything that is not a dict written by `to_json`."""
        try:
            assert isinstance(data, dict)
            assert data.get("catalog") is True
            intent = catalog_intent_from_json(data["intent"])
            first = data.get("first_sent_at")
            base = data.get("base")
            return cls(
                key=str(data["key"]),
                intent=intent,
                target=str(data["target"]),
                made_at=_aware(data["made_at"]),
                base=_object_of(intent, base) if base is not None else None,
                sent=bool(data.get("sent", False)),
                first_sent_at=_aware(first) if first is not None else None,
            )
        except (AssertionError, KeyError, TypeError, ValueError) as exc:
            raise OutboxFormatError(f"unreadable catalog outbox entry: {exc}") from exc


def is_catalog_json(data: object) -> bool:
    """Whether a persisted outbox record is a catalog change's (else a booking's)."""
    return isinstance(data, dict) and data.get("catalog") is True


def _aware(value: object) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("time without offset")
    return parsed


def _object_of(intent: CatalogIntent, data: object) -> CatalogObject:
    match subject_of(intent):
        case "service":
            return Service.model_validate(data)
        case "schedule":
            return WeeklySchedule.model_validate(data)
        case "time_off":
            return TimeOff.model_validate(data)


def _dump(model: BaseModel) -> dict[str, Any]:
    # Only the fields set: a patch's explicit nulls (removing a price) are kept.
    return model.model_dump(mode="json", exclude_unset=True)


def catalog_intent_to_json(intent: CatalogIntent) -> dict[str, Any]:
    match intent:
        case ServiceAdd(client_id, body):
            return {"kind": "service_add", "client_id": client_id, "body": _dump(body)}
        case ServiceEdit(service_id, patch):
            return {"kind": "service_edit", "service_id": service_id, "patch": _dump(patch)}
        case ScheduleSet(update):
            return {"kind": "schedule_set", "update": update.model_dump(mode="json")}
        case TimeOffAdd(client_id, body):
            return {"kind": "time_off_add", "client_id": client_id, "body": _dump(body)}
        case TimeOffRemove(time_off_id):
            return {"kind": "time_off_remove", "time_off_id": time_off_id}


def catalog_intent_from_json(data: object) -> CatalogIntent:
    if not isinstance(data, dict):
        raise TypeError("intent is not an object")
    match data.get("kind"):
        case "service_add":
            return ServiceAdd(str(data["client_id"]), ServiceCreate.model_validate(data["body"]))
        case "service_edit":
            patch = ServicePatch.model_validate(data["patch"])
            return ServiceEdit(str(data["service_id"]), patch)
        case "schedule_set":
            return ScheduleSet(ScheduleUpdate.model_validate(data["update"]))
        case "time_off_add":
            return TimeOffAdd(str(data["client_id"]), TimeOffCreate.model_validate(data["body"]))
        case "time_off_remove":
            return TimeOffRemove(str(data["time_off_id"]))
        case other:
            raise ValueError(f"unknown catalog change kind {other!r}")
