"""Rows as both SQL stores read them: the same columns, the same mapping to domain objects."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from booking_core.events import BookingUpdated
from booking_core.history import HistoryEvent
from booking_core.models import Action, Booking, Role
from booking_server.store.base import UserRecord

USER_COLUMNS = "id, username, role, display_name, password_hash"
EVENT_COLUMNS = "seq, action, actor, booking, changes"
HISTORY_COLUMNS = "seq, action, actor, changes, created_at"


def user_of(row: Iterable[Any]) -> UserRecord:
    """A row of USER_COLUMNS."""
    user_id, username, role, display_name, password_hash = row
    return UserRecord(user_id, username, Role(role), display_name, password_hash)


def event_of(row: Iterable[Any]) -> BookingUpdated:
    """A row of EVENT_COLUMNS (the booking and the changes stored as JSON text)."""
    seq, action, actor, booking, changes = row
    return BookingUpdated(
        seq=seq,
        action=Action(action),
        booking=Booking.model_validate_json(booking),
        changes=json.loads(changes),
        actor=actor,
    )


def history_event_of(row: Iterable[Any], at: datetime) -> HistoryEvent:
    """A row of HISTORY_COLUMNS, its created_at already read by the store as `at`."""
    seq, action, actor, changes, _created_at = row
    return HistoryEvent(
        seq=seq, action=Action(action), actor=actor, changes=json.loads(changes), at=at
    )
