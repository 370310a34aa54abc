"""Planning a change: the one composition of the rules that the server, the client's prediction
and the test reference server all apply, so they refuse in the same order and agree on the result.

The order is the protocol's: who may act (403 `forbidden`), then whether they saw this version
(412 `version_conflict`), then whether the booking's status allows it (409 `invalid_transition`);
an allowed change is applied, and a change that takes a time slot (`Plan.takes_slot`) must then be
checked against the master's other active bookings (409 `slot_taken`). That last check reads
storage, so it is the caller's: `clashes` here over a mapping, a query on the server.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from booking_core.errors import ErrorCode
from booking_core.models import Action, Booking, BookingCreate, BookingPatch, Role
from booking_core.state_machine import (
    Refused,
    apply_change,
    decide,
    new_booking,
    overlaps,
    party_of,
)

SLOT_TAKEN = Refused(ErrorCode.SLOT_TAKEN, "the master already has a booking at this time")


@dataclass(frozen=True, slots=True)
class Plan:
    """A change the rules allow: the booking it makes, and whether its slot must be checked."""

    booking: Booking
    takes_slot: bool


def plan_change(
    booking: Booking,
    action: Action,
    actor: str,
    *,
    now: datetime,
    made_at: datetime | None = None,
    expected_version: int | None = None,
    patch: BookingPatch | None = None,
    reason: str | None = None,
) -> Plan | Refused:
    """A transition or PATCH by `actor` at `now` (stamped `made_at`, default `now`), if allowed.

    `expected_version` is the If-Match (None: not checked, as when predicting on the version the
    client has)."""
    decision = decide(
        action, booking.status, party_of(booking, actor), now=now, starts_at=booking.starts_at
    )
    if isinstance(decision, Refused) and decision.code is ErrorCode.FORBIDDEN:
        return decision
    if expected_version is not None and expected_version != booking.version:
        return Refused(
            ErrorCode.VERSION_CONFLICT,
            f"the booking is at version {booking.version}, not {expected_version}",
        )
    if isinstance(decision, Refused):
        return decision
    stamp = now if made_at is None else made_at
    after = apply_change(booking, action, actor=actor, now=stamp, patch=patch, reason=reason)
    return Plan(after, takes_slot=action is Action.RESCHEDULE and after.is_active)


def plan_create(
    body: BookingCreate,
    *,
    booking_id: str,
    actor: str,
    role: Role,
    now: datetime,
    price: tuple[int, str] | None = None,
) -> Plan | Refused:
    """A create by `actor` (of `role`) at `now`: a customer books for themself only, a master
    names the customer. `price` [availability]: the catalog service's (minor units, currency)."""
    if role is Role.CUSTOMER:
        if body.customer_id not in (None, actor):
            return Refused(ErrorCode.FORBIDDEN, "a customer books only for themself")
        customer_id = actor
    elif body.customer_id is None:
        return Refused(ErrorCode.INVALID_REQUEST, "a master names the customer")
    else:
        customer_id = body.customer_id
    booking = new_booking(
        body, booking_id=booking_id, customer_id=customer_id, actor=actor, now=now, price=price
    )
    decision = decide(Action.CREATE, None, party_of(booking, actor))
    if isinstance(decision, Refused):
        return decision
    return Plan(booking, takes_slot=booking.is_active)


def clashes(booking: Booking, others: Iterable[Booking]) -> bool:
    """Whether an active `booking` overlaps another active booking of the same master."""
    if not booking.is_active:
        return False
    starts, ends = booking.starts_at, booking.ends_at
    # The time test first: it rules out nearly every booking with two comparisons.
    return any(
        other.starts_at < ends
        and starts < other.ends_at
        and other.id != booking.id
        and other.master_id == booking.master_id
        and other.is_active
        and overlaps(starts, ends, other.starts_at, other.ends_at)
        for other in others
    )
