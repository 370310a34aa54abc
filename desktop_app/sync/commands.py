"""What the sync engine asks the shell to do: send requests, manage the socket, update the view.

Every command is a frozen dataclass. The shell performs them in order and feeds the outcome back as
inputs (`ReplyReceived` / `RequestFailed` with the same `request_id`, `SocketOpened`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from booking_core import Action, Booking, Viewer
from desktop_app.sync.catalog import CatalogRollback, CatalogView
from desktop_app.sync.catalog_outbox import CatalogEntry
from desktop_app.sync.intents import Intent
from desktop_app.sync.outbox import OutboxEntry
from desktop_app.sync.status import SyncCounters, SyncState, SyncStatus
from desktop_app.sync.visible import VisibleBooking


@dataclass(frozen=True, slots=True)
class SendRequest:
    """An HTTP request; `path` is relative to the server root, e.g. "/api/v1/bookings?since=5".

    `headers` carry If-Match and Idempotency-Key; the shell adds Authorization. `json` is the body.
    `listing`: the answer is a bookings listing, which the shell may hand back (`ReplyReceived`)
    as a `BookingList` read straight from the bytes instead of parsed JSON (100k bookings: no
    ~110 MB of intermediate dicts, ~0.2 s less).
    """

    request_id: str
    method: str
    path: str
    json: object | None
    headers: Mapping[str, str]
    listing: bool = False


@dataclass(frozen=True, slots=True)
class OpenSocket:
    """Connect /api/v1/ws[?since=N] (the token in a header). Report `SocketOpened`, or
    `SocketClosed` on failure."""

    since: int | None


@dataclass(frozen=True, slots=True)
class CloseSocket:
    pass


@dataclass(frozen=True, slots=True)
class ScheduleWakeup:
    """Feed `TimerFired(now)` at or after `at`; a later ScheduleWakeup replaces an earlier one."""

    at: datetime


@dataclass(frozen=True, slots=True)
class RowsChanged:
    """Rows that appeared, changed or disappeared, by booking id, and `rows`: the new state of
    the inserted and updated ones. The shell applies them to its own copy; it has no view into
    the engine. `rows` is the command's own: read it, never change it."""

    inserted: frozenset[str]
    updated: frozenset[str]
    removed: frozenset[str]
    rows: Mapping[str, VisibleBooking] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RemoteChange:
    """Someone else changed a booking, as the server's event said: `action`, `actor` (a user id
    or "system") and `changes` (the fields that changed, every field on a create); `booking` is
    the server's booking after it (what history and notices name: its service, time, version)."""

    booking_id: str
    action: Action
    actor: str
    changes: Mapping[str, object]
    booking: Booking


@dataclass(frozen=True, slots=True)
class AnnounceViewing:
    """Tell the server (socket `viewing` message) which booking this user has on screen."""

    booking_id: str | None


@dataclass(frozen=True, slots=True)
class Rollback:
    """A change of the user's that was undone (or refused before sending), and why.

    `code` is the protocol error code (version_conflict, invalid_transition, slot_taken, forbidden,
    not_found, invalid_request, ...) or "not_confirmed" when the server never answered in time: the
    UI puts it into words. `current` is the server's booking as now known (None if gone or never
    created). `intent` is the change itself, so the UI may offer to try it again.
    """

    booking_id: str
    action: Action
    code: str
    current: Booking | None
    intent: Intent | None = None


@dataclass(frozen=True, slots=True)
class ShowRollback:
    rollback: Rollback


@dataclass(frozen=True, slots=True)
class ShowCatalogRollback:
    """A catalog change of the user's was undone (the shell tells it like a booking's)."""

    rollback: CatalogRollback


@dataclass(frozen=True, slots=True)
class CatalogChanged:
    """The master's catalog as shown changed (confirmed state or pending edits)."""

    view: CatalogView


@dataclass(frozen=True, slots=True)
class CatalogOutboxChanged:
    """The catalog changes not yet confirmed, in order: persist them beside the outbox and
    pass them back as `Started(now, catalog_outbox=...)`."""

    entries: tuple[CatalogEntry, ...]


@dataclass(frozen=True, slots=True)
class AnnounceWatch:
    """Tell the server (socket `watch_availability` message) whose availability this user is
    looking at (None: nobody's)."""

    master_id: str | None


@dataclass(frozen=True, slots=True)
class AvailabilityChanged:
    """The server said a master's hours, time off, services or bookings changed
    (`availability:updated`): free slots shown for them may have changed."""

    master_id: str


@dataclass(frozen=True, slots=True)
class SyncStatusChanged:
    status: SyncStatus


@dataclass(frozen=True, slots=True)
class PresenceChanged:
    booking_id: str
    viewers: tuple[Viewer, ...]


@dataclass(frozen=True, slots=True)
class OutboxChanged:
    """The full outbox, in order: persist it and pass it back as `Started(now, outbox=...)`."""

    entries: tuple[OutboxEntry, ...]


@dataclass(frozen=True, slots=True)
class BookingIdAssigned:
    """A created booking got its server id: the row `client_id` is now `booking_id`."""

    client_id: str
    booking_id: str


@dataclass(frozen=True, slots=True)
class SignInRequired:
    """The server answered 401 or closed the socket with 4401: sign in again, then restart the
    engine with the persisted outbox. The engine sends nothing more until then. `reason` is a
    code: "unauthenticated" (a request) or "socket_unauthorized" (the socket's 4401)."""

    reason: str


Command = (
    SendRequest
    | OpenSocket
    | CloseSocket
    | ScheduleWakeup
    | RowsChanged
    | ShowRollback
    | ShowCatalogRollback
    | SyncStatusChanged
    | PresenceChanged
    | OutboxChanged
    | BookingIdAssigned
    | SignInRequired
    | RemoteChange
    | AnnounceViewing
    | CatalogChanged
    | CatalogOutboxChanged
    | AnnounceWatch
    | AvailabilityChanged
)

__all__ = [
    "AnnounceViewing",
    "AnnounceWatch",
    "AvailabilityChanged",
    "BookingIdAssigned",
    "CatalogChanged",
    "CatalogOutboxChanged",
    "CloseSocket",
    "Command",
    "OpenSocket",
    "OutboxChanged",
    "PresenceChanged",
    "RemoteChange",
    "Rollback",
    "RowsChanged",
    "ScheduleWakeup",
    "SendRequest",
    "ShowCatalogRollback",
    "ShowRollback",
    "SignInRequired",
    "SyncCounters",
    "SyncState",
    "SyncStatus",
    "SyncStatusChanged",
]
