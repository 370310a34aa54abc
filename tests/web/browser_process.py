"""A browser in a process of its own, driven over pipes: for tests that also run the Qt app.

Chromium driven by Playwright must not share a process with the app's Qt event loop: an asyncio
loop on another thread (Playwright's) next to qasync's crashes the process now and then (a
segfault inside the Qt loop). So the test starts `python -m tests.web.browser_process BASE_URL
MASTER`, which opens the master's page and then runs one `BookingPage` method per stdin line
(`{"step": "sign_in", "args": ["carl"]}`), answering each with one stdout line
(`{"ok": true, "value": ...}` or `{"ok": false, "error": "..."}`); end of input ends it."""

from __future__ import annotations

import json
import sys
import traceback

from playwright.sync_api import sync_playwright

from tests.support.live_server import LiveServer
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, BookingPage


class _Remote(LiveServer):
    """Only what BookingPage reads of a server: its base URL."""

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url

    @property
    def base_url(self) -> str:
        return self._base_url


def _answer(reply: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()


def main(base_url: str, master: str) -> None:
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE, timezone_id="UTC", locale="en-US")
        page = BookingPage.open(context, _Remote(base_url), master)
        _answer({"ok": True, "value": "ready"})
        for line in sys.stdin:
            command = json.loads(line)
            try:
                value = getattr(page, command["step"])(*command.get("args", []))
            except Exception:
                _answer({"ok": False, "error": traceback.format_exc()})
            else:
                _answer({"ok": True, "value": value})
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
