"""`booking-server backup` / `restore` on SQLite, against a real server process: a backup taken
while 20 writers keep creating bookings holds every booking acknowledged before it started, and is
consistent (each booking with its events, nothing half); restored into a new place, a server
serves it. A restore refuses while a server has the database open; bad input is refused clearly."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from booking_server.store.schema import SCHEMA_VERSION
from tests.support.live_server import LiveServer

WRITERS = 20
WRITES_BEFORE_BACKUP = 3  # each writer's, acknowledged before the backup starts
BASE = datetime(2031, 1, 6, 8, 0, tzinfo=UTC)
WAIT = 120.0  # a bound for the test's own waits (failure path only)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "booking_server", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class Writers:
    """WRITERS threads creating bookings (carl with anna) until told to stop."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.token = server.login("carl")
        self.anna = server.login_response("anna")["user"]["id"]
        self.acknowledged: list[str] = []
        self.errors: list[str] = []
        self.counts = [0] * WRITERS
        self.changed = threading.Condition()
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._write, args=(n,), daemon=True) for n in range(WRITERS)
        ]

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(WAIT)

    def _write(self, writer: int) -> None:
        with httpx.Client(base_url=self.server.api_url, timeout=WAIT) as client:
            n = 0
            while not self.stop.is_set():
                starts = BASE + timedelta(hours=writer * 10_000 + n)
                response = client.post(
                    "/bookings",
                    headers=self.server.auth(self.token),
                    json={
                        "master_id": self.anna,
                        "service": f"writer {writer} #{n}",
                        "starts_at": starts.isoformat(),
                        "ends_at": (starts + timedelta(minutes=30)).isoformat(),
                    },
                )
                with self.changed:
                    if response.status_code == 201:
                        self.acknowledged.append(response.json()["id"])
                        self.counts[writer] += 1
                    else:
                        self.errors.append(f"{response.status_code} {response.text}")
                        self.stop.set()
                    self.changed.notify_all()
                n += 1

    def wait_for(self, writes_each: int) -> set[str]:
        """Block until every writer has that many acknowledged writes; what is acknowledged."""
        with self.changed:
            reached = self.changed.wait_for(
                lambda: self.stop.is_set() or min(self.counts) >= writes_each, WAIT
            )
            assert reached, f"writers stalled: {self.counts}"
            assert not self.errors, self.errors[:3]
            return set(self.acknowledged)


def _facts(path: Path) -> tuple[set[str], set[str], list[int]]:
    """(booking ids, booking ids with a create event, event seqs) of a database file."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        bookings = {row[0] for row in db.execute("SELECT id FROM bookings")}
        created = {
            row[0] for row in db.execute("SELECT booking_id FROM events WHERE action = 'create'")
        }
        seqs = [row[0] for row in db.execute("SELECT seq FROM events ORDER BY seq")]
    return bookings, created, seqs


def test_a_backup_during_20_writers_holds_every_acknowledged_change(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "server").start()
    backup_path = tmp_path / "backups" / "nightly.sqlite3"
    try:
        with Writers(server) as writers:
            before = writers.wait_for(WRITES_BEFORE_BACKUP)
            result = _cli("backup", str(backup_path), "--database-url", server.database_url)
            # The writers are still writing: the backup ran beside them.
            writers.wait_for(WRITES_BEFORE_BACKUP + 1)
        assert not writers.errors, writers.errors[:3]
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"backed up to {backup_path}: schema {SCHEMA_VERSION}")
    finally:
        assert server.stop() == 0

    assert backup_path.stat().st_mode & 0o777 == 0o600
    bookings, created, seqs = _facts(backup_path)
    assert before <= bookings
    # Consistent: every booking with its create event, no event without its booking, no gap.
    assert created == bookings
    assert seqs == list(range(1, len(seqs) + 1))
    with sqlite3.connect(backup_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"

    # Restored into a fresh place, a server serves the backup's bookings.
    restored = LiveServer(tmp_path / "restored", demo=False)
    result = _cli("restore", str(backup_path), "--database-url", restored.database_url)
    assert result.returncode == 0, result.stderr
    restored.start()
    try:
        token = restored.login("carl")
        listing = httpx.get(f"{restored.api_url}/bookings", headers=restored.auth(token)).json()
        served = {b["id"] for b in listing["bookings"]}
        assert before <= served <= bookings  # carl's own and the demo bookings he may see
        assert listing["cursor"] == seqs[-1]
    finally:
        assert restored.stop() == 0


def test_restore_keeps_the_replaced_file_and_refuses_while_the_server_runs(
    tmp_path: Path,
) -> None:
    server = LiveServer(tmp_path / "server").start()
    backup_path = tmp_path / "early.sqlite3"
    try:
        assert (
            _cli("backup", str(backup_path), "--database-url", server.database_url).returncode == 0
        )
        token = server.login("carl")
        anna = server.login_response("anna")["user"]["id"]
        late = httpx.post(
            f"{server.api_url}/bookings",
            headers=server.auth(token),
            json={
                "master_id": anna,
                "service": "after the backup",
                "starts_at": "2031-02-03T10:00:00Z",
                "ends_at": "2031-02-03T10:30:00Z",
            },
        ).json()["id"]

        refused = _cli("restore", str(backup_path), "--database-url", server.database_url)
        assert refused.returncode == 2
        assert "in use" in refused.stderr
    finally:
        assert server.stop() == 0
    assert late in _facts(server.database_path)[0]

    result = _cli("restore", str(backup_path), "--database-url", server.database_url)
    assert result.returncode == 0, result.stderr
    kept = next(server.folder.glob("bookings.sqlite3.before-restore-*"))
    assert late in _facts(kept)[0]
    assert late not in _facts(server.database_path)[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backup", "{tmp}/x.sqlite3", "--database-url", "postgresql://u@h/db"], "pg_dump"),
        (["backup", "{tmp}/x.sqlite3", "--database-url", "sqlite:///{tmp}/none"], "no database"),
        (["restore", "{tmp}/junk", "--database-url", "sqlite:///{tmp}/db"], "not a readable"),
        (["restore", "{tmp}/none", "--database-url", "sqlite:///{tmp}/db"], "no backup"),
    ],
)
def test_bad_input_is_refused_with_a_message(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "junk").write_bytes(b"not a database at all" * 100)
    result = _cli(*(arg.format(tmp=tmp_path) for arg in args))
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "db").exists()


def test_a_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "server").start()
    try:
        target = tmp_path / "taken.sqlite3"
        target.write_text("keep me")
        result = _cli("backup", str(target), "--database-url", server.database_url)
        assert result.returncode == 2
        assert "exists already" in result.stderr
        assert target.read_text() == "keep me"
        folder = _cli("backup", str(tmp_path), "--database-url", server.database_url)
        assert folder.returncode == 0, folder.stderr
        assert len(list(tmp_path.glob("booking-server-*.sqlite3"))) == 1
    finally:
        assert server.stop() == 0
