"""Free slots: working hours − time off − active bookings (with buffers) − notice/horizon, in the
master's zone, across daylight-saving changes; and the catalog and schedule models."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from booking_core import Action, BookingCreate, Status, new_booking
from booking_core.availability import (
    BusyIndex,
    ScheduleUpdate,
    ServiceCreate,
    ServicePatch,
    SlotRequest,
    TimeOffCreate,
    WeeklySchedule,
    default_schedule,
    free_slots,
    is_free_slot,
    new_service,
    patched_service,
    working_windows,
)
from booking_core.models import BookingRequest
from booking_core.state_machine import TRANSITIONS

H = timedelta(hours=1)
M = timedelta(minutes=1)
WEEKDAYS_9_TO_6 = {
    day: [("09:00", "12:00"), ("13:00", "18:00")] for day in ("mon", "tue", "wed", "thu", "fri")
}


def schedule(zone: str = "Europe/Berlin", **kw: object) -> WeeklySchedule:
    fields: dict[str, object] = {
        "time_zone": zone,
        "weekly": WEEKDAYS_9_TO_6,
        "min_notice_minutes": 0,
        "horizon_days": 365,
        "slot_step_minutes": 15,
        "version": 1,
    }
    fields.update(kw)
    return WeeklySchedule.model_validate(fields)


def slots_of(
    plan: WeeklySchedule,
    first: date,
    last: date | None = None,
    *,
    minutes: int = 60,
    buffer: int = 0,
    now: datetime | None = None,
    busy: list[tuple[datetime, datetime]] | None = None,
    time_off: list[tuple[datetime, datetime]] | None = None,
) -> list[datetime]:
    found = free_slots(
        plan,
        duration=timedelta(minutes=minutes),
        buffer_after=timedelta(minutes=buffer),
        first_day=first,
        last_day=last or first,
        now=now or datetime(2026, 1, 1, tzinfo=UTC),
        busy=BusyIndex(busy or []),
        time_off=time_off or [],
    )
    return [slot.starts_at for slot in found]


def local(zone: str, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def test_a_day_has_slots_on_the_step_grid_with_the_break_left_out() -> None:
    monday = date(2026, 6, 1)
    starts = slots_of(schedule(), monday)
    berlin = [s.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") for s in starts]
    assert berlin[:3] == ["09:00", "09:15", "09:30"]
    assert "11:00" in berlin
    assert "11:15" not in berlin  # 11:15-12:15 would run into the break
    assert "12:00" not in berlin
    assert berlin[-1] == "17:00"
    assert len(starts) == 9 + 17


def test_a_day_off_has_no_slots() -> None:
    assert slots_of(schedule(), date(2026, 6, 6)) == []  # Saturday
    assert slots_of(default_schedule(), date(2026, 6, 1)) == []


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Europe/Berlin", date(2026, 3, 29)),  # spring: 02:00 → 03:00
        ("Europe/Berlin", date(2026, 10, 25)),  # autumn: 03:00 → 02:00
        ("America/New_York", date(2026, 3, 8)),
        ("America/New_York", date(2026, 11, 1)),
    ],
)
def test_working_hours_stay_at_local_time_across_a_dst_change(zone: str, day: date) -> None:
    every_day = {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    plan = schedule(zone, weekly=every_day, slot_step_minutes=60)
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    starts = slots_of(plan, before, after)
    assert len(starts) == 3 * 8
    hours = [s.astimezone(ZoneInfo(zone)).hour for s in starts]
    assert hours == list(range(9, 17)) * 3
    # The UTC offset changed between the first and the last day.
    assert (
        starts[0].astimezone(ZoneInfo(zone)).utcoffset()
        != starts[-1].astimezone(ZoneInfo(zone)).utcoffset()
    )


@pytest.mark.parametrize(
    ("zone", "day", "count", "local_hours"),
    [
        # A night from 00:00 to 06:00 lasts 5 hours on the spring day...
        ("Europe/Berlin", date(2026, 3, 29), 5, [0, 1, 3, 4, 5]),
        ("America/New_York", date(2026, 3, 8), 5, [0, 1, 3, 4, 5]),
        # ... and 7 on the autumn day, the repeated hour twice.
        ("Europe/Berlin", date(2026, 10, 25), 7, [0, 1, 2, 2, 3, 4, 5]),
        ("America/New_York", date(2026, 11, 1), 7, [0, 1, 1, 2, 3, 4, 5]),
    ],
)
def test_a_night_interval_over_the_change_is_shorter_or_longer(
    zone: str, day: date, count: int, local_hours: list[int]
) -> None:
    sunday = {"sun": [("00:00", "06:00")]}
    plan = schedule(zone, weekly=sunday, slot_step_minutes=60)
    starts = slots_of(plan, day)
    assert len(starts) == count
    assert [s.astimezone(ZoneInfo(zone)).hour for s in starts] == local_hours
    gaps = {b - a for a, b in itertools.pairwise(starts)}
    assert gaps == {H}  # one real hour apart, whatever the wall clock says


def test_an_interval_to_midnight_goes_on_into_the_next_day() -> None:
    plan = schedule("UTC", weekly={"mon": [("22:00", "24:00")], "tue": [("00:00", "02:00")]})
    starts = slots_of(plan, date(2026, 6, 1), date(2026, 6, 2), minutes=120, buffer=0)
    assert datetime(2026, 6, 1, 23, tzinfo=UTC) in starts  # 23:00-01:00 spans midnight
    assert working_windows(plan, date(2026, 6, 1), date(2026, 6, 2)) == [
        (datetime(2026, 6, 1, 22, tzinfo=UTC), datetime(2026, 6, 2, 2, tzinfo=UTC))
    ]


def test_bookings_and_their_buffers_block_slots() -> None:
    plan = schedule("UTC")
    monday = date(2026, 6, 1)
    booking = (datetime(2026, 6, 1, 10, tzinfo=UTC), datetime(2026, 6, 1, 11, 15, tzinfo=UTC))
    starts = slots_of(plan, monday, minutes=30, buffer=15, busy=[booking])
    hm = [s.strftime("%H:%M") for s in starts]
    # 09:15-09:45 + 15 min buffer ends at 10:00: fits; 09:30 would need until 10:15.
    assert "09:15" in hm
    assert "09:30" not in hm
    assert "11:00" not in hm
    assert "11:15" in hm  # right after the booking's span (its buffer is part of that span)


def test_time_off_blocks_a_partial_day_and_notice_and_horizon_cut() -> None:
    plan = schedule("UTC", min_notice_minutes=120, horizon_days=2)
    monday = date(2026, 6, 1)
    now = datetime(2026, 6, 1, 8, 50, tzinfo=UTC)
    off = [(datetime(2026, 6, 1, 14, tzinfo=UTC), datetime(2026, 6, 1, 16, tzinfo=UTC))]
    starts = slots_of(plan, monday, date(2026, 6, 5), now=now, time_off=off)
    hm = [s.strftime("%d %H:%M") for s in starts]
    assert hm[0] == "01 11:00"  # 08:50 + 2 h notice = 10:50, on to the 15 min grid
    assert "01 13:00" in hm
    assert "01 13:15" not in hm  # would run into the time off at 14:00
    assert "01 15:00" not in hm
    assert "01 16:00" in hm
    assert max(starts) <= now + timedelta(days=2)
    assert "03 09:00" not in hm


def test_is_free_slot_agrees_with_the_list() -> None:
    plan = schedule("Europe/Berlin")
    now = datetime(2026, 6, 1, tzinfo=UTC)
    start = local("Europe/Berlin", 2026, 6, 2, 9, 30)

    def free(start: datetime, minutes: int = 60) -> bool:
        return is_free_slot(
            plan,
            SlotRequest(start, start + timedelta(minutes=minutes)),
            buffer_after=timedelta(0),
            now=now,
            busy=BusyIndex([]),
        )

    assert free(start)
    assert not free(start + 5 * M)  # off the grid
    assert not free(local("Europe/Berlin", 2026, 6, 2, 11, 30))  # into the break
    assert not free(local("Europe/Berlin", 2026, 6, 2, 3, 0))  # 3 a.m.


def test_busy_index_finds_only_what_touches_the_window() -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    spans = [(base + i * H, base + i * H + 30 * M) for i in range(10_000)]
    index = BusyIndex(reversed(spans))
    assert index.within(base + 100 * H + 10 * M, base + 102 * H) == spans[100:102]
    assert index.within(base - H, base) == []


# Property tests: whatever the hours, bookings, time off and rules, every slot is inside working
# hours, on the grid, clear of every booking's span and of time off, and respects notice/horizon.

_CLOCKS = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)] + ["24:00"]
_ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]


@st.composite
def day_intervals(draw: st.DrawFn) -> list[tuple[str, str]]:
    cuts = sorted(set(draw(st.lists(st.sampled_from(_CLOCKS), max_size=6))))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return [(a, b) for a, b in pairs if a < b or b == "24:00"]


@st.composite
def plans(draw: st.DrawFn) -> WeeklySchedule:
    weekly = {
        day: draw(day_intervals()) for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    }
    return WeeklySchedule(
        time_zone=draw(st.sampled_from(_ZONES)),
        weekly=weekly,
        min_notice_minutes=draw(st.integers(0, 600)),
        horizon_days=draw(st.integers(1, 20)),
        slot_step_minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 45, 60])),
        version=1,
    )


_ORIGIN = datetime(2026, 3, 5, tzinfo=UTC)  # spans the March changes of Berlin and New York


@st.composite
def spans(draw: st.DrawFn, longest: int) -> list[tuple[datetime, datetime]]:
    out = []
    for _ in range(draw(st.integers(0, 25))):
        start = _ORIGIN + draw(st.integers(0, 12 * 24 * 4)) * 15 * M
        out.append((start, start + draw(st.integers(1, longest)) * 5 * M))
    return out


@settings(max_examples=150, deadline=None)
@given(
    plan=plans(),
    minutes=st.integers(5, 180),
    buffer=st.integers(0, 60),
    busy=spans(40),
    off=spans(200),
    now_offset=st.integers(-48, 48),
)
def test_every_slot_is_free(
    plan: WeeklySchedule,
    minutes: int,
    buffer: int,
    busy: list[tuple[datetime, datetime]],
    off: list[tuple[datetime, datetime]],
    now_offset: int,
) -> None:
    first, last = date(2026, 3, 6), date(2026, 3, 13)
    now = _ORIGIN + now_offset * H
    duration, after = timedelta(minutes=minutes), timedelta(minutes=buffer)
    slots = free_slots(
        plan,
        duration=duration,
        buffer_after=after,
        first_day=first,
        last_day=last,
        now=now,
        busy=BusyIndex(busy),
        time_off=off,
    )
    windows = working_windows(plan, first, last)
    step = timedelta(minutes=plan.slot_step_minutes)
    for slot in slots:
        start, end = slot.starts_at, slot.ends_at
        assert end - start == duration
        inside = [(ws, we) for ws, we in windows if ws <= start and end <= we]
        assert len(inside) == 1, "inside one working interval"
        assert (start - inside[0][0]) % step == timedelta(0), "on the step grid"
        assert all(not (bs < end + after and start < be) for bs, be in busy)
        assert all(not (os < end and start < oe) for os, oe in off)
        assert start >= now + timedelta(minutes=plan.min_notice_minutes)
        assert start <= now + timedelta(days=plan.horizon_days)
    starts = [slot.starts_at for slot in slots]
    assert starts == sorted(set(starts))
    # And none is missing: every grid start that passes every rule, checked one by one.
    expected = []
    earliest = now + timedelta(minutes=plan.min_notice_minutes)
    latest = now + timedelta(days=plan.horizon_days)
    for ws, we in windows:
        start = ws
        while start + duration <= we:
            end = start + duration
            if (
                earliest <= start <= latest
                and all(not (os < end and start < oe) for os, oe in off)
                and all(not (bs < end + after and start < be) for bs, be in busy)
            ):
                expected.append(start)
            start += step
    assert starts == expected


# Models.


def test_schedule_update_validates_zone_and_intervals() -> None:
    ok = ScheduleUpdate.model_validate(
        {
            "time_zone": "America/New_York",
            "weekly": {"mon": [["13:00", "18:00"], ["09:00", "12:00"]]},
        }
    )
    assert ok.weekly["mon"] == [("09:00", "12:00"), ("13:00", "18:00")]
    bad = [
        {"time_zone": "Mars/Olympus", "weekly": {}},
        {"time_zone": "UTC", "weekly": {"mon": [["10:00", "09:00"]]}},
        {"time_zone": "UTC", "weekly": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}},
        {"time_zone": "UTC", "weekly": {"mon": [["9:00", "12:00"]]}},
        {"time_zone": "UTC", "weekly": {"mon": [["09:00", "24:30"]]}},
        {"time_zone": "UTC", "weekly": {"funday": [["09:00", "12:00"]]}},
        {"time_zone": "UTC", "weekly": {}, "slot_step_minutes": 0},
        {"time_zone": "UTC", "weekly": {}, "surprise": 1},
    ]
    for body in bad:
        with pytest.raises(ValidationError):
            ScheduleUpdate.model_validate(body)


def test_services_keep_price_and_currency_together() -> None:
    create = ServiceCreate(name="Haircut", duration_minutes=45, price_minor=3500, currency="EUR")
    service = new_service(create, service_id="s1", master_id="m1")
    assert (service.version, service.active, service.buffer_after_minutes) == (1, True, 0)
    with pytest.raises(ValidationError):
        ServiceCreate(name="Haircut", duration_minutes=45, price_minor=3500)
    with pytest.raises(ValidationError):
        ServiceCreate(name="Haircut", duration_minutes=45, price_minor=1, currency="euro")
    with pytest.raises(ValidationError):
        ServiceCreate(name="Haircut", duration_minutes=2)
    archived = patched_service(service, ServicePatch(active=False))
    assert (archived.active, archived.version) == (False, 2)
    free = patched_service(
        service, ServicePatch.model_validate({"price_minor": None, "currency": None})
    )
    assert (free.price_minor, free.currency) == (None, None)
    with pytest.raises(ValueError, match="together"):
        patched_service(service, ServicePatch.model_validate({"price_minor": None}))
    with pytest.raises(ValidationError):
        ServicePatch.model_validate({})
    with pytest.raises(ValidationError):
        ServicePatch.model_validate({"name": None})


def test_time_off_must_end_after_it_starts() -> None:
    start = datetime(2026, 6, 1, tzinfo=UTC)
    TimeOffCreate(starts_at=start, ends_at=start + H)
    with pytest.raises(ValidationError):
        TimeOffCreate(starts_at=start, ends_at=start)


def test_a_request_with_a_service_id_needs_no_text_or_end() -> None:
    start = datetime(2026, 6, 1, 9, tzinfo=UTC)
    request = BookingRequest(master_id="m1", service_id="s1", starts_at=start)
    create = request.resolved("Haircut", timedelta(minutes=45))
    assert (create.service, create.ends_at, create.service_id) == (
        "Haircut",
        start + timedelta(minutes=45),
        "s1",
    )
    with pytest.raises(ValidationError):
        BookingRequest(master_id="m1", starts_at=start, ends_at=start + H)  # no service
    with pytest.raises(ValidationError):
        BookingRequest(master_id="m1", service="Cut", starts_at=start)  # no end


def test_a_booking_the_master_makes_is_confirmed_a_customers_is_pending() -> None:
    start = datetime(2026, 6, 1, 9, tzinfo=UTC)
    create = BookingCreate(
        master_id="m1", service="Cut", starts_at=start, ends_at=start + H, service_id="s1"
    )
    now = start - timedelta(days=1)
    by_master = new_booking(
        create, booking_id="b1", customer_id="c1", actor="m1", now=now, price=(3500, "EUR")
    )
    by_customer = new_booking(create, booking_id="b2", customer_id="c1", actor="c1", now=now)
    assert by_master.status is Status.CONFIRMED
    assert by_customer.status is Status.PENDING
    assert TRANSITIONS[Action.CREATE].master_target is Status.CONFIRMED
    assert (by_master.service_id, by_master.price_minor, by_master.currency) == ("s1", 3500, "EUR")
    dumped = by_customer.model_dump(mode="json")
    assert "price_minor" not in dumped
    assert dumped["service_id"] == "s1"
