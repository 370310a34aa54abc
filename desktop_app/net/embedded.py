"""The embedded booking server: `python -m booking_server serve` as a child process on loopback.

Started with asyncio's subprocess API; ready once it prints `listening on http://HOST:PORT`
(docs/protocol.md). It is never imported (import-linter keeps server and client apart); a frozen app
(PyInstaller bundle) runs the bundle's own `booking-server` executable beside it instead.

It dies with the app, however the app ends (a crash, SIGKILL, SIGTERM without cleanup): it is
started with `--exit-with-parent` and a pipe as its standard input that the app never writes to;
when the app's process is gone, the kernel closes the pipe and the server stops cleanly
(booking_server/server.py). `stop()` is the orderly way: SIGTERM, then SIGKILL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
import subprocess
import sys
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import platformdirs

from desktop_app.net.errors import EmbeddedServerError

log = logging.getLogger(__name__)

APP_NAME = "reservations-desktop"
READY = re.compile(rb"listening on (http://\S+)")
TAIL_LINES = 40
BUNDLED_SERVER = "booking-server.exe" if sys.platform == "win32" else "booking-server"


def server_launcher(python: str) -> list[str]:
    """The command prefix that runs the booking server: `python -m booking_server`, or in a frozen
    bundle (which has no interpreter to run `-m` with) the `booking-server` executable beside us."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve().with_name(BUNDLED_SERVER))]
    return [python, "-m", "booking_server"]


def no_console() -> dict[str, Any]:
    """Options for starting the server's executable from the GUI app: on Windows the app has no
    console (console=False) and the server's own would flash up without CREATE_NO_WINDOW."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NO_WINDOW}
    return {}


def default_database_path() -> Path:
    """The embedded server's SQLite file in the user data folder."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "embedded.sqlite3"


class EmbeddedServer:
    """Start, watch and stop one booking server process; `base_url` is known once started."""

    def __init__(
        self,
        database_path: Path | None = None,
        *,
        demo: bool = True,
        python: str = sys.executable,
        extra_args: Sequence[str] = (),
        start_timeout: float = 30.0,
        stop_timeout: float = 10.0,
    ) -> None:
        self.database_path = database_path or default_database_path()
        self.demo = demo
        self.python = python
        self.extra_args = tuple(extra_args)
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self._process: asyncio.subprocess.Process | None = None
        self._base_url: str | None = None
        self._stderr_tail: deque[str] = deque(maxlen=TAIL_LINES)
        self._pumps: list[asyncio.Task[None]] = []

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the embedded server is not running")
        return self._base_url

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def stderr_tail(self) -> str:
        """The server's last stderr lines, for error reports."""
        return "\n".join(self._stderr_tail)

    def command(self) -> list[str]:
        args = [*server_launcher(self.python), "serve", "--host", "127.0.0.1", "--port", "0"]
        args += ["--database-url", f"sqlite:///{self.database_path}", "--exit-with-parent"]
        if self.demo:
            args.append("--demo")
        return [*args, *self.extra_args]

    async def start(self) -> str:
        """Start the server, return its base URL; `EmbeddedServerError` if it does not come up."""
        if self._process is not None:
            raise RuntimeError("the embedded server was already started")
        self.database_path.parent.mkdir(parents=True, exist_ok=True)
        command = self.command()
        try:
            self._process = await asyncio.create_subprocess_exec(
                *command,
                # Never written to: its end (this process gone) stops the server.
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                **no_console(),
            )
        except OSError as exc:
            raise EmbeddedServerError(f"could not run {command[0]}: {exc}") from exc
        assert self._process.stderr is not None
        self._pumps.append(asyncio.create_task(self._keep_tail(self._process.stderr)))
        try:
            async with asyncio.timeout(self.start_timeout):
                self._base_url = await self._read_until_ready()
        except (TimeoutError, EmbeddedServerError) as exc:
            await self.stop()
            raise EmbeddedServerError(f"{self._failure(exc)}\n{self.stderr_tail}") from exc
        log.info(
            "embedded server listening on %s (process %s, database %s)",
            self._base_url,
            self._process.pid,
            self.database_path,
        )
        return self._base_url

    async def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after `stop_timeout`; the exit status (None if never started)."""
        process = self._process
        if process is None:
            return None
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(self.stop_timeout):
                    await process.wait()
            except TimeoutError:
                log.warning(
                    "embedded server ignored SIGTERM for %ss: killing it", self.stop_timeout
                )
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if process.stdin is not None:
            process.stdin.close()
        for pump in self._pumps:
            pump.cancel()
        await asyncio.gather(*self._pumps, return_exceptions=True)
        self._pumps.clear()
        self._base_url = None
        return process.returncode

    async def wait_exited(self) -> int:
        """Wait until the process ends (a crash, or `stop()`); its exit status. Lets the app
        notice that its embedded server died instead of only seeing refused connections."""
        if self._process is None:
            raise RuntimeError("the embedded server was never started")
        return await self._process.wait()

    async def _read_until_ready(self) -> str:
        assert self._process is not None
        assert self._process.stdout is not None
        stdout = self._process.stdout
        while line := await stdout.readline():
            match = READY.search(line)
            if match:
                # Keep draining stdout, or a chatty server blocks once the pipe is full.
                self._pumps.append(asyncio.create_task(self._keep_tail(stdout)))
                return match.group(1).decode().rstrip("/")
            self._stderr_tail.append(line.decode(errors="replace").rstrip())
        await self._process.wait()
        raise EmbeddedServerError(
            f"the embedded server exited with status {self._process.returncode} before listening"
        )

    async def _keep_tail(self, stream: asyncio.StreamReader) -> None:
        while line := await stream.readline():
            self._stderr_tail.append(line.decode(errors="replace").rstrip())

    def _failure(self, exc: BaseException) -> str:
        if isinstance(exc, TimeoutError):
            return f"the embedded server did not listen within {self.start_timeout}s"
        return str(exc)
