"""WebSocket client of the server's event stream, on the `websockets` asyncio client.

`connect()` starts one receive loop as an asyncio task and reports through callbacks; it never
reconnects by itself (the sync engine decides when, with backoff). Messages are reported from the
connection's `data_received`, in order, as soon as their last frame is read: waiting for the
receive task to be woken for each one cost an event-loop turn per message (a zero-timer on qasync)
between the bytes arriving and the row changing. Every `connect()` ends in exactly
one `on_close(code, reason)`: the close code of the socket, or `None` when no WebSocket was
established — then `reason` starts with "upgrade refused: <status>" or "connect failed: ...".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pydantic
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.frames import Frame, Opcode
from websockets.protocol import Event

from booking_core import ServerMessage, Viewing, parse_server_message
from desktop_app.net.errors import ConfigurationError, TransportError
from desktop_app.net.tls import client_context

log = logging.getLogger(__name__)

WS_PATH = "/api/v1/ws"

OnOpen = Callable[[], None]
OnMessage = Callable[[ServerMessage], None]
OnClose = Callable[[int | None, str], None]
Deliver = Callable[[str | bytes], None]


class _DeliveringConnection(ClientConnection):
    """A client connection that hands each whole data message to a callback from
    `data_received`, instead of queueing it for `recv()`. Messages that arrive before
    `deliver_to` (with the handshake's response: the server's hello) are held until then.
    Control frames (ping, pong, close) go the usual way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deliver: Deliver | None = None
        self._held: list[str | bytes] = []
        self._fragments: list[bytes | bytearray | memoryview] = []
        self._text = True

    def deliver_to(self, deliver: Deliver) -> None:
        held, self._held = self._held, []
        self._deliver = deliver
        for message in held:
            deliver(message)

    def process_event(self, event: Event) -> None:
        if self.response is None or not isinstance(event, Frame):
            super().process_event(event)  # the handshake's response
        elif event.opcode is Opcode.TEXT or event.opcode is Opcode.BINARY:
            self._text = event.opcode is Opcode.TEXT
            self._fragments = [event.data]
            if event.fin:
                self._message_done()
        elif event.opcode is Opcode.CONT:
            self._fragments.append(event.data)
            if event.fin:
                self._message_done()
        else:
            super().process_event(event)

    def _message_done(self) -> None:
        data = b"".join(self._fragments)
        self._fragments = []
        try:
            message: str | bytes = data.decode() if self._text else data
        except UnicodeDecodeError as exc:
            log.warning("skipped a server frame that is not UTF-8: %s", exc)
            return
        if self._deliver is None:
            self._held.append(message)
        else:
            self._deliver(message)


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


def _with_query(ws_url: str, token: str, since: int | None) -> str:
    query = {"token": token} if since is None else {"token": token, "since": str(since)}
    parts = urlsplit(ws_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


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
        url = _with_query(ws_url, token, since)
        self._task = asyncio.get_running_loop().create_task(self._run(url), name="socket-client")
        return self._task

    async def send_viewing(self, booking_id: str | None) -> None:
        """Tell the server which booking is on screen; `TransportError` if the socket is gone."""
        connection = self._connection
        if connection is None:
            raise TransportError("the socket is not open")
        try:
            await connection.send(Viewing(booking_id=booking_id).model_dump_json())
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

    async def _run(self, url: str) -> None:
        code: int | None = None
        reason = ""
        try:
            code, reason = await self._connect_and_receive(url)
        except asyncio.CancelledError:
            reason = "cancelled"
            raise
        finally:
            # Forget this socket before reporting, so on_close may call connect() again at once.
            self._connection = None
            if self._task is asyncio.current_task():
                self._task = None
            self._report_close(code, reason)

    async def _connect_and_receive(self, url: str) -> tuple[int | None, str]:
        s = self.settings
        try:
            connection = await connect(
                url,
                ping_interval=s.ping_interval,
                ping_timeout=s.ping_timeout,
                open_timeout=s.open_timeout,
                close_timeout=s.close_timeout,
                max_size=s.max_size,
                proxy=None,  # a system proxy must not sit between the app and a loopback server
                create_connection=_DeliveringConnection,
                **_tls(url, s.ca_file),
            )
        except InvalidStatus as exc:
            return None, f"upgrade refused: {exc.response.status_code}"
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
            return None, f"connect failed: {type(exc).__name__}: {exc}"
        assert isinstance(connection, _DeliveringConnection)
        self._connection = connection
        self._report(self._on_open)
        async with connection:
            connection.deliver_to(self._deliver)
            await connection.wait_closed()
        return _close_code(connection)

    def _deliver(self, frame: str | bytes) -> None:
        # Runs inside the connection's data_received: nothing may escape from here.
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
