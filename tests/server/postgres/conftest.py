"""Server tests on PostgreSQL and the Redis bus; every test in this folder is marked `postgres`
and `redis` (skipped locally without them, failing in CI).

- `shared_server` (one per module): two `booking-server` processes on one fresh database and one
  Redis prefix, REST on the first and WebSockets on the second (`SplitServer`), so the reused
  single-server test modules check that every change crosses processes.
- `live_server_factory` / `live_server`: single PostgreSQL + Redis servers, a fresh database each.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.support.live_server import LiveServer
from tests.support.services import (
    ScaledServer,
    SplitServer,
    check_redis,
    fresh_database,
    postgres_url,
    postgres_url_module,
    redis_prefix,
    redis_url,
)

__all__ = ["postgres_url", "postgres_url_module", "redis_prefix", "redis_url"]
_HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.postgres)
            item.add_marker(pytest.mark.redis)


@pytest.fixture(scope="module")
def shared_server(
    tmp_path_factory: pytest.TempPathFactory, postgres_url_module: str
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("split-server")
    options: dict[str, Any] = {
        "redis_url": check_redis(),
        "redis_prefix": f"test:{uuid.uuid4().hex}:",
    }
    sockets = ScaledServer(folder / "b", postgres_url_module, **options)
    rest = SplitServer(folder / "a", postgres_url_module, sockets, **options)
    with rest, sockets:
        yield rest


@pytest.fixture
def live_server_factory(
    tmp_path: Path, redis_url: str, redis_prefix: str
) -> Iterator[Callable[..., LiveServer]]:
    servers: list[LiveServer] = []
    with ExitStack() as stack:

        def make(
            *,
            env: Mapping[str, str] | None = None,
            args: list[str] | None = None,
            demo: bool = True,
            start: bool = True,
        ) -> LiveServer:
            database = stack.enter_context(fresh_database())
            server = ScaledServer(
                tmp_path / f"server-{len(servers)}",
                database,
                redis_url=redis_url,
                redis_prefix=redis_prefix,
                demo=demo,
                env=dict(env or {}),
                args=args,
            )
            servers.append(server)
            return server.start() if start else server

        yield make
        for server in servers:
            server.stop()


@pytest.fixture
def live_server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    return live_server_factory()
