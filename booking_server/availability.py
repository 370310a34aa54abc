"""Availability applied to the store: masters' services, working hours and time off (master-only
writes, If-Match versions like bookings), the public free slots, and customer contacts.

Every write takes the master's availability lock (`Catalog.lock_master`) in its writer
transaction and, once committed, publishes `availability:updated` for that master on the bus.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from booking_core.availability import (
    MAX_RANGE_DAYS,
    ScheduleUpdate,
    Service,
    ServiceCreate,
    ServicePatch,
    TimeOff,
    TimeOffCreate,
    WeeklySchedule,
    default_schedule,
    free_spans,
    local_day,
    new_service,
    patched_service,
)
from booking_core.contacts import ContactDetails, ContactUpdate, CustomerEntry
from booking_core.errors import ErrorCode, Problem
from booking_core.events import AvailabilityUpdated
from booking_core.models import Role
from booking_server.bookings import Parsed, parse_if_match, valid
from booking_server.bus import Bus
from booking_server.clock import Clock
from booking_server.errors import ProblemError
from booking_server.slots import field_error
from booking_server.store import Store, UserRecord
from booking_server.store.catalog import Catalog, Contact

MAX_SEARCH = 50
# The widest UTC offset of any zone: a local day lies within its UTC date ± this.
_ZONE_SLACK = timedelta(hours=14)


@dataclass(frozen=True, slots=True)
class MasterInfo:
    id: str
    username: str
    display_name: str
    time_zone: str


def _not_found(what: str) -> ProblemError:
    return ProblemError.of(ErrorCode.NOT_FOUND, f"no such {what}")


def _forbidden(detail: str) -> ProblemError:
    return ProblemError.of(ErrorCode.FORBIDDEN, detail)


def _stale(kind: str, version: int) -> ProblemError:
    detail = f"the {kind} is at version {version}, not the one you saw"
    return ProblemError(Problem.of(ErrorCode.VERSION_CONFLICT, detail, current_version=version))


class AvailabilityService:
    def __init__(self, store: Store, clock: Clock, bus: Bus) -> None:
        self._store = store
        self._clock = clock
        self._bus = bus

    async def _changed(self, master_id: str) -> None:
        await self._bus.publish(AvailabilityUpdated(master_id=master_id))

    # Masters.

    async def masters(self) -> list[MasterInfo]:
        masters = [u for u in await self._store.users() if u.role is Role.MASTER]
        async with self._store.catalog_reader() as catalog:
            return [await _info(catalog, user) for user in masters]

    async def master(self, ref: str) -> MasterInfo:
        """By id or username; 404 for anyone else."""
        user = await self._store.user_by_id(ref) or await self._store.user_by_name(ref)
        if user is None or user.role is not Role.MASTER:
            raise _not_found("master")
        async with self._store.catalog_reader() as catalog:
            return await _info(catalog, user)

    async def _master(self, master_id: str) -> UserRecord:
        user = await self._store.user_by_id(master_id)
        if user is None or user.role is not Role.MASTER:
            raise _not_found("master")
        return user

    # Services.

    async def services(
        self, master_id: str, caller: UserRecord | None, *, include_archived: bool
    ) -> list[Service]:
        await self._master(master_id)
        archived = include_archived and caller is not None and caller.id == master_id
        async with self._store.catalog_reader() as catalog:
            return await catalog.services(master_id, include_archived=archived)

    async def create_service(self, user: UserRecord, parsed: Parsed[ServiceCreate]) -> Service:
        request = valid(parsed)
        if user.role is not Role.MASTER:
            raise _forbidden("only a master offers services")
        service = new_service(request, service_id=str(uuid.uuid4()), master_id=user.id)
        async with self._store.writer() as tx:
            await tx.catalog.lock_master(user.id)
            await tx.catalog.save_service(service, new=True)
        await self._changed(user.id)
        return service

    async def patch_service(
        self,
        user: UserRecord,
        service_id: str,
        parsed: Parsed[ServicePatch],
        if_match: str | None,
    ) -> Service:
        async with self._store.writer() as tx:
            service = await tx.catalog.service(service_id)
            if service is None or (not service.active and service.master_id != user.id):
                raise _not_found("service")
            request = valid(parsed)
            expected = parse_if_match(if_match)
            if service.master_id != user.id:
                raise _forbidden("only the service's master may change it")
            await tx.catalog.lock_master(user.id)
            if expected != service.version:
                raise _stale("service", service.version)
            try:
                changed = patched_service(service, request)
            except ValueError as error:
                raise field_error("price_minor", str(error)) from None
            await tx.catalog.save_service(changed, new=False)
        await self._changed(user.id)
        return changed

    # Working hours.

    async def schedule(self, user: UserRecord, master_id: str) -> WeeklySchedule:
        await self._master(master_id)
        if user.id != master_id:
            raise _forbidden("only the master sees their working hours")
        async with self._store.catalog_reader() as catalog:
            return await catalog.schedule(master_id) or default_schedule()

    async def put_schedule(
        self,
        user: UserRecord,
        master_id: str,
        parsed: Parsed[ScheduleUpdate],
        if_match: str | None,
    ) -> WeeklySchedule:
        await self._master(master_id)
        request = valid(parsed)
        expected = parse_if_match(if_match)
        if user.id != master_id:
            raise _forbidden("only the master sets their working hours")
        async with self._store.writer() as tx:
            await tx.catalog.lock_master(master_id)
            current = await tx.catalog.schedule(master_id) or default_schedule()
            if expected != current.version:
                raise _stale("schedule", current.version)
            changed = WeeklySchedule(**request.model_dump(), version=current.version + 1)
            await tx.catalog.save_schedule(master_id, changed)
        await self._changed(master_id)
        return changed

    # Time off.

    async def time_off(
        self, user: UserRecord, master_id: str, start: datetime | None, end: datetime | None
    ) -> list[TimeOff]:
        await self._master(master_id)
        if user.id != master_id:
            raise _forbidden("only the master sees their time off")
        now = self._clock.now()
        async with self._store.catalog_reader() as catalog:
            return await catalog.time_off(
                master_id, start or now - timedelta(days=1), end or now + timedelta(days=3650)
            )

    async def add_time_off(
        self, user: UserRecord, master_id: str, parsed: Parsed[TimeOffCreate]
    ) -> TimeOff:
        await self._master(master_id)
        request = valid(parsed)
        if user.id != master_id:
            raise _forbidden("only the master adds their time off")
        item = TimeOff(id=str(uuid.uuid4()), master_id=master_id, **request.model_dump())
        async with self._store.writer() as tx:
            await tx.catalog.lock_master(master_id)
            await tx.catalog.add_time_off(item)
        await self._changed(master_id)
        return item

    async def delete_time_off(self, user: UserRecord, time_off_id: str) -> None:
        async with self._store.writer() as tx:
            item = await tx.catalog.time_off_item(time_off_id)
            if item is None or item.master_id != user.id:
                raise _not_found("time off")
            await tx.catalog.lock_master(user.id)
            await tx.catalog.delete_time_off(time_off_id)
        await self._changed(user.id)

    # Free slots.

    async def availability_json(
        self, master_id: str, service_id: str, first: date | None, last: date | None
    ) -> bytes:
        """The availability answer's JSON, written directly (no model per slot: ~150 a week)."""
        now = self._clock.now()
        if first is None or last is None:
            async with self._store.catalog_reader() as catalog:
                known = await catalog.schedule(master_id)
            today = local_day(now, known or default_schedule())
            first = first or today
            last = last or first + timedelta(days=6)
        _check_range(first, last)
        # Wide enough for any zone (UTC ± 14 h) and intervals to 24:00; free_slots keeps to the
        # master's own days. One read: service, schedule, bookings, time off.
        start = datetime.combine(first, time(), tzinfo=UTC) - _ZONE_SLACK
        end = datetime.combine(last + timedelta(days=2), time(), tzinfo=UTC) + _ZONE_SLACK
        async with self._store.catalog_reader(snapshot=False) as catalog:
            window = await catalog.window(master_id, service_id, start, end)
        service = window.service
        if service is None or not service.active:
            await self._master(master_id)
            raise _not_found("service")
        schedule = window.schedule or default_schedule()
        spans = free_spans(
            schedule,
            duration=timedelta(minutes=service.duration_minutes),
            buffer_after=timedelta(minutes=service.buffer_after_minutes),
            first_day=first,
            last_day=last,
            now=now,
            busy=window.busy,
            time_off=window.time_off,
        )
        slots = ",".join(
            f'{{"starts_at":"{_utc_text(start)}","ends_at":"{_utc_text(end)}"}}'
            for start, end in spans
        )
        head = json.dumps(
            {"master_id": master_id, "service_id": service_id, "time_zone": schedule.time_zone}
        )
        return f'{head[:-1]},"slots":[{slots}]}}'.encode()

    # Contacts.

    async def contact(self, user: UserRecord) -> ContactDetails:
        async with self._store.catalog_reader() as catalog:
            found = await catalog.contact(user.id)
        return ContactDetails(phone=found.phone, email=found.email) if found else ContactDetails()

    async def put_contact(self, user: UserRecord, parsed: Parsed[ContactUpdate]) -> ContactDetails:
        request = valid(parsed)
        async with self._store.writer() as tx:
            await tx.catalog.save_contact(user.id, Contact(request.phone, request.email))
        return ContactDetails(phone=request.phone, email=request.email)

    async def search_customers(
        self, user: UserRecord, query: str, limit: int
    ) -> list[CustomerEntry]:
        if user.role is not Role.MASTER:
            raise _forbidden("only a master searches customers")
        async with self._store.catalog_reader() as catalog:
            found = await catalog.search_customers(user.id, query.strip(), limit)
        return [
            CustomerEntry(
                id=match.user.id,
                username=match.user.username,
                display_name=match.user.display_name,
                phone=match.contact.phone if match.contact else None,
                email=match.contact.email if match.contact else None,
                has_booked=match.contact is not None,
            )
            for match in found
        ]


def _utc_text(moment: datetime) -> str:
    """As pydantic writes a UTC datetime: 2027-01-15T08:00:00Z (with .ffffff when it has µs)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ")


def _check_range(first: date, last: date) -> None:
    if last < first:
        raise field_error("to", "must not be before from", where="query")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise field_error("to", f"at most {MAX_RANGE_DAYS} days from `from`", where="query")


async def _info(catalog: Catalog, user: UserRecord) -> MasterInfo:
    schedule = await catalog.schedule(user.id)
    zone = schedule.time_zone if schedule else "UTC"
    return MasterInfo(user.id, user.username, user.display_name, zone)
