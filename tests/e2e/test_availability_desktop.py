"""Availability in the real app on a real server (SQLite, --demo): a master finds a customer by a
search-as-you-type list; a customer books one of a master's free times (customer mode)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from booking_core import BookingCreate, Status
from desktop_app.app import Session
from desktop_app.directory import Directory
from desktop_app.net.api import ApiClient
from desktop_app.ui.booking_form import BookingForm
from desktop_app.ui.slot_picker import SlotPicker
from desktop_app.ui.theme import Theme, apply_theme
from tests.desktop.ui import screenshots
from tests.e2e.conftest import app_session, until
from tests.support.live_server import LiveServer


def _working_day(ahead: int = 2) -> date:
    """A Monday-Thursday at least `ahead` days away (anna works Mon-Fri, ben Mon-Thu)."""
    day = datetime.now().astimezone().date() + timedelta(days=ahead)
    while day.weekday() > 3:
        day += timedelta(days=1)
    return day


def _party_field(form: BookingForm) -> QLineEdit:
    field = form.findChild(QLineEdit, "partyField")
    assert field is not None
    return field


@pytest.fixture
def light(qapp: QApplication) -> Iterator[None]:
    """The app's light look (for the screenshots), restored after."""
    palette, sheet = qapp.palette(), qapp.styleSheet()
    apply_theme(qapp, Theme.LIGHT)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def test_a_master_books_a_catalog_service_for_a_customer_found_by_typing(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path, light: None
) -> None:
    carl = server.user("carl")
    anna = server.user("anna")
    haircut = next(
        s
        for s in httpx.get(
            f"{server.base_url}/api/v1/masters/{anna['id']}/services", timeout=60
        ).json()["services"]
        if s["name"] == "Haircut"
    )

    async def scenario() -> None:
        session = await app_session(server.base_url, "anna", tmp_path / "app")
        try:
            form = session.window.open_new_booking()
            assert form is not None
            # The catalog (fetched by the engine with the bookings) fills the service choice.
            await until(lambda: len(form.service_choices()) > 1, what="the catalog's services")
            assert form.service_choices()[0] == "Haircut · 45 min · 35.00 EUR"
            form.choose_service(haircut["id"])
            assert form.duration_minutes() == 45
            day = _working_day(3)
            form.set_values(start=datetime.combine(day, datetime.min.time()).astimezone())
            # The day's free times, worked out in the app: inside anna's hours, on the grid.
            await until(lambda: form.free_slot_times() != [], what="free times offered")
            slots = form.free_slot_times()
            assert all(s.astimezone().date() == day for s in slots)
            form.choose_slot(2)
            assert form.warning_text() == ""
            field = _party_field(form)
            field.setFocus()
            QTest.keyClicks(field, "car")  # typed: the search waits for a pause, then asks
            await until(lambda: form.customer_matches() != [], what="search results shown")
            assert form.customer_matches()[0].startswith("Carl Lind — carl")
            screenshots.save(form, "booking-form-slots", tmp_path)
            form.pick_customer(0)
            assert form.picked_customer() == carl["id"]
            assert field.text() == "Carl Lind"
            sent = await _book_and_see(session, form, carl["id"])
            assert (sent.service_id, sent.service) == (haircut["id"], "Haircut")
            assert (sent.starts_at, sent.ends_at - sent.starts_at) == (
                slots[2],
                timedelta(minutes=45),
            )
            # The slot just booked is no longer offered.
            again = session.window.open_new_booking()
            assert again is not None
            again.choose_service(haircut["id"])
            again.set_values(start=datetime.combine(day, datetime.min.time()).astimezone())
            # Nor those whose 45 minutes and 15-minute buffer would run into it, nor those in
            # its own buffer: the first free time is an hour after it.
            assert again.free_slot_times()[0] == slots[2] + timedelta(minutes=60)

            # Typing the username and sending at once works too (issue 15: it used to fail
            # with "some of the details are not valid"); a service typed in, not the catalog's.
            again.choose_service("")
            start = datetime.combine(_working_day(4), datetime.min.time()).astimezone()
            again.set_values(service="Consultation", start=start.replace(hour=20), minutes=30)
            QTest.keyClicks(_party_field(again), "carl")
            typed = await _book_and_see(session, again, carl["id"])
            assert (typed.service_id, typed.service) == (None, "Consultation")
        finally:
            await session.close()

    qt_loop.run_until_complete(scenario())


async def _book_and_see(session: Session, form: BookingForm, customer_id: str) -> BookingCreate:
    """Send the form; the booking is confirmed by the server (a master's own: confirmed)."""
    sent: list[BookingCreate] = []
    form.create_requested.connect(sent.append)
    form.submit()
    assert form.error_text() == ""
    assert len(sent) == 1
    assert sent[0].customer_id == customer_id
    model = session.window.model

    def confirmed() -> bool:
        rows = [model.visible_booking(model.booking_id_at(n)) for n in range(model.rowCount())]
        return any(
            row is not None
            and not row.pending
            and row.booking.customer_id == customer_id
            and row.booking.starts_at == sent[0].starts_at
            and row.booking.service_id == sent[0].service_id
            and row.booking.status is Status.CONFIRMED
            for row in rows
        )

    await until(confirmed, what="the master's booking confirmed by the server")
    return sent[0]


def _click_slot(picker: SlotPicker, start: datetime) -> None:
    """Click the free time that starts at `start`, as the user does."""
    row = picker.slot_starts().index(start)
    rect = picker.slots.visualItemRect(picker.slots.item(row))
    QTest.mouseClick(picker.slots.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _open_picker(session: Session) -> SlotPicker:
    picker = session.window.new_booking()
    assert isinstance(picker, SlotPicker)
    return picker


def test_a_customer_books_one_of_a_master_s_free_times(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path, light: None
) -> None:
    anna = server.user("anna")

    async def scenario() -> None:
        session = await app_session(server.base_url, "carl", tmp_path / "app")
        try:
            picker = _open_picker(session)
            await until(lambda: picker.chosen_service() is not None, what="services loaded")
            picker.choose(master_id=anna["id"])
            await until(lambda: picker.chosen_service() is not None, what="anna's services")
            service = picker.chosen_service()
            assert service is not None
            assert service.name == "Haircut"
            # Opened on a day with nothing free (a Sunday, an evening), it shows the next day
            # that has free times.
            await until(lambda: len(picker.slot_starts()) > 0, what="a day with free times")
            assert picker.day() >= datetime.now().astimezone().date()
            picker.set_day(_working_day())
            assert picker.slot_starts() == []  # the other day's are gone at once
            await until(lambda: len(picker.slot_starts()) > 3, what="free times shown")
            assert {s.astimezone().date() for s in picker.slot_starts()} == {_working_day()}
            assert not picker.book_button.isEnabled()  # nothing chosen yet
            chosen = picker.slot_starts()[2]
            _click_slot(picker, chosen)
            assert picker.book_button.isEnabled()
            picker.note.setPlainText("First visit")
            screenshots.save(picker, "slot-picker", tmp_path)
            sent: list[BookingCreate] = []
            picker.create_requested.connect(sent.append)
            QTest.mouseClick(picker.book_button, Qt.MouseButton.LeftButton)
            assert len(sent) == 1
            assert (sent[0].master_id, sent[0].service_id) == (anna["id"], service.id)
            assert sent[0].ends_at - sent[0].starts_at == timedelta(minutes=45)
            # The request is sent through the engine and confirmed by the server: pending.
            await until(lambda: _has(session, chosen, service.id), what="request confirmed")
        finally:
            await session.close()

    qt_loop.run_until_complete(scenario())


def _has(session: Session, start: datetime, service_id: str) -> bool:
    """Whether the server confirmed a pending request of this service at `start`."""
    return any(
        not row.pending
        and row.booking.starts_at == start
        and row.booking.service_id == service_id
        and row.booking.status is Status.PENDING
        for row in session.controller.visible().values()
    )


def test_a_free_time_taken_by_someone_else_disappears(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    anna = server.user("anna")
    dora_token = server.login("dora")

    async def scenario() -> None:
        session = await app_session(server.base_url, "carl", tmp_path / "app")
        try:
            picker = _open_picker(session)
            await until(lambda: picker.chosen_master() is not None, what="masters loaded")
            picker.choose(master_id=anna["id"])
            await until(lambda: picker.chosen_service() is not None, what="anna's services")
            service = picker.chosen_service()
            assert service is not None
            picker.set_day(_working_day())
            await until(lambda: len(picker.slot_starts()) > 3, what="free times shown")
            taken = picker.slot_starts()[1]
            _click_slot(picker, taken)
            # Dora books that very time on another computer.
            reply = await asyncio.to_thread(
                httpx.post,
                f"{server.base_url}/api/v1/bookings",
                json={
                    "master_id": anna["id"],
                    "service_id": service.id,
                    "starts_at": taken.isoformat(),
                },
                headers=server.auth(dora_token),
                timeout=60,
            )
            assert reply.status_code == 201, reply.text
            taken_at = asyncio.get_running_loop().time()
            await until(lambda: taken not in picker.slot_starts(), what="the slot disappeared")
            # Within a second (the server pushes availability:updated; no polling).
            assert asyncio.get_running_loop().time() - taken_at < 1.0
            assert "was just taken" in picker.error_text()
            assert not picker.book_button.isEnabled()
        finally:
            await session.close()

    qt_loop.run_until_complete(scenario())


def test_a_request_for_a_time_taken_meanwhile_reopens_the_choice_with_the_reason(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    anna = server.user("anna")
    dora_token = server.login("dora")

    async def scenario() -> None:
        session = await app_session(server.base_url, "carl", tmp_path / "app")
        try:
            picker = _open_picker(session)
            await until(lambda: picker.chosen_master() is not None, what="masters loaded")
            picker.choose(master_id=anna["id"])
            await until(lambda: picker.chosen_service() is not None, what="anna's services")
            service = picker.chosen_service()
            assert service is not None
            # The second service, so that the reopened choice shows it was kept.
            picker.choose(service_id=picker.services()[1].id)
            service = picker.chosen_service()
            assert service is not None
            day = _working_day()
            picker.set_day(day)
            await until(lambda: len(picker.slot_starts()) > 3, what="free times shown")
            taken = picker.slot_starts()[0]
            _click_slot(picker, taken)
            picker.note.setPlainText("Window seat please")
            # Dora takes it first; this blocking call keeps the app from hearing of it.
            reply = httpx.post(  # noqa: ASYNC210 - blocking on purpose (see above)
                f"{server.base_url}/api/v1/bookings",
                json={
                    "master_id": anna["id"],
                    "service_id": service.id,
                    "starts_at": taken.isoformat(),
                },
                headers=server.auth(dora_token),
                timeout=60,
            )
            assert reply.status_code == 201, reply.text
            picker.book()
            await until(
                lambda: (
                    session.window.slot_picker is not None
                    and session.window.slot_picker is not picker
                    and session.window.slot_picker.error_text() != ""
                ),
                what="the choice reopened with the reason",
            )
            again = session.window.slot_picker
            assert again is not None
            assert "taken" in again.error_text()
            assert again.note.toPlainText() == "Window seat please"  # nothing typed is lost
            assert again.day() == day
            await until(lambda: again.chosen_service() is not None, what="services again")
            master = again.chosen_master()
            assert master is not None
            assert (master.id, again.chosen_service()) == (anna["id"], service)
            await until(lambda: len(again.slot_starts()) > 0, what="free times again")
            assert taken not in again.slot_starts()
            assert not session.window.rollbacks.isVisible()
        finally:
            await session.close()

    qt_loop.run_until_complete(scenario())


def test_the_directory_drops_answers_made_stale_by_a_newer_question(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer
) -> None:
    """Search-as-you-type: "c" then "ca" asked at once; only the answer to "ca" is shown."""

    async def scenario() -> None:
        api = ApiClient(server.base_url)
        await api.login("anna", "demo")
        directory = Directory(api)
        found: list[tuple[str, list[str]]] = []
        directory.customers_found.connect(
            lambda query, entries: found.append((query, [e.username for e in entries]))
        )
        failures: list[tuple[str, str]] = []
        directory.failed.connect(lambda kind, message: failures.append((kind, message)))
        try:
            directory.ask_customers("c")
            directory.ask_customers("do")
            await directory_idle(directory)
            assert found == [("do", ["dora"])]
            assert failures == []
            # A customer may not search (403): said as a failure, not as "no one found".
            customer = ApiClient(server.base_url)
            await customer.login("carl", "demo")
            theirs = Directory(customer)
            theirs.failed.connect(lambda kind, message: failures.append((kind, message)))
            theirs.ask_customers("do")
            await until(lambda: failures != [], what="the refusal")
            assert failures[0][0] == "customers"
            await theirs.aclose()
            await customer.aclose()
        finally:
            await directory.aclose()
            await api.aclose()

    qt_loop.run_until_complete(scenario())


async def directory_idle(directory: Directory) -> None:
    """Until every read the directory started has ended."""
    await until(lambda: not directory.busy(), what="the directory's reads ended")
