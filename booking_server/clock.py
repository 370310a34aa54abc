"""Injectable clocks: the server asks a `Clock` for the time and to wait, so tests can move time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol

from booking_core import utc_now

# The system clock wakes at least this often, so a wall-clock jump is noticed soon.
_MAX_NAP = 30.0


class Clock(Protocol):
    def now(self) -> datetime: ...

    async def sleep_until(self, when: datetime) -> None:
        """Return at `when` or a bit earlier: callers re-check the time and wait again."""


class SystemClock:
    def now(self) -> datetime:
        return utc_now()

    async def sleep_until(self, when: datetime) -> None:
        delay = (when - self.now()).total_seconds()
        await asyncio.sleep(min(max(delay, 0.0), _MAX_NAP))


class ManualClock:
    """A clock that moves only when told to (tests); sleepers wake when their time has come.

    Use it from the event loop the server runs on.
    """

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)
        self._moved = asyncio.Condition()

    def now(self) -> datetime:
        return self._now

    async def sleep_until(self, when: datetime) -> None:
        async with self._moved:
            await self._moved.wait_for(lambda: self._now >= when)

    async def advance(self, delta: timedelta) -> None:
        await self.set(self._now + delta)

    async def set(self, when: datetime) -> None:
        async with self._moved:
            self._now = when.astimezone(UTC)
            self._moved.notify_all()
