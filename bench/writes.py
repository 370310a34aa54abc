"""Figure 5: accepted mutations per second with 50 concurrent clients, then a double-booking audit.

Each client is its own customer (the rate limit is per user), books random 30/60-minute slots of
five shared masters (so clients contend for slots and the server must refuse overlaps) and
cancels some of its own bookings. Socket mode: each client also holds the live socket, as the app
does. Naive mode: each client polls its full list every 3 s instead. The audit reads the server's
SQLite file: no two active bookings of a master may overlap.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import sqlite3
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from bench.data import SeedUser, first_slot
from bench.naive import NaivePoller
from tests.support.live_server import LiveServer

MASTERS = [SeedUser(f"wm{i}", "master") for i in range(5)]
SLOTS = 2000  # 30-minute grid per master per run


def customers(count: int) -> list[SeedUser]:
    return [SeedUser(f"wc{i:03}", "customer") for i in range(count)]


@dataclass
class WriteTally:
    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def accepted(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    @property
    def attempted(self) -> int:
        return sum(self.statuses.values())


async def _writer(
    client: httpx.AsyncClient, day: datetime, until: float, tally: WriteTally, rng: random.Random
) -> None:
    mine: list[tuple[str, int]] = []
    while time.perf_counter() < until:
        if mine and rng.random() < 0.3:
            booking_id, version = mine.pop(rng.randrange(len(mine)))
            response = await client.post(
                f"/bookings/{booking_id}/transitions",
                json={"action": "cancel"},
                headers={"If-Match": f'"{version}"'},
            )
        else:
            starts_at = day + timedelta(minutes=30 * rng.randrange(SLOTS))
            response = await client.post(
                "/bookings",
                json={
                    "master_id": rng.choice(MASTERS).id,
                    "service": "Haircut",
                    "starts_at": starts_at.isoformat(),
                    "ends_at": (starts_at + timedelta(minutes=rng.choice((30, 60)))).isoformat(),
                },
            )
            if response.status_code == 201:
                body = response.json()
                mine.append((body["id"], body["version"]))
        tally.statuses[response.status_code] += 1


async def _drain(url: str) -> None:
    async with connect(url) as socket:
        async for _ in socket:
            pass


def sign_in(server: LiveServer, users: list[SeedUser]) -> list[str]:
    """One token per user (a sign-in hashes the password: done once, for both modes, and a few
    at a time, as the server hashes off its event loop)."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(server.login, [user.username for user in users]))


async def throughput(
    server: LiveServer,
    tokens: list[str],
    seconds: float,
    *,
    naive: bool,
    day_offset: int,
    also: LiveServer | None = None,
) -> WriteTally:
    """Accepted writes per second; with `also`, every other client talks to that process."""
    day = first_slot() + timedelta(days=day_offset)
    tally = WriteTally()
    homes = [server if also is None or i % 2 == 0 else also for i in range(len(tokens))]
    clients = [
        httpx.AsyncClient(
            base_url=home.api_url, headers=home.auth(token), trust_env=False, timeout=60
        )
        for home, token in zip(homes, tokens, strict=True)
    ]
    if naive:
        background = [
            # The clients' base URL is the API's (/api/v1).
            asyncio.ensure_future(NaivePoller(c, None, path="/bookings").run(random.random() * 3))
            for c in clients
        ]
    else:
        background = [
            asyncio.ensure_future(_drain(home.ws_url_for(t)))
            for home, t in zip(homes, tokens, strict=True)
        ]
    await asyncio.sleep(0.5)
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(
            _writer(client, day, until, tally, random.Random(index))
            for index, client in enumerate(clients)
        )
    )
    tally.seconds = time.perf_counter() - started
    for task in background:
        task.cancel()
    await asyncio.gather(*background, return_exceptions=True)
    for client in clients:
        await client.aclose()
    return tally


def double_bookings(database: Path) -> tuple[int, int]:
    """(overlapping pairs of active bookings of one master, active bookings audited)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT master_id, starts_at, ends_at FROM bookings"
            " WHERE status IN ('pending', 'confirmed', 'in_progress') ORDER BY master_id, starts_at"
        ).fetchall()
    overlaps = 0
    for (master, _, end), (next_master, next_start, _) in itertools.pairwise(rows):
        if master == next_master and next_start < end:
            overlaps += 1
    return overlaps, len(rows)
