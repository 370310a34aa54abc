"""`booking-server backup PATH` and `restore PATH` for the SQLite store.

A backup is SQLite's online backup API copying the whole database in one step: one read snapshot,
so it is consistent (every transaction committed before it began, none after, none half) while the
server goes on writing (WAL: readers never block writers). It is written to a temporary file
beside PATH, checked (`PRAGMA integrity_check`), made a single self-contained file (rollback
journal mode), flushed to disk and only then renamed to PATH, readable by its owner only.

A restore checks the backup the same way and refuses while anything has the database open (a
running server): SQLite cannot switch a database out of WAL mode while another connection uses
it, so that switch is the check. The current file is kept beside it
(`NAME.before-restore-STAMP`), then the backup is copied in. An older backup is upgraded by the
next start (migrations.py); a backup from a newer server is refused.

PostgreSQL is backed up with its own tools (`pg_dump`; docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from booking_server.errors import ConfigurationError
from booking_server.store.factory import is_postgres, sqlite_path
from booking_server.store.schema import SCHEMA_VERSION

_BUSY_MS = 10_000
_POSTGRES_HINT = (
    "a PostgreSQL database is backed up with pg_dump and restored with pg_restore"
    " (docs/deployment.md, Backups)"
)


@dataclass(frozen=True, slots=True)
class Copied:
    path: Path
    schema_version: int
    bookings: int
    last_seq: int
    kept: Path | None = None  # restore: where the replaced database file was kept


def _sqlite_file(database_url: str) -> Path:
    if is_postgres(database_url):
        raise ConfigurationError(_POSTGRES_HINT)
    return sqlite_path(database_url)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
    return db


def _checked(db: sqlite3.Connection, what: str) -> tuple[int, int, int]:
    """(schema version, bookings, last seq) of a sound database from this server or an older."""
    try:
        verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise ConfigurationError(f"{what} is damaged: {verdict}")
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise ConfigurationError(
                f"{what} was written by a newer server (schema {version} > {SCHEMA_VERSION})"
            )
        if version < 1:
            raise ConfigurationError(f"{what} is not a booking-server database")
        bookings = int(db.execute("SELECT COUNT(*) FROM bookings").fetchone()[0])
        last_seq = int(db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise ConfigurationError(f"{what} is not a readable SQLite database: {error}") from error
    return version, bookings, last_seq


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(source: sqlite3.Connection, target: Path, what: str) -> tuple[int, int, int]:
    """Copy `source` (one snapshot) into a new file at `target`, atomically; returns its facts."""
    temporary = target.with_name(f".{target.name}.partial")
    temporary.unlink(missing_ok=True)
    # Owner-only from its first byte: a backup holds every booking and password hash.
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        with contextlib.closing(sqlite3.connect(temporary, isolation_level=None)) as copy:
            source.backup(copy)  # pages=-1: the whole database in one step, one read snapshot
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            facts = _checked(copy, what)
        _fsync(temporary)
        os.replace(temporary, target)
        with contextlib.suppress(OSError):  # the rename itself, on file systems that allow it
            _fsync(target.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return facts


def backup(database_url: str, target: Path) -> Copied:
    source_path = _sqlite_file(database_url)
    if not source_path.is_file():
        raise ConfigurationError(f"no database at {source_path}")
    if target.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = target / f"booking-server-{stamp}.sqlite3"
    if target.exists():
        raise ConfigurationError(f"{target} exists already; choose a new name")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.closing(_connect(source_path)) as source:
            version, bookings, last_seq = _copy(source, target, f"the backup {target}")
    except sqlite3.Error as error:
        raise ConfigurationError(f"cannot back up {source_path}: {error}") from error
    return Copied(target, version, bookings, last_seq)


def restore(database_url: str, source: Path) -> Copied:
    database = _sqlite_file(database_url)
    if not source.is_file():
        raise ConfigurationError(f"no backup at {source}")
    try:
        with contextlib.closing(_connect(source)) as backup_db:
            _checked(backup_db, f"the backup {source}")
            kept = _set_aside(database)
            database.parent.mkdir(parents=True, exist_ok=True)
            version, bookings, last_seq = _copy(backup_db, database, f"the restored {database}")
    except sqlite3.Error as error:
        raise ConfigurationError(f"cannot restore {source}: {error}") from error
    return Copied(database, version, bookings, last_seq, kept)


def _set_aside(database: Path) -> Path | None:
    """Keep the current database beside it, after making sure nothing has it open."""
    if not database.exists():
        return None
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as db:
        db.execute("PRAGMA busy_timeout = 0")
        try:
            mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError as error:
            mode = str(error)
        if mode != "delete":
            raise ConfigurationError(
                f"{database} is in use (is the server running?): stop it, then restore"
            )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    kept = database.with_name(f"{database.name}.before-restore-{stamp}")
    os.replace(database, kept)
    return kept
