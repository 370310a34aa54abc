"""Chaos, small: headless app clients (the real sync engine, net layer and local store) make
random changes while their connections are cut, frozen, delayed, refused and stalled at random
and clients and servers are killed with SIGKILL; once quiet, every confirmed change is on the
server exactly once, nothing refused happened, no master is double-booked, seqs have no gaps and
every client's state, rows and stored cache equal the server's (tests/support/chaos.py).

On SQLite and on PostgreSQL + Redis with two server processes (the latter skipped locally without
the services, failing in CI). The seed is random and printed; set BOOKING_CHAOS_SEED to replay
one (the faults' timing still varies: real processes). The large run is `make chaos`.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from tests.support.chaos import FAULTS, ChaosSettings, run_chaos

SMALL = ChaosSettings(clients=6, intents=200, kills=6, server_kill_share=1 / 3)


def _seed() -> int | None:
    seed = os.environ.get("BOOKING_CHAOS_SEED")
    return int(seed) if seed else None


def _run(settings: ChaosSettings, folder: Path) -> None:
    report = asyncio.run(run_chaos(settings, folder))
    lines = report.lines()
    print("\n".join(lines))
    assert report.ok, "\n".join(lines)
    # The chaos happened: every kill, faults of every kind, changes confirmed and refused.
    assert report.kills == {"client": 4, "server": 2}
    assert set(report.faults) == set(FAULTS), report.faults
    assert report.intents == settings.intents
    assert report.acknowledged > 0
    assert report.rollbacks.total() > 0


def test_chaos_converges_on_sqlite(tmp_path: Path) -> None:
    _run(ChaosSettings(**{**SMALL.__dict__, "seed": _seed()}), tmp_path)


@pytest.mark.postgres
@pytest.mark.redis
def test_chaos_converges_on_postgres_and_redis_with_two_processes(tmp_path: Path) -> None:
    _run(ChaosSettings(**{**SMALL.__dict__, "backend": "postgres", "seed": _seed()}), tmp_path)
