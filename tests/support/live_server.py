"""A real `booking-server serve` subprocess on loopback, with a SQLite file, for integration tests.

server = LiveServer(tmp_path / "server")
server.start()                       # waits for "listening on ..." (no sleeps)
token = server.login("anna")         # demo users: anna, ben (masters), carl, dora (customers)
httpx.get(server.base_url + "/api/v1/bookings", headers=server.auth(token))
server.restart()                     # same database file and, by default, the same port
server.stop()                        # SIGTERM, then the exit status
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import httpx

from booking_server.server import DUMP_END, DUMP_SIGNAL

LISTENING = "listening on "
DEMO_PASSWORD = "demo"
START_TIMEOUT = 120.0
# Tests (and bench/) fire bursts of requests and socket messages and open many sockets per user:
# those limits are lifted unless a test sets them (env=...).
TEST_DEFAULTS = {
    "BOOKING_LOG_LEVEL": "warning",
    "BOOKING_RATE_LIMIT_BURST": "100000",
    "BOOKING_RATE_LIMIT_PER_SECOND": "100000",
    "BOOKING_WS_MESSAGES_BURST": "100000",
    "BOOKING_WS_MESSAGES_PER_SECOND": "100000",
    "BOOKING_WS_MAX_SOCKETS_PER_USER": "100000",
    "BOOKING_MAX_CONNECTIONS": "100000",
}
STOP_TIMEOUT = 60.0
DUMP_TIMEOUT = 5.0
# Every server process started and not yet stopped: a failed test's report shows their logs.
RUNNING: weakref.WeakSet[LiveServer] = weakref.WeakSet()


class ServerFailedError(RuntimeError):
    """The server process exited or did not announce itself in time."""


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Read the child's stdout to its end (so it never blocks on a full pipe)."""
    for line in stream:
        lines.put(line)
    lines.put(None)


class LiveServer:
    def __init__(
        self,
        folder: Path,
        *,
        demo: bool = True,
        env: Mapping[str, str] | None = None,
        args: list[str] | None = None,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.database_path = folder / "bookings.sqlite3"
        self.log_path = folder / "server.log"
        self.demo = demo
        self.env = dict(env or {})
        self.args = list(args or [])
        self.port = 0
        self.process: subprocess.Popen[str] | None = None
        self.returncode: int | None = None
        self._users: dict[str, dict[str, Any]] = {}

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database_path}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v1"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/v1/ws"

    def ws_url_for(self, token: str, since: int | None = None) -> str:
        url = f"{self.ws_url}?token={token}"
        return url if since is None else f"{url}&since={since}"

    def command(self, port: int) -> list[str]:
        command = [sys.executable, "-m", "booking_server", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--database-url", self.database_url]
        return command + (["--demo"] if self.demo else []) + self.args

    def start(self, port: int | None = None) -> LiveServer:
        """Start the process and wait for its `listening on` line; raises ServerFailedError."""
        assert self.process is None, "already running"
        env = {**os.environ, **TEST_DEFAULTS, **self.env}
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                self.command(self.port if port is None else port),
                stdout=subprocess.PIPE,
                stderr=log,
                stdin=subprocess.DEVNULL,
                text=True,
                env=env,
            )
        assert self.process.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(self.process.stdout, lines), daemon=True).start()
        self.port = self._wait_listening(lines)
        self.returncode = None
        RUNNING.add(self)
        return self

    def _wait_listening(self, lines: queue.Queue[str | None]) -> int:
        while True:
            try:
                line = lines.get(timeout=START_TIMEOUT)
            except queue.Empty:
                self.kill()
                raise ServerFailedError(f"no '{LISTENING}' line in time\n{self.log()}") from None
            if line is None:
                code = self.process.wait() if self.process else None
                self.process = None
                raise ServerFailedError(f"the server exited ({code})\n{self.log()}")
            if line.startswith(LISTENING):
                return int(line.strip().rsplit(":", 1)[1])

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        """Signal the process and wait for it; returns its exit status (None if not running)."""
        if self.process is None:
            return self.returncode
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.returncode = self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.returncode = self.process.wait()
        self.process = None
        RUNNING.discard(self)
        return self.returncode

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.returncode = self.process.wait()
            self.process = None
        RUNNING.discard(self)

    def diagnose(self, lines: int = 300) -> str:
        """For a failed test: ask the running process for its thread and task stacks (SIGUSR1,
        booking_server/server.py) and return the end of its log, dump included."""
        if DUMP_SIGNAL is not None and self.running:
            assert self.process is not None
            size = self.log_path.stat().st_size if self.log_path.exists() else 0
            self.process.send_signal(DUMP_SIGNAL)
            deadline = time.monotonic() + DUMP_TIMEOUT
            # Failure path only: poll the log for the dump's last line, within a deadline.
            while time.monotonic() < deadline and DUMP_END not in self._log_after(size):
                time.sleep(0.05)
        return "\n".join(self.log().splitlines()[-lines:])

    def _log_after(self, offset: int) -> str:
        with self.log_path.open() as log:
            log.seek(offset)
            return log.read()

    def restart(self, *, same_port: bool = True) -> LiveServer:
        """Stop and start again on the same database (and port, unless same_port=False)."""
        port = self.port if same_port else 0
        self.stop()
        return self.start(port)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    # Conveniences for tests.

    def login_response(self, username: str, password: str = DEMO_PASSWORD) -> dict[str, Any]:
        response = httpx.post(
            f"{self.api_url}/auth/login", json={"username": username, "password": password}
        )
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        self._users[username] = body["user"]
        return body

    def login(self, username: str, password: str = DEMO_PASSWORD) -> str:
        """A fresh bearer token for the user (demo password by default)."""
        token: str = self.login_response(username, password)["token"]
        return token

    def user(self, username: str) -> dict[str, Any]:
        """The public user record (id, username, role, display_name), signing in if needed."""
        if username not in self._users:
            self.login_response(username)
        return self._users[username]

    @staticmethod
    def auth(token: str, **headers: str) -> dict[str, str]:
        """Authorization header (plus any others, e.g. auth(t, **{"If-Match": '"1"'}))."""
        return {"Authorization": f"Bearer {token}", **headers}

    def client(self, token: str | None = None) -> httpx.Client:
        """An httpx client on the API base URL, signed in when a token is given."""
        headers = self.auth(token) if token else {}
        return httpx.Client(base_url=self.api_url, headers=headers)

    def __enter__(self) -> LiveServer:
        if self.process is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
