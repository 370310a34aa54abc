"""The login throttle's counts in Redis, shared by every server process (see throttle.py).
Imported only when a Redis URL is set: the embedded server starts without redis."""

from __future__ import annotations

from redis.asyncio import Redis

from booking_server.throttle import Rule

_TIMEOUT = 5.0


class RedisThrottle:
    def __init__(self, url: str, prefix: str) -> None:
        self._redis: Redis = Redis.from_url(
            url, socket_timeout=_TIMEOUT, socket_connect_timeout=_TIMEOUT
        )
        self._prefix = f"{prefix}login:"

    async def blocked_for(self, key: str) -> float:
        left = await self._redis.pttl(f"{self._prefix}block:{key}")
        return max(0.0, left / 1000) if left and left > 0 else 0.0

    async def failed(self, key: str, rule: Rule) -> float:
        counter = f"{self._prefix}fail:{key}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(counter)
            pipe.expire(counter, max(1, int(rule.window)), nx=True)
            failures, _ = await pipe.execute()
        delay = rule.delay(int(failures))
        if delay > 0:
            await self._redis.set(f"{self._prefix}block:{key}", 1, px=max(1, int(delay * 1000)))
        return delay

    async def reset(self, key: str) -> None:
        await self._redis.delete(f"{self._prefix}fail:{key}", f"{self._prefix}block:{key}")

    async def close(self) -> None:
        await self._redis.aclose()
