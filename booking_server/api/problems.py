"""Problem+json answers for refusals, validation failures and framework errors."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from booking_core.errors import ErrorCode, Problem
from booking_server.errors import ProblemError
from booking_server.store import CursorExpiredError, SlotTakenError, StoreBusyError, StoreError

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
# Every problem's `type` is this followed by its code (booking_core.errors.Problem.of).
PROBLEM_TYPES = "https://reservations.example/problems/"


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> Response:
    body = problem.model_dump_json(exclude_none=True)
    return Response(body, problem.status, headers=headers, media_type=PROBLEM_JSON)


def field_errors(errors: list[Any], prefix: tuple[str, ...] = ("body",)) -> list[dict[str, Any]]:
    """Pydantic's errors as JSON-safe dicts: `loc`, a dotted `field`, `msg` and `type`."""
    out = []
    for error in errors:
        loc = [part if isinstance(part, int) else str(part) for part in error["loc"]]
        out.append(
            {
                "loc": [*prefix, *loc],
                "field": ".".join(str(part) for part in loc) or prefix[-1],
                "msg": error["msg"],
                "type": error["type"],
            }
        )
    return out


def validation_problem(error: ValidationError) -> ProblemError:
    """Malformed JSON is a 400, JSON that breaks the model a 422; both list the errors."""
    errors = error.errors(include_url=False, include_context=False, include_input=False)
    malformed = any(e["type"] == "json_invalid" for e in errors)
    detail = "the body is not valid JSON" if malformed else "the request has invalid fields"
    return ProblemError.of(
        ErrorCode.INVALID_REQUEST,
        detail,
        status=400 if malformed else 422,
        errors=field_errors(list(errors)),
    )


_CODE_OF_STATUS = {
    401: ErrorCode.UNAUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
}


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(exc.problem, exc.headers)


async def _on_request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [{**e, "loc": tuple(e["loc"])} for e in exc.errors()]
    problem = Problem.of(
        ErrorCode.INVALID_REQUEST,
        "the request has invalid parameters",
        errors=field_errors(errors, prefix=()),
    )
    return problem_response(problem)


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _CODE_OF_STATUS.get(exc.status_code, ErrorCode.INVALID_REQUEST)
    problem = Problem.of(code, str(exc.detail)).model_copy(update={"status": exc.status_code})
    return problem_response(problem, dict(exc.headers or {}))


def refusal_of(error: StoreError) -> ProblemError | None:
    """The problem a storage error stands for when it refuses the request (None: not a
    refusal, e.g. a busy database)."""
    if isinstance(error, SlotTakenError):
        return ProblemError.of(
            ErrorCode.SLOT_TAKEN, "the master already has a booking at this time"
        )
    if isinstance(error, CursorExpiredError):
        return ProblemError.of(
            ErrorCode.CURSOR_EXPIRED, "fetch the full list: GET /api/v1/bookings"
        )
    return None


async def _on_store_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StoreError)
    refusal = refusal_of(exc)
    if refusal is None:
        return await _on_unexpected(request, exc)
    return problem_response(refusal.problem, refusal.headers)


# The client's retry waits at least this long after a 503 `unavailable`.
BUSY_RETRY_AFTER = "1"


async def _on_store_busy(request: Request, exc: Exception) -> Response:
    log.warning("database busy", extra={"path": request.url.path, "error": str(exc)})
    problem = Problem.of(ErrorCode.UNAVAILABLE, str(exc))
    return problem_response(problem, {"Retry-After": BUSY_RETRY_AFTER})


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error", extra={"path": request.url.path})
    problem = Problem(
        type=f"{PROBLEM_TYPES}internal_error",
        title="Internal server error",
        status=500,
        code="internal_error",
        detail="the server failed to answer",
    )
    return problem_response(problem)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_request_validation)
    app.add_exception_handler(HTTPException, _on_http_exception)
    app.add_exception_handler(StoreBusyError, _on_store_busy)
    app.add_exception_handler(StoreError, _on_store_error)
    app.add_exception_handler(Exception, _on_unexpected)
