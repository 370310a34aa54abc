"""OpenAPI helpers: request bodies we parse ourselves, and the problem answers of each route."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from booking_core.errors import Problem

_WHY = {
    400: "Malformed request (invalid_request)",
    401: "Not signed in (unauthenticated)",
    403: "Not allowed (forbidden)",
    404: "No such booking, or not yours (not_found)",
    409: "invalid_transition, slot_taken or request_in_progress",
    410: "The cursor is older than the event log keeps (cursor_expired)",
    412: "If-Match is stale (version_conflict); `current` holds the booking",
    413: "Body over the limit (payload_too_large)",
    422: "Invalid fields (invalid_request) or idempotency_key_reused",
    428: "If-Match missing (precondition_required)",
    429: "Too many requests (rate_limited); see Retry-After",
}


def PROBLEMS(*statuses: int) -> dict[int | str, dict[str, Any]]:  # noqa: N802 - reads as a constant
    return {
        status: {
            "model": Problem,
            "description": _WHY[status],
            "content": {"application/problem+json": {}},
        }
        for status in statuses
    }


def body_of(model: type[BaseModel]) -> dict[str, Any]:
    """Document a JSON body that the route reads itself (to check 404 before validating it)."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }
