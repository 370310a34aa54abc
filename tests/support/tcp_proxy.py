"""A byte-for-byte TCP proxy that a test can cut and restore, e.g. between a server and Redis.

proxy = await TcpProxy.open("127.0.0.1", 6379)   # proxy.port listens on loopback
await proxy.cut()       # every link closed; new connections closed as soon as they come
proxy.restore()         # connections go through again
await proxy.close()
"""

from __future__ import annotations

import asyncio
import contextlib

_CHUNK = 65536


class TcpProxy:
    def __init__(self, host: str, port: int) -> None:
        self._upstream = (host, port)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._open = True
        self.port = 0
        self.links = 0  # connections passed through so far

    @classmethod
    async def open(cls, host: str, port: int) -> TcpProxy:
        proxy = cls(host, port)
        proxy._server = await asyncio.start_server(proxy._accept, "127.0.0.1", 0)
        proxy.port = proxy._server.sockets[0].getsockname()[1]
        return proxy

    async def cut(self) -> None:
        """Close every link now and refuse (accept, then close) new ones until `restore()`."""
        self._open = False
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def restore(self) -> None:
        self._open = True

    async def close(self) -> None:
        await self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self._open:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        except OSError:
            writer.transport.abort()
            return
        self.links += 1
        self._writers |= {writer, up_writer}
        for source, target in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(_pump(source, target, (writer, up_writer)))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)


async def _pump(
    source: asyncio.StreamReader,
    target: asyncio.StreamWriter,
    both: tuple[asyncio.StreamWriter, asyncio.StreamWriter],
) -> None:
    try:
        while data := await source.read(_CHUNK):
            target.write(data)
            await target.drain()
    except (OSError, asyncio.CancelledError):
        pass
    finally:
        # One side gone: the link is over for both.
        for writer in both:
            with contextlib.suppress(Exception):
                writer.transport.abort()
