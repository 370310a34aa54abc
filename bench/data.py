"""Synthetic calendars: N bookings per master, written straight into a stopped server's SQLite.

The server creates its schema and demo users on a first start; `seed` then adds users (sharing the
demo password) and non-overlapping future bookings with one `create` event each, so the cursor,
the event log and the full list agree as if the bookings had been made through the API.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from booking_core import Booking, Status

_NAMESPACE = uuid.UUID("0b6e2c1a-5d7f-4e8a-9c3b-2f1e0d9c8b7a")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SLOT = timedelta(minutes=30)
LENGTH = timedelta(minutes=20)
SERVICES = ("Haircut", "Beard trim", "Colouring", "Wash and style", "Maths tutoring")


@dataclass(frozen=True, slots=True)
class SeedUser:
    username: str
    role: str  # "master" | "customer"
    bookings: int = 0  # as master, with the customers below
    status: Status | None = None  # None: alternate pending / confirmed

    @property
    def id(self) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"user:{self.username}"))


def _us(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def first_slot() -> datetime:
    """Tomorrow 00:00 UTC: no booking is due for the session clock while the bench runs."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=1)


def make_bookings(
    master_id: str,
    customer_ids: Sequence[str],
    count: int,
    *,
    status: Status | None = None,
    start: datetime | None = None,
    tag: str = "",
) -> Iterator[Booking]:
    """`count` non-overlapping bookings of `master_id`, one every 30 minutes from `start`."""
    begin = start or first_slot()
    made = begin - timedelta(days=1)
    for index in range(count):
        starts_at = begin + SLOT * index
        customer = customer_ids[index % len(customer_ids)]
        yield Booking(
            id=str(uuid.uuid5(_NAMESPACE, f"booking:{master_id}:{tag}:{index}")),
            master_id=master_id,
            customer_id=customer,
            service=SERVICES[index % len(SERVICES)],
            starts_at=starts_at,
            ends_at=starts_at + LENGTH,
            status=status or (Status.PENDING if index % 2 else Status.CONFIRMED),
            note=f"Booking {index}",
            version=1,
            updated_at=made,
            updated_by=customer,
        )


def seed(database: Path, users: Sequence[SeedUser], customers: Sequence[str] = ()) -> int:
    """Add `users` (password "demo") and their bookings to a server database; returns the cursor.

    `customers` are the customer ids the masters' bookings rotate through (default: the customer
    users given, else the demo customer carl).
    """
    with sqlite3.connect(database, timeout=30) as db:
        (password_hash,) = db.execute(
            "SELECT password_hash FROM users WHERE username = 'anna'"
        ).fetchone()
        db.executemany(
            "INSERT INTO users (id, username, role, display_name, password_hash)"
            " VALUES (?, ?, ?, ?, ?)",
            [(u.id, u.username, u.role, u.username.title(), password_hash) for u in users],
        )
        pool = list(customers) or [u.id for u in users if u.role == "customer"]
        if not pool:
            (carl,) = db.execute("SELECT id FROM users WHERE username = 'carl'").fetchone()
            pool = [carl]
        for user in users:
            if user.bookings:
                _insert(db, make_bookings(user.id, pool, user.bookings, status=user.status))
        (cursor,) = db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
    return int(cursor)


def _insert(db: sqlite3.Connection, bookings: Iterator[Booking]) -> None:
    rows, events = [], []
    for booking in bookings:
        text = booking.model_dump_json()
        rows.append(
            (
                booking.id,
                booking.master_id,
                booking.customer_id,
                booking.status.value,
                _us(booking.starts_at),
                _us(booking.ends_at),
                text,
            )
        )
        changes = json.dumps(booking.model_dump(mode="json"))
        events.append(
            (
                booking.id,
                booking.master_id,
                booking.customer_id,
                "create",
                booking.updated_by,
                text,
                changes,
                _us(booking.updated_at),
            )
        )
    db.executemany(
        "INSERT INTO bookings (id, master_id, customer_id, status, starts_at, ends_at, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.executemany(
        "INSERT INTO events (booking_id, master_id, customer_id, action, actor, booking, changes,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        events,
    )
