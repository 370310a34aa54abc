"""Sign-in and sign-out: POST /auth/login, POST /auth/logout, GET /auth/me."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response

from booking_core.models import LoginRequest, LoginResponse, UserPublic
from booking_server.api.body import parse, read_body
from booking_server.api.deps import CallerDep, ServicesDep, check_rate, unauthenticated
from booking_server.api.openapi import PROBLEMS, body_of
from booking_server.auth import DUMMY_HASH, new_token, token_hash, verify_password
from booking_server.bookings import valid
from booking_server.bus import TokenRevoked

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/login",
    response_model=LoginResponse,
    responses=PROBLEMS(400, 401, 413, 422, 429),
    openapi_extra=body_of(LoginRequest),
)
async def login(request: Request, services: ServicesDep) -> LoginResponse:
    client = request.client.host if request.client else "unknown"
    check_rate(services, f"login:{client}")
    limit = services.settings.max_body_bytes
    credentials = valid(parse(LoginRequest, await read_body(request, limit), limit))
    user = await services.store.user_by_name(credentials.username)
    # Check a password even for an unknown name, so timing does not tell which names exist.
    ok = await verify_password(credentials.password, user.password_hash if user else DUMMY_HASH)
    if user is None or not ok or user.disabled:
        raise unauthenticated("wrong username or password")
    token = new_token()
    expires = services.clock.now() + timedelta(seconds=services.settings.token_ttl_seconds)
    await services.store.add_token(token_hash(token), user.id, expires)
    return LoginResponse(token=token, user=user.public())


@router.post("/logout", status_code=204, responses=PROBLEMS(401, 429))
async def logout(caller: CallerDep, services: ServicesDep) -> Response:
    await services.store.revoke_token(caller.token_hash)
    await services.bus.publish(TokenRevoked(caller.token_hash))
    return Response(status_code=204)


@router.get("/me", response_model=UserPublic, responses=PROBLEMS(401, 429))
async def me(caller: CallerDep) -> UserPublic:
    """Extension: who the token belongs to."""
    return caller.user.public()
