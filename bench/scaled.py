"""Figures 4 and 5 on PostgreSQL + Redis with two server processes (full run only).

A fresh PostgreSQL database per run (dropped afterwards) and a Redis channel prefix of its own;
process A (with the demo data) answers REST, process B holds the WebSockets (fan-out crosses
processes through Redis); the write clients are split over both. Users are added straight into
the database with the demo password's hash, as `bench.data.seed` does for SQLite.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import asyncpg

from bench.data import SeedUser
from tests.support.services import REDIS_URL, ScaledServer, database_url, fresh_database

ADMIN_URL = os.environ.get(
    "BOOKING_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ACTIVE = ("pending", "confirmed", "in_progress")


async def _seed_users(url: str, users: Sequence[SeedUser]) -> None:
    db = await asyncpg.connect(url)
    try:
        password_hash = await db.fetchval("SELECT password_hash FROM users WHERE username = 'anna'")
        await db.executemany(
            "INSERT INTO users (id, username, role, display_name, password_hash)"
            " VALUES ($1, $2, $3, $4, $5)",
            [(u.id, u.username, u.role, u.username.title(), password_hash) for u in users],
        )
    finally:
        await db.close()


@contextmanager
def server_pair(
    folder: Path, users: Sequence[SeedUser]
) -> Iterator[tuple[ScaledServer, ScaledServer, str]]:
    """(A, B, database URL): two processes on one fresh database and one Redis prefix."""
    prefix = f"bench:{uuid.uuid4().hex}:"
    with fresh_database() as url:
        first = ScaledServer(folder / "a", url, redis_url=REDIS_URL, redis_prefix=prefix)
        first.start()
        try:
            asyncio.run(_seed_users(url, users))
            second = ScaledServer(
                folder / "b", url, redis_url=REDIS_URL, redis_prefix=prefix, demo=False
            )
            second.start()
            try:
                yield first, second, url
            finally:
                second.stop()
        finally:
            first.stop()


async def _overlaps(url: str) -> tuple[int, int]:
    db = await asyncpg.connect(url)
    try:
        rows = await db.fetch(
            "SELECT master_id, starts_at, ends_at FROM bookings WHERE status = ANY($1::text[])"
            " ORDER BY master_id, starts_at",
            list(ACTIVE),
        )
    finally:
        await db.close()
    overlaps = sum(
        1
        for a, b in itertools.pairwise(rows)
        if a["master_id"] == b["master_id"] and b["starts_at"] < a["ends_at"]
    )
    return overlaps, len(rows)


def double_bookings(url: str) -> tuple[int, int]:
    return asyncio.run(_overlaps(url))


__all__ = ["ADMIN_URL", "database_url", "double_bookings", "server_pair"]
