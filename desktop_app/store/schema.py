"""The store's SQLite schema; `PRAGMA user_version` holds its version.

An outbox row keeps the engine's whole `OutboxEntry.to_json()` in `data`; `key` (the
Idempotency-Key), `booking_id` and `made_at` are copies for people reading the file.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

_TABLES = """
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


def create_schema(db: sqlite3.Connection, server_url: str, user_id: str) -> None:
    """Create every table of a fresh file, in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in _TABLES.split(";"):
            if statement.strip():
                db.execute(statement)
        db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("server_url", server_url), ("user_id", user_id)],
        )
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
