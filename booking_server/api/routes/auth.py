"""Sign-in and sign-out: POST /auth/login, POST /auth/logout, GET /auth/me."""

from __future__ import annotations

import logging
import math
from datetime import timedelta
from typing import NoReturn

from fastapi import APIRouter, Request, Response

from booking_core.errors import ErrorCode
from booking_core.models import LoginRequest, LoginResponse, UserPublic
from booking_server.api.body import parse, read_body
from booking_server.api.deps import (
    CallerDep,
    Services,
    ServicesDep,
    check_rate,
    unauthenticated,
)
from booking_server.api.openapi import PROBLEMS, body_of
from booking_server.auth import DUMMY_HASH, new_token, token_hash, verify_password
from booking_server.bookings import valid
from booking_server.bus import TokenRevoked
from booking_server.errors import ProblemError
from booking_server.throttle import Rule

router = APIRouter(prefix="/auth", tags=["auth"])
log = logging.getLogger(__name__)


def _throttled(services: Services, username: str, client: str) -> list[tuple[str, Rule]]:
    """The throttle's keys for this sign-in: the account first, then the client address."""
    settings = services.settings
    window, most = settings.login_window_seconds, settings.login_max_delay_seconds
    return [
        (f"account:{username.casefold()}", Rule(settings.login_account_free, window, most)),
        (f"address:{client}", Rule(settings.login_address_free, window, most)),
    ]


def _too_many(delay: float) -> ProblemError:
    wait = max(1, math.ceil(delay))
    return ProblemError.of(
        ErrorCode.RATE_LIMITED,
        f"too many failed sign-ins: retry in {wait} s",
        headers={"Retry-After": str(wait)},
    )


async def _refuse(services: Services, keys: list[tuple[str, Rule]], reason: str) -> NoReturn:
    delays = [await services.login_throttle.failed(key, rule) for key, rule in keys]
    log.info(reason)
    raise _too_many(max(delays))


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
    keys = _throttled(services, credentials.username, client)
    throttle = services.login_throttle
    if max([await throttle.blocked_for(key) for key, _ in keys]) > 0:
        # Blocked: the password is not even checked, and the attempt counts.
        await _refuse(services, keys, "too many failed sign-ins")
    user = await services.store.user_by_name(credentials.username)
    # Check a password even for an unknown name, so timing does not tell which names exist.
    ok = await verify_password(credentials.password, user.password_hash if user else DUMMY_HASH)
    if user is None or not ok:
        delays = [await throttle.failed(key, rule) for key, rule in keys]
        log.info("failed sign-in", extra={"client": client})
        if max(delays) > 0:
            raise _too_many(max(delays))
        raise unauthenticated("wrong username or password")
    await throttle.reset(keys[0][0])
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
