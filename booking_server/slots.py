"""The free-slot check of a customer's booking, in the writer transaction (availability [ext.])."""

from __future__ import annotations

from datetime import datetime, timedelta

from booking_core.availability import (
    BusyIndex,
    Service,
    SlotRequest,
    default_schedule,
    is_free_slot,
)
from booking_core.errors import ErrorCode
from booking_core.models import Booking
from booking_server.errors import ProblemError
from booking_server.store.catalog import Catalog


def field_error(field: str, message: str, *, where: str = "body") -> ProblemError:
    """422 invalid_request naming one field."""
    return ProblemError.of(
        ErrorCode.INVALID_REQUEST,
        f"{field} {message}",
        errors=[{"loc": [where, field], "field": field, "msg": message, "type": "value_error"}],
    )


async def check_free_slot(
    catalog: Catalog, booking: Booking, buffer_after: timedelta, now: datetime
) -> None:
    """409 slot_unavailable unless the booking's time is one of the master's free slots for a
    service that long (inside working hours, not in time off, clear of other bookings and their
    buffers with its own buffer after it, within notice and horizon). In the writer transaction,
    after `lock_master`."""
    schedule = await catalog.schedule(booking.master_id) or default_schedule()
    reach = booking.ends_at + buffer_after
    busy = await catalog.busy(booking.master_id, booking.starts_at, reach, booking.id)
    off = await catalog.time_off(booking.master_id, booking.starts_at, booking.ends_at)
    free = is_free_slot(
        schedule,
        SlotRequest(booking.starts_at, booking.ends_at),
        buffer_after=buffer_after,
        now=now,
        busy=BusyIndex(busy),
        time_off=[(t.starts_at, t.ends_at) for t in off],
    )
    if not free:
        raise ProblemError.of(
            ErrorCode.SLOT_UNAVAILABLE,
            "this time is not a free slot of the master: see GET /api/v1/masters/"
            f"{booking.master_id}/availability",
        )


async def catalog_service(catalog: Catalog, master_id: str, service_id: str) -> Service:
    """The active service `service_id` of the master, or 422."""
    service = await catalog.service(service_id)
    if service is None or service.master_id != master_id or not service.active:
        raise field_error("service_id", "does not name an active service of this master")
    return service
