"""Bookings: list (with delta sync), get with ETag, create, transitions, PATCH."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from starlette.responses import Response

from booking_core.errors import ErrorCode
from booking_core.models import (
    Booking,
    BookingList,
    BookingPatch,
    BookingRequest,
    TransitionRequest,
)
from booking_core.state_machine import Party, party_of
from booking_server.api.deps import CallerDep, Services, ServicesDep
from booking_server.api.idempotency import idempotent_write
from booking_server.api.openapi import PROBLEMS, TIMES_RULE, body_of
from booking_server.bookings import Parsed
from booking_server.errors import ProblemError
from booking_server.store import CursorExpiredError

router = APIRouter(prefix="/bookings", tags=["bookings"])

IfMatch = Annotated[
    str | None,
    Header(
        description='Required: "<version>" of the booking you saw (428 without it; at most 18'
        " ASCII digits, else 400). Checked after 404 and body validation, so it is read here.",
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(description='With `since`: "<since>" answers 304 when nothing you may see changed'),
]
IdempotencyKey = Annotated[
    str | None,
    Header(description="Repeat-safe key for this mutation (1..255 characters, else 400)"),
]


def booking_response(booking: Booking, status: int = 200) -> Response:
    return Response(
        booking.model_dump_json(),
        status,
        headers={"ETag": f'"{booking.version}"'},
        media_type="application/json",
    )


def _count_conflict(services: Services, response: Response) -> Response:
    if response.status_code in (409, 412):
        code = json.loads(bytes(response.body)).get("code", str(response.status_code))
        services.metrics.conflicts.labels(code=code).inc()
    return response


# A cursor is a PostgreSQL bigint.
MAX_CURSOR = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def _check_digits(since: str | None) -> None:
    """`since` as sent: plain ASCII digits. (Parsed as an int, `%0C9` or ` 9` would be 9.)"""
    if since is not None and _DIGITS.fullmatch(since) is None:
        raise ProblemError.of(
            ErrorCode.INVALID_REQUEST,
            "since must be a cursor: ASCII digits only",
            status=400,
            errors=[{"loc": ["query", "since"], "msg": "not a cursor", "type": "value_error"}],
        )


_NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "With `since` and If-None-Match: nothing you may see changed after it"}
}


@router.get(
    "",
    response_model=BookingList,
    responses={**_NOT_MODIFIED, **PROBLEMS(401, 410, 422, 429)},
)
async def list_bookings(
    request: Request,
    caller: CallerDep,
    services: ServicesDep,
    since: Annotated[
        int | None,
        Query(
            ge=0,
            le=MAX_CURSOR,
            description="Delta sync: changes after this cursor (ASCII digits only)",
        ),
    ] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Every booking the caller may see, or with `since` only those changed after that cursor.

    The answer's ETag is its cursor. A delta poll that sends its cursor as If-None-Match (the
    cursor it continues from) gets `304 Not Modified` with no body when nothing it may see
    changed after it; the 304's ETag is the cursor to continue from (docs/protocol.md)."""
    _check_digits(request.query_params.get("since"))
    try:
        if since is None:
            bookings, cursor = await services.store.visible_bookings(caller.user.id)
        else:
            bookings, cursor = await services.store.changed_bookings(caller.user.id, since)
    except CursorExpiredError:
        raise ProblemError.of(
            ErrorCode.CURSOR_EXPIRED, "fetch the full list: GET /api/v1/bookings"
        ) from None
    etag = f'"{cursor}"'
    if not bookings and since is not None and if_none_match == f'"{since}"':
        return Response(status_code=304, headers={"ETag": etag})
    # The stored JSON of each booking is sent as it is: long lists cost no re-encoding.
    body = b'{"bookings":[' + b",".join(bookings) + b'],"cursor":' + str(cursor).encode() + b"}"
    return Response(body, headers={"ETag": etag}, media_type="application/json")


@router.get(
    "/{booking_id}",
    response_model=Booking,
    responses=PROBLEMS(401, 404, 422, 429),
)
async def get_booking(booking_id: str, caller: CallerDep, services: ServicesDep) -> Response:
    booking = await services.store.booking(booking_id)
    if booking is None or party_of(booking, caller.user.id) is Party.STRANGER:
        raise ProblemError.of(ErrorCode.NOT_FOUND, "no such booking")
    return booking_response(booking)


@router.post(
    "",
    status_code=201,
    response_model=Booking,
    responses=PROBLEMS(400, 401, 403, 409, 413, 422, 429),
    openapi_extra=body_of(BookingRequest, TIMES_RULE),
)
async def create_booking(
    request: Request,
    caller: CallerDep,
    services: ServicesDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def act(body: Parsed[BookingRequest]) -> Response:
        booking = await services.bookings.create(caller.user, body)
        response = booking_response(booking, 201)
        response.headers["Location"] = f"/api/v1/bookings/{booking.id}"
        return response

    response = await idempotent_write(request, caller, services, BookingRequest, act)
    return _count_conflict(services, response)


@router.post(
    "/{booking_id}/transitions",
    response_model=Booking,
    responses=PROBLEMS(400, 401, 403, 404, 409, 412, 413, 422, 428, 429),
    openapi_extra=body_of(TransitionRequest),
)
async def transition_booking(
    booking_id: str,
    request: Request,
    caller: CallerDep,
    services: ServicesDep,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def act(body: Parsed[TransitionRequest]) -> Response:
        booking = await services.bookings.transition(caller.user, booking_id, body, if_match)
        return booking_response(booking)

    response = await idempotent_write(request, caller, services, TransitionRequest, act)
    return _count_conflict(services, response)


@router.patch(
    "/{booking_id}",
    response_model=Booking,
    responses=PROBLEMS(400, 401, 403, 404, 409, 412, 413, 422, 428, 429),
    openapi_extra=body_of(BookingPatch, TIMES_RULE),
)
async def patch_booking(
    booking_id: str,
    request: Request,
    caller: CallerDep,
    services: ServicesDep,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def act(body: Parsed[BookingPatch]) -> Response:
        booking = await services.bookings.patch(caller.user, booking_id, body, if_match)
        return booking_response(booking)

    response = await idempotent_write(request, caller, services, BookingPatch, act)
    return _count_conflict(services, response)
