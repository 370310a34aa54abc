"""The sans-IO sync engine: a pure state machine fed with inputs, returning commands.

The shell (the controller, with desktop_app.net) performs the commands and feeds back what
happened; `engine.py` explains the theory of operation. The shell's side of the contract:

- `SyncEngine(user, config, rng=..., new_id=...)`, then `handle(Started(now, outbox, bookings,
  cursor, synced_at))` with the persisted outbox and, if any, the cached confirmed state and when
  it was saved (`synced_at`: the status shows it as `last_synced_at` until a fresh sync).
- Perform the commands of each `handle()` in order. `SendRequest` → exactly one `ReplyReceived`
  (any HTTP status, body parsed as JSON) or `RequestFailed` (no HTTP answer) with its request_id.
  `OpenSocket(since)` → `SocketOpened`, then one `EventReceived` per parsed frame, and
  `SocketClosed(code)` when it ends or fails to open. `ScheduleWakeup(at)` → `TimerFired(now)` at or
  after `at` (the latest replaces earlier ones). `OutboxChanged` → persist the entries
  (`OutboxEntry.to_json()`). `SignInRequired` → sign in again and start a new engine.
- `NetworkChanged(True)` makes the engine retry everything at once ("Sync now" sends it too).
- `RowsChanged` carries the rows (keep a copy: there is no view into the engine); `RemoteChange`
  forwards what the server said about someone else's change (and its booking after it);
  `ViewingChanged` → `AnnounceViewing` now and after every reconnect. Listing replies may be
  handed over as the body's bytes.
- A master's catalog (`catalog.py`): `CatalogIntentMade` edits it; `CatalogChanged(view)` carries
  what to show, `CatalogOutboxChanged` the changes to persist (back as `Started(catalog_outbox=)`
  with the cached `Started(catalog=)`); `WatchingAvailability` → `AnnounceWatch` now and after
  every reconnect; `availability:updated` frames come out as `AvailabilityChanged(master_id)`.
- Every input carries `now`, an aware UTC datetime; the engine reads no clock.
- Feed `booking:updated` frames as parsed (keep `prev_seq`: with it, other users' events between
  ours are no gap and cost no fetch; without it, as from an older server, every seq jump is).
"""

from desktop_app.sync.backoff import backoff
from desktop_app.sync.catalog import (
    SCHEDULE,
    CatalogIntent,
    CatalogRollback,
    CatalogView,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
    TimeOffAdd,
    TimeOffRemove,
)
from desktop_app.sync.catalog_outbox import CatalogEntry
from desktop_app.sync.commands import (
    AnnounceViewing,
    AnnounceWatch,
    AvailabilityChanged,
    BookingIdAssigned,
    CatalogChanged,
    CatalogOutboxChanged,
    CloseSocket,
    Command,
    OpenSocket,
    OutboxChanged,
    PresenceChanged,
    RemoteChange,
    Rollback,
    RowsChanged,
    ScheduleWakeup,
    SendRequest,
    ShowCatalogRollback,
    ShowRollback,
    SignInRequired,
    SyncStatusChanged,
)
from desktop_app.sync.config import SyncConfig
from desktop_app.sync.engine import SyncEngine
from desktop_app.sync.inputs import (
    CatalogIntentMade,
    Create,
    EventReceived,
    Input,
    Intent,
    IntentMade,
    NetworkChanged,
    ReplyReceived,
    RequestFailed,
    Reschedule,
    SocketClosed,
    SocketOpened,
    Started,
    TimerFired,
    Transition,
    ViewingChanged,
    WatchingAvailability,
)
from desktop_app.sync.outbox import OutboxEntry, OutboxFormatError
from desktop_app.sync.status import Snapshot, SyncCounters, SyncReason, SyncState, SyncStatus
from desktop_app.sync.visible import VisibleBooking, action_of

__all__ = [
    "SCHEDULE",
    "AnnounceViewing",
    "AnnounceWatch",
    "AvailabilityChanged",
    "BookingIdAssigned",
    "CatalogChanged",
    "CatalogEntry",
    "CatalogIntent",
    "CatalogIntentMade",
    "CatalogOutboxChanged",
    "CatalogRollback",
    "CatalogView",
    "CloseSocket",
    "Command",
    "Create",
    "EventReceived",
    "Input",
    "Intent",
    "IntentMade",
    "NetworkChanged",
    "OpenSocket",
    "OutboxChanged",
    "OutboxEntry",
    "OutboxFormatError",
    "PresenceChanged",
    "RemoteChange",
    "ReplyReceived",
    "RequestFailed",
    "Reschedule",
    "Rollback",
    "RowsChanged",
    "ScheduleSet",
    "ScheduleWakeup",
    "SendRequest",
    "ServiceAdd",
    "ServiceEdit",
    "ShowCatalogRollback",
    "ShowRollback",
    "SignInRequired",
    "Snapshot",
    "SocketClosed",
    "SocketOpened",
    "Started",
    "SyncConfig",
    "SyncCounters",
    "SyncEngine",
    "SyncReason",
    "SyncState",
    "SyncStatus",
    "SyncStatusChanged",
    "TimeOffAdd",
    "TimeOffRemove",
    "TimerFired",
    "Transition",
    "ViewingChanged",
    "VisibleBooking",
    "WatchingAvailability",
    "action_of",
    "backoff",
]
