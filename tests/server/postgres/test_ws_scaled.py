"""tests/server/test_ws.py again, on PostgreSQL with the Redis bus:
REST on one server process, WebSockets on another (see conftest.py)."""

from tests.server.test_ws import *  # noqa: F403
