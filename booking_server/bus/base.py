"""The bus protocol: publish messages, subscribe a callback; the in-process and Redis buses
implement it. Besides committed events and revoked tokens it carries presence between processes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from booking_core.events import AvailabilityUpdated, BookingUpdated, Viewer


@dataclass(frozen=True, slots=True)
class TokenRevoked:
    """A token was revoked (logout): sockets opened with it must close with 4401."""

    token_hash: str


class PresenceShared(BaseModel):
    """Who views one booking through one server process (empty: nobody any more). Holds for
    `ttl` seconds unless repeated: its process repeats it every heartbeat, so a dead one's
    viewers fade."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    type: Literal["presence"] = "presence"
    process: str
    booking_id: str
    master_id: str
    customer_id: str
    viewers: tuple[Viewer, ...]
    ttl: float = Field(gt=0)


class PresenceQuery(BaseModel):
    """A process (just started) asks the others to repeat their presence now."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    type: Literal["presence_query"] = "presence_query"
    process: str


PresenceMessage = PresenceShared | PresenceQuery
# AvailabilityUpdated [extension]: a master's hours, time off or services changed (a hint with no
# log behind it, like presence: a process that misses it only misses a refresh hint).
BusMessage = BookingUpdated | TokenRevoked | PresenceShared | PresenceQuery | AvailabilityUpdated
Subscriber = Callable[[BusMessage], None]


class Bus(Protocol):
    async def publish(self, message: BusMessage) -> None:
        """Deliver to every subscriber; messages published in order arrive in that order."""

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Register a callback (it must not block); returns the function that unsubscribes."""


@runtime_checkable
class SharedBus(Protocol):
    """A bus that reaches other server processes (Redis): presence is published on it, and
    repeated every `heartbeat` seconds. Presence on other buses stays in the process."""

    @property
    def heartbeat(self) -> float: ...
