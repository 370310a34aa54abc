"""Persistence: the `Store` protocol and its backends (SQLite now; PostgreSQL can follow)."""

from booking_server.store.base import (
    Claim,
    ClaimInProgress,
    ClaimReused,
    ClaimStarted,
    CursorExpiredError,
    Store,
    StoreBusyError,
    StoredResponse,
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
    "Store",
    "StoreBusyError",
    "StoredResponse",
    "Transaction",
    "UserExistsError",
    "UserRecord",
    "open_store",
]
