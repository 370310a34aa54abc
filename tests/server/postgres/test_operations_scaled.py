"""The operations tests that touch the store, again on PostgreSQL with the Redis bus: a pruned
event log answers 410 and resync; add-user works on a postgresql:// URL (see conftest.py)."""

from tests.server.test_operations import (
    test_add_user_then_sign_in,
    test_pruned_event_log_answers_410_and_resync,
)

__all__ = ["test_add_user_then_sign_in", "test_pruned_event_log_answers_410_and_resync"]
