"""The booking status state machine: one table, one pure decision function, one pure apply.

Theory of operation: every change to a booking is an `Action` taken by a `Party` (the booking's
master, its customer, or the server's clock). `decide` looks the action up in `TRANSITIONS` and
answers `Allowed(to)` or `Refused(code)`; the server refuses with exactly that code, and the desktop
client calls the same function to predict the server's answer before it has it. Checks run in the
protocol's order: who may act (403) comes before whether the status allows it (409).

`apply_change` builds the booking as it is right after an allowed change (version + 1), and
`due_action` tells what the server clock must do to a booking at a given time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from booking_core.errors import ErrorCode
from booking_core.models import Action, Booking, BookingCreate, BookingPatch, Status

SYSTEM_ACTOR = "system"


class Party(StrEnum):
    """Who acts, relative to the booking acted on."""

    MASTER = "master"
    CUSTOMER = "customer"
    SYSTEM = "system"
    STRANGER = "stranger"


@dataclass(frozen=True, slots=True)
class Rule:
    sources: frozenset[Status | None]
    target: Status | None  # None: the status stays as it is
    parties: frozenset[Party]
    only_after_start: bool = False
    # The target when the master acts, where it differs (a booking the master makes is confirmed).
    master_target: Status | None = None


def _rule(
    sources: set[Status | None],
    target: Status | None,
    parties: set[Party],
    *,
    only_after_start: bool = False,
    master_target: Status | None = None,
) -> Rule:
    return Rule(frozenset(sources), target, frozenset(parties), only_after_start, master_target)


_S = Status
_P = Party
TRANSITIONS: dict[Action, Rule] = {
    # A customer's booking is a request (pending); one the master makes is confirmed at once.
    Action.CREATE: _rule({None}, _S.PENDING, {_P.MASTER, _P.CUSTOMER}, master_target=_S.CONFIRMED),
    Action.ACCEPT: _rule({_S.PENDING}, _S.CONFIRMED, {_P.MASTER}),
    Action.DECLINE: _rule({_S.PENDING}, _S.DECLINED, {_P.MASTER}),
    Action.CANCEL: _rule({_S.PENDING, _S.CONFIRMED}, _S.CANCELLED, {_P.MASTER, _P.CUSTOMER}),
    Action.RESCHEDULE: _rule({_S.PENDING, _S.CONFIRMED}, _S.PENDING, {_P.MASTER, _P.CUSTOMER}),
    Action.UPDATE: _rule(
        {_S.PENDING, _S.CONFIRMED, _S.IN_PROGRESS}, None, {_P.MASTER, _P.CUSTOMER}
    ),
    Action.START: _rule({_S.CONFIRMED}, _S.IN_PROGRESS, {_P.MASTER, _P.SYSTEM}),
    Action.NO_SHOW: _rule(
        {_S.CONFIRMED, _S.IN_PROGRESS}, _S.NO_SHOW, {_P.MASTER}, only_after_start=True
    ),
    Action.COMPLETE: _rule({_S.IN_PROGRESS}, _S.COMPLETED, {_P.MASTER, _P.SYSTEM}),
    Action.EXPIRE: _rule({_S.PENDING}, _S.EXPIRED, {_P.SYSTEM}),
}

# Actions a user sends to POST /bookings/{id}/transitions; the others have their own endpoints.
TRANSITION_ACTIONS = frozenset(
    {Action.ACCEPT, Action.DECLINE, Action.CANCEL, Action.START, Action.NO_SHOW, Action.COMPLETE}
)


@dataclass(frozen=True, slots=True)
class Allowed:
    to: Status


@dataclass(frozen=True, slots=True)
class Refused:
    code: ErrorCode
    detail: str


Decision = Allowed | Refused


def party_of(booking: Booking, actor_id: str) -> Party:
    """The actor's relation to the booking; "system" is the server clock."""
    if actor_id == SYSTEM_ACTOR:
        return Party.SYSTEM
    if actor_id == booking.master_id:
        return Party.MASTER
    if actor_id == booking.customer_id:
        return Party.CUSTOMER
    return Party.STRANGER


def decide(
    action: Action,
    status: Status | None,
    party: Party,
    *,
    now: datetime | None = None,
    starts_at: datetime | None = None,
) -> Decision:
    """Whether `party` may take `action` on a booking in `status` (None: not created yet)."""
    rule = TRANSITIONS[action]
    if party not in rule.parties:
        who = " or ".join(sorted(p.value for p in rule.parties))
        return Refused(ErrorCode.FORBIDDEN, f"only the {who} may {action.value} this booking")
    if status not in rule.sources:
        shown = status.value if status is not None else "not created"
        return Refused(
            ErrorCode.INVALID_TRANSITION, f"cannot {action.value} a booking that is {shown}"
        )
    if rule.only_after_start and (now is None or starts_at is None or now < starts_at):
        return Refused(
            ErrorCode.INVALID_TRANSITION,
            f"{action.value} is possible only after the booking has started",
        )
    if party is Party.MASTER and rule.master_target is not None:
        return Allowed(rule.master_target)
    return Allowed(rule.target if rule.target is not None else _unchanged(status))


def _unchanged(status: Status | None) -> Status:
    assert status is not None, "only create starts from no status, and it has a target"
    return status


def patch_action(patch: BookingPatch) -> Action:
    """A PATCH that moves the times is a reschedule; one that touches only the note, an update."""
    return Action.RESCHEDULE if patch.starts_at is not None else Action.UPDATE


def new_booking(
    create: BookingCreate,
    *,
    booking_id: str,
    customer_id: str,
    actor: str,
    now: datetime,
    price: tuple[int, str] | None = None,
) -> Booking:
    """The booking as a successful create makes it: pending when the customer asks, confirmed
    when the master books (the CREATE row of TRANSITIONS). `price` (minor units, currency) is the
    catalog service's price at this moment, kept with the booking."""
    rule = TRANSITIONS[Action.CREATE]
    status = rule.master_target if actor == create.master_id else rule.target
    assert status is not None
    extra: dict[str, Any] = {}
    if create.service_id is not None:
        extra["service_id"] = create.service_id
    if price is not None:
        extra["price_minor"], extra["currency"] = price
    return Booking(
        id=booking_id,
        master_id=create.master_id,
        customer_id=customer_id,
        service=create.service,
        starts_at=create.starts_at,
        ends_at=create.ends_at,
        status=status,
        note=create.note,
        version=1,
        updated_at=now,
        updated_by=actor,
        **extra,
    )


def apply_change(
    booking: Booking,
    action: Action,
    *,
    actor: str,
    now: datetime,
    patch: BookingPatch | None = None,
    reason: str | None = None,
) -> Booking:
    """The booking right after an allowed `action`; the caller has checked `decide` first.

    A transition (accept, decline, cancel, start, no_show, complete, expire) sets the booking's
    `reason` to the one given with it, so one without a reason (the session clock's never have
    one) clears it; an empty reason counts as none. A PATCH (reschedule, update) keeps it.
    """
    target = TRANSITIONS[action].target
    update: dict[str, Any] = {
        "version": booking.version + 1,
        "updated_at": now,
        "updated_by": actor,
    }
    if target is not None:
        update["status"] = target
    if patch is not None:
        update.update(patch.model_dump(exclude_none=True))
    if action not in _PATCH_ACTIONS and (reason or None) != booking.reason:
        update["reason"] = reason or None
    return booking.model_copy(update=update)


_PATCH_ACTIONS = frozenset({Action.RESCHEDULE, Action.UPDATE})


def changes_between(old: Booking | None, new: Booking) -> dict[str, Any]:
    """The JSON values of the fields that differ (every field when `old` is None); a field the
    new booking leaves out (a cleared `reason`) shows as None."""
    after = new.model_dump(mode="json")
    if old is None:
        return after
    before = old.model_dump(mode="json")
    changed = {name: value for name, value in after.items() if before.get(name) != value}
    changed.update(dict.fromkeys(before.keys() - after.keys()))
    return changed


def due_action(booking: Booking, now: datetime) -> Action | None:
    """What the server clock does to `booking` at `now`, one step at a time (None: nothing)."""
    if booking.status is Status.PENDING and now >= booking.starts_at:
        return Action.EXPIRE
    if booking.status is Status.CONFIRMED and now >= booking.starts_at:
        return Action.START
    if booking.status is Status.IN_PROGRESS and now >= booking.ends_at:
        return Action.COMPLETE
    return None


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: a booking ending at 10:00 does not clash with one starting at 10:00."""
    return a_start < b_end and b_start < a_end
