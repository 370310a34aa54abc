"""What the signed-in user may do to a booking right now, decided by booking_core's own table.

The window enables an action only when `decide` allows it, so a disabled action is exactly one
the server would refuse (403 or 409).
"""

from __future__ import annotations

from datetime import datetime

from booking_core import (
    TRANSITIONS,
    Action,
    Allowed,
    Booking,
    ErrorCode,
    Party,
    Role,
    UserPublic,
    decide,
    party_of,
)
from desktop_app.sync import Create, Rollback


def allowed(user: UserPublic | None, action: Action, booking: Booking, now: datetime) -> bool:
    if user is None:
        return False
    decision = decide(
        action, booking.status, party_of(booking, user.id), now=now, starts_at=booking.starts_at
    )
    return isinstance(decision, Allowed)


def editable(user: UserPublic | None, booking: Booking, now: datetime) -> bool:
    """Whether the booking may be moved (reschedule) or at least get a new note (update)."""
    return allowed(user, Action.RESCHEDULE, booking, now) or allowed(
        user, Action.UPDATE, booking, now
    )


def retryable(user: UserPublic | None, rollback: Rollback, now: datetime) -> bool:
    """Whether sending an undone change again could succeed: never offer a certain refusal (an
    invalid request is refused again, word for word: the form reopens for it instead)."""
    if rollback.code == ErrorCode.INVALID_REQUEST:
        return False
    if isinstance(rollback.intent, Create):
        return user is not None
    current = rollback.current
    return current is not None and allowed(user, rollback.action, current, now)


def ever_allowed(role: Role, action: Action) -> bool:
    """Whether someone in `role` may ever take `action` on their bookings (to show it at all)."""
    party = Party.MASTER if role is Role.MASTER else Party.CUSTOMER
    return party in TRANSITIONS[action].parties
