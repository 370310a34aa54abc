"""Sync status as the user sees it (synchronized / updating / offline) and diagnostic counters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from desktop_app.sync.catalog_outbox import CatalogEntry
from desktop_app.sync.outbox import OutboxEntry


class SyncState(StrEnum):
    SYNCHRONIZED = "synchronized"
    UPDATING = "updating"
    OFFLINE = "offline"


class SyncReason(StrEnum):
    """Why the state is what it is: a code the UI puts into (translated) words."""

    STARTING = "starting"
    SIGNED_OUT = "signed_out"
    NO_NETWORK = "no_network"
    UNREACHABLE = "unreachable"  # retrying
    LOADING = "loading"
    SAVING = "saving"  # `pending` changes
    POLLING = "polling"  # up to date, checking for changes periodically (no live socket)
    UP_TO_DATE = "up_to_date"


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """`pending`: mutations not yet confirmed; `reason`: what a status bar says, as a code."""

    state: SyncState
    last_synced_at: datetime | None
    pending: int
    reason: SyncReason


def derive_status(
    *,
    signed_out: bool,
    online: bool,
    reachable: bool,
    socket_open: bool,
    loaded: bool,
    pending: int,
    last_synced_at: datetime | None,
) -> SyncStatus:
    """The status the user sees, first match wins: offline causes, then loading, then saving."""
    table = (
        (signed_out, SyncState.OFFLINE, SyncReason.SIGNED_OUT),
        (not online, SyncState.OFFLINE, SyncReason.NO_NETWORK),
        (not reachable and not socket_open, SyncState.OFFLINE, SyncReason.UNREACHABLE),
        (not loaded, SyncState.UPDATING, SyncReason.LOADING),
        (pending > 0, SyncState.UPDATING, SyncReason.SAVING),
        (not socket_open, SyncState.SYNCHRONIZED, SyncReason.POLLING),
    )
    state, reason = next(
        ((state, reason) for hit, state, reason in table if hit),
        (SyncState.SYNCHRONIZED, SyncReason.UP_TO_DATE),
    )
    return SyncStatus(state, last_synced_at, pending, reason)


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


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The engine as a diagnostics panel sees it: values, no view into the engine. `socket` is
    the link's state ("down", "connecting", "open", "disabled"); `catalog_outbox` the master's
    catalog changes not yet confirmed."""

    status: SyncStatus
    counters: SyncCounters
    outbox: tuple[OutboxEntry, ...]
    cursor: int | None
    next_wakeup: datetime | None
    socket: str
    bookings: int
    catalog_outbox: tuple[CatalogEntry, ...] = ()
