"""The visible state: confirmed server state with the pending mutations replayed over it.

`predict` answers what the server will do with one intent, using booking_core's `decide` and
`apply_change`, so the client shows the server's answer before it arrives. A mutation the replay
refuses is skipped: the server will refuse it too, and its rollback is on its way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from booking_core import (
    TRANSITION_ACTIONS,
    Action,
    Allowed,
    Booking,
    ErrorCode,
    Refused,
    Role,
    UserPublic,
    apply_change,
    decide,
    new_booking,
    overlaps,
    party_of,
    patch_action,
)
from desktop_app.sync.intents import Create, Intent, Reschedule, Transition


@dataclass(frozen=True, slots=True)
class VisibleBooking:
    """A row as the user sees it; `pending` while a change of theirs awaits the server."""

    booking: Booking
    pending: bool
    pending_action: Action | None


class Pending(Protocol):
    """What the replay needs of a queued mutation."""

    @property
    def booking_id(self) -> str: ...
    @property
    def intent(self) -> Intent: ...
    @property
    def made_at(self) -> datetime: ...


def action_of(intent: Intent) -> Action:
    match intent:
        case Transition(_, action, _):
            return action
        case Reschedule(_, patch):
            return patch_action(patch)
        case Create():
            return Action.CREATE


def target_of(intent: Intent) -> str:
    return intent.client_id if isinstance(intent, Create) else intent.booking_id


def predict(
    state: Mapping[str, Booking],
    booking_id: str,
    intent: Intent,
    user: UserPublic,
    *,
    now: datetime,
    made_at: datetime,
    check_slots: bool = True,
) -> Booking | Refused:
    """The booking as the server will make it, or the refusal it will answer (same check order).

    `check_slots=False` skips the overlap check, for a change whose slot an earlier one may free.
    """
    if isinstance(intent, Create):
        return _predict_create(state, booking_id, intent, user, made_at, check_slots)
    booking = state.get(booking_id)
    if booking is None:
        return Refused(ErrorCode.NOT_FOUND, "no such booking")
    action = action_of(intent)
    if isinstance(intent, Transition) and action not in TRANSITION_ACTIONS:
        return Refused(ErrorCode.INVALID_REQUEST, f"{action.value} is not a transition")
    decision = decide(
        action, booking.status, party_of(booking, user.id), now=now, starts_at=booking.starts_at
    )
    if not isinstance(decision, Allowed):
        return decision
    patch = intent.patch if isinstance(intent, Reschedule) else None
    after = apply_change(booking, action, actor=user.id, now=made_at, patch=patch)
    if check_slots and action is Action.RESCHEDULE and clashes(state, after):
        return Refused(ErrorCode.SLOT_TAKEN, "the new time overlaps another booking")
    return after


def _predict_create(
    state: Mapping[str, Booking],
    booking_id: str,
    intent: Create,
    user: UserPublic,
    made_at: datetime,
    check_slots: bool,
) -> Booking | Refused:
    body = intent.body
    if user.role is Role.CUSTOMER:
        if body.customer_id not in (None, user.id):
            return Refused(ErrorCode.FORBIDDEN, "a customer books only for themself")
        customer_id = user.id
    elif body.customer_id is None:
        return Refused(ErrorCode.INVALID_REQUEST, "a master names the customer")
    else:
        customer_id = body.customer_id
    booking = new_booking(
        body, booking_id=booking_id, customer_id=customer_id, actor=user.id, now=made_at
    )
    decision = decide(Action.CREATE, None, party_of(booking, user.id))
    if not isinstance(decision, Allowed):
        return decision
    if check_slots and clashes(state, booking):
        return Refused(ErrorCode.SLOT_TAKEN, "the time overlaps another booking")
    return booking


def clashes(state: Mapping[str, Booking], booking: Booking) -> bool:
    """Whether an active `booking` overlaps another active booking of the same master."""
    if not booking.is_active:
        return False
    return any(
        other.id != booking.id
        and other.master_id == booking.master_id
        and other.is_active
        and overlaps(booking.starts_at, booking.ends_at, other.starts_at, other.ends_at)
        for other in state.values()
    )


def replay(
    server: Mapping[str, Booking],
    queue: Iterable[Pending],
    user: UserPublic,
    now: datetime,
    previous: Mapping[str, VisibleBooking] | None = None,
) -> dict[str, VisibleBooking]:
    """Server state with every queued mutation that still applies replayed over it, in order.

    Rows equal to `previous` ones are reused, so comparing the two is cheap for big calendars.
    """
    state = dict(server)
    pending: set[str] = set()
    actions: dict[str, Action] = {}
    for mutation in queue:
        pending.add(mutation.booking_id)
        result = predict(
            state, mutation.booking_id, mutation.intent, user, now=now, made_at=mutation.made_at
        )
        if isinstance(result, Booking):
            state[mutation.booking_id] = result
            actions[mutation.booking_id] = action_of(mutation.intent)
    old = previous or {}
    rows: dict[str, VisibleBooking] = {}
    for booking_id, booking in state.items():
        row = old.get(booking_id)
        is_pending, action = booking_id in pending, actions.get(booking_id)
        if row is None or not _same(row, booking, is_pending, action):
            row = VisibleBooking(booking, is_pending, action)
        rows[booking_id] = row
    return rows


def _same(row: VisibleBooking, booking: Booking, pending: bool, action: Action | None) -> bool:
    return row.booking is booking and row.pending == pending and row.pending_action == action
