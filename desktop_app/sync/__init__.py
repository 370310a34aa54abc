"""The sans-IO sync engine: a pure state machine fed with inputs, returning commands.

The shell (desktop_app.net / controller) performs the commands and feeds back what happened; see
`engine.py` for the theory of operation.
"""

from desktop_app.sync.backoff import backoff
from desktop_app.sync.commands import (
    BookingIdAssigned,
    CloseSocket,
    Command,
    OpenSocket,
    OutboxChanged,
    PresenceChanged,
    Rollback,
    RowsChanged,
    ScheduleWakeup,
    SendRequest,
    ShowRollback,
    SignInRequired,
    SyncStatusChanged,
)
from desktop_app.sync.config import SyncConfig
from desktop_app.sync.engine import SyncEngine
from desktop_app.sync.inputs import (
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
)
from desktop_app.sync.outbox import OutboxEntry, OutboxFormatError
from desktop_app.sync.status import SyncCounters, SyncState, SyncStatus
from desktop_app.sync.visible import VisibleBooking

__all__ = [
    "BookingIdAssigned",
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
    "ReplyReceived",
    "RequestFailed",
    "Reschedule",
    "Rollback",
    "RowsChanged",
    "ScheduleWakeup",
    "SendRequest",
    "ShowRollback",
    "SignInRequired",
    "SocketClosed",
    "SocketOpened",
    "Started",
    "SyncConfig",
    "SyncCounters",
    "SyncEngine",
    "SyncState",
    "SyncStatus",
    "SyncStatusChanged",
    "TimerFired",
    "Transition",
    "VisibleBooking",
    "backoff",
]
