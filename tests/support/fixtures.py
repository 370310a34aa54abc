"""Pytest fixtures around the real booking server. Load with
`pytest_plugins = ["tests.support.fixtures"]` in tests/conftest.py.

- `live_server`: a started server (demo data, SQLite in tmp_path), stopped at teardown.
- `live_server_module`: one started server shared by a whole test module (make your own
  bookings on it).

Every server has the rate limit lifted (tests fire bursts) unless `env` sets it.
- `live_server_factory`: `make(env={...}, args=[...], demo=True)` for servers with other settings
  (e.g. `env={"BOOKING_RATE_LIMIT_BURST": "5"}`); every one is stopped at teardown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from tests.support.live_server import LiveServer

LiveServerFactory = Callable[..., LiveServer]


@pytest.fixture
def live_server_factory(tmp_path: Path) -> Iterator[LiveServerFactory]:
    servers: list[LiveServer] = []

    def make(
        *,
        env: Mapping[str, str] | None = None,
        args: list[str] | None = None,
        demo: bool = True,
        start: bool = True,
    ) -> LiveServer:
        server = LiveServer(tmp_path / f"server-{len(servers)}", demo=demo, env=env, args=args)
        servers.append(server)
        return server.start() if start else server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(live_server_factory: LiveServerFactory) -> LiveServer:
    return live_server_factory()


@pytest.fixture(scope="module")
def live_server_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("live-server")) as server:
        yield server
