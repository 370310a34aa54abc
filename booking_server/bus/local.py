"""The in-process bus: delivery is a synchronous call of each subscriber, so order is kept."""

from __future__ import annotations

import logging
from collections.abc import Callable

from booking_server.bus.base import BusMessage, Subscriber

log = logging.getLogger(__name__)


class LocalBus:
    def __init__(self) -> None:
        self._subscribers: dict[int, Subscriber] = {}
        self._next_id = 0

    async def publish(self, message: BusMessage) -> None:
        for subscriber in list(self._subscribers.values()):
            try:
                subscriber(message)
            except Exception:
                # One broken subscriber must not keep the message from the others.
                log.exception("bus subscriber failed")

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        key = self._next_id
        self._next_id += 1
        self._subscribers[key] = subscriber

        def unsubscribe() -> None:
            self._subscribers.pop(key, None)

        return unsubscribe
