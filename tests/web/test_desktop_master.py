"""The whole loop with both clients on one real server: a customer's booking on the web page
reaches the master's desktop app (PySide6, driven with pytest-qt), the master accepts it there,
and the page shows it confirmed, live.

The browser runs in a process of its own (see tests/web/browser_process.py for why); the app's
loop keeps running while a browser step waits for its condition in the page."""

from __future__ import annotations

import asyncio
import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from booking_core import Action, Status
from desktop_app.ui.bookings_model import Role
from tests.e2e.conftest import app_session, qt_loop, until
from tests.support.live_server import LiveServer
from tests.web.browser import CHROMIUM, WAIT_MS
from tests.web.conftest import _missing

__all__ = ["qt_loop"]
ROOT = Path(__file__).resolve().parents[2]
# A browser step waits up to WAIT_MS for its condition: the app's side waits a little longer.
STEP_TIMEOUT = WAIT_MS / 1000 + 10


class BrowserProcess:
    """The page in a browser process of its own (tests/web/browser_process.py)."""

    def __init__(self, server: LiveServer, master: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.web.browser_process", server.base_url, master],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.process.stdout is not None
        self.replies: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._pump, args=(self.process.stdout,), daemon=True).start()
        first = self.replies.get(timeout=STEP_TIMEOUT)
        assert first == {"ok": True, "value": "ready"}, first

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self.replies.put(json.loads(line))
        self.replies.put({"ok": False, "error": "the browser process ended"})

    async def call(self, step: str, *args: object) -> Any:
        """Run one BookingPage step there; the app's loop runs while the page waits."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"step": step, "args": args}) + "\n")
        self.process.stdin.flush()
        await until(lambda: not self.replies.empty(), within=STEP_TIMEOUT, what=step)
        reply = self.replies.get_nowait()
        assert reply["ok"], reply["error"]
        return reply["value"]

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with LiveServer(tmp_path / "server") as live:
        yield live


@pytest.fixture
def browser(server: LiveServer) -> Iterator[BrowserProcess]:
    if not Path(CHROMIUM).exists():
        _missing(CHROMIUM)
    process = BrowserProcess(server, "anna")
    yield process
    process.close()


def _booked_at(server: LiveServer, starts_at: str) -> str:
    with server.client(server.login("carl")) as carl:
        bookings = carl.get("/bookings").json()["bookings"]
    found = [b["id"] for b in bookings if b["starts_at"] == starts_at and b["status"] == "pending"]
    assert len(found) == 1, bookings
    booking_id: str = found[0]
    return booking_id


def _status_in_app(session: Any, booking_id: str) -> object:
    model = session.window.model
    row = model.row_of(booking_id)
    return model.data(model.index(row, 0), Role.STATUS) if row >= 0 else None


def test_master_accepts_in_the_desktop_app_and_the_page_shows_it(
    qt_loop: asyncio.AbstractEventLoop,
    server: LiveServer,
    browser: BrowserProcess,
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        session = await app_session(server.base_url, "anna", tmp_path / "app")
        try:
            await browser.call("sign_in", "carl")
            starts_at = await browser.call("choose_time", "Haircut")
            await browser.call("book")
            booking_id = _booked_at(server, starts_at)
            await browser.call("expect_status", booking_id, "pending")
            await until(lambda: _status_in_app(session, booking_id) == Status.PENDING)

            assert session.window.select_booking(booking_id)
            session.window.booking_actions[Action.ACCEPT].trigger()
            await browser.call("expect_status", booking_id, "confirmed")
            await browser.call("expect_sync", "live")
            assert await browser.call("errors_seen") == []
        finally:
            await session.close()

    qt_loop.run_until_complete(scenario())
