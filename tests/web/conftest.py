"""Browser tests of the booking page: Debian's chromium driven by Playwright (never a downloaded
browser), against real `booking-server` processes. Without chromium the tests skip, except in CI
(`CI=true`), where they fail: scripts/bootstrap.sh installs it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.support.fixtures import live_server, live_server_factory, live_server_module
from tests.support.live_server import LiveServer
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, BookingPage

__all__ = ["live_server", "live_server_factory", "live_server_module"]


def _missing(what: str) -> None:
    reason = f"{what} is missing (scripts/bootstrap.sh installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        _missing(CHROMIUM)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies, no cache) with a phone-sized viewport."""
    ctx = browser.new_context(viewport=PHONE, locale="en-US", timezone_id="UTC")
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def server(live_server_module: LiveServer) -> LiveServer:
    """One demo server per module: each test makes its own bookings on it."""
    return live_server_module


@pytest.fixture
def booking_page(context: BrowserContext, server: LiveServer) -> BookingPage:
    """The page of master anna, not yet signed in."""
    return BookingPage.open(context, server, "anna")
