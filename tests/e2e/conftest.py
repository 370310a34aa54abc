"""End-to-end fixtures: a real booking server process and the real app on qasync's Qt loop.

Each test body is a coroutine run with `qt_loop.run_until_complete(...)` (the Qt event loop runs
while it awaits), and waits on conditions with `until`, never on wall-clock sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from desktop_app.app import Session, open_session, wait_for_sync
from desktop_app.net.api import ApiClient
from desktop_app.sync import SyncConfig
from tests.support.live_server import LiveServer

WAIT = 60.0


@pytest.fixture
def qt_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    # As in the app: closing a session's window must not quit the application (and stop the loop).
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    with LiveServer(tmp_path / "server") as live:
        yield live


async def until(predicate: Callable[[], object], within: float = WAIT, what: str = "") -> None:
    """Wait until `predicate()` is true, re-checking as the event loop runs (like waitUntil)."""
    async with asyncio.timeout(within):
        while not predicate():  # noqa: ASYNC110 - a Qt-side predicate, polled like waitUntil
            await asyncio.sleep(0.005)
    assert predicate(), what


async def app_session(
    server_url: str,
    username: str,
    data_dir: Path,
    config: SyncConfig | None = None,
) -> Session:
    """The real app, signed in on `server_url`, after its first completed sync."""
    session = await open_session(
        ApiClient(server_url), "demo", username, data_dir=data_dir, config=config
    )
    session.window.show()
    async with asyncio.timeout(WAIT):
        await wait_for_sync(session.controller)
    return session
