"""Versioned, forward-only schema steps, and the runner both SQL stores open their database with.

Step N brings a database from schema version N-1 to N; a fresh database runs them all. A step that
has shipped is never edited: a change to the tables is a new step at the end of `schema.STEPS`
(SQLite) and `postgres_schema.STEPS` (PostgreSQL). Every pending step runs in one transaction
under the database's write lock (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: an advisory lock), so
processes starting together on one database upgrade it once, and a failed upgrade leaves it as it
was. SQLite keeps the version in `PRAGMA user_version`, PostgreSQL in `meta.schema_version`. A
database from a newer server (a higher version than the last step) is refused, never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import aiosqlite

from booking_server.errors import ConfigurationError

if TYPE_CHECKING:
    import asyncpg

    PgConnection: TypeAlias = (
        asyncpg.Connection[asyncpg.Record] | asyncpg.pool.PoolConnectionProxy[asyncpg.Record]
    )

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Step:
    version: int
    summary: str
    statements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Migration:
    """What opening a database did to its schema."""

    before: int
    after: int

    @property
    def changed(self) -> bool:
        return self.before != self.after


def step(version: int, summary: str, script: str) -> Step:
    """A step from an SQL script of `;`-separated statements (no `;` inside a statement)."""
    statements = tuple(part.strip() for part in script.split(";") if part.strip())
    return Step(version, summary, statements)


def latest(steps: Sequence[Step]) -> int:
    return steps[-1].version if steps else 0


def check_steps(steps: Sequence[Step]) -> None:
    """Steps are numbered 1, 2, 3, … in order (a programming error otherwise)."""
    for number, each in enumerate(steps, start=1):
        if each.version != number:
            raise AssertionError(f"schema step {each.version} is at position {number}")


def _pending(version: int, steps: Sequence[Step], where: str) -> Sequence[Step]:
    newest = latest(steps)
    if version > newest:
        raise ConfigurationError(
            f"{where} was written by a newer server (schema {version} > {newest})"
        )
    if version < 0:
        raise ConfigurationError(f"{where} has an unknown schema version {version}")
    return steps[version:]


def _announce(where: str, migration: Migration) -> None:
    if migration.changed:
        log.warning(
            "database schema upgraded",
            extra={"database": where, "from": migration.before, "to": migration.after},
        )


async def migrate_sqlite(
    db: aiosqlite.Connection, steps: Sequence[Step], where: str, *, target: int | None = None
) -> Migration:
    """Bring the database on `db` (autocommit mode) to the last step (or `target`, for tests)."""
    check_steps(steps)
    chosen = steps[:target] if target is not None else steps
    # The write lock first, then the version: a second process waits here and then finds the
    # database upgraded.
    await db.execute("BEGIN IMMEDIATE")
    try:
        version = await _int(db, "PRAGMA user_version")
        pending = _pending(version, chosen, where) if target is None else chosen[version:]
        for each in pending:
            for statement in each.statements:
                await db.execute(statement)
        after = latest(chosen) if pending else version
        if after != version:
            await db.execute(f"PRAGMA user_version = {int(after)}")
        await db.execute("COMMIT")
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    migration = Migration(version, after)
    _announce(where, migration)
    return migration


async def _int(db: aiosqlite.Connection, sql: str) -> int:
    cursor = await db.execute(sql)
    row = await cursor.fetchone()
    await cursor.close()
    assert row is not None
    value: Any = row[0]
    return int(value)


async def migrate_postgres(
    db: PgConnection, steps: Sequence[Step], lock: int, *, target: int | None = None
) -> Migration:
    """Bring the database to the last step (or `target`), one process at a time."""
    check_steps(steps)
    chosen = steps[:target] if target is not None else steps
    async with db.transaction():
        await db.execute("SELECT pg_advisory_xact_lock($1)", lock)
        version = 0
        if await db.fetchval("SELECT to_regclass('meta')") is not None:
            stored = await db.fetchval("SELECT value FROM meta WHERE key = 'schema_version'")
            version = int(stored or 0)
        where = "the database"
        pending = _pending(version, chosen, where) if target is None else chosen[version:]
        for each in pending:
            for statement in each.statements:
                await db.execute(statement)
        after = latest(chosen) if pending else version
        if after != version:
            await db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', $1)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                after,
            )
    migration = Migration(version, after)
    _announce("postgresql", migration)
    return migration
