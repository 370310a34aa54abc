"""The availability tables (services, schedules, time off, contacts) and the bookings' new columns
(service_id, price_minor, currency), for SQLite and PostgreSQL: one schema step each. The index
`bookings_busy` covers the free-slot read of a master's bookings in a window (no table lookups).

Scripts of `;`-separated statements with no `;` inside a statement: step 3 of the versioned
migrations (`schema.STEPS`, `postgres_schema.STEPS`). A shipped step is never edited.
"""

from __future__ import annotations

SQLITE_STEP = """
CREATE TABLE IF NOT EXISTS services (
    id TEXT PRIMARY KEY,
    master_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL,
    buffer_after_minutes INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS services_by_master ON services (master_id, position);
CREATE TABLE IF NOT EXISTS schedules (
    master_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS time_off (
    id TEXT PRIMARY KEY,
    master_id TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS time_off_by_master ON time_off (master_id, ends_at);
CREATE TABLE IF NOT EXISTS contacts (
    user_id TEXT PRIMARY KEY,
    phone TEXT,
    email TEXT
);
ALTER TABLE bookings ADD COLUMN service_id TEXT;
ALTER TABLE bookings ADD COLUMN price_minor INTEGER;
ALTER TABLE bookings ADD COLUMN currency TEXT;
CREATE INDEX IF NOT EXISTS bookings_busy
    ON bookings (master_id, starts_at, ends_at, status, service_id)
"""

POSTGRES_STEP = """
CREATE TABLE IF NOT EXISTS services (
    id TEXT PRIMARY KEY,
    master_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    active BOOLEAN NOT NULL,
    buffer_after_minutes INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS services_by_master ON services (master_id, position);
CREATE TABLE IF NOT EXISTS schedules (
    master_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS time_off (
    id TEXT PRIMARY KEY,
    master_id TEXT NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS time_off_by_master ON time_off (master_id, ends_at);
CREATE TABLE IF NOT EXISTS contacts (
    user_id TEXT PRIMARY KEY,
    phone TEXT,
    email TEXT
);
ALTER TABLE bookings ADD COLUMN IF NOT EXISTS service_id TEXT;
ALTER TABLE bookings ADD COLUMN IF NOT EXISTS price_minor BIGINT;
ALTER TABLE bookings ADD COLUMN IF NOT EXISTS currency TEXT;
CREATE INDEX IF NOT EXISTS bookings_busy
    ON bookings (master_id, starts_at) INCLUDE (ends_at, status, service_id)
"""
