"""Schema migrations on PostgreSQL: a database at the first release's schema (made by step 1
alone, as that release created it) with rows in every table is upgraded by the processes opening
it, once, under the advisory lock, with every row intact."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest

from booking_core.events import BookingUpdated
from booking_server.store.migrations import Migration, migrate_postgres, step
from booking_server.store.postgres import PostgresStore
from booking_server.store.postgres_schema import SCHEMA_LOCK, SCHEMA_VERSION, STEPS

pytestmark = pytest.mark.asyncio
NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
TABLES = ("users", "tokens", "bookings", "events", "meta", "idempotency_keys")


async def _ignore(events: list[BookingUpdated]) -> None:
    return None


async def _make_v1(url: str) -> dict[str, list[Any]]:
    """A database at schema 1 with a row in every table; returns its rows."""
    db = await asyncpg.connect(url)
    try:
        assert await migrate_postgres(db, STEPS, SCHEMA_LOCK, target=1) == Migration(0, 1)
        await db.execute(
            "INSERT INTO users VALUES ('u1', 'anna', 'master', 'Anna', 'scrypt$x'),"
            " ('u2', 'carl', 'customer', 'Carl', 'scrypt$y')"
        )
        await db.execute("INSERT INTO tokens VALUES ('t1', 'u1', $1, NULL)", NOW)
        await db.execute(
            "INSERT INTO bookings VALUES ('b1', 'u1', 'u2', 'pending', $1, $2, '{}')",
            NOW,
            NOW.replace(hour=10),
        )
        await db.execute(
            "INSERT INTO events VALUES (1, 'b1', 'u1', 'u2', 'create', 'u2', '{}', '{}', $1)", NOW
        )
        await db.execute("UPDATE meta SET value = 1 WHERE key = 'seq'")
        await db.execute(
            "INSERT INTO idempotency_keys VALUES ('u2', 'k1', 'f', $1, 201, 'x', 'a/b', '{}')", NOW
        )
        return await _rows(db)
    finally:
        await db.close()


async def _rows(db: asyncpg.Connection[asyncpg.Record]) -> dict[str, list[Any]]:
    """Every v1 column of every table (the step-1 columns only), sorted."""
    v1 = {
        "users": "id, username, role, display_name, password_hash",
        "tokens": "token_hash, user_id, expires_at, revoked_at",
        "bookings": "id, master_id, customer_id, status, starts_at, ends_at, data",
        "events": "seq, booking_id, master_id, customer_id, action, actor, booking, changes,"
        " created_at",
        "meta": "key, value",
        "idempotency_keys": "user_id, key, fingerprint, created_at, status, body, media_type,"
        " headers",
    }
    rows: dict[str, list[Any]] = {}
    for table in TABLES:
        found = await db.fetch(f"SELECT {v1[table]} FROM {table}")
        rows[table] = sorted((tuple(row) for row in found), key=repr)
    rows["meta"] = [row for row in rows["meta"] if row[0] != "schema_version"]
    return rows


async def test_processes_opening_a_v1_database_upgrade_it_once_with_rows_intact(
    postgres_url: str,
) -> None:
    before = await _make_v1(postgres_url)
    stores = [PostgresStore(postgres_url, _ignore, pool_size=1) for _ in range(4)]
    try:
        await asyncio.gather(*(store.open() for store in stores))
        migrations = sorted((s.migration for s in stores), key=lambda m: m.before)
        assert (
            migrations
            == [Migration(1, SCHEMA_VERSION)] + [Migration(SCHEMA_VERSION, SCHEMA_VERSION)] * 3
        )
        user = await stores[0].user_by_name("anna")
        assert user is not None
        assert user.display_name == "Anna"
        assert await stores[1].cursor() == 1
    finally:
        for store in stores:
            await store.close()
    db = await asyncpg.connect(postgres_url)
    try:
        assert await _rows(db) == before
        version = await db.fetchval("SELECT value FROM meta WHERE key = 'schema_version'")
        assert version == SCHEMA_VERSION
        assert await db.fetchval("SELECT COUNT(*) FROM users WHERE disabled_at IS NULL") == 2
    finally:
        await db.close()


async def test_a_failing_step_leaves_the_database_as_it_was(postgres_url: str) -> None:
    before = await _make_v1(postgres_url)
    broken = (
        *STEPS,
        step(len(STEPS) + 1, "fails", "ALTER TABLE bookings ADD COLUMN x INT; SELECT 1/0"),
    )
    db = await asyncpg.connect(postgres_url)
    try:
        with pytest.raises(asyncpg.DivisionByZeroError):
            await migrate_postgres(db, broken, SCHEMA_LOCK)
        assert await db.fetchval("SELECT value FROM meta WHERE key = 'schema_version'") == 1
        columns = await db.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'"
        )
        assert "disabled_at" not in {row[0] for row in columns}
        assert await _rows(db) == before
    finally:
        await db.close()
