"""The Redis bus: committed events and token revocations travel between server processes over Redis
pub/sub, and every process hands them to its own subscribers in seq order, none missed or twice.

Pub/sub forgets whatever a process did not hear (a reconnect, a publisher that could not reach
Redis), so the event log in the database is the truth and Redis only the fast path. A process keeps
the last seq it handed out; an event with a higher seq than the next one makes it read the missing
ones from the log first. That is complete because the store commits events in seq order: when
seq N is heard of, every seq below N is already committed and readable. After a reconnect, and
whenever Redis is quiet for `check_interval`, the process reads the log past its last seq, and after
a reconnect also the tokens revoked while it was deaf.

Presence travels on a third channel with no log behind it: each process repeats its own viewers
every `heartbeat` (the check interval) and the others forget what is not repeated in time (the
hub keeps that state; see `api/hub.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import uuid
from collections.abc import Callable
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.exceptions import RedisError

from booking_core.events import AvailabilityUpdated, BookingUpdated
from booking_server.bus.base import (
    BusMessage,
    PresenceQuery,
    PresenceShared,
    Subscriber,
    TokenRevoked,
)
from booking_server.errors import ConfigurationError

log = logging.getLogger(__name__)

_PAGE = 1000
_TIMEOUT = 2.0
# Revocations this much older than the deaf spell are read again after it (clock slack).
_REVOCATION_SLACK = 300.0
_MAX_BACKOFF = 2.0


class _AvailabilityHint(BaseModel):
    """An AvailabilityUpdated on the presence channel [extension]: no log behind it, best effort
    (a process that misses one misses a refresh hint). `origin` skips our own echo."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    type: Literal["availability"] = "availability"
    origin: str
    master_id: str


_Shared = Annotated[PresenceShared | PresenceQuery | _AvailabilityHint, Field(discriminator="type")]
_presence: TypeAdapter[_Shared] = TypeAdapter(_Shared)


class EventLog(Protocol):
    """What the bus reads from the store to fill what pub/sub did not bring."""

    async def events_after(self, seq: int, limit: int) -> list[BookingUpdated]: ...

    async def cursor(self) -> int: ...

    async def revoked_within(self, seconds: float) -> list[str]: ...

    async def database_id(self) -> int: ...


class RedisBus:
    def __init__(
        self, url: str, prefix: str, events: EventLog, *, check_interval: float = 5.0
    ) -> None:
        self._url = url
        self._prefix = prefix
        self._events_channel = self._revoked_channel = self._presence_channel = ""  # in start()
        self._log = events
        self._check_interval = check_interval
        self._subscribers: dict[int, Subscriber] = {}
        self._next_id = 0
        self._last = 0  # the seq last handed to the subscribers
        self._order = asyncio.Lock()
        self._publisher: Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._origin = uuid.uuid4().hex

    # The Bus protocol.

    async def publish(self, message: BusMessage) -> None:
        """Hand to this process's subscribers at once, then tell the other processes. A Redis
        failure is only logged: the change is committed, and the others read it from the log."""
        if isinstance(message, TokenRevoked):
            self._deliver(message)
            await self._send(self._revoked_channel, message.token_hash)
            return
        if isinstance(message, AvailabilityUpdated):
            self._deliver(message)
            hint = _AvailabilityHint(origin=self._origin, master_id=message.master_id)
            await self._send(self._presence_channel, hint.model_dump_json())
            return
        if isinstance(message, PresenceShared | PresenceQuery):
            # For the other processes only: this one's hub made it and already knows.
            await self._send(self._presence_channel, message.model_dump_json())
            return
        try:
            await self._accept(message)
        except Exception:
            log.exception("could not order an event; the listener catches up", extra=_seq(message))
        await self._send(self._events_channel, message.model_dump_json())

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        key = self._next_id
        self._next_id += 1
        self._subscribers[key] = subscriber

        def unsubscribe() -> None:
            self._subscribers.pop(key, None)

        return unsubscribe

    @property
    def heartbeat(self) -> float:
        """How often presence is repeated (a SharedBus): the quiet-check interval."""
        return self._check_interval

    # Lifecycle.

    async def start(self) -> None:
        """Connect and subscribe; ConfigurationError when Redis cannot be reached."""
        # The database's id in the channel names: processes on other databases sharing this
        # Redis (and prefix) never hear, or fill gaps from, each other's events.
        channel = f"{self._prefix}{await self._log.database_id()}:"
        self._events_channel, self._revoked_channel = f"{channel}events", f"{channel}revoked"
        self._presence_channel = f"{channel}presence"
        try:
            self._publisher = Redis.from_url(
                self._url,
                socket_timeout=_TIMEOUT,
                socket_connect_timeout=_TIMEOUT,
                retry=Retry(ExponentialBackoff(cap=0.2, base=0.02), 2),
            )
            pubsub = await self._subscribe()
        except (RedisError, OSError, ValueError) as error:
            await self.close()
            raise ConfigurationError(f"cannot reach Redis: {error}") from error
        # Subscribed first: an event committed after this cursor is heard of, or read from the log.
        self._last = await self._log.cursor()
        self._listener = asyncio.create_task(self._listen(pubsub), name="redis-bus")

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._publisher is not None:
            await self._publisher.aclose()
            self._publisher = None

    # Ordering.

    async def _accept(self, event: BookingUpdated) -> None:
        async with self._order:
            if event.seq > self._last + 1:
                await self._fill(through=event.seq - 1)
            if event.seq > self._last:
                self._deliver(event)

    async def _fill(self, through: int | None) -> None:
        """Hand out the logged events after the last one handed out (through `through`, or all).
        Call with `_order` held."""
        while through is None or self._last < through:
            page = await self._log.events_after(self._last, _PAGE)
            found = [e for e in page if through is None or e.seq <= through]
            if not found:
                if through is not None:
                    log.warning("events missing from the log (pruned?)", extra={"seq": through})
                    self._last = through
                return
            for event in found:
                self._deliver(event)
            if through is None and len(page) < _PAGE:
                return

    async def _catch_up(self) -> None:
        async with self._order:
            await self._fill(through=None)

    def _deliver(self, message: BusMessage) -> None:
        if isinstance(message, BookingUpdated):
            self._last = message.seq
        for subscriber in list(self._subscribers.values()):
            try:
                subscriber(message)
            except Exception:
                # One broken subscriber must not keep the message from the others.
                log.exception("bus subscriber failed")

    # Redis.

    async def _send(self, channel: str, text: str) -> None:
        if self._publisher is None:
            return  # closed (shutting down): the others read it from the log
        try:
            await self._publisher.publish(channel, text)
        except (RedisError, OSError) as error:
            log.warning("could not publish on Redis", extra={"error": str(error)})

    async def _subscribe(self) -> PubSub:
        # No retries inside redis-py: a lost connection must surface here, so we catch up.
        client = Redis.from_url(
            self._url,
            socket_connect_timeout=_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
            health_check_interval=math.ceil(self._check_interval),
        )
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(
                self._events_channel, self._revoked_channel, self._presence_channel
            )
        except BaseException:
            await pubsub.aclose()
            await client.aclose()
            raise
        return pubsub

    async def _listen(self, pubsub: PubSub) -> None:
        try:
            while True:
                try:
                    await self._receive_all(pubsub)
                except (RedisError, OSError) as error:
                    log.warning("Redis bus lost its subscription", extra={"error": str(error)})
                except Exception:
                    log.exception("Redis bus failed; starting over")
                await _close(pubsub)
                pubsub = await self._resubscribe()
        finally:
            await _close(pubsub)

    async def _receive_all(self, pubsub: PubSub) -> None:
        # Quiet means no *event* for a check interval: presence heartbeats do not count.
        heard = time.monotonic()
        while True:
            left = heard + self._check_interval - time.monotonic()
            message = None
            if left > 0:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=left)
            if message is None:
                if time.monotonic() - heard >= self._check_interval:
                    await self._catch_up()  # quiet: was anything committed we never heard of?
                    heard = time.monotonic()
                continue
            if message["type"] != "message":
                continue
            channel, data = message["channel"].decode(), message["data"].decode()
            if channel == self._revoked_channel:
                self._deliver(TokenRevoked(data))
            elif channel == self._presence_channel:
                self._deliver_presence(data)
            elif channel == self._events_channel:
                try:
                    event = BookingUpdated.model_validate_json(data)
                except ValidationError:
                    # Not one of ours (a stray publisher on a shared Redis): the log has the truth.
                    log.warning("ignored a malformed event on Redis", extra={"channel": channel})
                    continue
                await self._accept(event)
                heard = time.monotonic()

    def _deliver_presence(self, data: str) -> None:
        try:
            message = _presence.validate_json(data)
        except ValidationError:
            log.warning("ignored a malformed presence message on Redis")
            return
        if isinstance(message, _AvailabilityHint):
            if message.origin != self._origin:
                self._deliver(AvailabilityUpdated(master_id=message.master_id))
            return
        self._deliver(message)

    async def _resubscribe(self) -> PubSub:
        """Subscribe again (with backoff), then read what was missed while deaf."""
        deaf_since = time.monotonic()
        delay = 0.05
        while True:
            pubsub: PubSub | None = None
            try:
                pubsub = await self._subscribe()
                await self._catch_up()
                revoked = await self._log.revoked_within(
                    time.monotonic() - deaf_since + _REVOCATION_SLACK
                )
            except (RedisError, OSError) as error:
                log.warning("Redis bus cannot subscribe yet", extra={"error": str(error)})
            except Exception:
                log.exception("Redis bus cannot catch up yet")
            else:
                for token_hash in revoked:
                    self._deliver(TokenRevoked(token_hash))
                log.info("Redis bus subscribed again", extra={"seq": self._last})
                return pubsub
            if pubsub is not None:
                await _close(pubsub)
            await asyncio.sleep(delay)
            delay = min(delay * 2, _MAX_BACKOFF)


async def _close(pubsub: PubSub) -> None:
    # Each subscription has its own client: closing the pubsub and its pool frees it all.
    with contextlib.suppress(Exception):
        pool = pubsub.connection_pool
        await pubsub.aclose()
        await pool.disconnect()


def _seq(event: BookingUpdated) -> dict[str, int]:
    return {"seq": event.seq}
