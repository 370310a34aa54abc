"""Small builders of domain objects for the UI tests (plain values, no fakes of our own code)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from booking_core import Booking, Status

MASTER = "u-anna"
CUSTOMER = "u-carl"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def booking(
    booking_id: str = "b-1",
    *,
    start: datetime = NOW + timedelta(hours=1),
    minutes: int = 30,
    status: Status = Status.PENDING,
    version: int = 1,
    service: str = "Haircut",
    customer: str = CUSTOMER,
    note: str = "",
) -> Booking:
    return Booking(
        id=booking_id,
        master_id=MASTER,
        customer_id=customer,
        service=service,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        status=status,
        note=note,
        version=version,
        updated_at=NOW,
        updated_by=MASTER,
    )
