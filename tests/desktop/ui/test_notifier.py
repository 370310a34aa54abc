"""Notifications tell of what others did while the window is not focused, never of our own acts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from booking_core import Action, Booking, Hello, Status
from desktop_app.sync import EventReceived
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.notifier import Notice

from .demo import NAMES, day
from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver
from .factories import CUSTOMER, NOW, booking


@pytest.fixture
def controller() -> EngineController:
    driver = EngineDriver()
    controller = EngineController(driver)
    driver.start(*day())
    return controller


@pytest.fixture
def window(qtbot: QtBot, controller: EngineController) -> MainWindow:
    window = MainWindow(controller, ANNA, clock=lambda: controller.driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    window.notifier.set_focus_probe(lambda: False)  # as if another app had the focus
    return window


def _collect(window: MainWindow) -> list[Notice]:
    seen: list[Notice] = []
    window.notifier.notified.connect(seen.append)
    return seen


def _by_carl(booking_id: str, **changes: object) -> Booking:
    base = booking(booking_id, start=NOW + timedelta(hours=7), service="Shave")
    return base.model_copy(update={"updated_by": CUSTOMER, **changes})


def test_a_new_request_from_a_customer_is_announced(
    window: MainWindow, controller: EngineController
) -> None:
    seen = _collect(window)
    controller.driver.event(Action.CREATE, _by_carl("n-1"))
    [notice] = seen
    assert notice.title == "New booking request"
    assert notice.text.startswith("Carl Jensen asks for “Shave” on")
    assert notice.booking_id == "n-1"


def test_a_cancellation_by_the_customer_is_announced(
    window: MainWindow, controller: EngineController
) -> None:
    controller.driver.event(Action.CREATE, _by_carl("n-1"))
    seen = _collect(window)
    cancelled = _by_carl("n-1", status=Status.CANCELLED, version=2)
    controller.driver.event(Action.CANCEL, cancelled)
    [notice] = seen
    assert notice.title == "Booking cancelled"
    assert "Carl Jensen cancelled “Shave”" in notice.text


def test_a_cancellation_with_a_reason_says_why(
    window: MainWindow, controller: EngineController
) -> None:
    controller.driver.event(Action.CREATE, _by_carl("n-1"))
    seen = _collect(window)
    cancelled = _by_carl("n-1", status=Status.CANCELLED, version=2, reason="My train is late")
    controller.driver.event(Action.CANCEL, cancelled)
    [notice] = seen
    assert notice.title == "Booking cancelled"
    assert notice.text.endswith(". Reason: My train is late")


def test_our_own_changes_and_a_focused_window_stay_quiet(
    window: MainWindow, controller: EngineController
) -> None:
    seen = _collect(window)
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    post = controller.driver.requests[-1]
    accepted = controller.visible()["d-06"].booking
    controller.driver.reply(post, 200, accepted.model_dump(mode="json"))
    assert seen == []
    window.notifier.set_focus_probe(lambda: True)
    controller.driver.event(Action.CREATE, _by_carl("n-2"))
    assert seen == []


def test_an_undone_change_is_announced(window: MainWindow, controller: EngineController) -> None:
    seen = _collect(window)
    window.select_booking("d-06")
    window.request(Action.ACCEPT)
    post = controller.driver.requests[-1]
    controller.driver.reply(post, 409, {"title": "Taken", "status": 409, "code": "slot_taken"})
    [notice] = seen
    assert notice.title == "Your acceptance was undone"
    assert "slot_taken" not in notice.text


def test_the_first_load_announces_nothing_even_with_one_row(qtbot: QtBot) -> None:
    driver = EngineDriver()
    controller = EngineController(driver)
    window = MainWindow(controller, ANNA, clock=lambda: driver.now, display_names=NAMES)
    qtbot.addWidget(window)
    window.notifier.set_focus_probe(lambda: False)
    seen = _collect(window)
    driver.start(_by_carl("n-0"))  # one pending request, already there before we looked
    assert window.model.rowCount() == 1
    assert seen == []
    driver.event(Action.CREATE, _by_carl("n-1"))
    assert [notice.booking_id for notice in seen] == ["n-1"]


def test_opening_a_notification_shows_its_booking(
    window: MainWindow, controller: EngineController
) -> None:
    seen = _collect(window)
    controller.driver.event(Action.CREATE, _by_carl("n-1"))
    window.notifier.opened.emit(seen[0])  # what a click on the desktop notification does
    assert window.isVisible()
    selected = window.selected_booking()
    assert selected is not None
    assert selected.id == "n-1"


def test_a_move_that_reopens_a_request_is_told_as_a_move(
    window: MainWindow, controller: EngineController
) -> None:
    """Carl moves his confirmed booking, and by the rules it waits for an answer again: the
    server says "reschedule" by Carl, and so does the notice (comparing rows saw a status
    change and said "is now pending")."""
    driver = controller.driver
    driver.event(Action.CREATE, _by_carl("n-1"))
    confirmed = _by_carl("n-1", status=Status.CONFIRMED, version=2, updated_by=ANNA.id)
    driver.event(Action.ACCEPT, confirmed)  # ours (from another window): no news
    seen = _collect(window)
    later = NOW + timedelta(hours=9)
    moved = _by_carl(
        "n-1", version=3, starts_at=later, ends_at=later + timedelta(minutes=30)
    )  # pending again
    driver.event(Action.RESCHEDULE, moved)
    [notice] = seen
    assert notice.title == "Booking moved"
    assert notice.text.startswith("Carl Jensen moved “Shave” to ")
    window.select_booking("n-1")
    lines = window.details.history_text().splitlines()
    assert lines[1].endswith("Carl Jensen: Confirmed → Pending, moved to Wed 25 Nov  18:00–18:30")


def test_a_change_learned_only_from_a_fetch_announces_nothing(
    window: MainWindow, controller: EngineController
) -> None:
    """No event, no news: a delta fetch tells the new state but not who did what, so the notice
    stays silent (comparing rows announced it as if live) and the history names no one."""
    driver = controller.driver
    driver.event(Action.CREATE, _by_carl("n-1"))
    seen = _collect(window)
    driver.feed(EventReceived(Hello(cursor=driver.seq + 1, server_time=driver.now), driver.tick()))
    # (The hello also has the master's catalog fetched again: its requests are not this one.)
    fetch = next(r for r in reversed(driver.requests) if r.path.startswith("/api/v1/bookings"))
    assert "since=" in fetch.path
    cancelled = _by_carl("n-1", status=Status.CANCELLED, version=2)
    driver.seq += 1
    body = {"bookings": [cancelled.model_dump(mode="json")], "cursor": driver.seq}
    driver.reply(fetch, 200, body)
    assert controller.visible()["n-1"].booking.status is Status.CANCELLED
    assert seen == []
    window.select_booking("n-1")
    assert window.details.history_text().splitlines()[1].endswith(":00  Cancelled")
