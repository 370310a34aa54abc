"""One SQLite file per (server URL, user): the outbox in order and the cached confirmed state
(the bookings and, for a master, the catalog).

Every write is one transaction (all or nothing). A file that cannot be read as ours (corrupt,
truncated, from a newer app, or for another server/user) is moved aside with a log line and a
fresh store takes its place: the app never crashes on it and the old file stays for recovery. A
file from an older app is upgraded in place (schema.py's steps), its cache and outbox kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
import pydantic
from pydantic import TypeAdapter

from booking_core import Booking
from booking_core.history import HistoryList
from desktop_app.private import create_private, make_private
from desktop_app.store.errors import StoreError
from desktop_app.store.schema import STEPS, create_schema, upgrade_schema
from desktop_app.sync.catalog import CatalogView
from desktop_app.sync.catalog_outbox import CatalogEntry, is_catalog_json
from desktop_app.sync.outbox import OutboxEntry, OutboxFormatError

log = logging.getLogger(__name__)

APP_NAME = "reservations-desktop"
_bookings = TypeAdapter(list[Booking])
# Cached bookings are read and validated this many at a time: all 100k rows' JSON at once (and
# pydantic's parse tree of it) would cost ~150 MB more peak memory at start for no speed.
READ_CHUNK = 4096


@dataclass(frozen=True)
class CachedState:
    """The last confirmed server state: every booking the user may see, and the sync cursor."""

    bookings: list[Booking]
    cursor: int
    saved_at: datetime


class _UnreadableError(Exception):
    """The file is not a store we can trust; the caller moves it aside."""


class _ForeignFileError(_UnreadableError):
    """The file belongs to another server or user: never read anything from it."""


def default_folder() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "stores"


def normalize_url(server_url: str) -> str:
    return server_url.strip().rstrip("/").lower()


def file_name(server_url: str, user_id: str) -> str:
    digest = hashlib.sha256(f"{normalize_url(server_url)}\n{user_id}".encode()).hexdigest()
    return f"store-{digest[:24]}.sqlite3"


class LocalStore:
    """Open with `LocalStore.open(folder, server_url, user_id)`; safe to call from one thread at
    a time (a lock serialises calls, so `asyncio.to_thread` may be used for large caches)."""

    #: The schema's steps (desktop_app/store/schema.py): an older file is upgraded in place.
    steps: Sequence[str] = STEPS

    def __init__(self, path: Path, server_url: str, user_id: str) -> None:
        self.path = path
        self.server_url = normalize_url(server_url)
        self.user_id = user_id
        #: Where an unreadable file was moved this session (None if none was): tell the user.
        self.moved_aside: Path | None = None
        #: Whether opening ran SQLite's quick_check (not for a file closed cleanly and unchanged).
        self.integrity_checked = False
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        # The cached bookings as this store last wrote or read them (None: not known), so
        # `write_cache` writes only what changed since.
        self._on_disk: dict[str, Booking] | None = None

    @classmethod
    def open(cls, folder: Path, server_url: str, user_id: str) -> LocalStore:
        make_private(folder)  # bookings, names and notes: the user's alone
        store = cls(folder / file_name(server_url, user_id), server_url, user_id)
        store._open()
        return store

    # --- outbox -----------------------------------------------------------------------------------

    def load_outbox(self) -> list[OutboxEntry]:
        """The queued booking mutations, oldest first."""
        try:
            rows = self._read("SELECT data FROM outbox WHERE kind = 'booking' ORDER BY seq")
            return [_entry_of(row[0]) for row in rows]
        except (ValueError, _UnreadableError) as exc:
            self._recover(f"an outbox entry is unreadable: {exc}")
            return self.load_outbox()  # what was salvaged into the fresh file

    def save_outbox(self, entries: Iterable[OutboxEntry]) -> None:
        """Replace the booking mutations of the outbox with `entries`, in this order, in one
        transaction (the catalog's stay)."""
        rows = [
            (e.key, e.booking_id, e.made_at.isoformat(), _json_of(e.to_json())) for e in entries
        ]
        self._replace_outbox("booking", rows)

    def load_catalog_outbox(self) -> list[CatalogEntry]:
        """The queued catalog changes, oldest first."""
        try:
            rows = self._read("SELECT data FROM outbox WHERE kind = 'catalog' ORDER BY seq")
            return [_catalog_entry_of(row[0]) for row in rows]
        except (ValueError, _UnreadableError) as exc:
            self._recover(f"an outbox entry is unreadable: {exc}")
            return self.load_catalog_outbox()

    def save_catalog_outbox(self, entries: Iterable[CatalogEntry]) -> None:
        """Replace the catalog changes of the outbox with `entries`, in one transaction."""
        rows = [(e.key, e.target, e.made_at.isoformat(), _json_of(e.to_json())) for e in entries]
        self._replace_outbox("catalog", rows)

    def _replace_outbox(self, kind: str, rows: list[tuple[str, str, str, str]]) -> None:
        with self._write() as db:
            db.execute("DELETE FROM outbox WHERE kind = ?", (kind,))
            db.executemany(
                "INSERT INTO outbox (key, booking_id, made_at, data, kind) VALUES (?, ?, ?, ?, ?)",
                [(*row, kind) for row in rows],
            )

    # --- cached state -----------------------------------------------------------------------------

    def load_cache(self) -> CachedState | None:
        """The last saved server state, or None if none was saved (or it was unreadable)."""
        try:
            meta = self._read("SELECT cursor, saved_at FROM cache_meta WHERE id = 1")
            if not meta:
                return None
            bookings: list[Booking] = []
            # One validate_json of many rows is ~3x faster than one call per row.
            chunks = self._read_chunks("SELECT data FROM bookings", READ_CHUNK)
            with contextlib.closing(chunks):  # a failure below still frees the lock at once
                for rows in chunks:
                    text = "[" + ",".join(row[0] for row in rows) + "]"
                    bookings += _bookings.validate_json(text)
            cached = CachedState(bookings, int(meta[0][0]), datetime.fromisoformat(meta[0][1]))
            self._on_disk = {booking.id: booking for booking in bookings}
            return cached
        except (ValueError, pydantic.ValidationError) as exc:
            log.error("the cached bookings are unreadable (%s): dropped the cache", exc)
            self.clear_cache()
            return None
        except _UnreadableError as exc:
            self._recover(f"the cached bookings are unreadable: {exc}")
            return None

    def save_cache(
        self, bookings: Iterable[Booking], cursor: int, saved_at: datetime | None = None
    ) -> None:
        """Replace the cached state with `bookings` at `cursor`, in one transaction."""
        self._on_disk = None
        # Each row's JSON is made as SQLite takes it, not all first (100k: ~45 MB less at peak).
        rows = ((b.id, b.version, b.model_dump_json()) for b in bookings)
        with self._write() as db:
            db.execute("DELETE FROM bookings")
            db.executemany("INSERT INTO bookings (id, version, data) VALUES (?, ?, ?)", rows)
            self._save_cursor(db, cursor, saved_at)

    def write_cache(
        self, bookings: Mapping[str, Booking], cursor: int, saved_at: datetime | None = None
    ) -> int:
        """Make the cached state `bookings` (by id) at `cursor`, in one transaction, writing only
        the bookings that changed (by identity) or went since this store last wrote or read the
        cache: all of them the first time. Returns how many rows were written or deleted.

        A live event then costs a row, not a rewrite of every booking (100k: ~0.6 s of the UI
        thread after each burst of events); finding the changes is one pass (~10 ms at 100k).
        """
        known = self._on_disk
        if known is None:
            self.save_cache(bookings.values(), cursor, saved_at)
            self._on_disk = dict(bookings)
            return len(bookings)
        changed = [b for booking_id, b in bookings.items() if known.get(booking_id) is not b]
        gone = [booking_id for booking_id in known if booking_id not in bookings]
        rows = ((b.id, b.version, b.model_dump_json()) for b in changed)
        self._on_disk = None  # unknown until the transaction commits
        with self._write() as db:
            db.executemany("DELETE FROM bookings WHERE id = ?", ((i,) for i in gone))
            db.executemany(
                "INSERT OR REPLACE INTO bookings (id, version, data) VALUES (?, ?, ?)", rows
            )
            self._save_cursor(db, cursor, saved_at)
        for booking_id in gone:
            del known[booking_id]
        known.update((b.id, b) for b in changed)
        self._on_disk = known
        return len(changed) + len(gone)

    def update_cache(
        self, changed: Iterable[Booking], cursor: int, saved_at: datetime | None = None
    ) -> None:
        """Upsert `changed` (a delta) and move the cursor, in one transaction."""
        self._on_disk = None
        rows = [(b.id, b.version, b.model_dump_json()) for b in changed]
        with self._write() as db:
            db.executemany(
                "INSERT OR REPLACE INTO bookings (id, version, data) VALUES (?, ?, ?)", rows
            )
            self._save_cursor(db, cursor, saved_at)

    def clear_cache(self) -> None:
        """Forget the cached state (the next start does a full load); the outbox stays."""
        self._on_disk = None
        with self._write() as db:
            db.execute("DELETE FROM bookings")
            db.execute("DELETE FROM cache_meta")

    # --- the catalog (a master's services, hours, time off) -----------------------------------

    def save_catalog(self, catalog: CatalogView, saved_at: datetime | None = None) -> None:
        """Keep the confirmed catalog (replacing the one kept before)."""
        when = (saved_at or datetime.now(UTC)).isoformat()
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO catalog (id, master_id, data, saved_at) "
                "VALUES (1, ?, ?, ?)",
                (catalog.master_id, _json_of(catalog.to_json()), when),
            )

    def load_catalog(self) -> CatalogView | None:
        """The confirmed catalog last kept (loaded, nothing pending), or None (none kept, or
        unreadable: then it is dropped and the next fetch brings it again)."""
        try:
            rows = self._read("SELECT data FROM catalog WHERE id = 1")
        except _UnreadableError as exc:
            self._recover(f"the cached catalog is unreadable: {exc}")
            return None
        if not rows:
            return None
        try:
            return CatalogView.from_json(json.loads(str(rows[0][0])))
        except ValueError as exc:  # also bad JSON and pydantic's ValidationError
            log.error("the cached catalog is unreadable (%s): dropped it", exc)
            with self._write() as db:
                db.execute("DELETE FROM catalog")
            return None

    # --- booking histories ---------------------------------------------------------------------

    def save_history(self, booking_id: str, history: HistoryList) -> None:
        """Keep the history last fetched for a booking (replacing the one kept before)."""
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO history (booking_id, data) VALUES (?, ?)",
                (booking_id, history.model_dump_json()),
            )

    def load_history(self, booking_id: str) -> HistoryList | None:
        """The history last fetched for a booking, or None (none kept, or unreadable)."""
        with self._lock:
            try:
                row = (
                    self._connection()
                    .execute("SELECT data FROM history WHERE booking_id = ?", (booking_id,))
                    .fetchone()
                )
            except sqlite3.Error as exc:
                log.error("cannot read the kept history of %s: %s", booking_id, exc)
                return None
        if row is None:
            return None
        try:
            return HistoryList.model_validate_json(row[0])
        except pydantic.ValidationError as exc:
            log.error("the kept history of %s is unreadable (%s): ignored", booking_id, exc)
            return None

    # --- life cycle -------------------------------------------------------------------------------

    def delete(self) -> None:
        """Forget this user's outbox and cache (sign-out): close and remove the file."""
        self.close()
        for path in _files_of(self.path):
            path.unlink(missing_ok=True)
        log.info("deleted the local store %s", self.path)

    def close(self) -> None:
        self._on_disk = None
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
                _mark_closed(self.path)

    # --- internals --------------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self._db = self._connect_checked()
        except _UnreadableError as exc:
            self._replace_unreadable(str(exc), salvage=not isinstance(exc, _ForeignFileError))

    def _replace_unreadable(self, why: str, salvage: bool) -> None:
        kept, kept_catalog = self._salvage_outbox() if salvage else ([], [])
        self._move_aside(why, kept=len(kept) + len(kept_catalog))
        self._db = self._connect_checked()
        if kept:
            self.save_outbox(kept)
        if kept_catalog:
            self.save_catalog_outbox(kept_catalog)

    def _salvage_outbox(self) -> tuple[list[OutboxEntry], list[CatalogEntry]]:
        """Whatever outbox rows a damaged file still yields: losing changes the user made is
        worse than replaying a few (their idempotency keys make a replay harmless)."""
        try:
            with contextlib.closing(sqlite3.connect(self.path)) as db:
                rows = db.execute("SELECT data FROM outbox ORDER BY seq").fetchall()
        except Exception:
            return [], []
        kept: list[OutboxEntry] = []
        kept_catalog: list[CatalogEntry] = []
        for row in rows:
            try:
                if _is_catalog_row(row[0]):
                    kept_catalog.append(_catalog_entry_of(row[0]))
                else:
                    kept.append(_entry_of(row[0]))
            except ValueError as exc:
                log.error("an outbox entry could not be read and is dropped: %.300r (%s)", row, exc)
        return kept, kept_catalog

    def _connect_checked(self) -> sqlite3.Connection:
        try:
            # 0600 before SQLite opens it; its journal and WAL files take the same mode.
            create_private(self.path)
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the local store {self.path}: {exc}") from exc
        try:
            self._check(db)
        except BaseException:
            db.close()
            raise
        return db

    def _check(self, db: sqlite3.Connection) -> None:
        closed_cleanly = _was_closed_cleanly(self.path)
        try:
            db.execute("PRAGMA synchronous = FULL")
            # A file this app closed and nothing touched since was whole then: the check (a read
            # of the whole file, 35-90 ms at 100k bookings) is for every other start. Damage
            # found later by a read is handled the same way (moved aside, outbox salvaged).
            self.integrity_checked = not closed_cleanly
            if not closed_cleanly and db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise _UnreadableError("SQLite integrity check failed")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            newest = len(self.steps)
            if version == 0:
                create_schema(db, self.server_url, self.user_id, self.steps)
            elif version > newest:
                raise _UnreadableError(f"schema version {version}, this app reads {newest}")
            elif version < newest:
                upgrade_schema(db, self.steps)
                log.info(
                    "the local store %s was upgraded from schema %d to %d",
                    self.path,
                    version,
                    newest,
                )
            owner = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "readonly" in str(exc):
                raise StoreError(f"the local store {self.path} is not usable now: {exc}") from exc
            raise _UnreadableError(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise _UnreadableError(str(exc)) from exc
        if owner != {"server_url": self.server_url, "user_id": self.user_id}:
            raise _ForeignFileError(f"it belongs to another server or user: {owner}")

    def _move_aside(self, why: str, kept: int) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        for path in _files_of(self.path):
            if path.exists():
                path.rename(target.with_name(target.name + path.name[len(self.path.name) :]))
        self.moved_aside = target
        outcome = (
            f"{kept} outbox entries were recovered"
            if kept
            else "its outbox (changes not yet sent) could not be read and is not resumed"
        )
        log.error(
            "the local store %s could not be read (%s): moved it to %s and started a fresh one; %s",
            self.path,
            why,
            target,
            outcome,
        )

    def _recover(self, why: str) -> None:
        self.close()
        self._replace_unreadable(why, salvage=True)

    def _read(self, sql: str) -> list[Any]:
        with self._lock:
            db = self._connection()
            try:
                return db.execute(sql).fetchall()
            except sqlite3.OperationalError as exc:
                raise StoreError(f"cannot read the local store: {exc}") from exc
            except sqlite3.DatabaseError as exc:  # a malformed page: the file is damaged
                raise _UnreadableError(str(exc)) from exc

    def _read_chunks(self, sql: str, size: int) -> Generator[list[Any]]:
        """The rows of `sql`, `size` at a time; the lock is held until the last is taken."""
        with self._lock:
            db = self._connection()
            try:
                cursor = db.execute(sql)
                while rows := cursor.fetchmany(size):
                    yield rows
            except sqlite3.OperationalError as exc:
                raise StoreError(f"cannot read the local store: {exc}") from exc
            except sqlite3.DatabaseError as exc:  # a malformed page: the file is damaged
                raise _UnreadableError(str(exc)) from exc

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._connection()
            try:
                db.execute("BEGIN IMMEDIATE")
                yield db
                db.execute("COMMIT")
            except BaseException as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"cannot write the local store: {exc}") from exc
                raise

    def _save_cursor(self, db: sqlite3.Connection, cursor: int, saved_at: datetime | None) -> None:
        when = (saved_at or datetime.now(UTC)).isoformat()
        db.execute(
            "INSERT OR REPLACE INTO cache_meta (id, cursor, saved_at) VALUES (1, ?, ?)",
            (cursor, when),
        )

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreError("the local store is closed")
        return self._db


def _files_of(path: Path) -> list[Path]:
    suffixes = ("-journal", "-wal", "-shm", CLOSED_SUFFIX)
    return [path, *(path.with_name(path.name + suffix) for suffix in suffixes)]


# Written when the store closes: the file's size and modification time then.
CLOSED_SUFFIX = "-closed"


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns}"


def _mark_closed(path: Path) -> None:
    with contextlib.suppress(OSError):  # no marker: the next open checks the file, that is all
        path.with_name(path.name + CLOSED_SUFFIX).write_text(_stamp(path))


def _was_closed_cleanly(path: Path) -> bool:
    """True when this app closed the file last and it has not changed since (same size and
    modification time, no rollback journal left). The marker is used up: it is removed here, so
    a session that does not end in `close` leaves none."""
    marker = path.with_name(path.name + CLOSED_SUFFIX)
    try:
        stamp = marker.read_text()
        marker.unlink()
    except OSError:
        return False
    try:
        journal = path.with_name(path.name + "-journal").exists()
        return not journal and stamp == _stamp(path)
    except OSError:
        return False


def _json_of(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _is_catalog_row(data: object) -> bool:
    try:
        return is_catalog_json(json.loads(str(data)))
    except (json.JSONDecodeError, TypeError):
        return False


def _catalog_entry_of(data: object) -> CatalogEntry:
    """Raises ValueError (OutboxFormatError or bad JSON) for an unreadable entry."""
    try:
        return CatalogEntry.from_json(json.loads(str(data)))
    except (OutboxFormatError, json.JSONDecodeError, TypeError) as exc:
        raise ValueError(str(exc)) from exc


def _entry_of(data: object) -> OutboxEntry:
    """Raises ValueError (OutboxFormatError or bad JSON) for an unreadable entry."""
    try:
        return OutboxEntry.from_json(json.loads(str(data)))
    except (OutboxFormatError, json.JSONDecodeError, TypeError) as exc:
        raise ValueError(str(exc)) from exc
