"""The one definition of "now" for every part: an aware UTC datetime, and clocks as callables
returning one, so tests inject a fixed or moving time instead of reading the system's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The system clock's time, aware, in UTC."""
    return datetime.now(UTC)
