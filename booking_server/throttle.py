"""Login throttling: growing delays per account and per client address (brute force, issue 13).

Each key (an account's name, a client address) counts its failed sign-ins in a window. The first
`free` failures cost nothing; every further one — including an attempt refused while the key is
blocked — blocks the key for 1, 2, 4, 8 … seconds (at most `max_delay`). While blocked, a sign-in
is answered 429 with Retry-After, whatever the password (so guessing goes no faster). A successful
sign-in clears its account's count (not its address's).

The counts live in this process (`LocalThrottle`) or, for several processes, in Redis
(`booking_server.throttle_redis.RedisThrottle`), so a guesser gains nothing by spreading attempts
over processes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Rule:
    free: int
    window: float
    max_delay: float

    def delay(self, failures: int) -> float:
        """Seconds a key is blocked after its `failures`-th failure in the window."""
        if failures <= self.free:
            return 0.0
        return float(min(2.0 ** min(failures - self.free - 1, 30), self.max_delay))


class LoginThrottle(Protocol):
    async def blocked_for(self, key: str) -> float:
        """Seconds until `key` may try again (0: now)."""

    async def failed(self, key: str, rule: Rule) -> float:
        """Count a failure of `key`; the seconds it is blocked for now."""

    async def reset(self, key: str) -> None: ...

    async def close(self) -> None: ...


@dataclass(slots=True)
class _Count:
    failures: int
    window_ends: float
    blocked_until: float


class LocalThrottle:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._counts: dict[str, _Count] = {}

    async def blocked_for(self, key: str) -> float:
        count = self._counts.get(key)
        return max(0.0, count.blocked_until - self._monotonic()) if count else 0.0

    async def failed(self, key: str, rule: Rule) -> float:
        now = self._monotonic()
        count = self._counts.get(key)
        if count is None or count.window_ends <= now:
            count = self._counts[key] = _Count(0, now + rule.window, now)
        count.failures += 1
        delay = rule.delay(count.failures)
        count.blocked_until = max(count.blocked_until, now + delay)
        self._forget_expired(now)
        return delay

    async def reset(self, key: str) -> None:
        self._counts.pop(key, None)

    async def close(self) -> None:
        self._counts.clear()

    def _forget_expired(self, now: float) -> None:
        if len(self._counts) > 10_000:
            for key in [k for k, c in self._counts.items() if c.window_ends <= now]:
                del self._counts[key]
