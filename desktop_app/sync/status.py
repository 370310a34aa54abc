"""Sync status as the user sees it (synchronized / updating / offline) and diagnostic counters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class SyncState(StrEnum):
    SYNCHRONIZED = "synchronized"
    UPDATING = "updating"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """`pending`: mutations not yet confirmed; `detail`: one plain sentence for a status bar."""

    state: SyncState
    last_synced_at: datetime | None
    pending: int
    detail: str


@dataclass(frozen=True, slots=True)
class SyncCounters:
    """Running totals since the engine started, for a diagnostics panel or logs.

    `rollbacks` counts changes undone after sending; `refused`, intents refused before sending
    (the client predicted the server's refusal); `debounced`, repeated intents ignored.
    `event_latency` is the last measured delay between a change on the server (`updated_at`) and its
    socket event reaching the engine; `max_event_latency` the largest seen.
    """

    confirmed: int = 0
    conflicts: int = 0
    rollbacks: int = 0
    refused: int = 0
    debounced: int = 0
    retries: int = 0
    reconnects: int = 0
    events: int = 0
    ignored_events: int = 0
    gaps: int = 0
    full_loads: int = 0
    delta_loads: int = 0
    event_latency: timedelta | None = None
    max_event_latency: timedelta | None = None
    clock_skew: timedelta | None = None  # server clock minus ours, from the socket's hello
