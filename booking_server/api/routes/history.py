"""[extension] A booking's history from the event log, so a client shows it after a restart."""

from __future__ import annotations

from fastapi import APIRouter

from booking_core.errors import ErrorCode
from booking_core.history import HistoryList
from booking_core.state_machine import Party, party_of
from booking_server.api.deps import CallerDep, ServicesDep
from booking_server.api.openapi import PROBLEMS
from booking_server.errors import ProblemError

router = APIRouter(prefix="/bookings", tags=["bookings"])


@router.get(
    "/{booking_id}/history",
    response_model=HistoryList,
    responses=PROBLEMS(401, 404, 429),
)
async def booking_history(booking_id: str, caller: CallerDep, services: ServicesDep) -> HistoryList:
    """The booking's logged changes, oldest first: action, actor, changed fields, time. Only its
    master and its customer may read it; to anyone else it does not exist (404), like the
    booking."""
    booking = await services.store.booking(booking_id)
    if booking is None or party_of(booking, caller.user.id) is Party.STRANGER:
        raise ProblemError.of(ErrorCode.NOT_FOUND, "no such booking")
    return HistoryList(events=await services.store.booking_history(booking))
