"""Booking a free time on the page (availability API): optimistic pending, the master's answer
live, a time taken meanwhile rolled back with the free times refreshed, booking after signing in."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Request, Route, expect

from tests.support.api import act
from tests.support.live_server import LiveServer
from tests.web.browser import BookingPage

_CLICK_BOOK = """() => {
  document.querySelector("#confirm-book").click();
  const item = document.querySelector('#bookings li[data-id^="new-"]');
  return item && {status: item.dataset.status, sending: item.classList.contains("is-sending")};
}"""


# The chosen service's id, from the page.
_SERVICE_ID = """() => document.querySelector('#services [aria-pressed="true"]')
  .dataset.key.replace(/^service:/, "")"""


def _new_booking(server: LiveServer, starts_at: str) -> dict[str, Any]:
    with server.client(server.login("anna")) as anna:
        found = [
            b
            for b in anna.get("/bookings").json()["bookings"]
            if b["starts_at"] == starts_at and b["status"] == "pending"
        ]
    assert len(found) == 1, found
    booking: dict[str, Any] = found[0]
    return booking


def test_book_a_free_time_pending_then_confirmed(
    booking_page: BookingPage, server: LiveServer
) -> None:
    booking_page.sign_in("carl")
    starts_at = booking_page.choose_time("Haircut")
    # Optimistic: in the same task as the click, before any answer, the booking shows pending.
    shown = booking_page.evaluate(_CLICK_BOOK)
    assert shown == {"status": "pending", "sending": True}
    expect(booking_page.page.locator("#bookings li.is-sending")).to_have_count(0)
    booking = _new_booking(server, starts_at)
    assert booking["service"] == "Haircut"
    assert "service_id" in booking
    booking_page.expect_status(booking["id"], "pending")
    expect(booking_page.booking(booking["id"])).not_to_contain_text("Sending")
    # The time is no longer offered.
    expect(booking_page.page.locator(f'#slots [data-key="slot:{starts_at}"]')).to_have_count(0)
    with server.client(server.login("anna")) as anna:
        assert act(anna, booking, "accept").status_code == 200
    booking_page.expect_status(booking["id"], "confirmed")
    assert booking_page.errors == []


def test_a_time_taken_meanwhile_is_rolled_back_and_the_times_refresh(
    booking_page: BookingPage, server: LiveServer
) -> None:
    booking_page.sign_in("carl")
    starts_at = booking_page.choose_time("Beard trim", nth_day=2, nth_slot=1)
    service_id = booking_page.evaluate(_SERVICE_ID)

    def someone_else_books_first(route: Route, request: Request) -> None:
        body: dict[str, Any] = request.post_data_json or {}
        with server.client(server.login("dora")) as dora:
            taken = dora.post(
                "/bookings",
                json={
                    "master_id": body["master_id"],
                    "service_id": service_id,
                    "starts_at": body["starts_at"],
                    "ends_at": body["ends_at"],
                },
            )
        assert taken.status_code == 201, taken.text
        route.continue_()

    booking_page.page.route("**/api/v1/bookings", someone_else_books_first)
    booking_page.page.get_by_role("button", name="Book", exact=True).click()
    expect(booking_page.toast()).to_contain_text("Your change was undone")
    expect(booking_page.toast()).to_contain_text("free times are updated")
    expect(booking_page.page.locator("#bookings li.is-sending")).to_have_count(0)
    expect(booking_page.page.locator(f'#slots [data-key="slot:{starts_at}"]')).to_have_count(0)
    mine = booking_page.page.locator("#bookings li", has_text="Beard trim")
    for i in range(mine.count()):
        expect(mine.nth(i)).not_to_have_attribute("data-status", "pending")


def test_choosing_a_time_first_then_signing_in_books_it(
    booking_page: BookingPage, server: LiveServer
) -> None:
    starts_at = booking_page.choose_time("Colouring", nth_day=3)
    confirm = booking_page.page.locator("#confirm")
    expect(confirm).to_contain_text("Sign in or create an account")
    expect(booking_page.page.locator("#signin-name")).to_be_focused()
    booking_page.sign_in("dora")
    expect(confirm).to_contain_text("Book Colouring")
    expect(booking_page.page.locator("#confirm-book")).to_be_focused()
    booking_page.page.keyboard.press("Enter")
    expect(booking_page.page.locator("#bookings li.is-sending")).to_have_count(0)
    booking = _new_booking(server, starts_at)
    booking_page.expect_status(booking["id"], "pending")


def test_the_free_times_follow_other_peoples_bookings_live(
    booking_page: BookingPage, server: LiveServer
) -> None:
    """Signed in, the page watches the master's availability: a time someone else books
    disappears from the list without a reload."""
    booking_page.sign_in("carl")
    starts_at = booking_page.choose_time("Wash and style", nth_day=4, nth_slot=2)
    service_id = booking_page.evaluate(_SERVICE_ID)
    slot = booking_page.page.locator(f'#slots [data-key="slot:{starts_at}"]')
    expect(slot).to_have_count(1)
    with server.client(server.login("dora")) as dora:
        taken = dora.post(
            "/bookings",
            json={
                "master_id": server.user("anna")["id"],
                "service_id": service_id,
                "starts_at": starts_at,
            },
        )
    assert taken.status_code == 201, taken.text
    expect(slot).to_have_count(0)
