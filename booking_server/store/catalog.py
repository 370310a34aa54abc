"""What the stores keep for availability: services, working hours, time off, customer contacts.

Both SQL stores implement `Catalog` over one connection: inside a writer transaction
(`Transaction.catalog`: reads, writes and `lock_master`) and inside a read snapshot
(`Store.catalog_reader()`: reads only). Their tables are added by `catalog_schema.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Protocol

from booking_core.availability import BusyIndex, Service, Span, TimeOff, WeeklySchedule
from booking_core.models import MAX_DURATION, Role
from booking_server.store.base import UserRecord

# The longest buffer a service may have: a booking that ended this long before a window can
# still reach into it.
MAX_BUFFER = timedelta(minutes=240)
# A booking overlapping [start, end) starts after start - LOOKBACK: bounds the index range.
LOOKBACK = MAX_DURATION + MAX_BUFFER


@dataclass(frozen=True, slots=True)
class Contact:
    phone: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class Window:
    service: Service | None
    schedule: WeeklySchedule | None
    busy: BusyIndex
    time_off: list[Span]


@dataclass(frozen=True, slots=True)
class CustomerMatch:
    """A customer found by a master's search; `contact` only when they have a booking together."""

    user: UserRecord
    contact: Contact | None


class Catalog(Protocol):
    async def lock_master(self, master_id: str) -> None:
        """Hold the master's availability until the transaction ends (PostgreSQL: an advisory
        lock; SQLite's writer is serialized already). Every write that checks or changes what
        is free takes it first, so a free-slot check and its write are one step."""

    # Working hours.
    async def schedule(self, master_id: str) -> WeeklySchedule | None: ...

    async def save_schedule(self, master_id: str, schedule: WeeklySchedule) -> None: ...

    # Services.
    async def service(self, service_id: str) -> Service | None: ...

    async def services(self, master_id: str, *, include_archived: bool) -> list[Service]: ...

    async def save_service(self, service: Service, *, new: bool) -> None: ...

    # Time off.
    async def time_off(self, master_id: str, start: datetime, end: datetime) -> list[TimeOff]:
        """The master's time off overlapping [start, end)."""

    async def time_off_item(self, time_off_id: str) -> TimeOff | None: ...

    async def add_time_off(self, item: TimeOff) -> None: ...

    async def delete_time_off(self, time_off_id: str) -> None: ...

    # Bookings as availability sees them.
    async def busy(
        self, master_id: str, start: datetime, end: datetime, exclude_id: str | None = None
    ) -> list[Span]:
        """The master's active bookings reaching into [start, end), each as (start, end + the
        buffer of its service), read through the (master_id, starts_at) index."""

    async def window(
        self, master_id: str, service_id: str, start: datetime, end: datetime
    ) -> Window:
        """What the free slots of [start, end) are made of, read at once: the service (None:
        not this master's), the schedule, `busy` over [start, end) and the time off in it."""

    # Customers.
    async def contact(self, user_id: str) -> Contact | None: ...

    async def save_contact(self, user_id: str, contact: Contact) -> None: ...

    async def has_booking_with(self, master_id: str, customer_id: str) -> bool: ...

    async def search_customers(self, master_id: str, query: str, limit: int) -> list[CustomerMatch]:
        """Customers whose username or display name contains `query` (any case), and those with
        a booking with this master whose phone or email contains it; related ones first."""


@lru_cache(maxsize=1024)
def schedule_of(text: str) -> WeeklySchedule:
    """A stored schedule's JSON, parsed once while it stays the same (it is read per request)."""
    return WeeklySchedule.model_validate_json(text)


def like_pattern(query: str) -> str:
    """`query` as a LIKE pattern matching it anywhere (its own % _ \\ escaped with \\)."""
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def is_customer(user: UserRecord) -> bool:
    return user.role is Role.CUSTOMER
