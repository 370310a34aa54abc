"""The local store on real SQLite files in tmp_path: round trips, isolation, atomicity, recovery."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from booking_core import Action, Booking, BookingCreate, Status
from desktop_app.store import LocalStore, StoreError, local
from desktop_app.sync.intents import Create, Transition
from desktop_app.sync.outbox import OutboxEntry

SERVER = "http://127.0.0.1:8765"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def booking(n: int, version: int = 1) -> Booking:
    return Booking(
        id=f"b-{n}",
        master_id="anna",
        customer_id="carl",
        service="Haircut",
        starts_at=NOW + timedelta(hours=n),
        ends_at=NOW + timedelta(hours=n, minutes=30),
        status=Status.PENDING,
        version=version,
        updated_at=NOW,
        updated_by="carl",
    )


def record(n: int) -> OutboxEntry:
    if n % 2:
        return OutboxEntry(
            key=f"key-{n}",
            intent=Transition(f"b-{n}", Action.ACCEPT),
            booking_id=f"b-{n}",
            made_at=NOW + timedelta(seconds=n),
            base=booking(n),
            sent=True,
            first_sent_at=NOW + timedelta(seconds=n + 1),
        )
    body = BookingCreate(
        master_id="anna",
        customer_id="carl",
        service="Beard trim",
        starts_at=NOW + timedelta(days=n),
        ends_at=NOW + timedelta(days=n, minutes=20),
        note="phone booking",
    )
    return OutboxEntry(
        key=f"key-{n}",
        intent=Create(f"client-{n}", body),
        booking_id=f"client-{n}",
        made_at=NOW + timedelta(seconds=n),
    )


def test_outbox_round_trips_in_order_across_reopen(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_outbox([record(3), record(1), record(2)])
    store.close()

    again = LocalStore.open(tmp_path, SERVER, "anna")
    assert again.load_outbox() == [record(3), record(1), record(2)]
    assert again.moved_aside is None


def test_save_outbox_replaces_the_whole_queue(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_outbox([record(1), record(2)])
    store.save_outbox([record(2)])
    assert store.load_outbox() == [record(2)]


def test_cache_round_trips_bookings_and_cursor(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    assert store.load_cache() is None
    store.save_cache([booking(1), booking(2)], cursor=41, saved_at=NOW)
    store.update_cache([booking(2, version=2), booking(3)], cursor=44, saved_at=NOW + timedelta(1))
    store.close()

    cached = LocalStore.open(tmp_path, SERVER, "anna").load_cache()
    assert cached is not None
    assert cached.cursor == 44
    assert sorted((b.id, b.version) for b in cached.bookings) == [
        ("b-1", 1),
        ("b-2", 2),
        ("b-3", 1),
    ]
    assert cached.saved_at == NOW + timedelta(1)


def test_each_server_and_user_has_its_own_file(tmp_path: Path) -> None:
    anna = LocalStore.open(tmp_path, SERVER, "anna")
    anna.save_outbox([record(1)])
    anna.save_cache([booking(1)], cursor=5)

    assert LocalStore.open(tmp_path, SERVER, "ben").load_outbox() == []
    assert LocalStore.open(tmp_path, "http://other:8765", "anna").load_cache() is None
    # The same server spelled with a trailing slash or capitals is the same store.
    assert LocalStore.open(tmp_path, SERVER.upper() + "/", "anna").load_outbox() == [record(1)]


def test_a_failed_write_changes_nothing(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_outbox([record(1)])
    duplicate_keys = [record(2), record(2)]  # violates the UNIQUE key mid-transaction
    with pytest.raises(StoreError):
        store.save_outbox(duplicate_keys)
    assert store.load_outbox() == [record(1)]


def test_delete_removes_the_file(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_outbox([record(1)])
    store.delete()
    assert not store.path.exists()
    assert LocalStore.open(tmp_path, SERVER, "anna").load_outbox() == []


def test_a_garbage_file_is_moved_aside_and_a_fresh_store_starts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = LocalStore.open(tmp_path, SERVER, "anna").path
    path.write_bytes(b"this is not a database" * 100)

    with caplog.at_level(logging.ERROR):
        store = LocalStore.open(tmp_path, SERVER, "anna")

    assert store.moved_aside is not None
    assert store.moved_aside.read_bytes().startswith(b"this is not a database")
    assert store.load_outbox() == []
    assert store.load_cache() is None
    assert "outbox" in caplog.text
    assert "could not be read" in caplog.text
    store.save_outbox([record(1)])  # the fresh store works
    assert store.load_outbox() == [record(1)]


def test_a_truncated_file_is_moved_aside(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_cache([booking(n) for n in range(200)], cursor=9)
    store.close()
    data = store.path.read_bytes()
    store.path.write_bytes(data[: len(data) // 3])

    again = LocalStore.open(tmp_path, SERVER, "anna")
    assert again.load_cache() is None
    assert again.moved_aside is not None


def test_a_damaged_file_keeps_its_readable_outbox(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_outbox([record(1), record(2)])
    store.close()
    with sqlite3.connect(store.path) as db:  # a newer app wrote it: this app cannot trust it
        db.execute("PRAGMA user_version = 99")

    again = LocalStore.open(tmp_path, SERVER, "anna")
    assert again.moved_aside is not None
    assert again.load_outbox() == [record(1), record(2)]


def test_an_unreadable_outbox_entry_moves_the_file_aside_and_keeps_the_others(
    tmp_path: Path,
) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_outbox([record(1), record(2)])
    store.close()
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE outbox SET data = '{not json' WHERE key = 'key-2'")

    again = LocalStore.open(tmp_path, SERVER, "anna")
    assert again.load_outbox() == [record(1)]
    assert again.moved_aside is not None


def test_unreadable_cached_bookings_drop_the_cache_but_keep_the_outbox(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_outbox([record(1)])
    store.save_cache([booking(1)], cursor=3)
    store.close()
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE bookings SET data = '{\"id\": 1}'")

    again = LocalStore.open(tmp_path, SERVER, "anna")
    assert again.load_cache() is None
    assert again.load_outbox() == [record(1)]


def test_a_file_of_another_user_is_never_read(tmp_path: Path) -> None:
    ben = LocalStore.open(tmp_path, SERVER, "ben")
    ben.save_outbox([record(1)])
    ben.close()
    anna_path = LocalStore.open(tmp_path, SERVER, "anna").path
    anna_path.unlink()
    ben.path.rename(anna_path)  # e.g. copied by hand

    anna = LocalStore.open(tmp_path, SERVER, "anna")
    assert anna.moved_aside is not None
    assert anna.load_outbox() == []


def test_a_cache_of_many_chunks_round_trips_and_a_bad_row_in_a_late_chunk_drops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local, "READ_CHUNK", 3)  # 10 bookings: four chunks
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_cache((booking(n) for n in range(10)), cursor=10, saved_at=NOW)
    cached = store.load_cache()
    assert cached is not None
    assert sorted(b.id for b in cached.bookings) == sorted(f"b-{n}" for n in range(10))
    assert {b.id: b for b in cached.bookings}["b-7"] == booking(7)

    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE bookings SET data = '{\"id\": 1}' WHERE id = 'b-9'")
    assert store.load_cache() is None  # dropped, and the store is usable at once (lock freed)
    store.save_cache([booking(1)], cursor=11, saved_at=NOW)
    again = store.load_cache()
    assert again is not None
    assert again.bookings == [booking(1)]


def _rows_on_disk(store: LocalStore) -> dict[str, int]:
    with sqlite3.connect(store.path) as db:
        return dict(db.execute("SELECT id, version FROM bookings").fetchall())


def test_write_cache_after_a_read_writes_only_what_changed(tmp_path: Path) -> None:
    first = LocalStore.open(tmp_path, SERVER, "anna")
    assert first.write_cache({f"b-{n}": booking(n) for n in range(5)}, cursor=5) == 5
    first.close()

    store = LocalStore.open(tmp_path, SERVER, "anna")
    cached = store.load_cache()
    assert cached is not None
    state = {b.id: b for b in cached.bookings}  # the same objects, as the engine keeps them
    state["b-1"] = booking(1, version=2)
    del state["b-3"]
    state["b-7"] = booking(7)
    assert store.write_cache(state, cursor=8, saved_at=NOW) == 3  # not 5
    assert store.write_cache(state, cursor=9, saved_at=NOW) == 0  # only the cursor moved
    store.close()

    again = LocalStore.open(tmp_path, SERVER, "anna")
    reread = again.load_cache()
    assert reread is not None
    assert reread.cursor == 9
    assert {b.id: b for b in reread.bookings} == state
    assert _rows_on_disk(again) == {"b-0": 1, "b-1": 2, "b-2": 1, "b-4": 1, "b-7": 1}


def test_write_cache_without_knowing_the_disk_replaces_everything(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_cache([booking(1), booking(2)], cursor=2)  # written by someone not tracking
    assert store.write_cache({"b-3": booking(3)}, cursor=3) == 1
    assert _rows_on_disk(store) == {"b-3": 1}
    store.clear_cache()
    assert store.write_cache({"b-4": booking(4)}, cursor=4) == 1  # after a clear: all again
    assert _rows_on_disk(store) == {"b-4": 1}


def test_a_failed_write_cache_leaves_the_cache_as_it_was_and_the_next_writes_all(
    tmp_path: Path,
) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.write_cache({"b-1": booking(1), "b-2": booking(2)}, cursor=2)
    assert store._db is not None
    store._db.execute("PRAGMA busy_timeout = 0")  # fail at once instead of waiting 5 s
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the file
    try:
        with pytest.raises(StoreError):
            store.write_cache({"b-1": booking(1, version=2)}, cursor=3)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert _rows_on_disk(store) == {"b-1": 1, "b-2": 1}
    assert store.write_cache({"b-1": booking(1, version=2)}, cursor=3) == 1
    assert _rows_on_disk(store) == {"b-1": 2}


def test_a_file_closed_cleanly_and_unchanged_opens_without_the_full_check(tmp_path: Path) -> None:
    first = LocalStore.open(tmp_path, SERVER, "anna")
    assert first.integrity_checked  # a new file
    first.save_cache([booking(n) for n in range(50)], cursor=4)
    first.close()

    again = LocalStore.open(tmp_path, SERVER, "anna")
    assert not again.integrity_checked
    assert again.load_cache() is not None
    # The marker is used up at open: a session that never closes leaves none behind.
    crashed = LocalStore.open(tmp_path, SERVER, "anna")
    assert crashed.integrity_checked
    assert crashed.load_cache() is not None
    crashed.close()
    again.close()


def test_a_file_changed_after_a_clean_close_is_checked_and_damage_moves_it_aside(
    tmp_path: Path,
) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_outbox([record(1)])
    store.save_cache([booking(n) for n in range(200)], cursor=9)
    store.close()
    data = store.path.read_bytes()
    store.path.write_bytes(data[: len(data) // 3])  # someone else cut it short after we closed

    again = LocalStore.open(tmp_path, SERVER, "anna")
    assert again.integrity_checked
    assert again.moved_aside is not None
    assert again.load_cache() is None
