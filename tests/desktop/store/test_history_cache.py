"""The local store keeps the last history fetched per booking (defect 14 of issue 15), so it shows
offline: on a real SQLite file, across a reopen, and an upgrade of a first-release file."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from booking_core import Action
from booking_core.history import HistoryEvent, HistoryList
from desktop_app.store import LocalStore
from tests.desktop.store.test_local import NOW, SERVER
from tests.desktop.store.test_upgrade import FirstRelease


def _history(*actions: Action) -> HistoryList:
    return HistoryList(
        events=[
            HistoryEvent(
                seq=n + 1,
                action=action,
                actor="carl",
                changes={"version": n + 1, "status": "pending"},
                at=NOW,
            )
            for n, action in enumerate(actions)
        ]
    )


def test_the_last_history_fetched_is_kept_per_booking(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    assert store.load_history("b-1") is None
    store.save_history("b-1", _history(Action.CREATE))
    store.save_history("b-1", _history(Action.CREATE, Action.ACCEPT))  # the newer fetch wins
    store.save_history("b-2", _history(Action.CREATE))
    store.close()

    again = LocalStore.open(tmp_path, SERVER, "anna")
    try:
        assert again.load_history("b-1") == _history(Action.CREATE, Action.ACCEPT)
        assert again.load_history("b-2") == _history(Action.CREATE)
        assert again.load_history("b-3") is None
    finally:
        again.close()


def test_a_first_release_file_gets_the_history_table_and_keeps_its_cache(tmp_path: Path) -> None:
    old = FirstRelease.open(tmp_path, SERVER, "anna")
    old.save_cache([], cursor=7, saved_at=NOW)
    old.close()
    store = LocalStore.open(tmp_path, SERVER, "anna")
    try:
        assert store.moved_aside is None
        cached = store.load_cache()
        assert cached is not None
        assert cached.cursor == 7
        store.save_history("b-1", _history(Action.CREATE))
        assert store.load_history("b-1") == _history(Action.CREATE)
    finally:
        store.close()


def test_an_unreadable_kept_history_is_ignored_with_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_history("b-1", _history(Action.CREATE))
    store.close()
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE history SET data = '{\"events\": 5}'")
    db.close()
    again = LocalStore.open(tmp_path, SERVER, "anna")
    try:
        with caplog.at_level(logging.ERROR):
            assert again.load_history("b-1") is None
        assert "unreadable" in caplog.text
        again.save_history("b-1", _history(Action.CREATE))  # the next fetch replaces it
        assert again.load_history("b-1") == _history(Action.CREATE)
    finally:
        again.close()
