"""WebSocket messages, both directions, as one discriminated union per direction.

Server messages are parsed leniently (unknown fields ignored, unknown `type` rejected by the caller
as it sees fit); client messages strictly, since the server answers anything else with
`invalid_message`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from booking_core.models import Action, Booking, UtcDatetime


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Hello(_Message):
    type: Literal["hello"] = "hello"
    cursor: int = Field(ge=0)
    server_time: UtcDatetime


class BookingUpdated(_Message):
    type: Literal["booking:updated"] = "booking:updated"
    seq: int = Field(ge=1)
    action: Action
    booking: Booking
    changes: dict[str, Any]
    actor: str
    # [extension] Per socket, not part of the event: the seq of the previous booking:updated frame
    # on the same socket (or the socket's starting point). The server's hub writes it into each
    # frame; excluded here so the event itself (log, bus, Redis) never carries a socket's value.
    prev_seq: int | None = Field(default=None, ge=0, exclude=True)


class ResyncRequired(_Message):
    type: Literal["resync_required"] = "resync_required"


class Viewer(_Message):
    id: str
    display_name: str


class Presence(_Message):
    type: Literal["presence"] = "presence"
    booking_id: str
    viewers: list[Viewer]


class AvailabilityUpdated(_Message):
    """[extension] A master's hours, time off, services or bookings changed: free slots may have
    changed; re-read them. No seq: it is a hint, the REST answers are the truth."""

    type: Literal["availability:updated"] = "availability:updated"
    master_id: str


class ErrorMessage(_Message):
    type: Literal["error"] = "error"
    code: str
    detail: str | None = None


ServerMessage = Annotated[
    Hello | BookingUpdated | ResyncRequired | Presence | AvailabilityUpdated | ErrorMessage,
    Field(discriminator="type"),
]


class Viewing(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["viewing"] = "viewing"
    booking_id: str | None


class WatchAvailability(BaseModel):
    """[extension] Send me `availability:updated` for this master (None: stop)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["watch_availability"] = "watch_availability"
    master_id: str | None = Field(max_length=120)


ClientMessage = Annotated[Viewing | WatchAvailability, Field(discriminator="type")]

_server_adapter: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
_client_adapter: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


def parse_server_message(raw: str | bytes) -> ServerMessage:
    """Parse one server frame; raises pydantic.ValidationError on anything not in the protocol."""
    return _server_adapter.validate_json(raw)


def parse_client_message(raw: str | bytes) -> ClientMessage:
    """Parse one client frame; raises pydantic.ValidationError on anything not in the protocol."""
    return _client_adapter.validate_json(raw)
