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
# What reads of a user select: USER_COLUMNS and whether the account is disabled (schema 2).
USER_READ = USER_COLUMNS + ", disabled_at"
EVENT_COLUMNS = "seq, action, actor, booking, changes"
HISTORY_COLUMNS = "seq, action, actor, changes, created_at"


def qualified(columns: str, table: str) -> str:
    """A column list such as USER_READ with each name qualified by `table` (for joins)."""
    return ", ".join(f"{table}.{name.strip()}" for name in columns.split(","))


def user_of(row: Iterable[Any]) -> UserRecord:
    """A row of USER_READ."""
    user_id, username, role, display_name, password_hash, disabled_at = row
    return UserRecord(
        user_id, username, Role(role), display_name, password_hash, disabled_at is not None
    )


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
