"""Running the app under uvicorn: announce the bound address, close sockets with 1001 on stop, and
(`exit_with_parent`) stop with the process that started us.

An embedded server must not outlive its app, even one killed with SIGKILL (which it cannot catch
to stop us). The app starts it with a pipe as standard input and never writes to it: when the
app's process ends, however, the kernel closes the pipe's other end and our read of stdin ends;
then we stop as on SIGTERM (sockets closed with 1001, the database closed cleanly). Where
processes are re-parented when their parent dies (POSIX), the parent's pid changing is a second
sign, checked every second, for a pipe end some other process kept open.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import TextIO

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn._types import ASGISendEvent
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from booking_server.api.deps import Services
from booking_server.api.hub import CLOSE_GOING_AWAY
from booking_server.settings import Settings


def url_of(host: str, port: int, *, tls: bool = False) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"


log = logging.getLogger(__name__)

DUMP_SIGNAL = getattr(signal, "SIGUSR1", None)
PARENT_CHECK_SECONDS = 1.0
DUMP_END = "-- end of task dump --"


def dump_tasks(out: TextIO) -> None:
    """Write every thread's and every asyncio task's stack to `out`: what a stuck server waits on.
    Sent SIGUSR1 (where it exists); the tests do it to a server whose test failed."""
    out.write("-- task dump (SIGUSR1) --\n")
    out.flush()
    faulthandler.dump_traceback(file=out, all_threads=True)
    for task in asyncio.all_tasks():
        out.write(f"{task!r}\n")
        task.print_stack(limit=30, file=out)
    out.write(f"{DUMP_END}\n")
    out.flush()


def announce(url: str) -> None:
    """The line the desktop app and the tests wait for."""
    sys.stdout.write(f"listening on {url}\n")
    sys.stdout.flush()


class HttpProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's head (slowloris): from the
    moment the server waits for a request — the connection opened, or the previous answer sent —
    its request line and headers must be complete within `header_timeout`, else the connection
    is closed. Bytes trickling in do not extend it (uvicorn's keep-alive timer restarts on every
    byte, and there was no deadline at all before the first request)."""

    header_timeout = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_deadline: asyncio.TimerHandle | None = None
        self._watch_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_watching_head()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        self._watch_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch_head()

    def _watch_head(self) -> None:
        waiting = self.conn.their_state is h11.IDLE and not self.transport.is_closing()
        if not waiting:
            self._stop_watching_head()
        elif self._head_deadline is None:
            self._head_deadline = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _stop_watching_head(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's WebSocket protocol, except that a peer that leaves a ping unanswered within
    `ws_ping_timeout` is dropped even when it reads nothing at all. (uvicorn then writes a close
    frame and closes the transport, which waits to write what is buffered first: a peer whose
    buffers are full was never dropped, and its socket's frames piled up for ever.)"""

    def keepalive_timeout(self) -> None:
        super().keepalive_timeout()
        self._drop_if_stuck()

    async def send(self, message: ASGISendEvent) -> None:
        await super().send(message)
        if message["type"] == "websocket.close" and self.close_timer is not None:
            # The closing handshake's deadline: then closed, or dropped if still stuck.
            self.close_timer.cancel()
            self.close_timer = self.loop.call_later(self.close_timeout, self._close_or_drop)

    def _close_or_drop(self) -> None:
        self.transport.close()
        self._drop_if_stuck()

    def _drop_if_stuck(self) -> None:
        if self.transport.is_closing() and self.transport.get_write_buffer_size() > 0:
            self.transport.abort()


def watch_parent(on_gone: Callable[[str], None]) -> None:
    """Call `on_gone(reason)` (from a daemon thread) once standard input reaches its end, or,
    on POSIX, once the parent process is no longer the one that started us."""
    parent = os.getppid()
    gone = threading.Event()

    def report(reason: str) -> None:
        if not gone.is_set():
            gone.set()
            on_gone(reason)

    def read_stdin() -> None:
        try:
            descriptor = sys.stdin.fileno()
            while os.read(descriptor, 4096):
                pass  # nothing is ever written; whatever is, is not ours to read
        except (OSError, ValueError):
            pass  # no usable stdin: the end all the same
        report("standard input closed")

    def check_parent() -> None:
        while not gone.wait(PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                report(f"the parent process {parent} ended")

    threading.Thread(target=read_stdin, name="stdin-watch", daemon=True).start()
    if os.name == "posix":
        threading.Thread(target=check_parent, name="parent-watch", daemon=True).start()


class BookingServer(uvicorn.Server):
    def __init__(
        self,
        config: uvicorn.Config,
        on_listening: Callable[[str], None],
        *,
        exit_with_parent: bool = False,
    ) -> None:
        super().__init__(config)
        self._on_listening = on_listening
        self._exit_with_parent = exit_with_parent
        self.url: str | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        if self._exit_with_parent:
            loop = asyncio.get_running_loop()

            def gone(reason: str) -> None:
                loop.call_soon_threadsafe(self._parent_gone, reason)

            watch_parent(gone)
        await super().serve(sockets)

    def _parent_gone(self, reason: str) -> None:
        log.warning("stopping: %s (the app that started this server is gone)", reason)
        self.should_exit = True

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.should_exit or not self.servers:
            return
        if DUMP_SIGNAL is not None:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                asyncio.get_running_loop().add_signal_handler(DUMP_SIGNAL, dump_tasks, sys.stderr)
        host, port = self.servers[0].sockets[0].getsockname()[:2]
        self.url = url_of(host, port, tls=self.config.is_ssl)
        self._on_listening(self.url)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # Before uvicorn closes connections with 1012: the protocol says going away (1001).
        app = self.config.app
        if isinstance(app, FastAPI):
            services: Services = app.state.services
            await services.hub.close_all_and_wait(CLOSE_GOING_AWAY, within=2.0)
        await super().shutdown(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        # SIGTERM is how owners stop us: after a clean shutdown exit 0 instead of re-raising it.
        if sig == signal.SIGTERM:
            with contextlib.suppress(ValueError):
                self._captured_signals.remove(sig)


def uvicorn_config(app: FastAPI, settings: Settings) -> uvicorn.Config:
    http = type(
        "HttpProtocol", (HttpProtocol,), {"header_timeout": settings.header_timeout_seconds}
    )
    return uvicorn.Config(
        app,
        http=http,
        # Slowloris and floods: a request's head has a deadline (HttpProtocol), an idle
        # keep-alive connection closes, the head has a size limit, and past `max_connections`
        # requests are answered 503.
        timeout_keep_alive=settings.keep_alive_seconds,
        h11_max_incomplete_event_size=settings.max_header_bytes,
        limit_concurrency=settings.max_connections,
        ssl_certfile=settings.certfile,
        ssl_keyfile=settings.keyfile,
        # X-Forwarded-For only from the proxies named (uvicorn trusted loopback by default).
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or [],
        host=settings.host,
        port=settings.port,
        ws_max_size=settings.ws_max_size,
        ws_ping_interval=settings.ws_ping_interval,
        ws_ping_timeout=settings.ws_ping_timeout,
        ws_per_message_deflate=settings.ws_per_message_deflate,
        ws=WebSocketProtocol,
        log_config=None,
        access_log=False,
        # No `server` and `date` headers: no client reads them, and on an unchanged delta poll
        # they were a third of the bytes.
        server_header=False,
        date_header=False,
        timeout_graceful_shutdown=5,
        lifespan="on",
    )


def make_server(
    app: FastAPI, settings: Settings, on_listening: Callable[[str], None] = announce
) -> BookingServer:
    return BookingServer(
        uvicorn_config(app, settings), on_listening, exit_with_parent=settings.exit_with_parent
    )
