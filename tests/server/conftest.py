"""Server tests use the shared live-server fixtures (and a module-wide server for speed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fixtures import live_server, live_server_factory
from tests.support.live_server import LiveServer

__all__ = ["live_server", "live_server_factory"]

# Tests fire many requests in a burst; the rate limit has its own test.
GENEROUS = {"BOOKING_RATE_LIMIT_BURST": "100000", "BOOKING_RATE_LIMIT_PER_SECOND": "100000"}


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One demo server for a whole test module: tests make their own bookings on it."""
    folder: Path = tmp_path_factory.mktemp("shared-server")
    with LiveServer(folder, env=GENEROUS) as server:
        yield server
