"""The outbox: pending mutations as plain records the shell persists and hands back on restart.

`OutboxEntry.to_json()` / `from_json()` give a JSON-ready dict, so the shell can store entries in
SQLite (or anywhere) without knowing the intent types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booking_core import Action, Booking, BookingCreate, BookingPatch
from desktop_app.sync.intents import Create, Intent, Reschedule, Transition


class OutboxFormatError(ValueError):
    """A persisted entry could not be read back (corrupt or from an incompatible version)."""


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One pending mutation, in the order it must reach the server.

    `key` is the Idempotency-Key, reused on every retry. `sent` says the server may already have
    received it: such an entry is resent exactly as before (same key, same If-Match from `base`).
    `booking_id` is the target (the client id of a create until the server assigns one).
    """

    key: str
    intent: Intent
    booking_id: str
    made_at: datetime
    base: Booking | None = None
    sent: bool = False
    first_sent_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "intent": intent_to_json(self.intent),
            "booking_id": self.booking_id,
            "made_at": self.made_at.isoformat(),
            "base": self.base.model_dump(mode="json") if self.base is not None else None,
            "sent": self.sent,
            "first_sent_at": self.first_sent_at.isoformat() if self.first_sent_at else None,
        }

    @classmethod
    def from_json(cls, data: object) -> OutboxEntry:
        """Raises OutboxFormatError on anything that is not a dict written by `to_json`."""
        try:
            assert isinstance(data, dict)
            first = data.get("first_sent_at")
            base = data.get("base")
            return cls(
                key=str(data["key"]),
                intent=intent_from_json(data["intent"]),
                booking_id=str(data["booking_id"]),
                made_at=_aware(data["made_at"]),
                base=Booking.model_validate(base) if base is not None else None,
                sent=bool(data.get("sent", False)),
                first_sent_at=_aware(first) if first is not None else None,
            )
        except (AssertionError, KeyError, TypeError, ValueError) as exc:
            raise OutboxFormatError(f"unreadable outbox entry: {exc}") from exc


def _aware(value: object) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("time without offset")
    return parsed


def intent_to_json(intent: Intent) -> dict[str, Any]:
    match intent:
        case Transition(booking_id, action, reason):
            return {
                "kind": "transition",
                "booking_id": booking_id,
                "action": action.value,
                "reason": reason,
            }
        case Reschedule(booking_id, patch):
            return {
                "kind": "reschedule",
                "booking_id": booking_id,
                "patch": patch.model_dump(mode="json", exclude_none=True),
            }
        case Create(client_id, body):
            return {
                "kind": "create",
                "client_id": client_id,
                "body": body.model_dump(mode="json", exclude_none=True),
            }


def intent_from_json(data: object) -> Intent:
    if not isinstance(data, dict):
        raise TypeError("intent is not an object")
    match data.get("kind"):
        case "transition":
            reason = data.get("reason")
            return Transition(
                str(data["booking_id"]),
                Action(data["action"]),
                str(reason) if reason is not None else None,
            )
        case "reschedule":
            return Reschedule(str(data["booking_id"]), BookingPatch.model_validate(data["patch"]))
        case "create":
            return Create(str(data["client_id"]), BookingCreate.model_validate(data["body"]))
        case other:
            raise ValueError(f"unknown intent kind {other!r}")
