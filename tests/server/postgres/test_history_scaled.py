"""tests/server/test_history.py again, on PostgreSQL with the Redis bus (see conftest.py)."""

from tests.server.test_history import *  # noqa: F403
