"""WebSocket client of the server's event stream, on the `websockets` asyncio client.

`connect()` starts one receive loop as an asyncio task and reports through callbacks; it never
reconnects by itself (the sync engine decides when, with backoff). The token goes in the upgrade
request's `Authorization` header [extension], never in the URL, and websockets' handshake debug
lines never show it (`_redact`). Every `connect()` ends in exactly
one `on_close(code, reason)`: the close code of the socket, or `None` when no WebSocket was
established — then `reason` starts with "upgrade refused: <status>" or "connect failed: ...".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pydantic
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from booking_core import ServerMessage, Viewing, WatchAvailability, parse_server_message
from desktop_app.net.errors import ConfigurationError, TransportError
from desktop_app.net.tls import client_context

log = logging.getLogger(__name__)
# websockets logs each handshake header at DEBUG: its own logger, with the token scrubbed.
wire_log = logging.getLogger(f"{__name__}.wire")

WS_PATH = "/api/v1/ws"

OnOpen = Callable[[], None]
OnMessage = Callable[[ServerMessage], None]
OnClose = Callable[[int | None, str], None]


class _Redact(logging.Filter):
    """Hide the value of an Authorization header line ("> %s: %s") in websockets' debug log."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 2 and str(args[0]).lower() == "authorization":
            record.args = (args[0], "[redacted]")
        return True


wire_log.addFilter(_Redact())


@dataclass(frozen=True)
class SocketSettings:
    """Heartbeat and limits. The server pings every 15 s; our own pings detect a dead link."""

    ping_interval: float | None = 15.0
    ping_timeout: float | None = 15.0
    open_timeout: float | None = 10.0
    close_timeout: float | None = 5.0
    max_size: int | None = 16 * 1024 * 1024
    # A CA (PEM) trusted for a wss:// server besides the system's (see tls.py).
    ca_file: Path | None = None


def ws_url_for(base_url: str) -> str:
    """The event stream's URL on the server at `base_url` (http → ws, https → wss)."""
    parts = urlsplit(base_url)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + WS_PATH, "", ""))


def _with_since(ws_url: str, since: int | None) -> str:
    """The socket URL to open: `since` only; the token travels in a header."""
    if since is None:
        return ws_url
    parts = urlsplit(ws_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode({"since": since}), ""))


def _tls(url: str, ca_file: Path | None) -> dict[str, Any]:
    """websockets' `ssl` option: only for wss:// (it refuses one for ws://), only when a CA is
    configured (else its default, the system's CAs)."""
    if ca_file is None or urlsplit(url).scheme != "wss":
        return {}
    return {"ssl": client_context(ca_file)}


class SocketClient:
    """One WebSocket at a time; callbacks run on the event loop's thread."""

    def __init__(
        self,
        on_open: OnOpen,
        on_message: OnMessage,
        on_close: OnClose,
        settings: SocketSettings | None = None,
    ) -> None:
        self._on_open = on_open
        self._on_message = on_message
        self._on_close = on_close
        self.settings = settings or SocketSettings()
        self._task: asyncio.Task[None] | None = None
        self._connection: ClientConnection | None = None

    @property
    def is_open(self) -> bool:
        """True between `on_open` and `on_close`."""
        return self._connection is not None

    @property
    def is_running(self) -> bool:
        """True from `connect()` until its `on_close` was called."""
        return self._task is not None and not self._task.done()

    def connect(self, ws_url: str, token: str, since: int | None = None) -> asyncio.Task[None]:
        """Start connecting (on the running loop) and return the receive loop's task."""
        if self.is_running:
            raise RuntimeError("SocketClient.connect() while a socket is still running")
        if urlsplit(ws_url).scheme not in ("ws", "wss"):
            raise ConfigurationError(f"the WebSocket URL must be ws(s)://..., not {ws_url!r}")
        url = _with_since(ws_url, since)
        run = self._run(url, token)
        self._task = asyncio.get_running_loop().create_task(run, name="socket-client")
        return self._task

    async def send_viewing(self, booking_id: str | None) -> None:
        """Tell the server which booking is on screen; `TransportError` if the socket is gone."""
        await self._send(Viewing(booking_id=booking_id).model_dump_json())

    async def send_watch(self, master_id: str | None) -> None:
        """[extension] Ask for `availability:updated` of this master (None: stop);
        `TransportError` if the socket is gone."""
        await self._send(WatchAvailability(master_id=master_id).model_dump_json())

    async def _send(self, frame: str) -> None:
        connection = self._connection
        if connection is None:
            raise TransportError("the socket is not open")
        try:
            await connection.send(frame)
        except ConnectionClosed as exc:
            raise TransportError(f"the socket closed while sending: {exc}") from exc

    async def close(self) -> None:
        """Close the socket (normal closure 1000) and wait until `on_close` ran."""
        task = self._task
        if task is None or task.done():
            return
        if self._connection is not None:
            await self._connection.close()
        else:  # still connecting: give up the attempt
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def wait_closed(self) -> None:
        """Wait until the current socket (if any) ended and `on_close` ran."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self, url: str, token: str) -> None:
        code: int | None = None
        reason = ""
        try:
            code, reason = await self._connect_and_receive(url, token)
        except asyncio.CancelledError:
            reason = "cancelled"
            raise
        finally:
            # Forget this socket before reporting, so on_close may call connect() again at once.
            self._connection = None
            if self._task is asyncio.current_task():
                self._task = None
            self._report_close(code, reason)

    async def _connect_and_receive(self, url: str, token: str) -> tuple[int | None, str]:
        s = self.settings
        try:
            connection = await connect(
                url,
                additional_headers={"Authorization": f"Bearer {token}"},
                logger=wire_log,
                ping_interval=s.ping_interval,
                ping_timeout=s.ping_timeout,
                open_timeout=s.open_timeout,
                close_timeout=s.close_timeout,
                max_size=s.max_size,
                proxy=None,  # a system proxy must not sit between the app and a loopback server
                **_tls(url, s.ca_file),
            )
        except InvalidStatus as exc:
            return None, f"upgrade refused: {exc.response.status_code}"
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
            return None, f"connect failed: {type(exc).__name__}: {exc}"
        self._connection = connection
        self._report(self._on_open)
        async with connection:
            with contextlib.suppress(ConnectionClosed):
                while True:
                    # Undecoded: a text frame that is not UTF-8 is skipped, not a reason to close.
                    self._deliver(await connection.recv(decode=False))
        return _close_code(connection)

    def _deliver(self, data: bytes | str) -> None:
        try:
            frame = data.decode() if isinstance(data, bytes) else data
        except UnicodeDecodeError as exc:
            log.warning("skipped a server frame that is not UTF-8: %s", exc)
            return
        try:
            message = parse_server_message(frame)
        except pydantic.ValidationError as exc:
            log.warning("skipped a malformed server frame %.200r: %s", frame, exc)
            return
        except Exception:
            log.exception("could not read a server frame %.200r", frame)
            return
        self._report(self._on_message, message)

    def _report_close(self, code: int | None, reason: str) -> None:
        try:
            self._on_close(code, reason)
        except Exception:
            log.exception("the on_close callback failed")

    def _report(self, callback: Callable[..., None], *args: object) -> None:
        # A failing callback is the caller's bug; it must not kill the receive loop.
        try:
            callback(*args)
        except Exception:
            log.exception("a socket callback failed")


def _close_code(connection: ClientConnection) -> tuple[int | None, str]:
    """The server's close frame, else 1006 with why we gave up (e.g. a heartbeat timeout)."""
    received, sent = connection.protocol.close_rcvd, connection.protocol.close_sent
    if received is not None:
        return received.code, received.reason
    return 1006, sent.reason if sent is not None else ""
