"""The PostgreSQL `Catalog`: availability tables read and written on one connection (catalog.py).

`lock_master` takes a transaction-scoped advisory lock per master: every booking create or
reschedule and every change to hours, time off or services of that master takes it first, so a
customer's free-slot check and the write it allows are one step even with many processes (the
exclusion constraint still refuses plain overlaps; the lock also holds buffers, hours and time
off).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias

import asyncpg

from booking_core.availability import BusyIndex, Service, Span, TimeOff, WeeklySchedule
from booking_core.models import ACTIVE_STATUSES
from booking_server.store.catalog import (
    LOOKBACK,
    Contact,
    CustomerMatch,
    Window,
    like_pattern,
    schedule_of,
)
from booking_server.store.rows import USER_READ, qualified, user_of

if TYPE_CHECKING:
    Connection: TypeAlias = (
        asyncpg.Connection[asyncpg.Record] | asyncpg.pool.PoolConnectionProxy[asyncpg.Record]
    )
_ACTIVE = sorted(s.value for s in ACTIVE_STATUSES)


def _storable(text: str) -> bool:
    """PostgreSQL text holds no NUL: an id with one names nothing."""
    return "\x00" not in text


class PostgresCatalog:
    def __init__(self, db: Connection) -> None:
        self._db = db

    async def lock_master(self, master_id: str) -> None:
        await self._db.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"availability:{master_id}"
        )

    async def schedule(self, master_id: str) -> WeeklySchedule | None:
        if not _storable(master_id):
            return None
        data = await self._db.fetchval("SELECT data FROM schedules WHERE master_id = $1", master_id)
        return schedule_of(data) if data is not None else None

    async def save_schedule(self, master_id: str, schedule: WeeklySchedule) -> None:
        await self._db.execute(
            "INSERT INTO schedules (master_id, version, data) VALUES ($1, $2, $3)"
            " ON CONFLICT (master_id) DO UPDATE SET version = excluded.version,"
            " data = excluded.data",
            master_id,
            schedule.version,
            schedule.model_dump_json(),
        )

    async def service(self, service_id: str) -> Service | None:
        if not _storable(service_id):
            return None
        data = await self._db.fetchval("SELECT data FROM services WHERE id = $1", service_id)
        return Service.model_validate_json(data) if data is not None else None

    async def services(self, master_id: str, *, include_archived: bool) -> list[Service]:
        if not _storable(master_id):
            return []
        rows = await self._db.fetch(
            "SELECT data FROM services WHERE master_id = $1 AND (active OR $2) ORDER BY position",
            master_id,
            include_archived,
        )
        return [Service.model_validate_json(row["data"]) for row in rows]

    async def save_service(self, service: Service, *, new: bool) -> None:
        values = (service.active, service.buffer_after_minutes, service.model_dump_json())
        if new:
            await self._db.execute(
                "INSERT INTO services (active, buffer_after_minutes, data, id, master_id, position)"
                " VALUES ($1, $2, $3, $4, $5,"
                " (SELECT COALESCE(MAX(position), 0) + 1 FROM services WHERE master_id = $5))",
                *values,
                service.id,
                service.master_id,
            )
        else:
            await self._db.execute(
                "UPDATE services SET active = $1, buffer_after_minutes = $2, data = $3"
                " WHERE id = $4",
                *values,
                service.id,
            )

    async def time_off(self, master_id: str, start: datetime, end: datetime) -> list[TimeOff]:
        if not _storable(master_id):
            return []
        rows = await self._db.fetch(
            "SELECT data FROM time_off WHERE master_id = $1 AND ends_at > $2 AND starts_at < $3"
            ' ORDER BY starts_at, id COLLATE "C"',
            master_id,
            start,
            end,
        )
        return [TimeOff.model_validate_json(row["data"]) for row in rows]

    async def time_off_item(self, time_off_id: str) -> TimeOff | None:
        if not _storable(time_off_id):
            return None
        data = await self._db.fetchval("SELECT data FROM time_off WHERE id = $1", time_off_id)
        return TimeOff.model_validate_json(data) if data is not None else None

    async def add_time_off(self, item: TimeOff) -> None:
        await self._db.execute(
            "INSERT INTO time_off (id, master_id, starts_at, ends_at, data)"
            " VALUES ($1, $2, $3, $4, $5)",
            item.id,
            item.master_id,
            item.starts_at,
            item.ends_at,
            item.model_dump_json(),
        )

    async def delete_time_off(self, time_off_id: str) -> None:
        await self._db.execute("DELETE FROM time_off WHERE id = $1", time_off_id)

    async def busy(
        self, master_id: str, start: datetime, end: datetime, exclude_id: str | None = None
    ) -> list[Span]:
        if not _storable(master_id):
            return []
        rows = await self._db.fetch(
            "SELECT b.starts_at, b.ends_at, COALESCE(s.buffer_after_minutes, 0) AS buffer"
            " FROM bookings b LEFT JOIN services s ON s.id = b.service_id"
            " WHERE b.master_id = $1 AND b.starts_at > $2 AND b.starts_at < $3"
            " AND b.status = ANY($4::text[]) AND b.id <> $5",
            master_id,
            start - LOOKBACK,
            end,
            _ACTIVE,
            exclude_id or "",
        )
        spans = [
            (row["starts_at"], row["ends_at"] + timedelta(minutes=row["buffer"])) for row in rows
        ]
        return [span for span in spans if span[1] > start]

    async def window(
        self, master_id: str, service_id: str, start: datetime, end: datetime
    ) -> Window:
        service = await self.service(service_id)
        if service is not None and service.master_id != master_id:
            service = None
        schedule = await self.schedule(master_id)
        busy = await self.busy(master_id, start, end)
        off = [(t.starts_at, t.ends_at) for t in await self.time_off(master_id, start, end)]
        return Window(service, schedule, BusyIndex(busy), off)

    async def contact(self, user_id: str) -> Contact | None:
        if not _storable(user_id):
            return None
        row = await self._db.fetchrow(
            "SELECT phone, email FROM contacts WHERE user_id = $1", user_id
        )
        return Contact(row["phone"], row["email"]) if row else None

    async def save_contact(self, user_id: str, contact: Contact) -> None:
        await self._db.execute(
            "INSERT INTO contacts (user_id, phone, email) VALUES ($1, $2, $3)"
            " ON CONFLICT (user_id) DO UPDATE SET phone = excluded.phone, email = excluded.email",
            user_id,
            contact.phone,
            contact.email,
        )

    async def has_booking_with(self, master_id: str, customer_id: str) -> bool:
        if not (_storable(master_id) and _storable(customer_id)):
            return False
        found = await self._db.fetchval(
            "SELECT 1 FROM bookings WHERE customer_id = $1 AND master_id = $2 LIMIT 1",
            customer_id,
            master_id,
        )
        return found is not None

    async def search_customers(self, master_id: str, query: str, limit: int) -> list[CustomerMatch]:
        if not (_storable(master_id) and _storable(query)):
            return []
        columns = qualified(USER_READ, "u")
        rows = await self._db.fetch(
            f"SELECT {columns}, c.phone, c.email, EXISTS (SELECT 1 FROM bookings b"
            " WHERE b.customer_id = u.id AND b.master_id = $1) AS related"
            " FROM users u LEFT JOIN contacts c ON c.user_id = u.id WHERE u.role = 'customer'"
            " AND (lower(u.username) LIKE $2 OR lower(u.display_name) LIKE $2"
            " OR (EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = u.id"
            " AND b.master_id = $1) AND (lower(c.phone) LIKE $2 OR lower(c.email) LIKE $2)))"
            ' ORDER BY related DESC, u.display_name COLLATE "C", u.username COLLATE "C"'
            " LIMIT $3",
            master_id,
            like_pattern(query),
            limit,
        )
        return [
            CustomerMatch(
                user_of(tuple(row)[:6]),
                Contact(row["phone"], row["email"]) if row["related"] else None,
            )
            for row in rows
        ]
