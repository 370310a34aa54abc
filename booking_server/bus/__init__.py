"""The event bus: committed booking events, token revocations and presence, fanned out to
subscribers (in this process, or in every process through Redis)."""

from booking_server.bus.base import (
    Bus,
    BusMessage,
    PresenceMessage,
    PresenceQuery,
    PresenceShared,
    SharedBus,
    Subscriber,
    TokenRevoked,
)
from booking_server.bus.local import LocalBus

__all__ = [
    "Bus",
    "BusMessage",
    "LocalBus",
    "PresenceMessage",
    "PresenceQuery",
    "PresenceShared",
    "SharedBus",
    "Subscriber",
    "TokenRevoked",
]
