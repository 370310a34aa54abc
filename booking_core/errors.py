"""Problem details (RFC 9457) with the protocol's extra `code`, shared by server and client.

The codes split by what the caller should do: retry later (rate_limited, request_in_progress),
refresh and maybe retry (version_conflict, cursor_expired), or give up and tell the user
(forbidden, invalid_transition, slot_taken, not_found, invalid_request).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from booking_core.models import Booking


class ErrorCode(StrEnum):
    INVALID_REQUEST = "invalid_request"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    VERSION_CONFLICT = "version_conflict"
    INVALID_TRANSITION = "invalid_transition"
    SLOT_TAKEN = "slot_taken"
    SLOT_UNAVAILABLE = "slot_unavailable"
    CURSOR_EXPIRED = "cursor_expired"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    PRECONDITION_REQUIRED = "precondition_required"
    RATE_LIMITED = "rate_limited"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    REQUEST_IN_PROGRESS = "request_in_progress"
    INVALID_MESSAGE = "invalid_message"
    UNAVAILABLE = "unavailable"


STATUS_OF: dict[ErrorCode, int] = {
    ErrorCode.INVALID_REQUEST: 422,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.VERSION_CONFLICT: 412,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.SLOT_TAKEN: 409,
    ErrorCode.SLOT_UNAVAILABLE: 409,
    ErrorCode.CURSOR_EXPIRED: 410,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.PRECONDITION_REQUIRED: 428,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: 422,
    ErrorCode.REQUEST_IN_PROGRESS: 409,
    ErrorCode.INVALID_MESSAGE: 400,
    ErrorCode.UNAVAILABLE: 503,
}

TITLE_OF: dict[ErrorCode, str] = {
    ErrorCode.INVALID_REQUEST: "The request is not valid",
    ErrorCode.UNAUTHENTICATED: "Sign-in required",
    ErrorCode.FORBIDDEN: "Not allowed",
    ErrorCode.NOT_FOUND: "Not found",
    ErrorCode.VERSION_CONFLICT: "The booking was changed by someone else",
    ErrorCode.INVALID_TRANSITION: "This change is not possible in the booking's current status",
    ErrorCode.SLOT_TAKEN: "The time slot is already taken",
    ErrorCode.SLOT_UNAVAILABLE: "The time is not a free slot of the master",
    ErrorCode.CURSOR_EXPIRED: "The sync cursor is too old",
    ErrorCode.PAYLOAD_TOO_LARGE: "The request body is too large",
    ErrorCode.PRECONDITION_REQUIRED: "If-Match header required",
    ErrorCode.RATE_LIMITED: "Too many requests",
    ErrorCode.IDEMPOTENCY_KEY_REUSED: "Idempotency-Key reused with another request",
    ErrorCode.REQUEST_IN_PROGRESS: "A request with this Idempotency-Key is still running",
    ErrorCode.INVALID_MESSAGE: "Invalid message",
    ErrorCode.UNAVAILABLE: "The server is busy: try again shortly",
}


class Problem(BaseModel):
    """An `application/problem+json` body. Unknown members are kept: servers may add more."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str = "about:blank"
    title: str
    status: int
    code: ErrorCode | str
    detail: str | None = None
    errors: list[dict[str, Any]] | None = None
    current: Booking | None = None

    @classmethod
    def of(cls, code: ErrorCode, detail: str | None = None, **extra: Any) -> Problem:
        return cls(
            type=f"https://reservations.example/problems/{code.value}",
            title=TITLE_OF[code],
            status=STATUS_OF[code],
            code=code,
            detail=detail,
            **extra,
        )
