"""A master's catalog in the local store (issue 18): the confirmed catalog cached for an offline
start, and catalog changes kept in the outbox beside the bookings' (schema 3)."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

from booking_core.availability import (
    ScheduleUpdate,
    Service,
    ServiceCreate,
    ServicePatch,
    TimeOff,
    WeeklySchedule,
)
from desktop_app.store import LocalStore
from desktop_app.store.schema import STEPS
from desktop_app.sync import (
    SCHEDULE,
    CatalogEntry,
    CatalogView,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
)
from tests.desktop.store.test_local import NOW, SERVER, booking, record

SERVICE = Service(
    id="svc-1",
    master_id="anna",
    name="Haircut",
    duration_minutes=45,
    price_minor=3500,
    currency="EUR",
    buffer_after_minutes=15,
    version=2,
)
HOURS = ScheduleUpdate(time_zone="Europe/Berlin", weekly={"mon": [("09:00", "13:00")]})
CATALOG = CatalogView(
    master_id="anna",
    services=(SERVICE, SERVICE.model_copy(update={"id": "svc-2", "active": False})),
    schedule=WeeklySchedule(**HOURS.model_dump(), version=4),
    time_off=(
        TimeOff(id="off-1", master_id="anna", starts_at=NOW, ends_at=NOW + timedelta(days=2)),
    ),
    loaded=True,
)


def catalog_record(n: int) -> CatalogEntry:
    if n % 2:
        return CatalogEntry(f"ckey-{n}", ScheduleSet(HOURS), SCHEDULE, NOW, base=CATALOG.schedule)
    patch = ServicePatch(price_minor=None, currency=None)
    return CatalogEntry(f"ckey-{n}", ServiceEdit("svc-1", patch), "svc-1", NOW, SERVICE, True, NOW)


class SecondRelease(LocalStore):
    steps = STEPS[:2]


def test_the_confirmed_catalog_round_trips_across_reopen(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    assert store.load_catalog() is None  # never saved
    store.save_catalog(CATALOG, NOW)
    store.close()

    again = LocalStore.open(tmp_path, SERVER, "anna")
    try:
        assert again.load_catalog() == CATALOG
        changed = CatalogView("anna", services=(SERVICE,), loaded=True)
        again.save_catalog(changed)
        assert again.load_catalog() == changed  # replaced, not added
    finally:
        again.close()


def test_catalog_changes_and_booking_changes_share_the_outbox_without_mixing(
    tmp_path: Path,
) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_outbox([record(1), record(2)])
    store.save_catalog_outbox([catalog_record(1), catalog_record(2)])
    store.save_outbox([record(2)])  # replaces the bookings' only
    store.close()

    again = LocalStore.open(tmp_path, SERVER, "anna")
    try:
        assert again.load_outbox() == [record(2)]
        assert again.load_catalog_outbox() == [catalog_record(1), catalog_record(2)]
        again.save_catalog_outbox([])
        assert again.load_catalog_outbox() == []
        assert again.load_outbox() == [record(2)]
    finally:
        again.close()


def test_an_unreadable_cached_catalog_is_dropped_and_the_rest_kept(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_catalog(CATALOG)
    store.save_catalog_outbox([catalog_record(1)])
    store.close()
    with sqlite3.connect(store.path) as db:
        db.execute('UPDATE catalog SET data = \'{"master_id": "anna"}\'')

    again = LocalStore.open(tmp_path, SERVER, "anna")
    try:
        assert again.load_catalog() is None
        assert again.load_catalog_outbox() == [catalog_record(1)]
        assert again.moved_aside is None
    finally:
        again.close()


def test_a_damaged_file_keeps_its_catalog_changes_too(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path, SERVER, "anna")
    store.save_outbox([record(1)])
    store.save_catalog_outbox([catalog_record(1), catalog_record(2)])
    store.close()
    with sqlite3.connect(store.path) as db:  # a newer app wrote it: this app cannot trust it
        db.execute("PRAGMA user_version = 99")

    again = LocalStore.open(tmp_path, SERVER, "anna")
    try:
        assert again.moved_aside is not None
        assert again.load_outbox() == [record(1)]
        assert again.load_catalog_outbox() == [catalog_record(1), catalog_record(2)]
    finally:
        again.close()


def test_a_schema_2_file_is_upgraded_with_its_outbox_and_cache_kept(tmp_path: Path) -> None:
    old = SecondRelease.open(tmp_path, SERVER, "anna")
    old.save_cache([booking(1)], cursor=7, saved_at=NOW)
    old.close()
    with sqlite3.connect(old.path) as db:  # the outbox as schema 2 had it: no kind column
        db.execute(
            "INSERT INTO outbox (key, booking_id, made_at, data) VALUES (?, ?, ?, ?)",
            ("key-1", "b-1", NOW.isoformat(), _json(record(1).to_json())),
        )
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2

    new = LocalStore.open(tmp_path, SERVER, "anna")
    try:
        assert new.moved_aside is None
        assert new.load_outbox() == [record(1)]  # a booking change, as before
        assert new.load_catalog_outbox() == []
        cached = new.load_cache()
        assert cached is not None
        assert cached.cursor == 7
        assert new.load_catalog() is None
        new.save_catalog_outbox([CatalogEntry("c", ServiceAdd("l-1", _create()), "l-1", NOW)])
        new.save_catalog(CATALOG)
        assert new.load_catalog() == CATALOG
    finally:
        new.close()
    with sqlite3.connect(new.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3


def _create() -> ServiceCreate:
    return ServiceCreate(name="Beard trim", duration_minutes=20)


def _json(value: object) -> str:
    return json.dumps(value)
