"""The session clock: starts, completes and expires bookings on time, as the actor "system".

It sleeps on the injected clock until the next due moment, and wakes early whenever a booking
changes (a new booking may be due sooner). On start it catches up on everything already due.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from booking_server.bookings import BookingService
from booking_server.bus import Bus, BusMessage, TokenRevoked
from booking_server.clock import Clock

log = logging.getLogger(__name__)
_RETRY_SECONDS = 1.0


class SessionClock:
    def __init__(self, bookings: BookingService, clock: Clock, bus: Bus) -> None:
        self._bookings = bookings
        self._clock = clock
        self._bus = bus
        self._changed = asyncio.Event()

    def _on_message(self, message: BusMessage) -> None:
        if not isinstance(message, TokenRevoked):
            self._changed.set()

    async def run(self) -> None:
        unsubscribe: Callable[[], None] = self._bus.subscribe(self._on_message)
        try:
            while True:
                self._changed.clear()
                try:
                    steps = await self._bookings.run_due()
                except Exception:
                    log.exception("session clock step failed; retrying")
                    await asyncio.sleep(_RETRY_SECONDS)
                    continue
                if steps:
                    log.info("session clock moved bookings", extra={"steps": steps})
                await self._wait()
        finally:
            unsubscribe()

    async def _wait(self) -> None:
        """Until the next due moment or the next change, whichever comes first."""
        due = await self._bookings.next_due()
        waits: list[asyncio.Future[object]] = [asyncio.ensure_future(self._changed.wait())]
        if due is not None:
            waits.append(asyncio.ensure_future(self._clock.sleep_until(due)))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()
            for task in waits:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
