"""Extension: POST /auth/password, the caller's own password change.

The current password is checked (403 `forbidden` when wrong: the token is fine, so not 401, which
would sign the client out). The new one replaces it and every other token of the user is revoked
(their sockets close with 4401); the caller's token stays valid.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from booking_core.errors import ErrorCode
from booking_core.models import PasswordChange
from booking_server.api.body import parse, read_body
from booking_server.api.deps import CallerDep, ServicesDep, check_rate
from booking_server.api.openapi import PROBLEMS, body_of
from booking_server.auth import hash_password, verify_password
from booking_server.bookings import valid
from booking_server.bus import TokenRevoked
from booking_server.errors import ProblemError

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/password",
    status_code=204,
    responses=PROBLEMS(400, 401, 403, 413, 422, 429),
    openapi_extra=body_of(PasswordChange),
)
async def change_password(request: Request, caller: CallerDep, services: ServicesDep) -> Response:
    # Guessing the current password through this door is as throttled as signing in.
    check_rate(services, f"password:{caller.user.id}")
    limit = services.settings.max_body_bytes
    change = valid(parse(PasswordChange, await read_body(request, limit), limit))
    if not await verify_password(change.current_password, caller.user.password_hash):
        raise ProblemError.of(ErrorCode.FORBIDDEN, "the current password is wrong")
    hashed = await hash_password(change.new_password)
    revoked = await services.store.set_password(
        caller.user.id, hashed, keep_token=caller.token_hash
    )
    for token_hash in revoked:
        await services.bus.publish(TokenRevoked(token_hash))
    return Response(status_code=204)
