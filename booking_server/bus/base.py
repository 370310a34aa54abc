"""The bus protocol: publish messages, subscribe a callback. A Redis bus can implement it later."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from booking_core.events import BookingUpdated


@dataclass(frozen=True, slots=True)
class TokenRevoked:
    """A token was revoked (logout): sockets opened with it must close with 4401."""

    token_hash: str


BusMessage = BookingUpdated | TokenRevoked
Subscriber = Callable[[BusMessage], None]


class Bus(Protocol):
    async def publish(self, message: BusMessage) -> None:
        """Deliver to every subscriber; messages published in order arrive in that order."""

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Register a callback (it must not block); returns the function that unsubscribes."""
