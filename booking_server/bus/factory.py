"""Choose the bus: in-process by default, Redis pub/sub when a Redis URL is set."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from booking_server.bus.base import Bus
from booking_server.bus.local import LocalBus
from booking_server.errors import ConfigurationError
from booking_server.settings import Settings
from booking_server.store.base import Store

_REDIS = ("redis://", "rediss://", "unix://")


@runtime_checkable
class Connected(Protocol):
    """A bus with a connection of its own (Redis): started once the store is open, closed last."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...


def open_bus(settings: Settings, store: Store) -> Bus:
    """A `RedisBus` (start it after opening the store) or a `LocalBus`."""
    if settings.redis_url is None:
        return LocalBus()
    if not settings.redis_url.startswith(_REDIS):
        raise ConfigurationError("unsupported Redis URL (use redis://HOST:PORT/DB)")
    # Imported here: the embedded (SQLite) server starts without loading redis and asyncpg.
    from booking_server.bus.redis import RedisBus
    from booking_server.store.postgres import PostgresStore

    if not isinstance(store, PostgresStore):
        # The bus fills what pub/sub missed from the event log, which it reads from PostgreSQL.
        raise ConfigurationError("the Redis bus needs a PostgreSQL database (postgresql://…)")
    return RedisBus(
        settings.redis_url,
        settings.redis_prefix,
        store,
        check_interval=settings.bus_check_interval,
    )
