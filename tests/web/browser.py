"""Driving the booking page in chromium: launch settings, and `BookingPage`, the page as a user
(and a test) sees it. Every wait is on a condition in the page, never on time."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page, ViewportSize, expect

from tests.support.live_server import LiveServer

CHROMIUM = os.environ.get("BOOKING_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
# A cap sized for a loaded 2-core machine: every wait ends as soon as its condition holds.
WAIT_MS = 60_000
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

expect.set_options(timeout=WAIT_MS)


def screenshot(page: Page, name: str, tmp_path: Path) -> Path:
    """`<folder>/web-<name>.png`: docs/screenshots/ with SAVE_SCREENSHOTS=1, else tmp_path."""
    folder = DOCS_SCREENSHOTS if os.environ.get("SAVE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"web-{name}.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    return path


class BookingPage:
    def __init__(self, page: Page, server: LiveServer, master: str) -> None:
        self.page = page
        self.server = server
        self.master = master
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    @classmethod
    def open(
        cls, context: BrowserContext, server: LiveServer, master: str, query: str = ""
    ) -> BookingPage:
        page = context.new_page()
        booking_page = cls(page, server, master)
        page.goto(f"{server.base_url}/book/{master}{query}")
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        return booking_page

    def sign_in(self, username: str, password: str = "demo") -> None:
        self.page.fill("#signin-name", username)
        self.page.fill("#signin-password", password)
        self.page.click("#form-signin button[type=submit]")
        expect(self.page.locator("#signed-in")).to_be_visible()

    def choose_time(self, service: str, nth_day: int = 1, nth_slot: int = 0) -> str:
        """Pick a service, a day and a free time; returns the time's start as the API gave it."""
        self.page.locator("#services button", has_text=service).click()
        self.page.locator("#slots .day").nth(nth_day).click()
        self.page.locator("#slots .slot").nth(nth_slot).click()
        chosen = self.page.locator('#slots .slot[aria-pressed="true"]')
        key = chosen.get_attribute("data-key")
        assert key is not None
        return key.removeprefix("slot:")

    def book(self) -> None:
        """Book the chosen time; returns once the server has answered (nothing left to send)."""
        self.page.get_by_role("button", name="Book", exact=True).click()
        expect(self.page.locator("#bookings li.is-sending")).to_have_count(0)

    def booking(self, booking_id: str) -> Locator:
        return self.page.locator(f'#bookings li[data-id="{booking_id}"]')

    def expect_status(self, booking_id: str, status: str) -> None:
        expect(self.booking(booking_id)).to_have_attribute("data-status", status)

    def expect_sync(self, state: str) -> None:
        expect(self.page.locator("#sync")).to_have_attribute("data-state", state)

    def dot_colour(self) -> str:
        classes = self.page.locator("#dot").get_attribute("class") or ""
        return next(c for c in classes.split() if c.startswith("dot-")).removeprefix("dot-")

    def toast(self) -> Locator:
        return self.page.locator("#toast")

    def errors_seen(self) -> list[str]:
        return list(self.errors)

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)
