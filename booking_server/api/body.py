"""Reading request bodies with a size cap, and parsing them into models after the 404 check."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from booking_core.errors import ErrorCode
from booking_server.api.problems import validation_problem
from booking_server.bookings import Parsed
from booking_server.errors import ProblemError

M = TypeVar("M", bound=BaseModel)


async def read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is over `limit` bytes (the rest is never read nor parsed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(limit: int) -> ProblemError:
    return ProblemError.of(ErrorCode.PAYLOAD_TOO_LARGE, f"the body is over {limit} bytes")


def parse(model: type[M], raw: bytes | None, limit: int) -> Parsed[M]:
    """The model, or the problem to answer with (413, 400 malformed JSON, 422 invalid fields)."""
    if raw is None:
        return too_large(limit)
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        return validation_problem(error)
