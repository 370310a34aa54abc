"""The store's SQLite schema, as forward-only steps; `PRAGMA user_version` holds its version.

STEPS[N-1] brings a file from version N-1 to N. A shipped step is never edited: a change to the
tables is a new step at the end, so a file written by an older app is upgraded in place (its cache
and outbox kept) instead of being moved aside. A file from a newer app is not read.

An outbox row keeps the engine's whole `OutboxEntry.to_json()` (or, `kind` 'catalog',
`CatalogEntry.to_json()`) in `data`; `key` (the Idempotency-Key), `booking_id` and `made_at` are
copies for people reading the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

# Version 1: the tables of the first release.
_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    booking_id TEXT NOT NULL,
    made_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE bookings (id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE cache_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    cursor INTEGER NOT NULL,
    saved_at TEXT NOT NULL
);
"""

# Version 2: the last history of a booking fetched from the server (its JSON, as
# `booking_core.history.HistoryList`), shown when the server cannot be reached.
_V2 = """
CREATE TABLE history (booking_id TEXT PRIMARY KEY, data TEXT NOT NULL);
"""

# Version 3 (issue 18): a master's catalog changes wait in the outbox beside the bookings' (`kind`
# tells them apart; `booking_id` holds the catalog object's id), and the last confirmed catalog
# (`desktop_app.sync.CatalogView.to_json()`) is kept for an offline start.
_V3 = """
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'booking';
CREATE TABLE catalog (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    master_id TEXT NOT NULL,
    data TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
"""

STEPS: tuple[str, ...] = (_V1, _V2, _V3)
SCHEMA_VERSION = len(STEPS)


def _run(db: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def create_schema(
    db: sqlite3.Connection, server_url: str, user_id: str, steps: Sequence[str] = STEPS
) -> None:
    """Create every table of a fresh file, in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for script in steps:
            _run(db, script)
        db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("server_url", server_url), ("user_id", user_id)],
        )
        db.execute(f"PRAGMA user_version = {len(steps)}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def upgrade_schema(db: sqlite3.Connection, steps: Sequence[str] = STEPS) -> int:
    """Run the steps a file written by an older app lacks, in one transaction (all or nothing);
    returns the version it had."""
    db.execute("BEGIN IMMEDIATE")
    try:
        version: int = db.execute("PRAGMA user_version").fetchone()[0]
        for script in steps[version:]:
            _run(db, script)
        db.execute(f"PRAGMA user_version = {max(version, len(steps))}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return version
