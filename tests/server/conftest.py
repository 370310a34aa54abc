"""Server tests use the shared live-server fixtures; `shared_server` is one per test module."""

from __future__ import annotations

import pytest

from tests.support.fixtures import live_server, live_server_factory, live_server_module
from tests.support.live_server import LiveServer

__all__ = ["live_server", "live_server_factory", "live_server_module"]


@pytest.fixture(scope="module")
def shared_server(live_server_module: LiveServer) -> LiveServer:
    return live_server_module
