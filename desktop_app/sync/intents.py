"""User intents: what the user asked the server to do, before the server has answered.

Inputs carry them (`IntentMade`) and the outbox persists them, so they live in their own module.
"""

from __future__ import annotations

from dataclasses import dataclass

from booking_core import Action, BookingCreate, BookingPatch


@dataclass(frozen=True, slots=True)
class Transition:
    """POST /bookings/{id}/transitions: accept, decline, cancel, start, no_show, complete."""

    booking_id: str
    action: Action
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Reschedule:
    """PATCH /bookings/{id}: new times (a reschedule) and/or a new note (an update)."""

    booking_id: str
    patch: BookingPatch


@dataclass(frozen=True, slots=True)
class Create:
    """POST /bookings. `client_id` names the row until the server assigns the real id."""

    client_id: str
    body: BookingCreate


Intent = Transition | Reschedule | Create
