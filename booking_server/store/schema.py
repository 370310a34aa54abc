"""The SQLite schema, as forward-only steps (see migrations.py). Times are integer microseconds
since the epoch (UTC): numbers compare.

A shipped step is never edited; a change to the tables is a new step at the end of STEPS (and its
PostgreSQL twin in postgres_schema.py).
"""

from booking_server.store.catalog_schema import SQLITE_STEP
from booking_server.store.migrations import Step, latest, step

# Version 1: the tables as the first release created them.
_V1 = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    expires_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS bookings (
    id TEXT PRIMARY KEY,
    master_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    status TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS bookings_by_master ON bookings (master_id, starts_at);
CREATE INDEX IF NOT EXISTS bookings_by_customer ON bookings (customer_id);
CREATE INDEX IF NOT EXISTS bookings_by_start ON bookings (status, starts_at);
CREATE INDEX IF NOT EXISTS bookings_by_end ON bookings (status, ends_at);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id TEXT NOT NULL,
    master_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    booking TEXT NOT NULL,
    changes TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (created_at);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    status INTEGER,
    body BLOB,
    media_type TEXT,
    headers TEXT,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_by_time ON idempotency_keys (created_at);
"""

# Version 2: an account can be disabled (`booking-server user disable`): it cannot sign in.
_V2 = """
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
"""

STEPS: tuple[Step, ...] = (
    step(1, "the first release's tables", _V1),
    step(2, "users.disabled_at", _V2),
    step(
        3, "availability: services, schedules, time off, contacts; bookings.service_id", SQLITE_STEP
    ),
)

SCHEMA_VERSION = latest(STEPS)
