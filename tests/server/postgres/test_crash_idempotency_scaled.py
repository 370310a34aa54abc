"""tests/server/test_crash_idempotency.py again, on PostgreSQL with the Redis bus."""

from tests.server.test_crash_idempotency import *  # noqa: F403
