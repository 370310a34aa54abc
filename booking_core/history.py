"""[extension] A booking's history as the server's event log keeps it: every change with its
action, who made it, what it changed and when (`GET /api/v1/bookings/{id}/history`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from booking_core.models import Action, UtcDatetime


class HistoryEvent(BaseModel):
    """One logged change of a booking: `changes` are the JSON values of the fields it changed
    (every field for a creation; a cleared field as null), as in `booking:updated`."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    seq: int = Field(ge=1)
    action: Action
    actor: str
    changes: dict[str, Any]
    at: UtcDatetime


class HistoryList(BaseModel):
    """A booking's logged changes, oldest first (events older than the server keeps are gone)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    events: list[HistoryEvent]
