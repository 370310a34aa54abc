"""The app factory: `create_app(settings, clock=...)` wires store, bus, hub, clock and routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from booking_core.events import BookingUpdated
from booking_server.api import web, ws
from booking_server.api.access import AccessLog
from booking_server.api.deps import Services
from booking_server.api.hub import CLOSE_GOING_AWAY, Hub
from booking_server.api.openapi import document
from booking_server.api.problems import install_handlers
from booking_server.api.routes import (
    account,
    auth,
    availability,
    bookings,
    history,
    ops,
    public,
    users,
)
from booking_server.availability import AvailabilityService
from booking_server.bookings import BookingService
from booking_server.bus import Bus
from booking_server.bus.factory import Connected, open_bus
from booking_server.clock import Clock, SystemClock
from booking_server.demo import seed_demo
from booking_server.maintenance import prune_once, run_maintenance
from booking_server.metrics import Metrics
from booking_server.ratelimit import RateLimiter
from booking_server.session_clock import SessionClock
from booking_server.settings import Settings
from booking_server.store import open_store
from booking_server.throttle import LocalThrottle, LoginThrottle

log = logging.getLogger(__name__)
API = "/api/v1"


def build_services(settings: Settings, clock: Clock, bus: Bus | None = None) -> Services:
    """Wire the parts; `bus` defaults to the one the settings name (in-process or Redis)."""

    async def publish(events: list[BookingUpdated]) -> None:
        for event in events:
            log.info(
                "booking changed",
                extra={
                    "seq": event.seq,
                    "action": event.action.value,
                    "booking_id": event.booking.id,
                    "actor": event.actor,
                },
            )
            await chosen.publish(event)

    store = open_store(
        settings.database_url,
        publish,
        pool_size=settings.database_pool_size,
        timeout=settings.database_timeout_seconds,
    )
    chosen = bus or open_bus(settings, store)
    metrics = Metrics()
    return Services(
        settings=settings,
        clock=clock,
        store=store,
        bus=chosen,
        bookings=BookingService(store, clock),
        hub=Hub(chosen, metrics, settings.ws_queue_size, settings.ws_queue_bytes),
        limiter=RateLimiter(settings.rate_limit_burst, settings.rate_limit_per_second),
        metrics=metrics,
        ws_limiter=RateLimiter(settings.ws_messages_burst, settings.ws_messages_per_second),
        login_throttle=_login_throttle(settings),
        signups=RateLimiter(settings.signup_burst, settings.signup_per_second),
        availability=AvailabilityService(store, clock, chosen),
    )


def _login_throttle(settings: Settings) -> LoginThrottle:
    """Shared through Redis when processes share one (scale-out), else in this process."""
    if settings.redis_url is None:
        return LocalThrottle()
    from booking_server.throttle_redis import RedisThrottle

    return RedisThrottle(settings.redis_url, settings.redis_prefix)


@asynccontextmanager
async def _running(services: Services) -> AsyncIterator[None]:
    """Open the store (and a Redis bus), seed, start the hub and the background tasks; undo it all
    on the way out."""
    await services.store.open()
    try:
        async with _bus_running(services.bus), _background(services):
            yield
    finally:
        await services.login_throttle.close()
        await services.store.close()


@asynccontextmanager
async def _bus_running(bus: Bus) -> AsyncIterator[None]:
    """A Redis bus connects once the store is open (it reads the event log), before any write."""
    if not isinstance(bus, Connected):
        yield
        return
    await bus.start()
    try:
        yield
    finally:
        await bus.close()


@asynccontextmanager
async def _background(services: Services) -> AsyncIterator[None]:
    if services.settings.demo and await seed_demo(services.store, services.clock):
        log.info("seeded the demo data")
    await prune_once(services.store, services.clock, services.settings)
    services.hub.start()
    session = SessionClock(services.bookings, services.clock, services.bus)
    tasks = [
        asyncio.create_task(session.run(), name="session-clock"),
        asyncio.create_task(
            run_maintenance(services.store, services.clock, services.settings), name="maintenance"
        ),
    ]
    try:
        yield
    finally:
        services.hub.close_all(CLOSE_GOING_AWAY)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        services.hub.stop()


def create_app(settings: Settings, clock: Clock | None = None, bus: Bus | None = None) -> FastAPI:
    services = build_services(settings, clock or SystemClock(), bus)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with _running(services):
            yield

    app = FastAPI(
        title="Reservations booking server",
        version="1",
        lifespan=lifespan,
        description="REST + WebSocket booking server; see docs/protocol.md.",
    )
    app.state.services = services
    install_handlers(app)
    document(app)
    routers = (
        auth.router,
        account.router,
        bookings.router,
        history.router,
        users.router,
        public.router,
        availability.router,
        ws.router,
    )
    for router in routers:
        app.include_router(router, prefix=API)
    app.include_router(ops.router)
    web.install(app)
    app.add_middleware(AccessLog, metrics=services.metrics)
    return app
