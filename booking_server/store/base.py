"""What the server needs from a database, as protocols, so another backend can be dropped in.

Writes go through `Store.writer()`: one serialized transaction at a time, in which the overlap check
and the write cannot race; each change is recorded with its event (a global, strictly increasing
`seq`) in the same transaction, and the events are handed to `on_commit` after the commit, in seq
order, before the next writer starts.

Writers nest: `writer()` opened while the same task already holds a writer of this store joins it
as a savepoint (rolled back alone when its block raises) instead of opening a second transaction.
That is how a keyed mutation commits its Idempotency-Key, the change, its event and the stored
answer as one transaction (booking_server/api/idempotency.py): the key's writer is open around the
booking service, whose own `writer()` joins it. Reads a store makes while a writer is open in the
task may use the writer's connection (PostgreSQL does: one connection per request, never two).

Stores raise storage errors (the `StoreError` tree below), never HTTP problems;
booking_server/api/problems.py maps them to answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from booking_core.events import BookingUpdated
from booking_core.history import HistoryEvent
from booking_core.models import Action, Booking, Role, UserPublic
from booking_server.store.migrations import Migration

if TYPE_CHECKING:
    from booking_server.store.catalog import Catalog

OnCommit = Callable[[list[BookingUpdated]], Awaitable[None]]


class StoreError(Exception):
    """Root of the storage errors; the API maps each to its answer (api/problems.py)."""


class UserExistsError(StoreError):
    """A user with this username is already there."""


class StoreBusyError(StoreError):
    """The database did not answer in time (no free connection, or a statement ran too long):
    the request may be tried again shortly (HTTP 503)."""


class StoreConflictError(StoreBusyError):
    """The database gave up the transaction to let another go on (PostgreSQL: a deadlock or a
    serialization failure). Nothing was written; running the whole transaction again may work.
    The server does so a few times (api/idempotency.py) before answering 503."""


class CursorExpiredError(StoreError):
    """The events after this cursor are no longer all kept (or the cursor is from the future)."""


class SlotTakenError(StoreError):
    """The database's own overlap rule refused the write (409 slot_taken)."""


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: str
    username: str
    role: Role
    display_name: str
    password_hash: str
    disabled: bool = False  # cannot sign in; its tokens were revoked (`booking-server user`)

    def public(self) -> UserPublic:
        return UserPublic(
            id=self.id, username=self.username, role=self.role, display_name=self.display_name
        )


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """The first answer to an Idempotency-Key, replayed for its repeats."""

    status: int
    body: bytes
    media_type: str
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class ClaimStarted:
    """The key is new (or expired): this request runs and its answer is stored."""


@dataclass(frozen=True, slots=True)
class ClaimReused:
    """The key was used with another request."""


@dataclass(frozen=True, slots=True)
class ClaimInProgress:
    """The first request with this key is still running."""


Claim = ClaimStarted | ClaimReused | ClaimInProgress | StoredResponse


class Transaction(Protocol):
    """The inside of one writer transaction."""

    # Availability: services, hours, time off, contacts (store/catalog.py).
    @property
    def catalog(self) -> Catalog: ...

    async def booking(self, booking_id: str) -> Booking | None: ...

    async def clashes(
        self, master_id: str, starts_at: datetime, ends_at: datetime, exclude_id: str | None
    ) -> bool:
        """Whether the master has an active booking overlapping [starts_at, ends_at)."""

    async def record(
        self, old: Booking | None, new: Booking, action: Action, actor: str, now: datetime
    ) -> BookingUpdated:
        """Save `new` and append its event; returns the event with its seq."""

    async def add_user(self, user: UserRecord) -> None: ...

    async def user_by_name(self, username: str) -> UserRecord | None: ...

    async def claim_key(
        self, user_id: str, key: str, fingerprint: str, now: datetime, expired_before: datetime
    ) -> Claim:
        """Claim an Idempotency-Key in this transaction, or the answer it already has. A
        concurrent transaction claiming the same key waits for this one to end."""

    async def store_answer(self, user_id: str, key: str, response: StoredResponse) -> None:
        """The answer to the key claimed in this transaction, committed with it."""


class Store(Protocol):
    migration: Migration  # what open() did to the schema (migrations.py)

    async def open(self) -> None:
        """Connect, and bring the schema to this server's version (or ConfigurationError)."""

    async def close(self) -> None: ...

    def writer(self) -> AbstractAsyncContextManager[Transaction]: ...

    def catalog_reader(self, *, snapshot: bool = True) -> AbstractAsyncContextManager[Catalog]:
        """Availability reads in one consistent snapshot (store/catalog.py); `snapshot=False`
        when a single statement (`Catalog.window`) is all that is read."""

    # Users and tokens.
    async def add_user(self, user: UserRecord) -> None: ...

    async def user_by_name(self, username: str) -> UserRecord | None: ...

    async def user_by_id(self, user_id: str) -> UserRecord | None: ...

    async def users(self) -> list[UserRecord]: ...

    async def add_token(self, token_hash: str, user_id: str, expires_at: datetime) -> None: ...

    async def token_user(self, token_hash: str, now: datetime) -> UserRecord | None: ...

    async def token_expires_at(self, token_hash: str) -> datetime | None:
        """When the token stops being valid (None: no such token)."""

    async def revoke_token(self, token_hash: str) -> None: ...

    async def set_password(
        self, user_id: str, password_hash: str, keep_token: str | None = None
    ) -> list[str]:
        """Replace the password and revoke every token of the user but `keep_token`, in one
        transaction; returns the hashes of the tokens revoked."""

    async def set_disabled(self, user_id: str, disabled: bool, now: datetime) -> list[str]:
        """Disable (revoking every token of the user) or enable an account; returns the hashes
        of the tokens revoked."""

    # Bookings and the event log.
    async def booking(self, booking_id: str) -> Booking | None: ...

    async def visible_bookings(self, user_id: str) -> tuple[list[bytes], int]:
        """Every booking of the user (as master or customer), each as its UTF-8 JSON, and the
        cursor they are current at. Stored JSON bytes, because lists can be long: no decoding,
        re-encoding or text joins (100k bookings are 38 MB)."""

    async def changed_bookings(self, user_id: str, since: int) -> tuple[list[bytes], int]:
        """The user's bookings (JSON bytes) changed after `since`, the cursor; or
        CursorExpiredError."""

    async def events_for(self, user_id: str, since: int) -> tuple[list[BookingUpdated], int]:
        """The user's events after `since` in seq order, and the cursor; or CursorExpiredError."""

    async def booking_history(self, booking: Booking) -> list[HistoryEvent]:
        """[extension] The booking's events still kept (pruning drops old ones), in seq order."""

    async def cursor(self) -> int: ...

    async def due_bookings(self, now: datetime) -> list[Booking]:
        """Bookings the session clock has something to do with at `now`."""

    async def next_due(self) -> datetime | None:
        """The earliest time the session clock will have something to do."""

    async def prune(self, events_before: datetime, keys_before: datetime) -> None: ...
