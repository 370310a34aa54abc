"""The master's new-booking form with the catalog: a service fills the duration and is sent as
`service_id`, the free slots of the day are offered (and follow the bookings), a clash or a time
outside working hours is said at once, before anything is sent. The window runs on the real sync
engine (the in-memory reference server); the day view shades the hours outside work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from booking_core import BookingCreate
from booking_core.availability import Service, TimeOffCreate, WeeklySchedule
from desktop_app.sync import CatalogView
from desktop_app.ui.main_window import MainWindow

from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver
from .factories import NOW

HOURS = [("08:00", "12:00"), ("13:00", "18:00")]
SCHEDULE = WeeklySchedule(
    time_zone="UTC",
    weekly=dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), HOURS),
    min_notice_minutes=0,
    slot_step_minutes=15,
    version=1,
)
HAIRCUT = Service(
    id="s-hair",
    master_id=ANNA.id,
    name="Haircut",
    duration_minutes=45,
    price_minor=3500,
    currency="EUR",
    buffer_after_minutes=15,
    version=1,
)
BEARD = Service(id="s-beard", master_id=ANNA.id, name="Beard trim", duration_minutes=30, version=1)
OLD = Service(
    id="s-old", master_id=ANNA.id, name="Perm", duration_minutes=90, active=False, version=2
)


CATALOG = CatalogView(ANNA.id, services=(HAIRCUT, BEARD, OLD), schedule=SCHEDULE, loaded=True)


def at(hour: int, minute: int = 0) -> datetime:
    return NOW.replace(hour=hour, minute=minute)


def started(catalog: CatalogView = CATALOG) -> EngineController:
    """The real engine, its bookings and the master's catalog fetched (the reference replies)."""
    driver = EngineDriver()
    controller = EngineController(driver)
    driver.start(*day(), catalog=catalog)
    assert controller.catalog().loaded
    return controller


@pytest.fixture
def controller() -> EngineController:
    return started()


@pytest.fixture
def window(qtbot: QtBot, controller: EngineController) -> MainWindow:
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_catalog_service_fills_the_duration_and_is_sent_by_id(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.open_new_booking()
    assert form is not None
    # Active services only, with their length and price; then free text.
    assert form.service_choices() == [
        "Haircut · 45 min · 35.00 EUR",
        "Beard trim · 30 min",
        "Other service (type its name)",
    ]
    form.choose_service("s-beard")
    assert form.duration_minutes() == 30
    form.choose_service("s-hair")
    assert form.duration_minutes() == 45
    form.set_values(party="Dora", start=at(13))
    with qtbot.waitSignal(form.create_requested) as sent:
        form.submit()
    body = sent.args[0]
    assert isinstance(body, BookingCreate)
    assert (body.service_id, body.service) == ("s-hair", "Haircut")
    assert (body.customer_id, body.starts_at, body.ends_at) == ("u-dora", at(13), at(13, 45))


def test_free_slots_of_the_day_are_offered_and_one_is_taken_with_a_click(
    window: MainWindow,
) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.choose_service("s-hair")
    # Now is 09:00; the day's active bookings (d-04 … d-11) with Haircut's 45 min + 15 min buffer
    # leave 13:00 and 15:45 … 17:15 (a slot ends by 18:00; its buffer may run on).
    expected = [at(13)] + [at(15, 45) + timedelta(minutes=15 * n) for n in range(7)]
    assert form.free_slot_times() == expected
    assert form.slots_note() == "8 free times on this day: pick one to take it."
    form.choose_slot(1)
    starts_at, ends_at = form.times()
    assert (starts_at, ends_at) == (at(15, 45), at(16, 30))
    assert form.chosen_slot() == at(15, 45)
    assert form.warning_text() == ""
    form.set_values(start=at(15, 50))  # typed: no longer one of the free times
    assert form.chosen_slot() is None
    form.set_values(start=at(13))
    assert form.chosen_slot() == at(13)


def test_the_free_slots_follow_the_bookings(
    qtbot: QtBot, window: MainWindow, controller: EngineController
) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.choose_service("s-hair")
    assert at(16) in form.free_slot_times()
    # Another booking lands at 16:00 (made elsewhere): the slots around it go at once.
    controller.request_create(
        BookingCreate(
            master_id=ANNA.id,
            customer_id="u-gus",
            service="Beard trim",
            starts_at=at(16),
            ends_at=at(16, 30),
        )
    )
    qtbot.waitUntil(lambda: at(16) not in form.free_slot_times(), timeout=30_000)
    assert form.free_slot_times() == [at(13), at(16, 30), at(16, 45), at(17), at(17, 15)]


def test_a_clash_is_shown_in_the_form_as_soon_as_the_time_is_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.open_new_booking()
    assert form is not None
    form.choose_service("s-beard")
    form.set_values(party="Dora", start=at(10, 15))
    assert "overlaps “Haircut”" in form.warning_text()  # d-05, 10:00-10:45
    form.set_values(start=at(13))
    assert form.warning_text() == ""
    form.set_values(start=at(19))
    assert "outside your working hours" in form.warning_text()
    # A master may still book outside hours; an overlap is refused in the form, nothing lost.
    form.set_values(start=at(10, 15))
    with qtbot.assertNotEmitted(form.create_requested):
        form.submit()
    assert "overlaps “Haircut”" in form.error_text()
    assert form.isVisible()
    assert form.chosen_service() == BEARD


def test_a_master_without_working_hours_is_told_where_to_set_them(qtbot: QtBot) -> None:
    controller = started(CatalogView(ANNA.id, services=(HAIRCUT,), loaded=True))
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    form = window.open_new_booking()
    assert form is not None
    assert form.free_slot_times() == []
    assert "No working hours set" in form.slots_note()


def test_the_day_view_shades_the_hours_outside_work_and_counts_free_time_inside(
    window: MainWindow, controller: EngineController
) -> None:
    view = window.day_view
    view.set_day(NOW.astimezone().date())
    outside = view.outside_work()
    local_midnight = datetime.combine(view.day(), datetime.min.time()).astimezone()
    assert outside == [
        (local_midnight.astimezone(UTC), at(8)),
        (at(12), at(13)),
        (at(18), local_midnight.astimezone(UTC) + timedelta(days=1)),
    ]
    gaps = view.free_gaps()
    assert gaps, "free time inside working hours"
    for start, end in gaps:
        assert at(8) <= start
        assert end <= at(18)
        assert not (start < at(13) and end > at(12)), "no free time over the break"
    # Without the working time, the evening is free time as before.
    view.set_working_time(None)
    assert view.outside_work() == []
    assert max(end for _, end in view.free_gaps()) > at(18)
    # Time off added (optimistically, through the engine): shaded at once, no free time in it.
    controller.request_time_off_add(TimeOffCreate(starts_at=at(15), ends_at=at(18), note="Dentist"))
    assert (at(15), at(18)) in [(s, min(e, at(18))) for s, e in view.outside_work()]
    assert all(end <= at(15) for _, end in view.free_gaps())


def test_the_week_view_shades_the_master_s_hours_not_just_the_weekend(
    window: MainWindow,
) -> None:
    view = window.week.view
    view.show_date(NOW.date())
    wednesday = (NOW.date() - view.monday()).days
    outside = view.outside_work(wednesday)
    assert outside is not None
    assert (at(12), at(13)) in outside  # the break
    assert outside[0][1] == at(8)
    assert outside[-1][0] == at(18)
    saturday = view.outside_work(5)
    assert saturday is not None
    assert len(saturday) == 1
    assert saturday[0][1] - saturday[0][0] == timedelta(days=1)
    view.set_working_time(None)
    assert view.outside_work(wednesday) is None  # unknown: the weekend is shaded as before


def test_without_working_hours_the_views_shade_nothing(qtbot: QtBot) -> None:
    controller = started(CatalogView(ANNA.id, services=(HAIRCUT,), loaded=True))
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    window.day_view.set_day(NOW.date())
    assert window.day_view.outside_work() == []
    assert window.day_view.free_gaps() != []
    assert window.week.view.outside_work(0) is None
