"""Working time and client-side slot suggestions (desktop_app.ui.work_hours): pure functions."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from booking_core import Booking, Status
from booking_core.availability import Service, TimeOff, WeeklySchedule
from desktop_app.ui.work_hours import (
    day_bounds,
    inside,
    outside_spans,
    suggest_slots,
    working_spans,
)

BERLIN = ZoneInfo("Europe/Berlin")
LISBON = ZoneInfo("Europe/Lisbon")
MASTER = "m-1"
SCHEDULE = WeeklySchedule(
    time_zone="Europe/Berlin",
    weekly={"mon": [("09:00", "12:00"), ("13:00", "18:00")], "sat": [("10:00", "14:00")]},
    min_notice_minutes=0,
    slot_step_minutes=15,
    version=1,
)
HAIRCUT = Service(
    id="s-1",
    master_id=MASTER,
    name="Haircut",
    duration_minutes=45,
    buffer_after_minutes=15,
    version=1,
)
MONDAY = date(2026, 3, 2)


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)


def booking(
    starts: datetime, minutes: int, status: Status = Status.CONFIRMED, service_id: str = "s-1"
) -> Booking:
    return Booking(
        id=f"b-{starts.isoformat()}",
        master_id=MASTER,
        customer_id="c-1",
        service="Haircut",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        status=status,
        version=1,
        updated_at=starts,
        updated_by=MASTER,
        service_id=service_id,
    )


def between_of(bookings: list[Booking]) -> object:
    ordered = sorted(bookings, key=lambda b: b.starts_at)
    keys = [b.starts_at for b in ordered]

    def between(start: datetime, end: datetime) -> Iterable[Booking]:
        return ordered[bisect.bisect_left(keys, start) : bisect.bisect_left(keys, end)]

    return between


def test_working_time_of_a_day_has_the_break_and_time_off_cut_out() -> None:
    start, end = day_bounds(MONDAY, BERLIN)
    off = TimeOff(
        id="t", master_id=MASTER, starts_at=at(MONDAY, 16), ends_at=at(MONDAY, 20), note=""
    )
    assert working_spans(SCHEDULE, [off], start, end) == [
        (at(MONDAY, 9), at(MONDAY, 12)),
        (at(MONDAY, 13), at(MONDAY, 16)),
    ]
    assert outside_spans(SCHEDULE, [off], start, end) == [
        (start, at(MONDAY, 9)),
        (at(MONDAY, 12), at(MONDAY, 13)),
        (at(MONDAY, 16), end),
    ]


def test_a_day_off_is_outside_work_all_day() -> None:
    sunday = MONDAY - timedelta(days=1)
    start, end = day_bounds(sunday, BERLIN)
    assert working_spans(SCHEDULE, [], start, end) == []
    assert outside_spans(SCHEDULE, [], start, end) == [(start, end)]


def test_the_days_shown_are_the_computer_s_not_the_master_s() -> None:
    """Viewed from Lisbon (an hour behind Berlin) Monday's work is 08:00-11:00 and 12:00-17:00."""
    start, end = day_bounds(MONDAY, LISBON)
    spans = working_spans(SCHEDULE, [], start, end)
    assert [(s.astimezone(LISBON).hour, e.astimezone(LISBON).hour) for s, e in spans] == [
        (8, 11),
        (12, 17),
    ]


def test_free_gaps_are_cut_to_working_time() -> None:
    spans = [(at(MONDAY, 9), at(MONDAY, 12)), (at(MONDAY, 13), at(MONDAY, 18))]
    gaps = [(at(MONDAY, 8), at(MONDAY, 20))]
    assert inside(spans, gaps) == spans


def test_suggested_slots_skip_bookings_with_their_buffers() -> None:
    taken = booking(at(MONDAY, 10), 45)  # + 15 min buffer: busy 10:00-11:00
    cancelled = booking(at(MONDAY, 14), 45, Status.CANCELLED)
    now = at(MONDAY, 0)
    slots = suggest_slots(
        SCHEDULE,
        HAIRCUT,
        day=MONDAY,
        zone=BERLIN,
        now=now,
        between=between_of([taken, cancelled]),  # type: ignore[arg-type]
        master_id=MASTER,
        buffers={"s-1": 15},
    )
    starts = [s.astimezone(BERLIN).strftime("%H:%M") for s, _ in slots]
    # 09:00 + 45 + 15 buffer must end by 10:00: 09:00 is the last before the booking.
    assert starts[:2] == ["09:00", "11:00"]
    assert "09:15" not in starts
    assert "10:00" not in starts
    assert starts[2] == "11:15"
    assert "14:00" in starts  # a cancelled booking holds nothing
    assert starts[-1] == "17:15"  # the slot ends with work at 18:00 (its buffer may not)
    assert all(e - s == timedelta(minutes=45) for s, e in slots)


def test_suggestions_leave_out_the_booking_being_moved_and_the_past() -> None:
    taken = booking(at(MONDAY, 9), 45)
    now = at(MONDAY, 15, 5)
    slots = suggest_slots(
        SCHEDULE,
        HAIRCUT,
        day=MONDAY,
        zone=BERLIN,
        now=now,
        between=between_of([taken]),  # type: ignore[arg-type]
        master_id=MASTER,
        buffers={},
        ignore=taken.id,
    )
    assert slots[0][0] == at(MONDAY, 15, 15)
