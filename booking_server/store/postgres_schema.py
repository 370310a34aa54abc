"""The PostgreSQL schema: the SQLite tables in PostgreSQL types, plus what several processes need.

No double booking is the database's own rule here: an exclusion constraint (btree_gist) refuses
two overlapping active bookings of one master, whichever process writes them. The event `seq` comes
from a single counter row (`meta.seq`) incremented in the writing transaction, so its row lock
orders commits by seq (see postgres.py).

A shipped step is never edited; a change to the tables is a new step at the end of STEPS (see
migrations.py), with its SQLite twin in schema.py.
"""

from booking_core.models import ACTIVE_STATUSES
from booking_server.store.catalog_schema import POSTGRES_STEP
from booking_server.store.migrations import Step, latest, step

# Serializes schema set-up when several processes start on one fresh database at once.
SCHEMA_LOCK = 0x626F6F6B  # "book"

_ACTIVE = ", ".join(f"'{status.value}'" for status in sorted(ACTIVE_STATUSES))

# Version 1: the tables as the first release created them.
_V1 = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
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
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS tokens_by_revocation ON tokens (revoked_at)
    WHERE revoked_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS bookings (
    id TEXT PRIMARY KEY,
    master_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    status TEXT NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    data TEXT NOT NULL,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        master_id WITH =,
        tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (status IN ({_ACTIVE}))
);
CREATE INDEX IF NOT EXISTS bookings_by_master ON bookings (master_id, starts_at);
CREATE INDEX IF NOT EXISTS bookings_by_customer ON bookings (customer_id);
CREATE INDEX IF NOT EXISTS bookings_by_start ON bookings (status, starts_at);
CREATE INDEX IF NOT EXISTS bookings_by_end ON bookings (status, ends_at);
CREATE TABLE IF NOT EXISTS events (
    seq BIGINT PRIMARY KEY,
    booking_id TEXT NOT NULL,
    master_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    booking TEXT NOT NULL,
    changes TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (created_at);
CREATE INDEX IF NOT EXISTS events_by_master ON events (master_id, seq);
CREATE INDEX IF NOT EXISTS events_by_customer ON events (customer_id, seq);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
-- database_id tells this database's events from another's on a shared Redis.
INSERT INTO meta (key, value) VALUES ('seq', 0), ('pruned_through', 0),
    ('database_id', floor(random() * 9e15)::bigint)
    ON CONFLICT (key) DO NOTHING;
CREATE TABLE IF NOT EXISTS idempotency_keys (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    status INTEGER,
    body BYTEA,
    media_type TEXT,
    headers TEXT,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_by_time ON idempotency_keys (created_at);
"""

# Version 2: an account can be disabled (`booking-server user disable`): it cannot sign in.
_V2 = """
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;
"""

STEPS: tuple[Step, ...] = (
    step(1, "the first release's tables", _V1),
    step(2, "users.disabled_at", _V2),
    step(
        3,
        "availability: services, schedules, time off, contacts; bookings.service_id",
        POSTGRES_STEP,
    ),
)

SCHEMA_VERSION = latest(STEPS)
