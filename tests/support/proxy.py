"""A fault-injecting TCP proxy for end-to-end tests, between the app and a real server on loopback.

It reads just enough HTTP/1.1 on the way in to count requests, refuse WebSocket upgrades and stall
chosen responses; everything else passes byte for byte. Faults: `cut_all()`, `freeze()` / `thaw()`,
`refuse_new()` / `accept_new()`, `reset_new`, `latency`, `refuse_upgrades`, `stall(path)` /
`release_stalls()`.
With `also=[...]` each new connection goes to the next of several upstreams in turn (server
processes sharing one database): no sticky sessions.
Tests wait on `wait_for(predicate)`, never on sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

CHUNK = 65536
REFUSED_UPGRADE = (
    b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 25\r\n"
    b"Connection: close\r\n\r\nWebSocket upgrade refused"
)


@dataclass(frozen=True)
class SeenRequest:
    """One HTTP request head that reached the proxy (`path` is the target without its query)."""

    method: str
    target: str
    path: str
    upgrade: bool
    link: int


@dataclass
class _StallRule:
    path: str
    method: str | None
    after_bytes: int
    remaining: int
    prefix: bool = False

    def matches(self, request: SeenRequest) -> bool:
        same = request.path.startswith(self.path) if self.prefix else request.path == self.path
        return same and self.method in (None, request.method)


@dataclass
class _Link:
    """One client connection and its upstream twin."""

    number: int
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter | None = None
    stall_budget: int | None = None  # bytes of the response still let through
    held: bytearray = field(default_factory=bytearray)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    finished: asyncio.Event = field(default_factory=asyncio.Event)

    def abort(self) -> None:
        """Reset both sides at once (a cut link), dropping whatever is buffered."""
        for writer in (self.client, self.upstream):
            if writer is not None:
                writer.transport.abort()

    def close(self) -> None:
        """Close both sides after flushing what is buffered."""
        for writer in (self.client, self.upstream):
            if writer is not None and not writer.is_closing():
                writer.close()


class FaultProxy:
    """Listens on 127.0.0.1 (a free port) and forwards to `upstream` ("http://host:port"), or to
    it and the `also` upstreams in turn, one connection each."""

    def __init__(self, upstream: str, host: str = "127.0.0.1", *, also: Sequence[str] = ()) -> None:
        self._upstreams = [_address(url) for url in (upstream, *also)]
        self._turn = 0
        self.upstream_host, self.upstream_port = self._upstreams[0]
        self.host = host
        self.port = 0
        self.latency = 0.0
        self.refuse_upgrades = False
        # Reset every new connection at once (the port stays ours, unlike `refuse_new`: a port
        # no longer listened on may become some other socket's ephemeral port meanwhile).
        self.reset_new = False
        self.connections = 0
        self.requests: list[SeenRequest] = []
        self.upgrades_forwarded = 0
        self.upgrades_refused = 0
        self.stalls = 0
        self._links: dict[int, _Link] = {}
        self._rules: list[_StallRule] = []
        self._server: asyncio.Server | None = None
        self._changed = asyncio.Event()
        self._thawed = asyncio.Event()
        self._thawed.set()

    # --- life cycle ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> Self:
        await self._listen()
        return self

    async def stop(self) -> None:
        """Stop listening, cut every connection and wait until each handler has finished."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self._thawed.set()
        links = list(self._links.values())
        self.cut_all()
        await asyncio.gather(*(link.finished.wait() for link in links))

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # --- faults ----------------------------------------------------------------------------------

    def cut_all(self) -> int:
        """Reset every open connection (both sides); returns how many were cut."""
        links = list(self._links.values())
        for link in links:
            link.abort()
            for task in link.tasks:
                task.cancel()  # a pump may be waiting for a thaw
        return len(links)

    def freeze(self) -> None:
        """Forward nothing, in either direction, on every connection (a black-holed link:
        nothing is closed, nothing arrives) until `thaw()`."""
        self._thawed.clear()

    def thaw(self) -> None:
        self._thawed.set()

    async def refuse_new(self) -> None:
        """Stop listening: new connections are refused (ECONNREFUSED); open ones go on."""
        if self._server is not None:
            self._server.close()
            self._server = None

    async def accept_new(self) -> None:
        """Listen again on the same port."""
        if self._server is None:
            await self._listen()

    def stall(
        self,
        path: str,
        method: str | None = None,
        *,
        after_bytes: int = 16,
        times: int = 1,
        prefix: bool = False,
    ) -> None:
        """Hold the response to the next `times` requests to `path` (or, with `prefix`, any path
        it starts) after its first `after_bytes` bytes, until `release_stalls()` or a cut: the
        server acts, the client hears nothing."""
        self._rules.append(_StallRule(path, method, after_bytes, times, prefix))

    def release_stalls(self) -> None:
        """Let every held response through and stop stalling."""
        self._rules.clear()
        for link in self._links.values():
            link.stall_budget = None
            if link.held:
                link.client.write(bytes(link.held))
                link.held.clear()

    # --- counters --------------------------------------------------------------------------------

    @property
    def open_connections(self) -> int:
        return len(self._links)

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """Requests seen with this method and path (None matches any)."""
        return sum(
            1 for r in self.requests if method in (None, r.method) and path in (None, r.path)
        )

    def tally(self) -> Counter[tuple[str, str]]:
        """How many requests were seen per (method, path)."""
        return Counter((r.method, r.path) for r in self.requests)

    def reset_counters(self) -> None:
        self.connections = self.upgrades_forwarded = self.upgrades_refused = self.stalls = 0
        self.requests.clear()

    async def wait_for(self, predicate: Callable[[], bool], within: float = 30.0) -> None:
        """Return once `predicate()` holds (checked after every counted event)."""
        async with asyncio.timeout(within):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

    # --- internals -------------------------------------------------------------------------------

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    def _note(self) -> None:
        self._changed.set()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        if self.reset_new:
            writer.transport.abort()
            self._note()
            return
        link = _Link(self.connections, writer)
        self._links[link.number] = link
        self._note()
        upstream_host, upstream_port = self._upstreams[self._turn % len(self._upstreams)]
        self._turn += 1
        try:
            up_reader, link.upstream = await asyncio.open_connection(upstream_host, upstream_port)
        except OSError as exc:
            log.info("proxy: upstream refused link %d: %s", link.number, exc)
            writer.transport.abort()
            self._forget(link)
            return
        link.tasks = [
            asyncio.create_task(self._client_to_server(link, reader)),
            asyncio.create_task(self._server_to_client(link, up_reader)),
        ]
        await asyncio.gather(*link.tasks, return_exceptions=True)
        link.close()
        self._forget(link)

    def _forget(self, link: _Link) -> None:
        self._links.pop(link.number, None)
        link.finished.set()
        self._note()

    async def _client_to_server(self, link: _Link, reader: asyncio.StreamReader) -> None:
        parser = _RequestParser()
        try:
            while data := await reader.read(CHUNK):
                for piece, request in parser.feed(data, link.number):
                    if request is not None and not self._admit(link, request):
                        link.client.write(REFUSED_UPGRADE)
                        await link.client.drain()
                        return
                    if piece:
                        assert link.upstream is not None
                        await self._send(link.upstream, piece)
        except (ConnectionError, OSError):
            pass
        finally:
            self._close_side(link.upstream)
            for task in link.tasks:
                if task is not asyncio.current_task():
                    task.cancel()

    def _admit(self, link: _Link, request: SeenRequest) -> bool:
        """Count the request; False if the proxy answered it itself (refused upgrade)."""
        self.requests.append(request)
        self._note()
        if request.upgrade and self.refuse_upgrades:
            self.upgrades_refused += 1
            return False
        if request.upgrade:
            self.upgrades_forwarded += 1
        for rule in self._rules:
            if rule.remaining > 0 and rule.matches(request):
                rule.remaining -= 1
                link.stall_budget = rule.after_bytes
                break
        return True

    async def _server_to_client(self, link: _Link, reader: asyncio.StreamReader) -> None:
        try:
            while data := await reader.read(CHUNK):
                await self._send(link.client, self._pass_stall(link, data))
        except (ConnectionError, OSError):
            pass
        finally:
            # A stalled reply stays lost until released: keep the client waiting for it.
            if not link.held:
                self._close_side(link.client)

    def _pass_stall(self, link: _Link, data: bytes) -> bytes:
        budget = link.stall_budget
        if budget is None:
            return data
        if link.held or budget < len(data):
            if not link.held:
                self.stalls += 1
                self._note()
            link.held += data[budget:]
            link.stall_budget = 0
            return data[:budget]
        link.stall_budget = budget - len(data)
        return data

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        if not data:
            return
        await self._thawed.wait()
        if self.latency > 0:
            await asyncio.sleep(self.latency)  # the injected fault itself, not a wait
        writer.write(data)
        await writer.drain()

    @staticmethod
    def _close_side(writer: asyncio.StreamWriter | None) -> None:
        if writer is not None and not writer.is_closing():
            with contextlib.suppress(OSError, RuntimeError):
                if writer.can_write_eof():
                    writer.write_eof()
                else:
                    writer.close()


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.hostname is None or parts.port is None:
        raise ValueError(f"upstream must be http://host:port, not {url!r}")
    return parts.hostname, parts.port


class _RequestParser:
    """Splits the client's byte stream into request heads and opaque body/frame bytes."""

    def __init__(self) -> None:
        self._head = bytearray()
        self._body_left = 0
        self._opaque = False

    def feed(self, data: bytes, link: int) -> list[tuple[bytes, SeenRequest | None]]:
        """Pieces to forward, each with the request whose head it carries (or None)."""
        out: list[tuple[bytes, SeenRequest | None]] = []
        while data:
            if self._opaque:
                return [*out, (data, None)]
            if self._body_left:
                take = data[: self._body_left]
                self._body_left -= len(take)
                out.append((take, None))
                data = data[len(take) :]
                continue
            self._head += data
            end = self._head.find(b"\r\n\r\n")
            if end < 0:
                return out
            head, data = bytes(self._head[: end + 4]), bytes(self._head[end + 4 :])
            self._head.clear()
            out.append((head, self._parse(head, link)))
        return out

    def _parse(self, head: bytes, link: int) -> SeenRequest:
        lines = head.decode("latin-1").split("\r\n")
        method, target, *_ = [*lines[0].split(" "), "", ""]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        upgrade = "websocket" in headers.get("upgrade", "").lower()
        # After an upgrade the stream is WebSocket frames; chunked bodies are not followed.
        self._opaque = upgrade or "chunked" in headers.get("transfer-encoding", "").lower()
        self._body_left = int(headers.get("content-length", "0") or 0)
        return SeenRequest(method, target, target.split("?")[0], upgrade, link)
