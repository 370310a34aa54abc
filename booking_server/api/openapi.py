"""OpenAPI helpers: request bodies we parse ourselves, and the problem answers of each route."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
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


TIMES_RULE = "ends_at > starts_at, at most 12 hours later; both with a UTC offset (else 422)."


def body_of(model: type[BaseModel], rule: str | None = None) -> dict[str, Any]:
    """Document a JSON body that the route reads itself (to check 404 before validating it);
    `rule`: what the schema cannot say (a check across fields)."""
    schema = model.model_json_schema()
    if rule is not None:
        schema["description"] = f"{schema.get('description', '')}\n\n{rule}".strip()
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


# Headers the routes read themselves (their checks come after 404, or answer 400 not 422), as
# the document shows them: (name, required on these methods, schema additions).
_HEADERS: dict[str, tuple[frozenset[str], dict[str, Any]]] = {
    "if-match": (frozenset({"patch", "post"}), {"maxLength": 40}),
    "idempotency-key": (frozenset(), {"minLength": 1, "maxLength": 255}),
}


def document(app: FastAPI) -> None:
    """Install an OpenAPI generator that states the header rules the routes check themselves:
    If-Match required (428 without it), the Idempotency-Key's length."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            for operations in spec.get("paths", {}).values():
                for method, operation in operations.items():
                    for parameter in operation.get("parameters", []):
                        rule = _HEADERS.get(str(parameter.get("name", "")).lower())
                        if rule is None or parameter.get("in") != "header":
                            continue
                        required_on, schema = rule
                        if method in required_on:
                            parameter["required"] = True
                        parameter["schema"] = {"type": "string", **schema}
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
