"""tests/server/test_model.py again, on PostgreSQL with the Redis bus:
REST on one server process, WebSockets on another (see conftest.py)."""

from tests.server.test_model import *  # noqa: F403
