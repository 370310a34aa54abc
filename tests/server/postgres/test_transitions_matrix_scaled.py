"""tests/server/test_transitions_matrix.py again, on PostgreSQL with the Redis bus:
REST on one server process, WebSockets on another (see conftest.py)."""

from tests.server.test_transitions_matrix import *  # noqa: F403
