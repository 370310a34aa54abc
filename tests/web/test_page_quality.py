"""The booking page's qualities: accessibility (axe-core, 0 serious or critical violations),
keyboard use, German, the first load's size, nothing blocked by the CSP, and the screenshots for
the docs (phone 390x844 and desktop 1280x800)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Response, expect

from tests.support.api import create
from tests.support.live_server import LiveServer
from tests.web.browser import AXE, DESKTOP, PHONE, BookingPage, screenshot
from tests.web.conftest import _missing

FIRST_LOAD_LIMIT = 150 * 1024

_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


def _serious(page: BookingPage) -> list[dict[str, Any]]:
    page.page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_nothing_serious(browser: Browser, server: LiveServer, viewport: Any) -> None:
    if not AXE.exists():
        _missing(f"{AXE} (npm ci --prefix tests/web)")
    # axe is injected by the test: the page's own policy rightly refuses foreign scripts.
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    try:
        with server.client(server.login("carl")) as client:
            create(client, server.user("anna")["id"])
        page = BookingPage.open(context, server, "anna")
        assert _serious(page) == []
        page.choose_time("Haircut")
        assert _serious(page) == []
        page.page.get_by_role("tab", name="Create account").click()
        assert _serious(page) == []
        page.page.get_by_role("tab", name="Sign in").click()
        page.sign_in("carl")
        expect(page.page.locator("#bookings li").first).to_be_visible()
        assert _serious(page) == []
        page.page.get_by_role("button", name="Reschedule").first.click()
        assert _serious(page) == []
    finally:
        context.close()


def test_keyboard_only_sign_in_and_cancel(booking_page: BookingPage, server: LiveServer) -> None:
    with server.client(server.login("carl")) as client:
        booking = create(client, server.user("anna")["id"])
    page = booking_page.page
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    page.locator("#signin-name").focus()
    page.keyboard.type("carl")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    expect(page.locator("#mine-h")).to_be_focused()
    item = booking_page.booking(booking["id"])
    item.get_by_role("button", name="Cancel").focus()
    page.keyboard.press("Enter")
    booking_page.expect_status(booking["id"], "cancelled")
    # The focus stays in the list (on the booking) when its button goes away.
    expect(item).to_be_focused()


def test_the_tabs_follow_the_arrow_keys(booking_page: BookingPage) -> None:
    page = booking_page.page
    page.get_by_role("tab", name="Sign in").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Create account")).to_be_focused()
    expect(page.locator("#form-signup")).to_be_visible()
    expect(page.locator("#form-signin")).to_be_hidden()


def test_german(context: BrowserContext, server: LiveServer) -> None:
    page = BookingPage.open(context, server, "anna", "?lang=de")
    expect(page.page.locator("html")).to_have_attribute("lang", "de")
    expect(page.page.locator("#mine-h")).to_have_text("Meine Termine")
    page.sign_in("dora")
    expect(page.page.locator("#sync")).to_contain_text("Live")
    page.page.select_option("#lang", "en")
    expect(page.page.locator("#mine-h")).to_have_text("My bookings")
    expect(page.page.locator("html")).to_have_attribute("lang", "en")


def test_the_first_load_is_small_and_nothing_breaks_the_policy(
    context: BrowserContext, server: LiveServer
) -> None:
    responses: list[Response] = []
    console: list[ConsoleMessage] = []
    page = context.new_page()
    page.on("response", lambda response: responses.append(response))
    page.on("console", lambda message: console.append(message))
    page.goto(f"{server.base_url}/book/anna")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.wait_for_load_state("networkidle")
    total = 0
    for response in responses:
        sizes = response.request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    assert 0 < total < FIRST_LOAD_LIMIT, total
    assert all(r.url.startswith(server.base_url) for r in responses)
    blocked = [m.text for m in console if "Content Security Policy" in m.text]
    assert blocked == []


def test_screenshots(
    browser: Browser, server: LiveServer, tmp_path: Path, context: BrowserContext
) -> None:
    """The README's pictures of the page: signed out, my bookings, offline (phone), desktop."""
    with server.client(server.login("dora")) as client:
        anna = server.user("anna")["id"]
        haircut = create(client, anna, service="Haircut")
        create(client, anna, service="Beard trim")
    page = BookingPage.open(context, server, "anna")
    assert screenshot(page.page, "phone-signed-out", tmp_path).stat().st_size > 5000
    page.sign_in("dora")
    expect(page.page.locator("#bookings li").first).to_be_visible()
    page.expect_sync("live")
    assert screenshot(page.page, "phone-bookings", tmp_path).stat().st_size > 5000
    context.set_offline(True)
    page.expect_sync("offline")
    page.booking(haircut["id"]).get_by_role("button", name="Cancel").click()
    expect(page.page.locator("#offline")).to_contain_text("1 change")
    assert screenshot(page.page, "phone-offline", tmp_path).stat().st_size > 5000
    context.set_offline(False)
    page.expect_sync("live")

    wide = browser.new_context(viewport=DESKTOP)
    try:
        desk = BookingPage.open(wide, server, "anna")
        desk.sign_in("dora")
        desk.expect_sync("live")
        assert screenshot(desk.page, "desktop", tmp_path).stat().st_size > 5000
    finally:
        wide.close()
