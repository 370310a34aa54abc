"""The ASGI app served by real uvicorn inside the test's event loop, with an injected clock.

For tests that must move time (the session clock) without waiting:

    clock = ManualClock(datetime(2030, 1, 7, 9, tzinfo=UTC))
    async with running_app(tmp_path / "db.sqlite3", clock) as server:
        ...                                  # httpx.AsyncClient(base_url=server.api_url)
        await clock.advance(timedelta(hours=1))
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from booking_server.app import create_app
from booking_server.clock import Clock
from booking_server.server import make_server
from booking_server.settings import Settings


@dataclass(frozen=True)
class InProcessServer:
    base_url: str
    clock: Clock

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v1"

    def ws_url_for(self, token: str, since: int | None = None) -> str:
        url = f"{self.base_url.replace('http', 'ws', 1)}/api/v1/ws?token={token}"
        return url if since is None else f"{url}&since={since}"


@asynccontextmanager
async def running_app(
    database: Path | str, clock: Clock, *, demo: bool = True, **settings: Any
) -> AsyncIterator[InProcessServer]:
    """`database`: a SQLite file, or a database URL (e.g. postgresql://…)."""
    config = Settings(
        host="127.0.0.1",
        port=0,
        database_url=database if isinstance(database, str) else f"sqlite:///{database}",
        demo=demo,
        log_level="warning",
        **settings,
    )
    listening = asyncio.Event()
    urls: list[str] = []

    def on_listening(url: str) -> None:
        urls.append(url)
        listening.set()

    server = make_server(create_app(config, clock=clock), config, on_listening)
    task = asyncio.create_task(server.serve())
    waiter = asyncio.create_task(listening.wait())
    await asyncio.wait([task, waiter], return_when=asyncio.FIRST_COMPLETED)
    if not listening.is_set():
        waiter.cancel()
        await task  # raises what made the start fail
        raise RuntimeError("the server stopped before listening")
    try:
        yield InProcessServer(urls[0], clock)
    finally:
        server.should_exit = True
        await task


async def login(client: Any, username: str, password: str = "demo") -> dict[str, Any]:
    """Sign in with an httpx.AsyncClient on the API URL; the login body (token, user)."""
    response = await client.post("/auth/login", json={"username": username, "password": password})
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body
