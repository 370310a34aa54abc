"""An app upgrade keeps the local store: a file written by the first release's schema is upgraded
in place by a newer app's steps (cache and outbox kept, nothing moved aside), once, and a failing
step leaves the file readable by the older app."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from desktop_app.store import LocalStore
from desktop_app.store.schema import STEPS
from tests.desktop.store.test_local import NOW, SERVER, booking, record

# What a later release might add: a step at the end, never an edit of a shipped one.
NEXT_STEP = "CREATE TABLE drafts (id TEXT PRIMARY KEY, data TEXT NOT NULL)"


class FirstRelease(LocalStore):
    steps = STEPS[:1]


class NextRelease(LocalStore):
    steps = (*STEPS, NEXT_STEP)


class BrokenRelease(LocalStore):
    # Fails on a file with two outbox rows (a duplicate key), not on a fresh one.
    steps = (
        *STEPS,
        "CREATE TABLE drafts (id INTEGER PRIMARY KEY); INSERT INTO drafts SELECT 1 FROM outbox",
    )


def _v1_store(folder: Path) -> Path:
    old = FirstRelease.open(folder, SERVER, "anna")
    old.save_cache([booking(1), booking(2, version=3)], cursor=42, saved_at=NOW)
    old.close()
    with sqlite3.connect(old.path) as db:  # the outbox as the first release wrote it
        db.executemany(
            "INSERT INTO outbox (key, booking_id, made_at, data) VALUES (?, ?, ?, ?)",
            [
                (e.key, e.booking_id, e.made_at.isoformat(), json.dumps(e.to_json()))
                for e in (record(1), record(2))
            ],
        )
    with sqlite3.connect(old.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    return old.path


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_a_newer_app_keeps_the_cache_and_outbox_of_an_older_file(tmp_path: Path) -> None:
    path = _v1_store(tmp_path)

    new = NextRelease.open(tmp_path, SERVER, "anna")
    try:
        assert new.moved_aside is None
        assert new.path == path
        cached = new.load_cache()
        assert cached is not None
        assert cached.cursor == 42
        assert sorted(cached.bookings, key=lambda b: b.id) == [booking(1), booking(2, version=3)]
        assert new.load_outbox() == [record(1), record(2)]
    finally:
        new.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(STEPS) + 1
    assert "drafts" in _tables(path)
    assert list(tmp_path.glob("*.corrupt-*")) == []

    # Opening again runs nothing more.
    again = NextRelease.open(tmp_path, SERVER, "anna")
    assert again.load_outbox() == [record(1), record(2)]
    again.close()


def test_a_failing_upgrade_step_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    _v1_store(tmp_path)

    broken = BrokenRelease.open(tmp_path, SERVER, "anna")
    # The file could not be upgraded (a bug in the step): it is moved aside as it was, and its
    # outbox goes on in the fresh file (changes the user made are never lost).
    assert broken.moved_aside is not None
    assert broken.load_outbox() == [record(1), record(2)]
    broken.close()
    aside = broken.moved_aside
    with sqlite3.connect(aside) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "drafts" not in _tables(aside)
