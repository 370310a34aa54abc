"""The REST calls of ../shared/PROTOCOL.md as the engine sends them, and the bodies it reads."""

from __future__ import annotations

from urllib.parse import quote

from pydantic import ValidationError

from booking_core import Booking, BookingList
from desktop_app.sync.intents import Create, Intent, Reschedule, Transition

BOOKINGS_PATH = "/api/v1/bookings"
SOCKET_UNAUTHORIZED = 4401  # close code of a socket whose token is bad or revoked


def list_path(since: int | None) -> str:
    """GET everything (None) or what changed since a cursor."""
    return BOOKINGS_PATH if since is None else f"{BOOKINGS_PATH}?since={since}"


def mutation_request(intent: Intent, booking_id: str) -> tuple[str, str, object]:
    """Method, path and JSON body of the request that carries `intent` to `booking_id`."""
    match intent:
        case Transition(_, action, reason):
            body: dict[str, object] = {"action": action.value}
            if reason is not None:
                body["reason"] = reason
            return "POST", f"{_booking_path(booking_id)}/transitions", body
        case Reschedule(_, patch):
            return (
                "PATCH",
                _booking_path(booking_id),
                patch.model_dump(mode="json", exclude_none=True),
            )
        case Create(_, create):
            return "POST", BOOKINGS_PATH, create.model_dump(mode="json", exclude_none=True)


def mutation_headers(key: str, version: int | None) -> dict[str, str]:
    headers = {"Idempotency-Key": key}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    return headers


def _booking_path(booking_id: str) -> str:
    return f"{BOOKINGS_PATH}/{quote(booking_id, safe='')}"


def booking_of(body: object | None) -> Booking | None:
    try:
        return Booking.model_validate(body)
    except ValidationError:
        return None


def listing_of(body: object | None) -> BookingList | None:
    try:
        return BookingList.model_validate(body)
    except ValidationError:
        return None
