"""Real booking servers for the benchmarks: a subprocess on loopback with a seeded SQLite file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from bench.data import SeedUser, seed
from tests.support.live_server import LiveServer


def seeded_server(
    folder: Path,
    users: Sequence[SeedUser],
    customers: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> LiveServer:
    """Start a demo server (schema, demo users), then seed `users` into its database.

    The server keeps no bookings in memory (it reads SQLite per request) and SQLite in WAL mode
    takes another writer between its transactions, so seeding the running server is safe.
    """
    server = LiveServer(folder, env=env)
    server.start()
    seed(server.database_path, users, customers)
    return server
