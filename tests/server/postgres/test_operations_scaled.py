"""tests/server/test_operations.py again, on PostgreSQL with the Redis bus: retention and 410,
add-user on a PostgreSQL URL, metrics, rate limits, settings (see conftest.py)."""

from tests.server.test_operations import *  # noqa: F403
