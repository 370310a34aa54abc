"""The whole loop with both clients on one real server: a customer's booking on the web page
reaches the master's desktop app (PySide6, driven with pytest-qt), the master accepts it there,
and the page shows it confirmed, live.

The browser runs in a thread of its own (Playwright's sync API is bound to the thread that started
it, and must not run inside the app's asyncio loop); each browser step is awaited from the app's
loop, so the app keeps running while the page waits for its condition."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Playwright, sync_playwright

from booking_core import Action, Status
from desktop_app.ui.bookings_model import Role
from tests.e2e.conftest import app_session, qt_loop, until
from tests.support.api import create
from tests.support.live_server import LiveServer
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, BookingPage
from tests.web.conftest import _missing

__all__ = ["qt_loop"]
T = TypeVar("T")


class BrowserThread:
    """Chromium on one worker thread; `call(fn)` runs `fn(page)` there."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="browser")
        self.driver: Playwright | None = None
        self.page: BookingPage | None = None

    def open(self, server: LiveServer, master: str) -> None:
        def start() -> None:
            self.driver = sync_playwright().start()
            browser = self.driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=PHONE, timezone_id="UTC")
            self.page = BookingPage.open(context, server, master)

        self.pool.submit(start).result()

    async def call(self, step: Callable[[BookingPage], T]) -> T:
        def run() -> T:
            assert self.page is not None
            return step(self.page)

        return await asyncio.get_running_loop().run_in_executor(self.pool, run)

    def close(self) -> None:
        def stop() -> None:
            if self.driver is not None:
                self.driver.stop()

        self.pool.submit(stop).result()
        self.pool.shutdown()


@pytest.fixture
def browser_thread() -> Iterator[BrowserThread]:
    if not Path(CHROMIUM).exists():
        _missing(CHROMIUM)
    thread = BrowserThread()
    yield thread
    thread.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with LiveServer(tmp_path / "server") as live:
        yield live


def _status_in_app(session: Any, booking_id: str) -> object:
    model = session.window.model
    row = model.row_of(booking_id)
    return model.data(model.index(row, 0), Role.STATUS) if row >= 0 else None


def test_master_accepts_in_the_desktop_app_and_the_page_shows_it(
    qt_loop: asyncio.AbstractEventLoop,
    server: LiveServer,
    browser_thread: BrowserThread,
    tmp_path: Path,
) -> None:
    browser_thread.open(server, "anna")

    async def scenario() -> None:
        session = await app_session(server.base_url, "anna", tmp_path / "app")
        try:
            await browser_thread.call(lambda page: page.sign_in("carl"))
            with server.client(server.login("carl")) as carl:
                booking = create(carl, session.user.id)
            booking_id = booking["id"]
            await browser_thread.call(lambda page: page.expect_status(booking_id, "pending"))
            await until(lambda: _status_in_app(session, booking_id) == Status.PENDING)

            assert session.window.select_booking(booking_id)
            session.window.booking_actions[Action.ACCEPT].trigger()
            await browser_thread.call(lambda page: page.expect_status(booking_id, "confirmed"))
            await browser_thread.call(lambda page: page.expect_sync("live"))
            errors = await browser_thread.call(lambda page: list(page.errors))
            assert errors == []
        finally:
            await session.close()

    qt_loop.run_until_complete(scenario())
