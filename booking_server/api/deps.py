"""Request dependencies: the app's services and the signed-in caller (401, then 429)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from booking_core.errors import ErrorCode
from booking_server.api.hub import Hub
from booking_server.auth import token_hash
from booking_server.availability import AvailabilityService
from booking_server.bookings import BookingService
from booking_server.bus import Bus
from booking_server.clock import Clock
from booking_server.errors import ProblemError
from booking_server.metrics import Metrics
from booking_server.ratelimit import RateLimiter
from booking_server.settings import Settings
from booking_server.store import Store, UserRecord
from booking_server.throttle import LoginThrottle


@dataclass(frozen=True, slots=True)
class Services:
    """Everything one app instance works with; built by `create_app`, kept on `app.state`."""

    settings: Settings
    clock: Clock
    store: Store
    bus: Bus
    bookings: BookingService
    hub: Hub
    limiter: RateLimiter
    metrics: Metrics
    # Messages users send over WebSockets.
    ws_limiter: RateLimiter
    login_throttle: LoginThrottle
    signups: RateLimiter  # per client address, far stricter than `limiter`
    availability: AvailabilityService


@dataclass(frozen=True, slots=True)
class Caller:
    user: UserRecord
    token_hash: str


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
_bearer = HTTPBearer(auto_error=False, description="The token from POST /api/v1/auth/login")


def unauthenticated(detail: str) -> ProblemError:
    return ProblemError.of(
        ErrorCode.UNAUTHENTICATED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


def check_rate(services: Services, key: str) -> None:
    wait = services.limiter.take(key)
    if wait is not None:
        raise ProblemError.of(
            ErrorCode.RATE_LIMITED,
            f"too many requests: retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )


async def get_caller(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None:
        raise unauthenticated("sign in and send Authorization: Bearer <token>")
    hashed = token_hash(credentials.credentials)
    user = await services.store.token_user(hashed, services.clock.now())
    if user is None:
        raise unauthenticated("the token is unknown, expired or revoked")
    check_rate(services, f"user:{user.id}")
    return Caller(user, hashed)


CallerDep = Annotated[Caller, Depends(get_caller)]
