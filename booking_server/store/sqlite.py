"""The SQLite store (aiosqlite, WAL): one writer connection behind a lock, one reader connection.

Writers run one at a time in `BEGIN IMMEDIATE` transactions, so the overlap check and the insert
cannot race, and `on_commit` publishes their events before the next writer starts, keeping the
published order equal to the seq order. Readers see committed snapshots only.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

from booking_core.events import BookingUpdated
from booking_core.history import HistoryEvent
from booking_core.models import ACTIVE_STATUSES, Action, Booking
from booking_core.state_machine import changes_between
from booking_server.store.base import (
    Claim,
    ClaimStarted,
    OnCommit,
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
from booking_server.store.migrations import Migration, migrate_sqlite
from booking_server.store.rows import (
    EVENT_COLUMNS,
    HISTORY_COLUMNS,
    USER_COLUMNS,
    USER_READ,
    event_of,
    history_event_of,
    user_of,
)
from booking_server.store.schema import STEPS
from booking_server.store.sqlite_catalog import SqliteCatalog

log = logging.getLogger(__name__)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ACTIVE = tuple(sorted(s.value for s in ACTIVE_STATUSES))
_PRUNED_THROUGH = "pruned_through"


def _us(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _from_us(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


class SqliteTransaction:
    """The inside of one `BEGIN IMMEDIATE` writer transaction."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        self.events: list[BookingUpdated] = []
        self.catalog = SqliteCatalog(db)

    async def booking(self, booking_id: str) -> Booking | None:
        return await _booking(self._db, booking_id)

    async def clashes(
        self, master_id: str, starts_at: datetime, ends_at: datetime, exclude_id: str | None
    ) -> bool:
        cursor = await self._db.execute(
            "SELECT 1 FROM bookings WHERE master_id = ? AND status IN (?, ?, ?)"
            " AND starts_at < ? AND ends_at > ? AND id != ? LIMIT 1",
            (master_id, *_ACTIVE, _us(ends_at), _us(starts_at), exclude_id or ""),
        )
        return await cursor.fetchone() is not None

    async def record(
        self, old: Booking | None, new: Booking, action: Action, actor: str, now: datetime
    ) -> BookingUpdated:
        await self._db.execute(
            "INSERT INTO bookings (id, master_id, customer_id, status, starts_at, ends_at, data,"
            " service_id, price_minor, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET"
            " status = excluded.status, starts_at = excluded.starts_at,"
            " ends_at = excluded.ends_at, data = excluded.data",
            (
                new.id,
                new.master_id,
                new.customer_id,
                new.status.value,
                _us(new.starts_at),
                _us(new.ends_at),
                new.model_dump_json(),
                new.service_id,
                new.price_minor,
                new.currency,
            ),
        )
        changes = changes_between(old, new)
        cursor = await self._db.execute(
            "INSERT INTO events (booking_id, master_id, customer_id, action, actor, booking,"
            " changes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.id,
                new.master_id,
                new.customer_id,
                action.value,
                actor,
                new.model_dump_json(),
                json.dumps(changes),
                _us(now),
            ),
        )
        assert cursor.lastrowid is not None
        event = BookingUpdated(
            seq=cursor.lastrowid, action=action, booking=new, changes=changes, actor=actor
        )
        self.events.append(event)
        return event

    async def add_user(self, user: UserRecord) -> None:
        try:
            await self._db.execute(
                f"INSERT INTO users ({USER_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                (user.id, user.username, user.role.value, user.display_name, user.password_hash),
            )
        except aiosqlite.IntegrityError as error:
            raise UserExistsError(user.username) from error

    async def user_by_name(self, username: str) -> UserRecord | None:
        return await _user_by(self._db, "username", username)

    async def claim_key(
        self, user_id: str, key: str, fingerprint: str, now: datetime, expired_before: datetime
    ) -> Claim:
        return await _claim(self._db, user_id, key, fingerprint, now, expired_before)

    async def store_answer(self, user_id: str, key: str, response: StoredResponse) -> None:
        await self._db.execute(
            "UPDATE idempotency_keys SET status = ?, body = ?, media_type = ?, headers = ?"
            " WHERE user_id = ? AND key = ?",
            (
                response.status,
                response.body,
                response.media_type,
                json.dumps(response.headers),
                user_id,
                key,
            ),
        )

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested writer: undone alone (its events too) when its block raises."""
        await self._db.execute("SAVEPOINT nested_writer")
        mark = len(self.events)
        try:
            yield
        except BaseException:
            await self._db.execute("ROLLBACK TO nested_writer")
            await self._db.execute("RELEASE nested_writer")
            del self.events[mark:]
            raise
        await self._db.execute("RELEASE nested_writer")


async def _booking(db: aiosqlite.Connection, booking_id: str) -> Booking | None:
    cursor = await db.execute("SELECT data FROM bookings WHERE id = ?", (booking_id,))
    row = await cursor.fetchone()
    return Booking.model_validate_json(row[0]) if row else None


async def _revoke_all(db: aiosqlite.Connection, user_id: str, keep: str | None) -> list[str]:
    cursor = await db.execute(
        "UPDATE tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0 AND token_hash IS NOT ?"
        " RETURNING token_hash",
        (user_id, keep),
    )
    return [row[0] for row in await cursor.fetchall()]


async def _user_by(db: aiosqlite.Connection, column: str, value: str) -> UserRecord | None:
    cursor = await db.execute(f"SELECT {USER_READ} FROM users WHERE {column} = ?", (value,))
    row = await cursor.fetchone()
    return user_of(row) if row else None


async def _scalar(db: aiosqlite.Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    cursor = await db.execute(sql, params)
    row = await cursor.fetchone()
    return row[0] if row else None


async def _cursor_and_floor(db: aiosqlite.Connection) -> tuple[int, int]:
    """The current cursor and the seq through which events were pruned."""
    floor = await _scalar(db, "SELECT value FROM meta WHERE key = ?", (_PRUNED_THROUGH,)) or 0
    top = await _scalar(db, "SELECT MAX(seq) FROM events") or 0
    return max(top, floor), floor


def _bookings(rows: Iterable[Any]) -> list[Booking]:
    return [Booking.model_validate_json(row[0]) for row in rows]


# Write transactions between two background WAL checkpoints (~7 pages each: a few hundred pages,
# the WAL stays well under SQLite's own 1000-page autocheckpoint size).
CHECKPOINT_EVERY = 50


class SqliteStore:
    def __init__(self, path: Path, on_commit: OnCommit) -> None:
        self._path = path
        self._on_commit = on_commit
        self._write_lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        # Checkpoints run here, beside the writer: a commit never copies the WAL back itself
        # (SQLite's autocheckpoint did, in the committing call: a 4-5 ms commit every ~140).
        self._checkpointer: aiosqlite.Connection | None = None
        self._checkpoint: asyncio.Task[None] | None = None
        self._commits = 0
        self.checkpoints = 0  # done, for tests and diagnostics
        self.migration = Migration(0, 0)  # what open() did to the schema

    async def open(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await self._connect()
        try:
            self.migration = await migrate_sqlite(self._writer, STEPS, str(self._path))
        except BaseException:
            await self.close()
            raise
        # A key is committed with its answer; one without (from an older server whose request
        # was running when it stopped) has nothing to replay. Answers are never deleted here.
        await self._writer.execute("DELETE FROM idempotency_keys WHERE status IS NULL")
        await self._writer.execute("PRAGMA wal_autocheckpoint = 0")
        self._reader = await self._connect()
        self._checkpointer = await self._connect()

    async def _connect(self) -> aiosqlite.Connection:
        db = await aiosqlite.connect(self._path, isolation_level=None)
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
        await db.execute("PRAGMA busy_timeout = 10000")
        await db.execute("PRAGMA foreign_keys = ON")
        return db

    async def close(self) -> None:
        if self._checkpoint is not None:
            await asyncio.gather(self._checkpoint, return_exceptions=True)
            self._checkpoint = None
        # The last connection to close checkpoints what is left and removes the WAL.
        for db in (self._checkpointer, self._reader, self._writer):
            if db is not None:
                await db.close()
        self._checkpointer = self._reader = self._writer = None

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        """The writer's turn; after it, a background checkpoint when enough was written."""
        async with self._write_lock:
            yield
        self._commits += 1
        if self._commits >= CHECKPOINT_EVERY and self._checkpoint is None:
            self._commits = 0
            self._checkpoint = asyncio.create_task(self._checkpoint_wal(), name="wal-checkpoint")

    async def checkpoint_settled(self) -> None:
        """Returns once the background checkpoint in progress (if any) has finished: a condition
        for tests to wait on, instead of a count of background work done by some moment."""
        task = self._checkpoint
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)

    async def _checkpoint_wal(self) -> None:
        try:
            if self._checkpointer is not None:
                # PASSIVE: copies back what no reader still needs; writers go on meanwhile.
                await self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
                # Then the few frames written meanwhile, with writers held back for that moment:
                # a WAL copied back completely starts over at the next write (else, under
                # steady writes, it would grow for ever).
                async with self._write_lock:
                    await self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
                self.checkpoints += 1
        except aiosqlite.Error:
            log.exception("WAL checkpoint failed; the next one tries again")
        finally:
            self._checkpoint = None

    @property
    def _w(self) -> aiosqlite.Connection:
        assert self._writer is not None, "store not open"
        return self._writer

    @asynccontextmanager
    async def writer(self) -> AsyncIterator[SqliteTransaction]:
        outer = ambient(self, SqliteTransaction)
        if outer is not None:
            async with outer.savepoint():
                yield outer
            return
        async with self._writing():
            db = self._w
            await db.execute("BEGIN IMMEDIATE")
            tx = SqliteTransaction(db)
            try:
                with entered(self, tx):
                    yield tx
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")
            if tx.events:
                await self._on_commit(tx.events)

    @asynccontextmanager
    async def _snapshot(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._read_lock:
            assert self._reader is not None, "store not open"
            await self._reader.execute("BEGIN")
            try:
                yield self._reader
            finally:
                await self._reader.execute("COMMIT")

    @asynccontextmanager
    async def catalog_reader(self, *, snapshot: bool = True) -> AsyncIterator[SqliteCatalog]:
        """Availability reads in one consistent snapshot (`snapshot=False`: each statement reads
        on its own, two trips to the database thread fewer, for a single-statement read)."""
        if snapshot:
            async with self._snapshot() as db:
                yield SqliteCatalog(db)
            return
        async with self._read_lock:
            assert self._reader is not None, "store not open"
            yield SqliteCatalog(self._reader)

    # Users and tokens.

    async def add_user(self, user: UserRecord) -> None:
        async with self.writer() as tx:
            await tx.add_user(user)

    async def user_by_name(self, username: str) -> UserRecord | None:
        async with self._snapshot() as db:
            return await _user_by(db, "username", username)

    async def user_by_id(self, user_id: str) -> UserRecord | None:
        async with self._snapshot() as db:
            return await _user_by(db, "id", user_id)

    async def users(self) -> list[UserRecord]:
        async with self._snapshot() as db:
            cursor = await db.execute(f"SELECT {USER_READ} FROM users ORDER BY username")
            return [user_of(row) for row in await cursor.fetchall()]

    async def add_token(self, token_hash: str, user_id: str, expires_at: datetime) -> None:
        async with self._writing():
            await self._w.execute(
                "INSERT INTO tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
                (token_hash, user_id, _us(expires_at)),
            )

    async def token_user(self, token_hash: str, now: datetime) -> UserRecord | None:
        columns = ", ".join(f"u.{c.strip()}" for c in USER_READ.split(","))
        async with self._snapshot() as db:
            cursor = await db.execute(
                f"SELECT {columns} FROM tokens t JOIN users u ON u.id = t.user_id"
                " WHERE t.token_hash = ? AND t.revoked = 0 AND t.expires_at > ?"
                " AND u.disabled_at IS NULL",
                (token_hash, _us(now)),
            )
            row = await cursor.fetchone()
        return user_of(row) if row else None

    async def token_expires_at(self, token_hash: str) -> datetime | None:
        async with self._snapshot() as db:
            cursor = await db.execute(
                "SELECT expires_at FROM tokens WHERE token_hash = ?", (token_hash,)
            )
            row = await cursor.fetchone()
        return _from_us(row[0]) if row else None

    async def revoke_token(self, token_hash: str) -> None:
        async with self._writing():
            await self._w.execute(
                "UPDATE tokens SET revoked = 1 WHERE token_hash = ?", (token_hash,)
            )

    async def set_password(
        self, user_id: str, password_hash: str, keep_token: str | None = None
    ) -> list[str]:
        async with self.writer() as tx:
            db = tx._db
            await db.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id)
            )
            return await _revoke_all(db, user_id, keep_token)

    async def set_disabled(self, user_id: str, disabled: bool, now: datetime) -> list[str]:
        async with self.writer() as tx:
            db = tx._db
            await db.execute(
                "UPDATE users SET disabled_at = ? WHERE id = ?",
                (_us(now) if disabled else None, user_id),
            )
            return await _revoke_all(db, user_id, None) if disabled else []

    # Bookings and the event log.

    async def booking(self, booking_id: str) -> Booking | None:
        async with self._snapshot() as db:
            return await _booking(db, booking_id)

    async def visible_bookings(self, user_id: str) -> tuple[list[bytes], int]:
        async with self._snapshot() as db:
            cursor = await db.execute(
                "SELECT CAST(data AS BLOB) FROM bookings WHERE master_id = ? OR customer_id = ?"
                " ORDER BY starts_at, id",
                (user_id, user_id),
            )
            bookings = [row[0] for row in await cursor.fetchall()]
            top, _ = await _cursor_and_floor(db)
        return bookings, top

    async def changed_bookings(self, user_id: str, since: int) -> tuple[list[bytes], int]:
        if since == 0:
            return await self.visible_bookings(user_id)
        async with self._snapshot() as db:
            top, floor = await _cursor_and_floor(db)
            check_since(since, top, floor)
            cursor = await db.execute(
                "SELECT CAST(data AS BLOB) FROM bookings WHERE id IN (SELECT booking_id FROM events"
                " WHERE seq > ? AND (master_id = ? OR customer_id = ?)) ORDER BY starts_at, id",
                (since, user_id, user_id),
            )
            bookings = [row[0] for row in await cursor.fetchall()]
        return bookings, top

    async def events_for(self, user_id: str, since: int) -> tuple[list[BookingUpdated], int]:
        async with self._snapshot() as db:
            top, floor = await _cursor_and_floor(db)
            check_since(since, top, floor)
            cursor = await db.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE seq > ?"
                " AND (master_id = ? OR customer_id = ?) ORDER BY seq",
                (since, user_id, user_id),
            )
            events = [event_of(row) for row in await cursor.fetchall()]
        return events, top

    async def booking_history(self, booking: Booking) -> list[HistoryEvent]:
        async with self._snapshot() as db:
            cursor = await db.execute(
                f"SELECT {HISTORY_COLUMNS} FROM events WHERE master_id = ? AND booking_id = ?"
                " ORDER BY seq",
                (booking.master_id, booking.id),
            )
            rows = await cursor.fetchall()
        return [history_event_of(row, _from_us(row[-1])) for row in rows]

    async def cursor(self) -> int:
        async with self._snapshot() as db:
            top, _ = await _cursor_and_floor(db)
        return top

    async def due_bookings(self, now: datetime) -> list[Booking]:
        moment = _us(now)
        async with self._snapshot() as db:
            cursor = await db.execute(
                "SELECT data FROM bookings WHERE status IN (?, ?) AND starts_at <= ?"
                " UNION ALL SELECT data FROM bookings WHERE status = ? AND ends_at <= ?",
                (*DUE_AT_START, moment, *DUE_AT_END, moment),
            )
            return _bookings(await cursor.fetchall())

    async def next_due(self) -> datetime | None:
        async with self._snapshot() as db:
            first_start = await _scalar(
                db,
                "SELECT MIN(starts_at) FROM bookings WHERE status IN (?, ?)",
                DUE_AT_START,
            )
            first_end = await _scalar(
                db,
                "SELECT MIN(ends_at) FROM bookings WHERE status = ?",
                DUE_AT_END,
            )
        moments = [m for m in (first_start, first_end) if m is not None]
        return _from_us(min(moments)) if moments else None

    async def prune(self, events_before: datetime, keys_before: datetime) -> None:
        async with self._writing():
            db = self._w
            await db.execute("BEGIN IMMEDIATE")
            last = await _scalar(
                db, "SELECT MAX(seq) FROM events WHERE created_at < ?", (_us(events_before),)
            )
            if last is not None:
                await db.execute("DELETE FROM events WHERE seq <= ?", (last,))
                await db.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key)"
                    " DO UPDATE SET value = MAX(value, excluded.value)",
                    (_PRUNED_THROUGH, last),
                )
            await db.execute(
                "DELETE FROM idempotency_keys WHERE created_at < ? AND status IS NOT NULL",
                (_us(keys_before),),
            )
            await db.execute("COMMIT")


async def _claim(
    db: aiosqlite.Connection,
    user_id: str,
    key: str,
    fingerprint: str,
    now: datetime,
    expired_before: datetime,
) -> Claim:
    cursor = await db.execute(
        "SELECT fingerprint, created_at, status, body, media_type, headers FROM idempotency_keys"
        " WHERE user_id = ? AND key = ?",
        (user_id, key),
    )
    row = await cursor.fetchone()
    if row is not None and free_again(_from_us(row[1]), row[2] is not None, now, expired_before):
        await db.execute(
            "DELETE FROM idempotency_keys WHERE user_id = ? AND key = ?", (user_id, key)
        )
        row = None
    if row is None:
        await db.execute(
            "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)"
            " VALUES (?, ?, ?, ?)",
            (user_id, key, fingerprint, _us(now)),
        )
        return ClaimStarted()
    stored_fingerprint, _, status, body, media_type, headers = row
    return claim_of(stored_fingerprint, fingerprint, status, body, media_type, headers)
