"""What the shell feeds the sync engine: user intents, HTTP answers, socket events and clock ticks.

Every input is a frozen dataclass carrying `now` (an aware UTC datetime): the engine never reads a
clock itself, so the same inputs always give the same commands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from booking_core import (
    AvailabilityUpdated,
    Booking,
    BookingUpdated,
    ErrorMessage,
    Hello,
    Presence,
    ResyncRequired,
)
from desktop_app.sync.catalog import CatalogIntent, CatalogView
from desktop_app.sync.catalog_outbox import CatalogEntry
from desktop_app.sync.intents import Create, Intent, Reschedule, Transition
from desktop_app.sync.outbox import OutboxEntry

# AvailabilityUpdated [extension]: a master's hours, time off, services or bookings changed (the
# engine refetches its own master's catalog and forwards it as `AvailabilityChanged`).
ServerEvent = (
    Hello | BookingUpdated | ResyncRequired | Presence | AvailabilityUpdated | ErrorMessage
)


@dataclass(frozen=True, slots=True)
class Started:
    """The engine starts: loads, opens the socket, and resumes a persisted outbox.

    With a cached state (`bookings` as of `cursor`), it shows those at once and fetches only what
    changed since; without (`cursor` None) it loads everything. `synced_at` is when the cached
    state was saved: the status reports it as `last_synced_at` until a fresh sync.
    A master's `catalog_outbox` (catalog changes not yet confirmed) resumes too, and a cached
    confirmed `catalog` is shown at once until the fetch answers.
    """

    now: datetime
    outbox: tuple[OutboxEntry, ...] = ()
    bookings: tuple[Booking, ...] = ()
    cursor: int | None = None
    synced_at: datetime | None = None
    catalog_outbox: tuple[CatalogEntry, ...] = ()
    catalog: CatalogView | None = None


@dataclass(frozen=True, slots=True)
class IntentMade:
    intent: Intent
    now: datetime


@dataclass(frozen=True, slots=True)
class ReplyReceived:
    """An HTTP answer to `SendRequest(request_id, ...)`; `body` is the parsed JSON or None (or,
    for a `listing` request, a `BookingList` already read from the bytes)."""

    request_id: str
    status: int
    headers: Mapping[str, str]
    body: object | None
    now: datetime


@dataclass(frozen=True, slots=True)
class RequestFailed:
    """No HTTP answer (timeout, refused, reset, DNS): the server may or may not have acted."""

    request_id: str
    error: str
    now: datetime


@dataclass(frozen=True, slots=True)
class EventReceived:
    """One parsed socket frame (booking_core.parse_server_message)."""

    message: ServerEvent
    now: datetime


@dataclass(frozen=True, slots=True)
class SocketOpened:
    now: datetime


@dataclass(frozen=True, slots=True)
class SocketClosed:
    """The socket closed or an `OpenSocket` attempt failed (code None: no close frame)."""

    now: datetime
    code: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class NetworkChanged:
    """A reachability hint: offline pauses sending; online retries everything at once and asks
    the server what changed (send it also for an explicit "Sync now")."""

    online: bool
    now: datetime


@dataclass(frozen=True, slots=True)
class ViewingChanged:
    """The user has this booking (or none) on screen: the server tells the other party (presence),
    now and again after every reconnect."""

    booking_id: str | None
    now: datetime


@dataclass(frozen=True, slots=True)
class CatalogIntentMade:
    """A change to the master's own catalog: shown at once, queued, sent, confirmed or undone."""

    intent: CatalogIntent
    now: datetime


@dataclass(frozen=True, slots=True)
class WatchingAvailability:
    """The user looks at this master's availability (None: nobody's): the server sends its
    `availability:updated`, asked now and again after every reconnect."""

    master_id: str | None
    now: datetime


@dataclass(frozen=True, slots=True)
class TimerFired:
    now: datetime


Input = (
    Started
    | IntentMade
    | ReplyReceived
    | RequestFailed
    | EventReceived
    | SocketOpened
    | SocketClosed
    | NetworkChanged
    | ViewingChanged
    | TimerFired
    | CatalogIntentMade
    | WatchingAvailability
)

__all__ = [
    "CatalogIntentMade",
    "Create",
    "EventReceived",
    "Input",
    "Intent",
    "IntentMade",
    "NetworkChanged",
    "ReplyReceived",
    "RequestFailed",
    "Reschedule",
    "ServerEvent",
    "SocketClosed",
    "SocketOpened",
    "Started",
    "TimerFired",
    "Transition",
    "ViewingChanged",
    "WatchingAvailability",
]
