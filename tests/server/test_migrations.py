"""Schema migrations on SQLite: a database file made by the first release (schema 1, committed in
fixtures/v1.sqlite3 by that release's code) is upgraded by `booking-server migrate` and by
`serve`, with every row intact; a second run changes nothing; two processes upgrading at once
upgrade once; a failing step leaves the file as it was; a newer file is refused untouched."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiosqlite
import httpx
import pytest

from booking_server.store.migrations import Step, migrate_sqlite, step
from booking_server.store.schema import SCHEMA_VERSION, STEPS
from tests.support.live_server import LiveServer

FIXTURE = Path(__file__).parent / "fixtures" / "v1.sqlite3"
V1_TABLES = ("users", "tokens", "bookings", "events", "meta", "idempotency_keys")
# What the fixture holds: the demo data, plus one booking carl made with an Idempotency-Key.
FIXTURE_BOOKING_NOTE = "v1 fixture"
FIXTURE_KEY = "fixture-key-1"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "server" / "bookings.sqlite3"
    target.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURE, target)
    return target


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every v1 column of every v1 table, sorted."""
    with sqlite3.connect(path) as db:
        tables: dict[str, list[tuple[Any, ...]]] = {}
        for table in V1_TABLES:
            v1_columns = _v1_columns(table)
            rows = db.execute(f"SELECT {', '.join(v1_columns)} FROM {table}").fetchall()
            tables[table] = sorted(rows, key=repr)
    return tables


def _v1_columns(table: str) -> list[str]:
    with sqlite3.connect(FIXTURE) as db:
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def _version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        value: int = db.execute("PRAGMA user_version").fetchone()[0]
    return value


def _migrate(path: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "booking_server", "migrate"]
    return subprocess.run(
        [*command, "--database-url", f"sqlite:///{path}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_fixture_is_the_first_release_schema() -> None:
    assert _version(FIXTURE) == 1
    assert SCHEMA_VERSION > 1, "no step after the fixture's: the upgrade test would test nothing"


def test_migrate_upgrades_a_v1_file_with_every_row_intact(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = _rows(path)
    assert all(before[table] for table in ("users", "tokens", "bookings", "events"))

    first = _migrate(path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"schema upgraded from version 1 to {SCHEMA_VERSION}"
    assert _version(path) == SCHEMA_VERSION
    assert _rows(path) == before
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM users WHERE disabled_at IS NULL").fetchone()[0] == 4

    again = _migrate(path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"schema version {SCHEMA_VERSION}: up to date"
    assert _rows(path) == before


def test_serve_upgrades_a_v1_file_and_serves_its_data(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = _rows(path)
    server = LiveServer(path.parent, demo=False).start()
    try:
        token = server.login("carl")
        listing = httpx.get(f"{server.api_url}/bookings", headers=server.auth(token)).json()
        bookings = listing["bookings"]
        mine = [b for b in bookings if b.get("note") == FIXTURE_BOOKING_NOTE]
        assert len(mine) == 1
        # The stored answer of the v1 Idempotency-Key is still replayed.
        replay = httpx.post(
            f"{server.api_url}/bookings",
            headers=server.auth(token, **{"Idempotency-Key": FIXTURE_KEY}),
            json={
                "master_id": mine[0]["master_id"],
                "service": "Fixture cut",
                "starts_at": "2031-03-04T10:00:00Z",
                "ends_at": "2031-03-04T11:00:00Z",
                "note": FIXTURE_BOOKING_NOTE,
            },
        )
        assert replay.status_code == 201, replay.text
        assert replay.json()["id"] == mine[0]["id"]
    finally:
        assert server.stop() == 0
    assert _version(path) == SCHEMA_VERSION
    after = _rows(path)
    # Signing in added a token; everything the v1 file held is still there, unchanged — except
    # what the running server's session clock did to bookings whose time has come since the
    # fixture was made (a later version by "system", each step also in the event log).
    columns = _v1_columns("bookings")
    by_id = {row[columns.index("id")]: row for row in after["bookings"]}
    for row in before["bookings"]:
        now = by_id[row[columns.index("id")]]
        if now != row:
            then, changed = (json.loads(r[columns.index("data")]) for r in (row, now))
            assert changed["updated_by"] == "system", changed
            assert changed["version"] > then["version"]
    for table, rows in before.items():
        if table != "bookings":
            assert set(rows) <= set(after[table]), table


def test_two_processes_upgrading_at_once_upgrade_once(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = _rows(path)
    command = [sys.executable, "-m", "booking_server", "migrate"]
    racers = [
        subprocess.Popen(
            [*command, "--database-url", f"sqlite:///{path}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [racer.communicate(timeout=60) for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0], outputs
    said = sorted(out.strip() for out, _ in outputs)
    assert said == [
        f"schema upgraded from version 1 to {SCHEMA_VERSION}",
        f"schema version {SCHEMA_VERSION}: up to date",
    ]
    assert _rows(path) == before


def test_a_failing_step_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = _rows(path)
    broken: tuple[Step, ...] = (
        *STEPS,
        step(
            len(STEPS) + 1,
            "fails half-way",
            "ALTER TABLE bookings ADD COLUMN added INTEGER; SELECT no_such_function()",
        ),
    )

    async def run() -> None:
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            await migrate_sqlite(db, broken, str(path))
        finally:
            await db.close()

    with pytest.raises(sqlite3.OperationalError, match="no_such_function"):
        asyncio.run(run())
    assert _version(path) == 1
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(users)")]
        assert "disabled_at" not in columns
        columns = [row[1] for row in db.execute("PRAGMA table_info(bookings)")]
        assert "added" not in columns
    assert _rows(path) == before


def test_a_file_from_a_newer_server_is_refused_untouched(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = _rows(path)
    result = _migrate(path)
    assert result.returncode == 2
    assert "newer server" in result.stderr
    assert _version(path) == SCHEMA_VERSION + 1
    assert _rows(path) == before


def test_a_fresh_file_gets_every_step(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    result = _migrate(path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"schema upgraded from version 0 to {SCHEMA_VERSION}"
    assert _version(path) == SCHEMA_VERSION
