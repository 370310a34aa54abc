"""The event bus: committed booking events and token revocations, fanned out to subscribers."""

from booking_server.bus.base import Bus, BusMessage, Subscriber, TokenRevoked
from booking_server.bus.local import LocalBus

__all__ = ["Bus", "BusMessage", "LocalBus", "Subscriber", "TokenRevoked"]
