"""A stuck server can be asked what it waits on: SIGUSR1 writes every thread's and asyncio task's
stack to its log (the test suite does it for the servers of a failed test)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from booking_server.server import DUMP_END
from tests.support.live_server import RUNNING, LiveServer


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGUSR1 on Windows")
def test_sigusr1_dumps_threads_and_tasks_and_the_server_goes_on(tmp_path: Path) -> None:
    with LiveServer(tmp_path / "server") as server:
        assert server in RUNNING
        dump = server.diagnose()
        assert "-- task dump (SIGUSR1) --" in dump
        assert DUMP_END in dump
        assert "Current thread" in dump or "Thread 0x" in dump  # faulthandler's threads
        assert "<Task " in dump  # asyncio tasks, e.g. uvicorn's main loop
        # Still serving.
        assert server.login("anna")
    assert server not in RUNNING
