"""A byte-counting TCP proxy on loopback: requests and bytes each way, optionally refusing WebSocket
upgrades (to hold an app in its polling fallback). Counts are of what crosses the wire, headers,
frames and pings included."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

REFUSED = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
REQUEST_END = b" HTTP/1.1\r\n"


@dataclass
class Tally:
    requests: int = 0
    upgrades_refused: int = 0
    bytes_up: int = 0
    bytes_down: int = 0

    @property
    def bytes_total(self) -> int:
        return self.bytes_up + self.bytes_down


class CountingProxy:
    def __init__(self, upstream_port: int, *, refuse_upgrades: bool = False) -> None:
        self.upstream_port = upstream_port
        self.refuse_upgrades = refuse_upgrades
        self.tally = Tally()
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> CountingProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def reset(self) -> None:
        self.tally = Tally()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._relay_connection(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _relay_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        first = await reader.read(65536)
        if not first:
            return
        if self.refuse_upgrades and b"upgrade: websocket" in first.lower():
            self.tally.requests += 1
            self.tally.upgrades_refused += 1
            self.tally.bytes_up += len(first)
            self.tally.bytes_down += len(REFUSED)
            writer.write(REFUSED)
            await writer.drain()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            self._count_up(first)
            up_writer.write(first)
            await asyncio.gather(
                self._pipe(reader, up_writer, up=True), self._pipe(up_reader, writer, up=False)
            )
        finally:
            up_writer.close()

    def _count_up(self, data: bytes) -> None:
        self.tally.bytes_up += len(data)
        self.tally.requests += data.count(REQUEST_END)

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, up: bool
    ) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                if up:
                    self._count_up(data)
                else:
                    self.tally.bytes_down += len(data)
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(ConnectionError, OSError):
            writer.write_eof()
