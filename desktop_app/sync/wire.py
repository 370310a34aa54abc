"""The REST calls of docs/protocol.md as the engine sends them, and the bodies it reads."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from pydantic import TypeAdapter, ValidationError

from booking_core import Booking, BookingList
from desktop_app.sync.intents import Create, Intent, Reschedule, Transition

BOOKINGS_PATH = "/api/v1/bookings"
SOCKET_UNAUTHORIZED = 4401  # close code of a socket whose token is bad or revoked

# `read_listing` validates a big listing this many bytes of bookings at a time.
LISTING_CHUNK = 1 << 20
_LIST_HEAD = b'{"bookings":['
_LIST_TAIL = b'],"cursor":'
_NEXT_BOOKING = b'},{"id":'
_booking_list = TypeAdapter(list[Booking])


def list_path(since: int | None) -> str:
    """GET everything (None) or what changed since a cursor."""
    return BOOKINGS_PATH if since is None else f"{BOOKINGS_PATH}?since={since}"


def list_headers(since: int | None) -> dict[str, str]:
    """A delta asks to be answered 304 when nothing changed since its cursor [extension]."""
    return {} if since is None else {"If-None-Match": f'"{since}"'}


def unchanged_listing(headers: Mapping[str, str], since: int) -> BookingList:
    """A conditional delta's 304 read as the answer it stands for: no booking changed, and the
    cursor to continue from is the ETag (the one asked from if absent)."""
    etag = next((value for name, value in headers.items() if name.lower() == "etag"), "")
    tag = etag.removeprefix("W/").strip('"')
    known = tag.isdigit() and len(tag) <= 18  # a cursor, not a number too long to read
    return BookingList(bookings=[], cursor=int(tag) if known else since)


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


def read_listing(raw: bytes) -> BookingList:
    """A listing's JSON body as a `BookingList`, straight from the bytes; ValidationError if it
    is not one.

    pydantic parses a whole document into a tree of its own before it builds models: for 100k
    bookings (38 MB) that tree is ~85 MB on top of the bookings, for a moment. So a listing
    written as the server writes it (compact, `bookings` first, each booking's `id` first) is
    validated a chunk of bookings at a time, cut where one booking ends and the next begins
    (`},{"id":`). In valid JSON `{"` cannot be inside a string (a quote after `{` ends a string
    only if `{` is its last character, and then `id":` could not follow), and a cut inside a
    nested array of some future field would leave a chunk with unbalanced brackets, which fails;
    anything unexpected is validated whole, as one document.
    """
    end = raw.rfind(_LIST_TAIL)
    if len(raw) < 2 * LISTING_CHUNK or not raw.startswith(_LIST_HEAD) or end < 0:
        return BookingList.model_validate_json(raw)
    try:
        envelope = BookingList.model_validate_json(_LIST_HEAD + raw[end:])
        bookings: list[Booking] = []
        start = len(_LIST_HEAD)
        while start < end:
            cut = raw.find(_NEXT_BOOKING, start + LISTING_CHUNK, end)
            stop = end if cut < 0 else cut + 1
            bookings += _booking_list.validate_json(b"[" + raw[start:stop] + b"]")
            start = stop + 1  # past the comma
    except ValidationError:
        return BookingList.model_validate_json(raw)
    return envelope.model_copy(update={"bookings": bookings})


def listing_of(body: object | None) -> BookingList | None:
    """A listing answer as the shell hands it over: the body's bytes (read here, see
    `read_listing`), a `BookingList`, or parsed JSON; None if it is not one."""
    if isinstance(body, BookingList):
        return body
    try:
        if isinstance(body, bytes):
            return read_listing(body)
        return BookingList.model_validate(body)
    except ValidationError:
        return None
