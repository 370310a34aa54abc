"""Persistence: the `Store` protocol and its backends (SQLite and PostgreSQL)."""

from booking_server.store.base import (
    Claim,
    ClaimInProgress,
    ClaimReused,
    ClaimStarted,
    CursorExpiredError,
    SlotTakenError,
    Store,
    StoreBusyError,
    StoreConflictError,
    StoredResponse,
    StoreError,
    Transaction,
    UserExistsError,
    UserRecord,
)
from booking_server.store.factory import open_store

__all__ = [
    "Claim",
    "ClaimInProgress",
    "ClaimReused",
    "ClaimStarted",
    "CursorExpiredError",
    "SlotTakenError",
    "Store",
    "StoreBusyError",
    "StoreConflictError",
    "StoreError",
    "StoredResponse",
    "Transaction",
    "UserExistsError",
    "UserRecord",
    "open_store",
]
