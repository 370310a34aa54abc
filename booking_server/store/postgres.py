"""The PostgreSQL store (asyncpg pool), for several server processes sharing one database.

Writers run side by side, each in its own READ COMMITTED transaction, and stay race-free because:
- a booking about to change is read `FOR UPDATE`: two writers on one booking (two processes'
  session clocks included) take turns, and the second decides on the first one's result;
- the overlap check takes a transaction-level advisory lock on the master first, so writers that
  may add an active interval to one master's timeline (creates, reschedules) take turns, and
  each checks against the previous one's committed result. Without it two overlapping inserts
  could both pass the check and meet in the exclusion constraint, where each waited for the
  other: a deadlock (issue 13). The exclusion constraint `bookings_no_overlap` still has the
  last word (SlotTakenError, 409 `slot_taken`);
- lock order: the Idempotency-Key row, then a booking row (`FOR UPDATE`), then the master's
  lock, then the counter row. A deadlock or serialization failure that still happens is a
  StoreConflictError, and the whole request runs again (api/idempotency.py);
- each event takes its seq from the counter row `meta.seq` (UPDATE … RETURNING) in the writing
  transaction. The row lock is held to commit, so seqs are gap-free and commit in seq order: a
  reader that sees seq N sees every seq below it. The Redis bus relies on that to fill gaps from
  the log. The booking row is written before the counter is locked, so a writer never waits on
  an overlapping insert while it holds the counter.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg

from booking_core.events import BookingUpdated
from booking_core.history import HistoryEvent
from booking_core.models import ACTIVE_STATUSES, Action, Booking
from booking_core.state_machine import changes_between
from booking_server.errors import ConfigurationError
from booking_server.store.base import (
    Claim,
    ClaimStarted,
    OnCommit,
    SlotTakenError,
    StoreBusyError,
    StoreConflictError,
    StoredResponse,
    UserExistsError,
    UserRecord,
)
from booking_server.store.common import (
    DUE_AT_END,
    DUE_AT_START,
    ambient,
    check_since,
    claim_of,
    entered,
    free_again,
)
from booking_server.store.migrations import Migration, migrate_postgres
from booking_server.store.postgres_catalog import PostgresCatalog
from booking_server.store.postgres_schema import SCHEMA_LOCK, STEPS
from booking_server.store.rows import (
    EVENT_COLUMNS,
    HISTORY_COLUMNS,
    USER_COLUMNS,
    USER_READ,
    event_of,
    history_event_of,
    user_of,
)

if TYPE_CHECKING:
    Connection: TypeAlias = asyncpg.pool.PoolConnectionProxy[asyncpg.Record]
    Pool: TypeAlias = asyncpg.Pool[asyncpg.Record]
_ACTIVE = sorted(s.value for s in ACTIVE_STATUSES)
_CONNECT_TIMEOUT = 10.0
# No wait on the database is endless: a request that finds no free connection, or whose statement
# runs longer than this (a lock held too long, a stalled disk), fails with StoreBusyError (503)
# and the client tries again, instead of hanging with its connection.
DEFAULT_TIMEOUT = 30.0
# Errors that mean "no usable database at this URL".
_UNREACHABLE = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


def _name_lock(username: str) -> str:
    return f"user:{username}"


def _master_lock(master_id: str) -> str:
    return f"master:{master_id}"


def _unstorable(text: str) -> bool:
    """PostgreSQL text cannot hold NUL, so no stored id or name contains one: nothing to find
    (and asking would be an error, not an answer)."""
    return "\x00" in text


async def _booking(db: Connection, booking_id: str, *, lock: bool = False) -> Booking | None:
    if _unstorable(booking_id):
        return None
    sql = "SELECT data FROM bookings WHERE id = $1" + (" FOR UPDATE" if lock else "")
    data = await db.fetchval(sql, booking_id)
    return Booking.model_validate_json(data) if data is not None else None


async def _revoke_all(db: Connection, user_id: str, keep: str | None) -> list[str]:
    # The database's clock, as revoke_token: `revoked_within` finds these too.
    rows = await db.fetch(
        "UPDATE tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL"
        " AND token_hash IS DISTINCT FROM $2 RETURNING token_hash",
        user_id,
        keep,
    )
    return [row["token_hash"] for row in rows]


async def _user_by(db: Connection, column: str, value: str) -> UserRecord | None:
    if _unstorable(value):
        return None
    row = await db.fetchrow(f"SELECT {USER_READ} FROM users WHERE {column} = $1", value)
    return user_of(row) if row else None


async def _cursor_and_floor(db: Connection) -> tuple[int, int]:
    """The current cursor (the last committed seq) and the seq through which events were pruned."""
    rows = await db.fetch("SELECT key, value FROM meta WHERE key IN ('seq', 'pruned_through')")
    values = {row["key"]: row["value"] for row in rows}
    return values["seq"], values["pruned_through"]


class PostgresTransaction:
    """The inside of one writer transaction (READ COMMITTED, see the module docstring)."""

    def __init__(self, db: Connection) -> None:
        self._db = db
        self.events: list[BookingUpdated] = []
        self.catalog = PostgresCatalog(db)

    @property
    def db(self) -> Connection:
        return self._db

    async def booking(self, booking_id: str) -> Booking | None:
        # Locked: this writer is about to decide on it, no other may change it meanwhile.
        return await _booking(self._db, booking_id, lock=True)

    async def clashes(
        self, master_id: str, starts_at: datetime, ends_at: datetime, exclude_id: str | None
    ) -> bool:
        # The master's timeline is this writer's until it commits (see the module docstring).
        await self._lock(_master_lock(master_id))
        found = await self._db.fetchval(
            "SELECT 1 FROM bookings WHERE master_id = $1 AND status = ANY($2::text[])"
            " AND tstzrange(starts_at, ends_at, '[)') && tstzrange($3, $4, '[)')"
            " AND id <> $5 LIMIT 1",
            master_id,
            _ACTIVE,
            starts_at,
            ends_at,
            exclude_id or "",
        )
        return found is not None

    async def record(
        self, old: Booking | None, new: Booking, action: Action, actor: str, now: datetime
    ) -> BookingUpdated:
        await self._save(old, new)
        changes = changes_between(old, new)
        seq = await self._db.fetchval(
            "WITH next AS (UPDATE meta SET value = value + 1 WHERE key = 'seq' RETURNING value)"
            " INSERT INTO events (seq, booking_id, master_id, customer_id, action, actor,"
            " booking, changes, created_at)"
            " SELECT value, $1, $2, $3, $4, $5, $6, $7, $8 FROM next RETURNING seq",
            new.id,
            new.master_id,
            new.customer_id,
            action.value,
            actor,
            new.model_dump_json(),
            json.dumps(changes),
            now,
        )
        event = BookingUpdated(seq=seq, action=action, booking=new, changes=changes, actor=actor)
        self.events.append(event)
        return event

    async def _save(self, old: Booking | None, new: Booking) -> None:
        values = (new.status.value, new.starts_at, new.ends_at, new.model_dump_json())
        try:
            if old is None:
                await self._db.execute(
                    "INSERT INTO bookings (status, starts_at, ends_at, data, id, master_id,"
                    " customer_id, service_id, price_minor, currency)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    *values,
                    new.id,
                    new.master_id,
                    new.customer_id,
                    new.service_id,
                    new.price_minor,
                    new.currency,
                )
            else:
                await self._db.execute(
                    "UPDATE bookings SET status = $1, starts_at = $2, ends_at = $3, data = $4"
                    " WHERE id = $5",
                    *values,
                    new.id,
                )
        except asyncpg.ExclusionViolationError as error:
            # Another writer got the slot between an overlap check and this write.
            raise SlotTakenError(new.master_id) from error

    async def add_user(self, user: UserRecord) -> None:
        await self._lock_name(user.username)
        try:
            await self._db.execute(
                f"INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5)",
                user.id,
                user.username,
                user.role.value,
                user.display_name,
                user.password_hash,
            )
        except asyncpg.UniqueViolationError as error:
            raise UserExistsError(user.username) from error

    async def user_by_name(self, username: str) -> UserRecord | None:
        if _unstorable(username):
            return None
        # Check-then-add of a username must not race another process doing the same (demo seed).
        await self._lock_name(username)
        return await _user_by(self._db, "username", username)

    async def _lock_name(self, username: str) -> None:
        await self._lock(_name_lock(username))

    async def _lock(self, name: str) -> None:
        await self._db.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", name)

    async def claim_key(
        self, user_id: str, key: str, fingerprint: str, now: datetime, expired_before: datetime
    ) -> Claim:
        # A concurrent claim of the same key waits here for that transaction's end (its
        # answer is committed with it), then finds the row.
        inserted = await self._db.fetchval(
            "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1",
            user_id,
            key,
            fingerprint,
            now,
        )
        if inserted is not None:
            return ClaimStarted()
        row = await self._db.fetchrow(
            "SELECT fingerprint, created_at, status, body, media_type, headers"
            " FROM idempotency_keys WHERE user_id = $1 AND key = $2 FOR UPDATE",
            user_id,
            key,
        )
        answered = row is not None and row["status"] is not None
        if row is None or free_again(row["created_at"], answered, now, expired_before):
            await _reclaim(self._db, user_id, key, fingerprint, now)
            return ClaimStarted()
        return claim_of(
            row["fingerprint"],
            fingerprint,
            row["status"],
            row["body"],
            row["media_type"],
            row["headers"],
        )

    async def store_answer(self, user_id: str, key: str, response: StoredResponse) -> None:
        await self._db.execute(
            "UPDATE idempotency_keys SET status = $1, body = $2, media_type = $3, headers = $4"
            " WHERE user_id = $5 AND key = $6",
            response.status,
            response.body,
            response.media_type,
            json.dumps(response.headers),
            user_id,
            key,
        )

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested writer: undone alone (its events too) when its block raises."""
        mark = len(self.events)
        try:
            async with self._db.transaction():
                yield
        except BaseException:
            del self.events[mark:]
            raise


class _BoundedPool:
    """The pool, with a deadline on every acquire and every statement (StoreBusyError)."""

    def __init__(self, pool: Pool, timeout: float) -> None:
        self.pool = pool
        self._timeout = timeout

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[Connection]:
        writing = ambient(self, PostgresTransaction)
        if writing is not None:
            # This task holds a writer: read through it, never wait for a second connection
            # (N writers waiting for an (N+1)th connection would wait for ever).
            yield writing.db
            return
        try:
            async with self.pool.acquire(timeout=self._timeout) as db:
                yield db
        except (TimeoutError, asyncpg.QueryCanceledError) as error:
            raise StoreBusyError(
                f"the database did not answer within {self._timeout:g} s"
            ) from error

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        async with self.acquire() as db:
            return await db.fetch(sql, *args)

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        async with self.acquire() as db:
            return await db.fetchrow(sql, *args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        async with self.acquire() as db:
            return await db.fetchval(sql, *args)

    async def execute(self, sql: str, *args: Any) -> str:
        async with self.acquire() as db:
            return await db.execute(sql, *args)


class PostgresStore:
    def __init__(
        self,
        url: str,
        on_commit: OnCommit,
        *,
        pool_size: int = 10,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._url = url
        self._on_commit = on_commit
        self._pool_size = pool_size
        self._timeout = timeout
        self._pool: _BoundedPool | None = None
        self.migration = Migration(0, 0)  # what open() did to the schema

    async def open(self) -> None:
        try:
            pool = await asyncpg.create_pool(
                self._url,
                min_size=1,
                max_size=self._pool_size,
                timeout=_CONNECT_TIMEOUT,
                command_timeout=self._timeout,
                # asyncpg's type introspection is slow under PostgreSQL's JIT, and our
                # statements are far too small to gain from it.
                server_settings={"jit": "off"},
            )
            self._pool = _BoundedPool(pool, self._timeout)
            async with self._pool.acquire() as db:
                self.migration = await _set_up(db)
        except ConfigurationError:
            await self.close()
            raise
        except (*_UNREACHABLE, StoreBusyError) as error:
            await self.close()
            raise ConfigurationError(f"cannot open the PostgreSQL database: {error}") from error

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.pool.close()

    @property
    def _p(self) -> _BoundedPool:
        assert self._pool is not None, "store not open"
        return self._pool

    @asynccontextmanager
    async def writer(self) -> AsyncIterator[PostgresTransaction]:
        pool = self._p
        outer = ambient(pool, PostgresTransaction)
        if outer is not None:
            async with outer.savepoint():
                yield outer
            return
        try:
            async with pool.acquire() as db, db.transaction():
                tx = PostgresTransaction(db)
                with entered(pool, tx):
                    yield tx
        except asyncpg.TransactionRollbackError as error:
            # A deadlock or a serialization failure: PostgreSQL rolled it all back.
            raise StoreConflictError(str(error)) from error
        # Committed, and the connection is back in the pool before anyone hears of it.
        if tx.events:
            await self._on_commit(tx.events)

    @asynccontextmanager
    async def _snapshot(self) -> AsyncIterator[Connection]:
        """One consistent view for reads of several statements."""
        writing = ambient(self._p, PostgresTransaction)
        if writing is not None:
            yield writing.db
            return
        async with (
            self._p.acquire() as db,
            db.transaction(isolation="repeatable_read", readonly=True),
        ):
            yield db

    @asynccontextmanager
    async def catalog_reader(self, *, snapshot: bool = True) -> AsyncIterator[PostgresCatalog]:
        """Availability reads in one consistent snapshot (always: `snapshot` is for SQLite)."""
        async with self._snapshot() as db:
            yield PostgresCatalog(db)

    # Users and tokens.

    async def add_user(self, user: UserRecord) -> None:
        async with self.writer() as tx:
            await tx.add_user(user)

    async def user_by_name(self, username: str) -> UserRecord | None:
        async with self._p.acquire() as db:
            return await _user_by(db, "username", username)

    async def user_by_id(self, user_id: str) -> UserRecord | None:
        async with self._p.acquire() as db:
            return await _user_by(db, "id", user_id)

    async def users(self) -> list[UserRecord]:
        rows = await self._p.fetch(f'SELECT {USER_READ} FROM users ORDER BY username COLLATE "C"')
        return [user_of(row) for row in rows]

    async def add_token(self, token_hash: str, user_id: str, expires_at: datetime) -> None:
        await self._p.execute(
            "INSERT INTO tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
            token_hash,
            user_id,
            expires_at,
        )

    async def token_user(self, token_hash: str, now: datetime) -> UserRecord | None:
        columns = ", ".join(f"u.{c.strip()}" for c in USER_READ.split(","))
        row = await self._p.fetchrow(
            f"SELECT {columns} FROM tokens t JOIN users u ON u.id = t.user_id"
            " WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2"
            " AND u.disabled_at IS NULL",
            token_hash,
            now,
        )
        return user_of(row) if row else None

    async def token_expires_at(self, token_hash: str) -> datetime | None:
        moment: datetime | None = await self._p.fetchval(
            "SELECT expires_at FROM tokens WHERE token_hash = $1", token_hash
        )
        return moment

    async def revoke_token(self, token_hash: str) -> None:
        # The database's clock, so `revoked_within` compares times from one clock.
        await self._p.execute(
            "UPDATE tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE token_hash = $1",
            token_hash,
        )

    async def set_password(
        self, user_id: str, password_hash: str, keep_token: str | None = None
    ) -> list[str]:
        async with self._p.acquire() as db, db.transaction():
            await db.execute(
                "UPDATE users SET password_hash = $1 WHERE id = $2", password_hash, user_id
            )
            return await _revoke_all(db, user_id, keep_token)

    async def set_disabled(self, user_id: str, disabled: bool, now: datetime) -> list[str]:
        async with self._p.acquire() as db, db.transaction():
            await db.execute(
                "UPDATE users SET disabled_at = $1 WHERE id = $2",
                now if disabled else None,
                user_id,
            )
            return await _revoke_all(db, user_id, None) if disabled else []

    async def revoked_within(self, seconds: float) -> list[str]:
        """Tokens revoked in the last `seconds` (by the database's clock): for a bus that was
        deaf for a while and must still close their sockets."""
        rows = await self._p.fetch(
            "SELECT token_hash FROM tokens WHERE revoked_at > now() - make_interval(secs => $1)",
            seconds,
        )
        return [row["token_hash"] for row in rows]

    # Bookings and the event log.

    async def booking(self, booking_id: str) -> Booking | None:
        async with self._p.acquire() as db:
            return await _booking(db, booking_id)

    async def visible_bookings(self, user_id: str) -> tuple[list[bytes], int]:
        async with self._snapshot() as db:
            rows = await db.fetch(
                "SELECT convert_to(data, 'UTF8') AS data FROM bookings"
                " WHERE master_id = $1 OR customer_id = $1"
                ' ORDER BY starts_at, id COLLATE "C"',
                user_id,
            )
            top, _ = await _cursor_and_floor(db)
        return [row["data"] for row in rows], top

    async def changed_bookings(self, user_id: str, since: int) -> tuple[list[bytes], int]:
        if since == 0:
            return await self.visible_bookings(user_id)
        async with self._snapshot() as db:
            top, floor = await _cursor_and_floor(db)
            check_since(since, top, floor)
            rows = await db.fetch(
                "SELECT convert_to(data, 'UTF8') AS data FROM bookings"
                " WHERE id IN (SELECT booking_id FROM events"
                " WHERE seq > $1 AND (master_id = $2 OR customer_id = $2))"
                ' ORDER BY starts_at, id COLLATE "C"',
                since,
                user_id,
            )
        return [row["data"] for row in rows], top

    async def events_for(self, user_id: str, since: int) -> tuple[list[BookingUpdated], int]:
        async with self._snapshot() as db:
            top, floor = await _cursor_and_floor(db)
            check_since(since, top, floor)
            rows = await db.fetch(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE seq > $1"
                " AND (master_id = $2 OR customer_id = $2) ORDER BY seq",
                since,
                user_id,
            )
        return [event_of(row) for row in rows], top

    async def booking_history(self, booking: Booking) -> list[HistoryEvent]:
        # By master first: events_by_master (master_id, seq) narrows it to one master's events.
        rows = await self._p.fetch(
            f"SELECT {HISTORY_COLUMNS} FROM events WHERE master_id = $1 AND booking_id = $2"
            " ORDER BY seq",
            booking.master_id,
            booking.id,
        )
        return [history_event_of(row, row["created_at"]) for row in rows]

    async def events_after(self, seq: int, limit: int) -> list[BookingUpdated]:
        """Everyone's events after `seq`, in seq order, at most `limit` (for the bus's gaps).
        Events already pruned are not there: those are too old for any socket to wait on."""
        rows = await self._p.fetch(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2",
            seq,
            limit,
        )
        return [event_of(row) for row in rows]

    async def cursor(self) -> int:
        value: int = await self._p.fetchval("SELECT value FROM meta WHERE key = 'seq'")
        return value

    async def database_id(self) -> int:
        """A random number drawn when the database was set up: names this event log."""
        value: int = await self._p.fetchval("SELECT value FROM meta WHERE key = 'database_id'")
        return value

    async def due_bookings(self, now: datetime) -> list[Booking]:
        rows = await self._p.fetch(
            "SELECT data FROM bookings WHERE status IN ($1, $2) AND starts_at <= $4"
            " UNION ALL SELECT data FROM bookings WHERE status = $3 AND ends_at <= $4",
            *DUE_AT_START,
            *DUE_AT_END,
            now,
        )
        return [Booking.model_validate_json(row["data"]) for row in rows]

    async def next_due(self) -> datetime | None:
        moment: datetime | None = await self._p.fetchval(
            "SELECT LEAST("
            "(SELECT MIN(starts_at) FROM bookings WHERE status IN ($1, $2)),"
            "(SELECT MIN(ends_at) FROM bookings WHERE status = $3))",
            *DUE_AT_START,
            *DUE_AT_END,
        )
        return moment

    async def prune(self, events_before: datetime, keys_before: datetime) -> None:
        async with self._p.acquire() as db, db.transaction():
            last = await db.fetchval(
                "SELECT MAX(seq) FROM events WHERE created_at < $1", events_before
            )
            if last is not None:
                await db.execute("DELETE FROM events WHERE seq <= $1", last)
                await db.execute(
                    "UPDATE meta SET value = GREATEST(value, $1) WHERE key = 'pruned_through'",
                    last,
                )
            await db.execute(
                "DELETE FROM idempotency_keys WHERE created_at < $1 AND status IS NOT NULL",
                keys_before,
            )


async def _reclaim(db: Connection, user_id: str, key: str, fingerprint: str, now: datetime) -> None:
    await db.execute(
        "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, key) DO UPDATE SET"
        " fingerprint = excluded.fingerprint, created_at = excluded.created_at,"
        " status = NULL, body = NULL, media_type = NULL, headers = NULL",
        user_id,
        key,
        fingerprint,
        now,
    )


async def _set_up(db: Connection) -> Migration:
    """Create or upgrade the schema; one process at a time, under an advisory lock."""
    return await migrate_postgres(db, STEPS, SCHEMA_LOCK)
