"""What a master offers and when: services, weekly working hours, time off, and the free slots.

Free slots = working hours − time off − active bookings (each with its service's buffer after it)
− minimum notice − horizon, in the master's IANA time zone. Working hours are wall-clock times
(`"09:00"`); each day's intervals are turned into UTC instants through `zoneinfo`, so a week that
crosses a daylight-saving change keeps 09:00 at 09:00 local time, a night interval over the
spring change is an hour shorter and one over the autumn change an hour longer.

Slots lie on a grid of `slot_step_minutes` counted from the start of their working interval. A
slot [start, start + duration) lies inside working hours and outside time off; the slot with its
own buffer after it, [start, start + duration + buffer), overlaps no active booking with that
booking's buffer after it. `free_slots` is pure: the server feeds it what it read in one
transaction, the client what it has cached, and both get the same answer.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Annotated, Literal, Self, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from booking_core.models import MAX_DURATION, MAX_SERVICE, UtcDatetime

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_RANGE_DAYS = 31
MAX_NOTE = 500
MAX_TIME_OFF = timedelta(days=366)

_CLOCK = re.compile(r"^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


@lru_cache(maxsize=256)
def zone_of(name: str) -> ZoneInfo:
    """The IANA zone of that name; ValueError for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown IANA time zone {name!r}") from error


def _zone_name(name: str) -> str:
    zone_of(name)
    return name


def _currency(code: str) -> str:
    if not _CURRENCY.match(code):
        raise ValueError("an ISO 4217 code: three capital letters, e.g. EUR")
    return code


def minutes_of(clock: str) -> int:
    """Minutes after midnight of "HH:MM" ("24:00" is the end of the day: 1440)."""
    match = _CLOCK.match(clock)
    if match is None:
        raise ValueError(f"{clock!r} is not a time HH:MM (00:00 to 24:00)")
    if match.group(1) is None:
        return 24 * 60
    return int(match.group(1)) * 60 + int(match.group(2))


def _clock(text: str) -> str:
    minutes_of(text)
    return text


TimeZoneName = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_zone_name)]
Currency = Annotated[str, AfterValidator(_currency)]
ClockTime = Annotated[str, AfterValidator(_clock)]
Interval = tuple[ClockTime, ClockTime]
ServiceName = Annotated[str, Field(min_length=1, max_length=MAX_SERVICE)]
DurationMinutes = Annotated[int, Field(ge=5, le=int(MAX_DURATION.total_seconds()) // 60)]
BufferMinutes = Annotated[int, Field(ge=0, le=240)]
PriceMinor = Annotated[int, Field(ge=0, le=10**10)]


def _check_day(day: str, intervals: list[Interval]) -> list[Interval]:
    """Each interval starts before it ends; a day's intervals do not overlap (sorted on output)."""
    ordered = sorted(intervals, key=lambda pair: minutes_of(pair[0]))
    previous_end = -1
    for start, end in ordered:
        if minutes_of(start) >= minutes_of(end):
            raise ValueError(f"{day}: {start}-{end} must start before it ends")
        if minutes_of(start) < previous_end:
            raise ValueError(f"{day}: intervals overlap at {start}")
        previous_end = minutes_of(end)
    return ordered


class _ScheduleFields(BaseModel):
    time_zone: TimeZoneName
    # Per weekday ("mon" … "sun") the working intervals, e.g. [["09:00","12:00"],["13:00","18:00"]]:
    # the gap is the break. A weekday left out (or empty) is a day off.
    weekly: dict[Weekday, Annotated[list[Interval], Field(max_length=24)]] = Field(
        default_factory=dict
    )
    min_notice_minutes: int = Field(default=60, ge=0, le=60 * 24 * 60)
    horizon_days: int = Field(default=60, ge=1, le=730)
    slot_step_minutes: int = Field(default=15, ge=5, le=240)

    @model_validator(mode="after")
    def _intervals(self) -> Self:
        for day, intervals in self.weekly.items():
            ordered = _check_day(day, intervals)
            if ordered != intervals:
                self.weekly[day] = ordered
        return self


class WeeklySchedule(_ScheduleFields, _Open):
    """A master's working hours and booking rules; version 0: never set (no working hours)."""

    version: int = Field(default=0, ge=0)


class ScheduleUpdate(_ScheduleFields, _Strict):
    """The body of PUT /masters/{id}/schedule: the whole schedule."""


def default_schedule(time_zone: str = "UTC") -> WeeklySchedule:
    """The schedule of a master who never set one: no working hours, so no free slots."""
    return WeeklySchedule(time_zone=time_zone, weekly={}, version=0)


class Service(_Open):
    id: str
    master_id: str
    name: ServiceName
    duration_minutes: DurationMinutes
    price_minor: PriceMinor | None = None
    currency: Currency | None = None
    buffer_after_minutes: BufferMinutes = 0
    active: bool = True
    version: int = Field(ge=1)


def _check_price(price_minor: int | None, currency: str | None) -> None:
    if (price_minor is None) != (currency is None):
        raise ValueError("price_minor and currency are given together (or neither)")


class ServiceCreate(_Strict):
    name: ServiceName
    duration_minutes: DurationMinutes
    price_minor: PriceMinor | None = None
    currency: Currency | None = None
    buffer_after_minutes: BufferMinutes = 0
    active: bool = True

    @model_validator(mode="after")
    def _price(self) -> Self:
        _check_price(self.price_minor, self.currency)
        return self


class ServicePatch(_Strict):
    """Only the fields given change; `"price_minor": null, "currency": null` removes the price,
    `"active": false` archives the service."""

    name: ServiceName | None = None
    duration_minutes: DurationMinutes | None = None
    price_minor: PriceMinor | None = None
    currency: Currency | None = None
    buffer_after_minutes: BufferMinutes | None = None
    active: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("nothing to change")
        for name in self.model_fields_set - {"price_minor", "currency"}:
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


def new_service(create: ServiceCreate, *, service_id: str, master_id: str) -> Service:
    return Service(id=service_id, master_id=master_id, version=1, **create.model_dump())


def patched_service(service: Service, patch: ServicePatch) -> Service:
    """The service after `patch` (version + 1); ValueError when the price would be half given."""
    update = {name: getattr(patch, name) for name in patch.model_fields_set}
    changed = service.model_copy(update={**update, "version": service.version + 1})
    _check_price(changed.price_minor, changed.currency)
    return changed


class TimeOff(_Open):
    id: str
    master_id: str
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    note: Annotated[str, Field(max_length=MAX_NOTE)] = ""


class TimeOffCreate(_Strict):
    """Time off: a holiday of several days, an afternoon, ... (UTC instants, ends after starts)."""

    starts_at: UtcDatetime
    ends_at: UtcDatetime
    note: Annotated[str, Field(max_length=MAX_NOTE)] = ""

    @model_validator(mode="after")
    def _times(self) -> Self:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.ends_at - self.starts_at > MAX_TIME_OFF:
            raise ValueError("time off lasts at most 366 days: add several")
        return self


class Slot(_Open):
    starts_at: UtcDatetime
    ends_at: UtcDatetime


class Availability(_Open):
    """The body of GET /masters/{id}/availability."""

    master_id: str
    service_id: str
    time_zone: str
    slots: list[Slot]


Span = tuple[datetime, datetime]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
Micros = tuple[int, int]  # a span in microseconds since the epoch (UTC)


def micros(moment: datetime) -> int:
    """Microseconds since the epoch: the spans are compared as integers (cheaper than times)."""
    return (moment - _EPOCH) // _MICRO


def from_micros(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


class BusyIndex:
    """Active bookings of one master as (start, end + buffer) spans, sorted by start: the spans
    touching a window are found by bisection (O(log n + k)), not by a scan of all of them."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._set([(micros(start), micros(end)) for start, end in spans])

    @classmethod
    def of_micros(cls, spans: Iterable[Micros]) -> BusyIndex:
        """From spans in microseconds (as SQLite stores them: no conversion per booking)."""
        index = cls()
        index._set(list(spans))
        return index

    def _set(self, spans: list[Micros]) -> None:
        spans.sort()
        self._spans = spans
        self._starts = [start for start, _ in spans]
        self._longest = max((end - start for start, end in spans), default=0)

    def __len__(self) -> int:
        return len(self._spans)

    def within(self, start: datetime, end: datetime) -> list[Span]:
        """The spans that overlap [start, end)."""
        found = self.within_micros(micros(start), micros(end))
        return [(from_micros(s), from_micros(e)) for s, e in found]

    def within_micros(self, start: int, end: int) -> list[Micros]:
        first = bisect_right(self._starts, start - self._longest)
        last = bisect_right(self._starts, end)
        return [span for span in self._spans[first:last] if span[1] > start and span[0] < end]


_T = TypeVar("_T", int, datetime)


def _merged(spans: Iterable[tuple[_T, _T]]) -> list[tuple[_T, _T]]:
    """Sorted, overlapping or touching spans joined."""
    out: list[tuple[_T, _T]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


class _Blocked:
    """Disjoint sorted spans; whether [start, end) meets any, by bisection."""

    def __init__(self, spans: Iterable[Micros]) -> None:
        self._spans = _merged(spans)
        self._ends = [end for _, end in self._spans]

    def blocker(self, start: int, end: int) -> int | None:
        """The end of the first span that meets [start, end), or None when none does."""
        index = bisect_right(self._ends, start)
        if index < len(self._spans) and self._spans[index][0] < end:
            return self._ends[index]
        return None


def local_instant(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of the wall-clock time `minutes` after midnight of `day` in `zone`. A time
    skipped by a spring change counts with the offset before it (02:30 → 03:30 in Berlin); a time
    that occurs twice in autumn, at its first occurrence."""
    if minutes >= 24 * 60:
        day, minutes = day + timedelta(days=1), minutes - 24 * 60
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(UTC)


def working_windows(schedule: WeeklySchedule, first_day: date, last_day: date) -> list[Span]:
    """The working intervals of the local days first_day … last_day as UTC spans, sorted and
    joined where they touch (an interval ending at 24:00 goes on in one starting at 00:00)."""
    zone = zone_of(schedule.time_zone)
    spans: list[Span] = []
    day = first_day
    while day <= last_day:
        for start, end in schedule.weekly.get(WEEKDAYS[day.weekday()], []):
            spans.append(
                (
                    local_instant(day, minutes_of(start), zone),
                    local_instant(day, minutes_of(end), zone),
                )
            )
        day += timedelta(days=1)
    return _merged(spans)


def free_slots(
    schedule: WeeklySchedule,
    *,
    duration: timedelta,
    buffer_after: timedelta,
    first_day: date,
    last_day: date,
    now: datetime,
    busy: BusyIndex,
    time_off: Sequence[Span] = (),
) -> list[Slot]:
    """The free slots of a service (`duration`, `buffer_after`) on the local days first_day …
    last_day (inclusive) of the schedule's zone; see the module docstring for the rules."""
    spans = free_spans(
        schedule,
        duration=duration,
        buffer_after=buffer_after,
        first_day=first_day,
        last_day=last_day,
        now=now,
        busy=busy,
        time_off=time_off,
    )
    # Built without validation: both are UTC datetimes already.
    return [Slot.model_construct(starts_at=start, ends_at=end) for start, end in spans]


def free_spans(
    schedule: WeeklySchedule,
    *,
    duration: timedelta,
    buffer_after: timedelta,
    first_day: date,
    last_day: date,
    now: datetime,
    busy: BusyIndex,
    time_off: Sequence[Span] = (),
) -> list[Span]:
    """`free_slots` as (start, end) pairs of UTC datetimes (no model per slot: the hot path)."""
    windows = working_windows(schedule, first_day, last_day)
    if not windows:
        return []
    step = schedule.slot_step_minutes * 60_000_000
    length, buffer = duration // _MICRO, buffer_after // _MICRO
    earliest = micros(now + timedelta(minutes=schedule.min_notice_minutes))
    latest = micros(now + timedelta(days=schedule.horizon_days))
    span_start, span_end = micros(windows[0][0]), micros(windows[-1][1])
    off = _Blocked(
        (max(micros(s), span_start), min(micros(e), span_end))
        for s, e in time_off
        if micros(s) < span_end and micros(e) > span_start
    )
    taken = _Blocked(busy.within_micros(span_start, span_end + length + buffer))
    slots: list[Span] = []
    for window in windows:
        window_start, window_end = micros(window[0]), micros(window[1])
        last = min(window_end - length, latest)
        start = _on_grid(window_start, max(window_start, earliest), step)
        while start <= last:
            end = start + length
            blocked = off.blocker(start, end)
            if blocked is None:
                blocked = taken.blocker(start, end + buffer)
            if blocked is None:
                slots.append((from_micros(start), from_micros(end)))
                start += step
            else:
                # Every start before the blocking span's end meets it too: jump past it.
                start = _on_grid(window_start, blocked, step)
    return slots


def _on_grid(origin: int, moment: int, step: int) -> int:
    """The first time at or after `moment` on the grid of `step` counted from `origin`."""
    return origin - ((origin - moment) // step) * step


def local_day(moment: datetime, schedule: WeeklySchedule) -> date:
    """The date of `moment` in the schedule's zone."""
    return moment.astimezone(zone_of(schedule.time_zone)).date()


@dataclass(frozen=True, slots=True)
class SlotRequest:
    """A booking's time as a free-slot check sees it."""

    starts_at: datetime
    ends_at: datetime


def is_free_slot(
    schedule: WeeklySchedule,
    request: SlotRequest,
    *,
    buffer_after: timedelta,
    now: datetime,
    busy: BusyIndex,
    time_off: Sequence[Span] = (),
) -> bool:
    """Whether [starts_at, ends_at) is exactly one of the free slots of a service that long."""
    day = local_day(request.starts_at, schedule)
    slots = free_slots(
        schedule,
        duration=request.ends_at - request.starts_at,
        buffer_after=buffer_after,
        # The day before too: its last interval may run on past midnight (24:00 → 00:00).
        first_day=day - timedelta(days=1),
        last_day=day,
        now=now,
        busy=busy,
        time_off=time_off,
    )
    return Slot(starts_at=request.starts_at, ends_at=request.ends_at) in slots
