"""Working time as the views and the booking form see it: pure functions, no Qt.

A master's `WeeklySchedule` is in the master's IANA zone; the views show the days of the
computer's zone. Everything here works on UTC instants, so the two never get mixed up:

- `working_spans(schedule, time_off, start, end)`: the working time inside [start, end) — the
  schedule's intervals minus time off — as sorted, disjoint UTC spans (what the views leave
  unshaded, and the only time the "Free · …" gaps may lie in);
- `outside_spans(...)`: the rest of [start, end) (what the views shade);
- `suggest_slots(...)`: the free slots of a service on one day of the computer's zone, from the
  bookings the app has loaded (`booking_core.availability.free_spans` over a `BusyIndex` of just
  the bookings near that day, fetched by bisection: cheap at 100k loaded bookings).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from booking_core import MAX_DURATION, Booking
from booking_core.availability import (
    BusyIndex,
    Service,
    Span,
    TimeOff,
    WeeklySchedule,
    free_spans,
    local_day,
    working_windows,
)

# A booking's buffer after it is at most this long (booking_core.availability.BufferMinutes).
MAX_BUFFER = timedelta(minutes=240)
BookingsBetween = Callable[[datetime, datetime], Iterable[Booking]]


class CatalogLike(Protocol):
    """What the form reads of a master's catalog (desktop_app.sync.CatalogView has it)."""

    @property
    def services(self) -> tuple[Service, ...]: ...
    @property
    def schedule(self) -> WeeklySchedule: ...
    @property
    def time_off(self) -> tuple[TimeOff, ...]: ...
    @property
    def loaded(self) -> bool: ...


def day_bounds(day: date, zone: tzinfo | None) -> tuple[datetime, datetime]:
    """The instants a local day of `zone` (None: the computer's) starts and ends."""
    start = datetime.combine(day, time(), tzinfo=zone)
    if start.tzinfo is None or start.utcoffset() is None:
        start = start.astimezone()
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=start.tzinfo)
    return start, end


def working_spans(
    schedule: WeeklySchedule,
    time_off: Sequence[TimeOff],
    start: datetime,
    end: datetime,
) -> list[Span]:
    """The working time inside [start, end): the schedule's intervals minus time off."""
    first = local_day(start, schedule) - timedelta(days=1)
    last = local_day(end, schedule)
    windows = [
        (max(s, start), min(e, end))
        for s, e in working_windows(schedule, first, last)
        if s < end and e > start
    ]
    offs = sorted((t.starts_at, t.ends_at) for t in time_off if t.starts_at < end)
    return _minus(windows, offs)


def outside_spans(
    schedule: WeeklySchedule,
    time_off: Sequence[TimeOff],
    start: datetime,
    end: datetime,
) -> list[Span]:
    """The time inside [start, end) that is not working time (what the views shade)."""
    return _minus([(start, end)], working_spans(schedule, time_off, start, end))


def inside(spans: Sequence[Span], gaps: Iterable[Span]) -> list[Span]:
    """Each gap cut to the parts of it that lie inside `spans` (both sorted and disjoint)."""
    out: list[Span] = []
    for gap_start, gap_end in gaps:
        for span_start, span_end in spans:
            low, high = max(gap_start, span_start), min(gap_end, span_end)
            if low < high:
                out.append((low, high))
    return out


def _minus(spans: Iterable[Span], holes: Sequence[Span]) -> list[Span]:
    """`spans` with `holes` cut out (holes sorted by start)."""
    out: list[Span] = []
    for span_start, span_end in spans:
        cursor = span_start
        for hole_start, hole_end in holes:
            if hole_end <= cursor or hole_start >= span_end:
                continue
            if hole_start > cursor:
                out.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            if cursor >= span_end:
                break
        if cursor < span_end:
            out.append((cursor, span_end))
    return out


def suggest_slots(
    schedule: WeeklySchedule,
    service: Service,
    *,
    day: date,
    zone: tzinfo | None,
    now: datetime,
    between: BookingsBetween,
    master_id: str,
    buffers: Mapping[str, int],
    time_off: Sequence[TimeOff] = (),
    ignore: str | None = None,
) -> list[Span]:
    """The free slots of `service` that start on `day` of `zone` (None: the computer's), as the
    server would compute them from the bookings the app has: `between(start, end)` gives the
    loaded bookings starting in [start, end) in start order (the model's bisection), `buffers`
    the buffer after (minutes) of each catalog service by id; `ignore` a booking to leave out
    (the one being moved)."""
    start, end = day_bounds(day, zone)
    duration = timedelta(minutes=service.duration_minutes)
    buffer = timedelta(minutes=service.buffer_after_minutes)
    # Every booking that can reach into a slot of this day, its buffer included.
    nearby = between(start - MAX_DURATION - MAX_BUFFER, end + duration + buffer)
    busy = BusyIndex(
        (
            booking.starts_at,
            booking.ends_at + timedelta(minutes=buffers.get(booking.service_id or "", 0)),
        )
        for booking in nearby
        if booking.master_id == master_id and booking.is_active and booking.id != ignore
    )
    spans = free_spans(
        schedule,
        duration=duration,
        buffer_after=buffer,
        first_day=local_day(start, schedule) - timedelta(days=1),
        last_day=local_day(end, schedule),
        now=now,
        busy=busy,
        time_off=[(t.starts_at, t.ends_at) for t in time_off if t.starts_at < end],
    )
    return [(s, e) for s, e in spans if start <= s < end]
