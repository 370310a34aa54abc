"""The booking page's live sync in a real browser against a real server: live status over the
socket, rollback with a plain reason, the offline queue sent once, polling when the socket is
refused."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import BrowserContext, Request, Route, WebSocketRoute, expect

from tests.support.api import act, create, next_slot
from tests.support.live_server import LiveServer
from tests.web.browser import BookingPage


def _pending_for_carl(server: LiveServer) -> dict[str, Any]:
    with server.client(server.login("carl")) as client:
        return create(client, server.user("anna")["id"])


def _booking(server: LiveServer, booking_id: str) -> dict[str, Any]:
    with server.client(server.login("anna")) as client:
        body: dict[str, Any] = client.get(f"/bookings/{booking_id}").json()
        return body


def test_the_masters_answer_appears_live(booking_page: BookingPage, server: LiveServer) -> None:
    booking = _pending_for_carl(server)
    booking_page.sign_in("carl")
    booking_page.expect_status(booking["id"], "pending")
    booking_page.expect_sync("live")
    assert booking_page.dot_colour() == "green"
    with server.client(server.login("anna")) as anna:
        assert act(anna, booking, "accept").status_code == 200
    booking_page.expect_status(booking["id"], "confirmed")
    expect(booking_page.booking(booking["id"])).to_contain_text("Confirmed")
    expect(booking_page.page.locator("#announce")).to_contain_text("Confirmed")
    assert booking_page.errors == []


def test_a_refused_cancel_is_rolled_back_with_a_plain_reason(
    booking_page: BookingPage, server: LiveServer
) -> None:
    booking = _pending_for_carl(server)
    booking_page.sign_in("carl")
    booking_page.expect_status(booking["id"], "pending")

    def master_declines_first(route: Route, request: Request) -> None:
        # The master's answer reaches the server just before the customer's cancel does.
        with server.client(server.login("anna")) as anna:
            assert act(anna, booking, "decline").status_code == 200
        route.continue_()

    booking_page.page.route("**/transitions", master_declines_first)
    booking_page.booking(booking["id"]).get_by_role("button", name="Cancel").click()
    expect(booking_page.toast()).to_contain_text("Your change was undone")
    booking_page.expect_status(booking["id"], "declined")
    assert _booking(server, booking["id"])["status"] == "declined"


def test_offline_shows_red_and_sends_a_queued_cancel_once_when_back(
    context: BrowserContext, booking_page: BookingPage, server: LiveServer
) -> None:
    booking = _pending_for_carl(server)
    booking_page.sign_in("carl")
    booking_page.expect_status(booking["id"], "pending")
    booking_page.expect_sync("live")
    sent: list[str] = []
    booking_page.page.on(
        "request",
        lambda request: sent.append(request.url) if "/transitions" in request.url else None,
    )

    context.set_offline(True)
    booking_page.expect_sync("offline")
    expect(booking_page.page.locator("#offline")).to_be_visible()
    assert booking_page.dot_colour() == "red"
    booking_page.booking(booking["id"]).get_by_role("button", name="Cancel").click()
    item = booking_page.booking(booking["id"])
    expect(item).to_have_attribute("data-status", "cancelled")
    expect(item).to_contain_text("Waiting to be sent")
    expect(booking_page.page.locator("#offline")).to_contain_text("1 change")
    assert _booking(server, booking["id"])["status"] == "pending"

    context.set_offline(False)
    booking_page.expect_sync("live")
    expect(item).not_to_contain_text("Waiting to be sent")
    expect(item).not_to_contain_text("Sending")
    expect(booking_page.page.locator("#offline")).to_be_hidden()
    after = _booking(server, booking["id"])
    assert after["status"] == "cancelled"
    assert after["version"] == booking["version"] + 1  # one change: sent once
    assert len(sent) == 1


def test_a_refused_socket_falls_back_to_polling(
    booking_page: BookingPage, server: LiveServer
) -> None:
    def refuse(ws: WebSocketRoute) -> None:
        ws.close(code=1011, reason="refused by the test")

    booking_page.page.route_web_socket("**/api/v1/ws**", refuse)
    booking = _pending_for_carl(server)
    booking_page.sign_in("carl")
    booking_page.expect_status(booking["id"], "pending")
    booking_page.expect_sync("polling")
    assert booking_page.dot_colour() == "orange"
    expect(booking_page.page.locator("#sync")).to_contain_text("every 3 s")
    with server.client(server.login("anna")) as anna:
        assert act(anna, booking, "accept").status_code == 200
    booking_page.expect_status(booking["id"], "confirmed")
    booking_page.expect_sync("polling")


def test_catch_up_after_the_socket_drops(
    context: BrowserContext, booking_page: BookingPage, server: LiveServer
) -> None:
    """Changes made while the page was offline arrive on reconnect (since=cursor)."""
    booking = _pending_for_carl(server)
    booking_page.sign_in("carl")
    booking_page.expect_sync("live")
    context.set_offline(True)
    booking_page.expect_sync("offline")
    with server.client(server.login("anna")) as anna:
        assert act(anna, booking, "accept").status_code == 200
    context.set_offline(False)
    booking_page.expect_status(booking["id"], "confirmed")
    booking_page.expect_sync("live")


def test_sign_up_on_the_page_then_sign_out(booking_page: BookingPage, server: LiveServer) -> None:
    page = booking_page.page
    page.get_by_role("tab", name="Create account").click()
    page.fill("#signup-name", "Eva Stern")
    page.fill("#signup-email", "eva@example.org")
    page.fill("#signup-phone", "+49 151 2345678")
    page.fill("#signup-password", "correct horse")
    page.click("#form-signup button[type=submit]")
    expect(page.locator("#me-name")).to_have_text("Eva Stern")
    expect(page.locator("#mine-note")).to_contain_text("No bookings with Anna Berg yet")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#signed-out")).to_be_visible()
    response = httpx.post(
        f"{server.api_url}/auth/login",
        json={"username": "eva@example.org", "password": "correct horse"},
    )
    assert response.status_code == 200
    contact = httpx.get(
        f"{server.api_url}/users/me/contact", headers=server.auth(response.json()["token"])
    )
    assert contact.json() == {"phone": "+491512345678", "email": "eva@example.org"}


def _wall_clock(page: BookingPage, instant: str) -> datetime:
    """The instant as the page shows it: in the master's zone, or the browser's (UTC)."""
    zone = page.page.locator("body").get_attribute("data-time-zone") or "UTC"
    return datetime.fromisoformat(instant).astimezone(ZoneInfo(zone))


def _reschedule(page: BookingPage, booking_id: str, starts_at: str) -> None:
    """Type the new start as the page's clock reads it and send it."""
    item = page.booking(booking_id)
    item.get_by_role("button", name="Reschedule").click()
    typed = _wall_clock(page, starts_at).strftime("%Y-%m-%dT%H:%M")
    item.get_by_label("New start time").fill(typed)
    item.get_by_role("button", name="Move").click()


def test_reschedule_moves_the_booking_and_asks_the_master_again(
    booking_page: BookingPage, server: LiveServer
) -> None:
    booking = _pending_for_carl(server)
    with server.client(server.login("anna")) as anna:
        assert act(anna, booking, "accept").status_code == 200
    booking_page.sign_in("carl")
    booking_page.expect_status(booking["id"], "confirmed")
    new_start, new_end = next_slot()
    _reschedule(booking_page, booking["id"], new_start)
    booking_page.expect_status(booking["id"], "pending")
    item = booking_page.booking(booking["id"])
    expect(item).not_to_contain_text("Sending")
    after = _booking(server, booking["id"])
    assert (after["status"], after["version"]) == ("pending", booking["version"] + 2)
    assert datetime.fromisoformat(after["starts_at"]) == datetime.fromisoformat(new_start)
    assert datetime.fromisoformat(after["ends_at"]) == datetime.fromisoformat(new_end)


def test_reschedule_onto_a_taken_time_is_rolled_back(
    booking_page: BookingPage, server: LiveServer
) -> None:
    mine = _pending_for_carl(server)
    with server.client(server.login("dora")) as dora:
        theirs = create(dora, server.user("anna")["id"])
    booking_page.sign_in("carl")
    booking_page.expect_status(mine["id"], "pending")
    _reschedule(booking_page, mine["id"], theirs["starts_at"])
    expect(booking_page.toast()).to_contain_text("just taken by someone else")
    item = booking_page.booking(mine["id"])
    expect(item).not_to_contain_text("Sending")
    assert _booking(server, mine["id"])["version"] == mine["version"]
    shown = _wall_clock(booking_page, mine["starts_at"]).strftime("%-I:%M")
    expect(item.locator(".booking-when")).to_contain_text(shown)


def test_a_server_that_goes_away_is_offline_by_the_sockets_evidence(
    context: BrowserContext, live_server: LiveServer
) -> None:
    """navigator.onLine stays true; the dropped socket and the failing poll tell the page."""
    booking = _pending_for_carl(live_server)
    page = BookingPage.open(context, live_server, "anna")
    page.sign_in("carl")
    page.expect_sync("live")
    live_server.stop()
    page.expect_sync("offline")
    expect(page.page.locator("#offline")).to_be_visible()
    assert page.dot_colour() == "red"
    page.booking(booking["id"]).get_by_role("button", name="Cancel").click()
    expect(page.page.locator("#offline")).to_contain_text("1 change")

    live_server.start(live_server.port)  # the same database and port
    page.expect_sync("live")
    expect(page.booking(booking["id"])).not_to_contain_text("Waiting")
    after = _booking(live_server, booking["id"])
    assert (after["status"], after["version"]) == ("cancelled", booking["version"] + 1)


def test_a_stale_update_is_dropped(booking_page: BookingPage, server: LiveServer) -> None:
    """An event older than what the page knows (a lower version) changes nothing."""
    booking = _pending_for_carl(server)
    with server.client(server.login("anna")) as anna:
        accepted = act(anna, booking, "accept").json()
    sockets: list[WebSocketRoute] = []

    def relay(ws: WebSocketRoute) -> None:
        ws.connect_to_server()
        sockets.append(ws)

    booking_page.page.route_web_socket("**/api/v1/ws**", relay)
    booking_page.sign_in("carl")
    booking_page.expect_status(booking["id"], "confirmed")
    booking_page.expect_sync("live")
    stale = {
        "type": "booking:updated",
        "seq": 10**9,
        "action": "create",
        "booking": booking,  # version 1, pending
        "changes": {},
        "actor": booking["customer_id"],
    }
    # A seq far ahead is a gap: the page fetches the delta after applying the frame, which
    # tells the test the frame was handled.
    with booking_page.page.expect_request(lambda r: "/bookings?since=" in r.url):
        sockets[-1].send(json.dumps(stale))
    booking_page.expect_status(booking["id"], "confirmed")
    assert accepted["version"] == booking["version"] + 1


def test_a_failed_send_is_retried_with_the_same_key(
    booking_page: BookingPage, server: LiveServer
) -> None:
    """The network drops the first cancel while the socket stays up: the page sends it again,
    with the same Idempotency-Key, and the server applies it once."""
    booking = _pending_for_carl(server)
    booking_page.sign_in("carl")
    booking_page.expect_status(booking["id"], "pending")
    keys: list[str] = []

    def drop_the_first(route: Route, request: Request) -> None:
        keys.append(request.headers["idempotency-key"])
        if len(keys) == 1:
            route.abort("connectionreset")
        else:
            route.continue_()

    booking_page.page.route("**/transitions", drop_the_first)
    booking_page.booking(booking["id"]).get_by_role("button", name="Cancel").click()
    item = booking_page.booking(booking["id"])
    expect(item).to_have_attribute("data-status", "cancelled")
    # Out of the queue only once the server's answer came.
    expect(item).not_to_have_class(re.compile(r"\bis-sending\b"))
    assert len(keys) == 2
    assert keys[0] == keys[1]
    after = _booking(server, booking["id"])
    assert (after["status"], after["version"]) == ("cancelled", booking["version"] + 1)
