"""The SQLite `Catalog`: availability tables read and written on one connection (see catalog.py).

Times are integer microseconds since the epoch, as in the rest of the SQLite store.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiosqlite

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

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ACTIVE = tuple(sorted(s.value for s in ACTIVE_STATUSES))
_MINUTE_US = 60_000_000


def _us(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _from_us(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


class SqliteCatalog:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def lock_master(self, master_id: str) -> None:
        """Nothing to do: SQLite has one writer at a time."""

    async def schedule(self, master_id: str) -> WeeklySchedule | None:
        cursor = await self._db.execute(
            "SELECT data FROM schedules WHERE master_id = ?", (master_id,)
        )
        row = await cursor.fetchone()
        return schedule_of(row[0]) if row else None

    async def save_schedule(self, master_id: str, schedule: WeeklySchedule) -> None:
        await self._db.execute(
            "INSERT INTO schedules (master_id, version, data) VALUES (?, ?, ?)"
            " ON CONFLICT (master_id) DO UPDATE SET version = excluded.version,"
            " data = excluded.data",
            (master_id, schedule.version, schedule.model_dump_json()),
        )

    async def service(self, service_id: str) -> Service | None:
        cursor = await self._db.execute("SELECT data FROM services WHERE id = ?", (service_id,))
        row = await cursor.fetchone()
        return Service.model_validate_json(row[0]) if row else None

    async def services(self, master_id: str, *, include_archived: bool) -> list[Service]:
        cursor = await self._db.execute(
            "SELECT data FROM services WHERE master_id = ? AND (active = 1 OR ?) ORDER BY position",
            (master_id, int(include_archived)),
        )
        return [Service.model_validate_json(row[0]) for row in await cursor.fetchall()]

    async def save_service(self, service: Service, *, new: bool) -> None:
        values = (int(service.active), service.buffer_after_minutes, service.model_dump_json())
        if new:
            await self._db.execute(
                "INSERT INTO services (active, buffer_after_minutes, data, id, master_id, position)"
                " VALUES (?, ?, ?, ?, ?,"
                " (SELECT COALESCE(MAX(position), 0) + 1 FROM services WHERE master_id = ?))",
                (*values, service.id, service.master_id, service.master_id),
            )
        else:
            await self._db.execute(
                "UPDATE services SET active = ?, buffer_after_minutes = ?, data = ? WHERE id = ?",
                (*values, service.id),
            )

    async def time_off(self, master_id: str, start: datetime, end: datetime) -> list[TimeOff]:
        cursor = await self._db.execute(
            "SELECT data FROM time_off WHERE master_id = ? AND ends_at > ? AND starts_at < ?"
            " ORDER BY starts_at, id",
            (master_id, _us(start), _us(end)),
        )
        return [TimeOff.model_validate_json(row[0]) for row in await cursor.fetchall()]

    async def time_off_item(self, time_off_id: str) -> TimeOff | None:
        cursor = await self._db.execute("SELECT data FROM time_off WHERE id = ?", (time_off_id,))
        row = await cursor.fetchone()
        return TimeOff.model_validate_json(row[0]) if row else None

    async def add_time_off(self, item: TimeOff) -> None:
        await self._db.execute(
            "INSERT INTO time_off (id, master_id, starts_at, ends_at, data) VALUES (?, ?, ?, ?, ?)",
            (
                item.id,
                item.master_id,
                _us(item.starts_at),
                _us(item.ends_at),
                item.model_dump_json(),
            ),
        )

    async def delete_time_off(self, time_off_id: str) -> None:
        await self._db.execute("DELETE FROM time_off WHERE id = ?", (time_off_id,))

    async def busy(
        self, master_id: str, start: datetime, end: datetime, exclude_id: str | None = None
    ) -> list[Span]:
        cursor = await self._db.execute(
            "SELECT b.starts_at, b.ends_at, COALESCE(s.buffer_after_minutes, 0)"
            " FROM bookings b LEFT JOIN services s ON s.id = b.service_id"
            " WHERE b.master_id = ? AND b.starts_at > ? AND b.starts_at < ?"
            " AND b.status IN (?, ?, ?) AND b.id != ?",
            (master_id, _us(start - LOOKBACK), _us(end), *_ACTIVE, exclude_id or ""),
        )
        low = _us(start)
        return [
            (_from_us(s), _from_us(e + buffer * _MINUTE_US))
            for s, e, buffer in await cursor.fetchall()
            if e + buffer * _MINUTE_US > low
        ]

    async def window(
        self, master_id: str, service_id: str, start: datetime, end: datetime
    ) -> Window:
        # One statement (one consistent read, one trip to the database thread): the service,
        # the schedule, the master's services' buffers, the time off and the bookings.
        low, high = _us(start), _us(end)
        rows = await self._db.execute_fetchall(
            "SELECT 0, data, NULL, NULL FROM services WHERE id = ? AND master_id = ?"
            " UNION ALL SELECT 1, data, NULL, NULL FROM schedules WHERE master_id = ?"
            " UNION ALL SELECT 2, id, buffer_after_minutes, NULL FROM services"
            " WHERE master_id = ? AND buffer_after_minutes > 0"
            " UNION ALL SELECT 3, NULL, starts_at, ends_at FROM time_off"
            " WHERE master_id = ? AND ends_at > ? AND starts_at < ?"
            " UNION ALL SELECT 4, service_id, starts_at, ends_at FROM bookings"
            " WHERE master_id = ? AND starts_at > ? AND starts_at < ? AND status IN (?, ?, ?)",
            (
                service_id,
                master_id,
                master_id,
                master_id,
                master_id,
                low,
                high,
                master_id,
                _us(start - LOOKBACK),
                high,
                *_ACTIVE,
            ),
        )
        service: Service | None = None
        schedule: WeeklySchedule | None = None
        buffers: dict[str, int] = {}
        off: list[Span] = []
        busy: list[tuple[int, int]] = []
        for kind, text, first, second in rows:
            if kind == 4:
                reach = second + buffers.get(text, 0) * _MINUTE_US
                if reach > low:
                    busy.append((first, reach))  # microseconds, as BusyIndex keeps them
            elif kind == 3:
                off.append((_from_us(first), _from_us(second)))
            elif kind == 2:
                buffers[text] = first
            elif kind == 1:
                schedule = schedule_of(text)
            else:
                service = Service.model_validate_json(text)
        return Window(service, schedule, BusyIndex.of_micros(busy), off)

    async def contact(self, user_id: str) -> Contact | None:
        cursor = await self._db.execute(
            "SELECT phone, email FROM contacts WHERE user_id = ?", (user_id,)
        )
        row = await cursor.fetchone()
        return Contact(row[0], row[1]) if row else None

    async def save_contact(self, user_id: str, contact: Contact) -> None:
        await self._db.execute(
            "INSERT INTO contacts (user_id, phone, email) VALUES (?, ?, ?) ON CONFLICT (user_id)"
            " DO UPDATE SET phone = excluded.phone, email = excluded.email",
            (user_id, contact.phone, contact.email),
        )

    async def has_booking_with(self, master_id: str, customer_id: str) -> bool:
        cursor = await self._db.execute(
            "SELECT 1 FROM bookings WHERE customer_id = ? AND master_id = ? LIMIT 1",
            (customer_id, master_id),
        )
        return await cursor.fetchone() is not None

    async def search_customers(self, master_id: str, query: str, limit: int) -> list[CustomerMatch]:
        columns = qualified(USER_READ, "u")
        pattern = like_pattern(query)
        cursor = await self._db.execute(
            f"SELECT {columns}, c.phone, c.email, EXISTS (SELECT 1 FROM bookings b"
            " WHERE b.customer_id = u.id AND b.master_id = ?) AS related"
            " FROM users u LEFT JOIN contacts c ON c.user_id = u.id WHERE u.role = 'customer'"
            " AND (lower(u.username) LIKE ? ESCAPE '\\' OR lower(u.display_name) LIKE ? ESCAPE '\\'"
            " OR (EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = u.id AND b.master_id = ?)"
            " AND (lower(c.phone) LIKE ? ESCAPE '\\' OR lower(c.email) LIKE ? ESCAPE '\\')))"
            " ORDER BY related DESC, u.display_name, u.username LIMIT ?",
            (master_id, pattern, pattern, master_id, pattern, pattern, limit),
        )
        return [
            CustomerMatch(user_of(row[:6]), Contact(row[6], row[7]) if row[8] else None)
            for row in await cursor.fetchall()
        ]
