"""tests/server/test_availability.py again, on PostgreSQL with the Redis bus: REST on one server
process, WebSockets on another (see conftest.py). The race for the last free slot runs on real
PostgreSQL: only the per-master lock keeps a booking out of another's buffer there."""

from tests.server.test_availability import *  # noqa: F403
