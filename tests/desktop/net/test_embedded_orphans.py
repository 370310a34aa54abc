"""An embedded server never outlives its app: killed with SIGKILL (no cleanup at all), the app
leaves no server running (issue 15's defect: orphans on loopback with the database open).
Real processes: the app as a user starts it, and the booking server it starts."""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not hasattr(os, "pidfd_open"), reason="waits on the server's end with a pidfd (Linux)"
)

START_WAIT = 90.0  # seconds; only a failure waits this long (a loaded machine starts slowly)
END_WAIT = 60.0
LISTENING = re.compile(r"embedded server listening on \S+ \(process (\d+),")
APP = [sys.executable, "-m", "desktop_app"]
SERVER = [sys.executable, "-m", "booking_server", "serve", "--host", "127.0.0.1", "--port", "0"]


def _environment(home: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RESERVATIONS_")}
    return {
        **clean,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "QT_QPA_PLATFORM": "offscreen",
    }


def _first_match(stream: object, pattern: re.Pattern[str], within: float) -> re.Match[str]:
    """Read `stream`'s lines (in a thread: a read has no timeout) until one matches."""
    found: list[re.Match[str]] = []
    done = threading.Event()
    seen: list[str] = []

    def read() -> None:
        for line in stream:  # type: ignore[attr-defined]
            seen.append(line)
            if match := pattern.search(line):
                found.append(match)
                break
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(within), "".join(seen[-40:])
    assert found, "".join(seen[-40:])
    return found[0]


@contextlib.contextmanager
def _pidfd(pid: int) -> Iterator[int]:
    descriptor = os.pidfd_open(pid)
    try:
        yield descriptor
    finally:
        os.close(descriptor)


def _ended(descriptor: int, within: float) -> bool:
    """True once the process behind `descriptor` has ended (readable: exited, reaped or not)."""
    readable, _, _ = select.select([descriptor], [], [], within)
    return bool(readable)


def test_the_embedded_server_ends_with_an_app_killed_by_sigkill(tmp_path: Path) -> None:
    app = subprocess.Popen(
        [*APP, "--demo", "--data-dir", str(tmp_path / "data")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(tmp_path / "home"),
    )
    server_pid = 0
    try:
        assert app.stderr is not None
        server_pid = int(_first_match(app.stderr, LISTENING, START_WAIT).group(1))
        with _pidfd(server_pid) as server:
            assert not _ended(server, 0)
            app.send_signal(signal.SIGKILL)  # no handler, no cleanup: the kernel ends it
            app.wait(END_WAIT)
            assert _ended(server, END_WAIT), "the embedded server outlived its app"
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        if server_pid and not _gone(server_pid):
            os.kill(server_pid, signal.SIGKILL)  # an orphan of a failed run: not left behind


def _gone(pid: int) -> bool:
    try:
        with _pidfd(pid) as descriptor:
            return _ended(descriptor, 0)
    except ProcessLookupError:
        return True


def test_a_server_whose_standard_input_ends_stops_cleanly(tmp_path: Path) -> None:
    """The server's side: the end of its stdin (its parent gone) is a clean stop, exit 0."""
    server = subprocess.Popen(
        [*SERVER, "--database-url", f"sqlite:///{tmp_path / 'b.sqlite3'}", "--exit-with-parent"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert server.stdin is not None
        _first_match(server.stdout, re.compile(r"listening on http://"), START_WAIT)
        server.stdin.close()
        assert server.wait(END_WAIT) == 0
        assert server.stderr is not None
        assert "stopping: standard input closed" in server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
