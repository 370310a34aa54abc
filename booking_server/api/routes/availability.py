"""[extension] Availability: masters, services, working hours, time off, free slots, contacts.

Public reads (masters, services, availability) need no token and are rate limited per client
address; writes are the master's own, with If-Match versions like bookings (docs/protocol.md).
"""

from __future__ import annotations

import time
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.responses import Response

from booking_core.availability import (
    Availability,
    ScheduleUpdate,
    Service,
    ServiceCreate,
    ServicePatch,
    TimeOff,
    TimeOffCreate,
    WeeklySchedule,
)
from booking_core.contacts import ContactDetails, ContactUpdate, CustomerList
from booking_core.models import UtcDatetime
from booking_server.api.body import parse, read_body
from booking_server.api.deps import (
    Caller,
    CallerDep,
    ServicesDep,
    check_rate,
    get_caller,
)
from booking_server.api.idempotency import idempotent, idempotent_write
from booking_server.api.openapi import PROBLEMS, body_of
from booking_server.availability import MAX_SEARCH, MasterInfo
from booking_server.bookings import Parsed

router = APIRouter(tags=["availability"])

IfMatch = Annotated[str | None, Header(description='"<version>" you saw ("0": never set)')]
IdempotencyKey = Annotated[
    str | None, Header(description="Repeat-safe key for this mutation (<= 255 chars)")
]
_optional_bearer = HTTPBearer(auto_error=False)


class MasterOut(BaseModel):
    id: str
    username: str
    display_name: str
    time_zone: str


class MasterList(BaseModel):
    masters: list[MasterOut]


class ServiceList(BaseModel):
    services: list[Service]


class TimeOffList(BaseModel):
    time_off: list[TimeOff]


async def public(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_optional_bearer)],
) -> Caller | None:
    """A public read: rate limited per client address; the caller when a token is sent (an
    unknown or expired one is 401, as anywhere)."""
    client = request.client.host if request.client else "unknown"
    check_rate(services, f"public:{client}")
    if credentials is None:
        return None
    return await get_caller(services, credentials)


PublicDep = Annotated[Caller | None, Depends(public)]


def _json(model: BaseModel, status: int = 200, etag: int | None = None) -> Response:
    headers = {"ETag": f'"{etag}"'} if etag is not None else None
    return Response(model.model_dump_json(), status, headers=headers, media_type="application/json")


def _master_out(info: MasterInfo) -> MasterOut:
    return MasterOut(
        id=info.id, username=info.username, display_name=info.display_name, time_zone=info.time_zone
    )


# Masters (public).


@router.get("/masters", response_model=MasterList, responses=PROBLEMS(429))
async def list_masters(_: PublicDep, services: ServicesDep) -> MasterList:
    return MasterList(masters=[_master_out(m) for m in await services.availability.masters()])


@router.get("/masters/{ref}", response_model=MasterOut, responses=PROBLEMS(404, 429))
async def get_master(ref: str, _: PublicDep, services: ServicesDep) -> MasterOut:
    """By id or username (the web page's link is /book/<username>)."""
    return _master_out(await services.availability.master(ref))


# Services.


@router.get(
    "/masters/{master_id}/services", response_model=ServiceList, responses=PROBLEMS(404, 429)
)
async def list_services(
    master_id: str,
    caller: PublicDep,
    services: ServicesDep,
    include_archived: Annotated[
        bool, Query(description="The master's own call only: archived services too")
    ] = False,
) -> ServiceList:
    found = await services.availability.services(
        master_id, caller.user if caller else None, include_archived=include_archived
    )
    return ServiceList(services=found)


@router.post(
    "/services",
    status_code=201,
    response_model=Service,
    responses=PROBLEMS(400, 401, 403, 413, 422, 429),
    openapi_extra=body_of(ServiceCreate),
)
async def create_service(
    request: Request,
    caller: CallerDep,
    services: ServicesDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def act(body: Parsed[ServiceCreate]) -> Response:
        made = await services.availability.create_service(caller.user, body)
        response = _json(made, 201, made.version)
        response.headers["Location"] = f"/api/v1/services/{made.id}"
        return response

    return await idempotent_write(request, caller, services, ServiceCreate, act)


@router.patch(
    "/services/{service_id}",
    response_model=Service,
    responses=PROBLEMS(400, 401, 403, 404, 412, 413, 422, 428, 429),
    openapi_extra=body_of(ServicePatch),
)
async def patch_service(
    service_id: str,
    request: Request,
    caller: CallerDep,
    services: ServicesDep,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def act(body: Parsed[ServicePatch]) -> Response:
        changed = await services.availability.patch_service(caller.user, service_id, body, if_match)
        return _json(changed, etag=changed.version)

    return await idempotent_write(request, caller, services, ServicePatch, act)


# Working hours.


@router.get(
    "/masters/{master_id}/schedule",
    response_model=WeeklySchedule,
    responses=PROBLEMS(401, 403, 404, 429),
)
async def get_schedule(master_id: str, caller: CallerDep, services: ServicesDep) -> Response:
    schedule = await services.availability.schedule(caller.user, master_id)
    return _json(schedule, etag=schedule.version)


@router.put(
    "/masters/{master_id}/schedule",
    response_model=WeeklySchedule,
    responses=PROBLEMS(400, 401, 403, 404, 412, 413, 422, 428, 429),
    openapi_extra=body_of(ScheduleUpdate),
)
async def put_schedule(
    master_id: str,
    request: Request,
    caller: CallerDep,
    services: ServicesDep,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def act(body: Parsed[ScheduleUpdate]) -> Response:
        changed = await services.availability.put_schedule(caller.user, master_id, body, if_match)
        return _json(changed, etag=changed.version)

    return await idempotent_write(request, caller, services, ScheduleUpdate, act)


# Time off.


@router.get(
    "/masters/{master_id}/time-off",
    response_model=TimeOffList,
    responses=PROBLEMS(401, 403, 404, 422, 429),
)
async def list_time_off(
    master_id: str,
    caller: CallerDep,
    services: ServicesDep,
    start: Annotated[UtcDatetime | None, Query(alias="from")] = None,
    end: Annotated[UtcDatetime | None, Query(alias="to")] = None,
) -> TimeOffList:
    """The master's time off overlapping [from, to) (default: from a day ago on)."""
    found = await services.availability.time_off(caller.user, master_id, start, end)
    return TimeOffList(time_off=found)


@router.post(
    "/masters/{master_id}/time-off",
    status_code=201,
    response_model=TimeOff,
    responses=PROBLEMS(400, 401, 403, 404, 413, 422, 429),
    openapi_extra=body_of(TimeOffCreate),
)
async def add_time_off(
    master_id: str,
    request: Request,
    caller: CallerDep,
    services: ServicesDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def act(body: Parsed[TimeOffCreate]) -> Response:
        item = await services.availability.add_time_off(caller.user, master_id, body)
        response = _json(item, 201)
        response.headers["Location"] = f"/api/v1/time-off/{item.id}"
        return response

    return await idempotent_write(request, caller, services, TimeOffCreate, act)


@router.delete("/time-off/{time_off_id}", status_code=204, responses=PROBLEMS(401, 404, 429))
async def delete_time_off(
    time_off_id: str,
    request: Request,
    caller: CallerDep,
    services: ServicesDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def operation() -> Response:
        await services.availability.delete_time_off(caller.user, time_off_id)
        return Response(status_code=204)

    return await idempotent(services, caller, request, b"", operation)


# Free slots (public).


@router.get(
    "/masters/{master_id}/availability",
    response_model=Availability,
    responses=PROBLEMS(404, 422, 429),
)
async def availability(
    master_id: str,
    _: PublicDep,
    services: ServicesDep,
    service: Annotated[str, Query(min_length=1, description="The service's id")],
    first: Annotated[
        date | None, Query(alias="from", description="First day (master's zone); today")
    ] = None,
    last: Annotated[
        date | None, Query(alias="to", description="Last day, inclusive (≤ 31 days)")
    ] = None,
) -> Response:
    started = time.perf_counter()
    found = await services.availability.availability_json(master_id, service, first, last)
    response = Response(found, media_type="application/json")
    # [extension] How long the server worked on it (bench figure A).
    elapsed = (time.perf_counter() - started) * 1000
    response.headers["Server-Timing"] = f"app;dur={elapsed:.3f}"
    return response


# Contacts.


@router.get("/users/me/contact", response_model=ContactDetails, responses=PROBLEMS(401, 429))
async def get_contact(caller: CallerDep, services: ServicesDep) -> ContactDetails:
    return await services.availability.contact(caller.user)


@router.put(
    "/users/me/contact",
    response_model=ContactDetails,
    responses=PROBLEMS(400, 401, 413, 422, 429),
    openapi_extra=body_of(ContactUpdate),
)
async def put_contact(request: Request, caller: CallerDep, services: ServicesDep) -> ContactDetails:
    limit = services.settings.max_body_bytes
    raw = await read_body(request, limit)
    return await services.availability.put_contact(caller.user, parse(ContactUpdate, raw, limit))


@router.get("/customers", response_model=CustomerList, responses=PROBLEMS(401, 403, 422, 429))
async def search_customers(
    caller: CallerDep,
    services: ServicesDep,
    q: Annotated[
        str, Query(max_length=120, description="Part of a name, username, phone or email")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH)] = 20,
) -> CustomerList:
    """A master's customer search: name or username of any customer; phone or email only of
    customers who have a booking with this master (whose contact details it shows)."""
    found = await services.availability.search_customers(caller.user, q, limit)
    return CustomerList(customers=found)
