"""Periodic upkeep: prune the event log and old idempotency keys (at start, then every interval)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from booking_server.clock import Clock
from booking_server.settings import Settings
from booking_server.store import Store

log = logging.getLogger(__name__)


async def prune_once(store: Store, clock: Clock, settings: Settings) -> None:
    now = clock.now()
    await store.prune(
        events_before=now - timedelta(seconds=settings.event_retention_seconds),
        keys_before=now - timedelta(seconds=settings.idempotency_ttl_seconds),
    )


async def run_maintenance(store: Store, clock: Clock, settings: Settings) -> None:
    interval = timedelta(seconds=settings.maintenance_interval_seconds)
    while True:
        next_run = clock.now() + interval
        while clock.now() < next_run:
            await clock.sleep_until(next_run)
        try:
            await prune_once(store, clock, settings)
        except Exception:
            log.exception("maintenance failed")
            await asyncio.sleep(1.0)
