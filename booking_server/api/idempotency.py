"""Idempotency-Key handling around a mutation: replay the stored answer, refuse reuse, store.

Runs right after authentication (401 comes first), before any other check: a repeat with the same
key and request gets the first answer — status, body, ETag — whatever has changed since.

One transaction: the key is claimed, the change made (the booking service's writer joins this
one, see store/base.py), its event written and the answer stored, and all of it commits at once.
A server killed at any moment has either done all of it — a retry replays the answer — or none of
it — the retry runs afresh. There is no window in which the change is kept and its answer lost.

A transaction the database gave up to break a deadlock (StoreConflictError) runs again, a few
times, before the request is answered 503: nothing of it was kept.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import random
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from booking_core.errors import ErrorCode
from booking_server.api.body import parse, read_body
from booking_server.api.deps import Caller, Services
from booking_server.api.problems import problem_response, refusal_of
from booking_server.bookings import Parsed
from booking_server.errors import ProblemError
from booking_server.store import (
    ClaimInProgress,
    ClaimReused,
    ClaimStarted,
    StoreConflictError,
    StoredResponse,
    StoreError,
)

log = logging.getLogger(__name__)
MAX_KEY = 255
# Runs of one request that the database gave up (deadlock, serialization failure) before 503.
ATTEMPTS = 5
_KEPT_HEADERS = ("etag", "location")
Operation = Callable[[], Awaitable[Response]]
M = TypeVar("M", bound=BaseModel)


def _version_tag(if_match: str) -> str:
    """If-Match as the version it names, so `"3"`, `W/"3"` and `3` are one request."""
    return if_match.strip().removeprefix("W/").strip('"')


def fingerprint(request: Request, raw: bytes | None) -> str:
    """Same method, path, If-Match and JSON body (key order and spacing aside) give the same
    fingerprint."""
    if raw is None:
        body = "too-large"
    else:
        try:
            body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"))
        except ValueError:
            body = "raw:" + hashlib.sha256(raw).hexdigest()
    text = f"{request.method} {request.url.path}\n{body}"
    if_match = request.headers.get("if-match")
    if if_match is not None:
        # Without If-Match the text is what servers before it hashed: their keys still match.
        text += f"\nif-match:{_version_tag(if_match)}"
    return hashlib.sha256(text.encode()).hexdigest()


def _stored(response: Response) -> bool:
    """Every answer is kept except 401, 429 and 5xx (those may well succeed when retried)."""
    return response.status_code not in (401, 429) and response.status_code < 500


async def _answer(operation: Operation) -> Response:
    try:
        return await operation()
    except ProblemError as error:
        return problem_response(error.problem, error.headers)
    except StoreError as error:
        refusal = refusal_of(error)
        if refusal is None:
            raise
        return problem_response(refusal.problem, refusal.headers)


class _NotKeptError(Exception):
    """Leaves the key's transaction without keeping anything: the answer is not stored."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY:
        raise ProblemError.of(
            ErrorCode.INVALID_REQUEST,
            f"Idempotency-Key must be 1..{MAX_KEY} characters",
            status=400,
            errors=[
                {
                    "loc": ["header", "Idempotency-Key"],
                    "msg": f"1..{MAX_KEY} characters",
                    "type": "string_length",
                }
            ],
        )


async def idempotent(
    services: Services, caller: Caller, request: Request, raw: bytes | None, operation: Operation
) -> Response:
    key = request.headers.get("idempotency-key")
    if key is not None:
        _check_key(key)
    for attempt in range(ATTEMPTS):
        try:
            if key is None:
                return await _answer(operation)
            return await _keyed(services, caller, request, raw, key, operation)
        except StoreConflictError:
            if attempt + 1 == ATTEMPTS:
                raise
            log.info("transaction given up by the database; running it again")
            # A little jitter, so the transactions that met don't meet again.
            await asyncio.sleep(random.uniform(0, 0.005 * 2**attempt))
    raise AssertionError("unreachable")


async def idempotent_write(
    request: Request,
    caller: Caller,
    services: Services,
    model: type[M],
    act: Callable[[Parsed[M]], Awaitable[Response]],
) -> Response:
    """Every keyed write's shape: read the body (capped at `max_body_bytes`), then, under its
    Idempotency-Key, parse it into `model` and `act` on it. The body is parsed inside the
    operation, as a value (`Parsed`: the model or the problem), so a replayed key answers first
    and the service decides when a bad body is refused (after its 404 checks)."""
    limit = services.settings.max_body_bytes
    raw = await read_body(request, limit)

    async def operation() -> Response:
        return await act(parse(model, raw, limit))

    return await idempotent(services, caller, request, raw, operation)


async def _keyed(
    services: Services,
    caller: Caller,
    request: Request,
    raw: bytes | None,
    key: str,
    operation: Operation,
) -> Response:
    now = services.clock.now()
    ttl = timedelta(seconds=services.settings.idempotency_ttl_seconds)
    user_id = caller.user.id
    try:
        async with services.store.writer() as tx:
            claim = await tx.claim_key(user_id, key, fingerprint(request, raw), now, now - ttl)
            if isinstance(claim, StoredResponse):
                headers = {**claim.headers, "Idempotent-Replayed": "true"}
                return Response(
                    claim.body, claim.status, headers=headers, media_type=claim.media_type
                )
            if isinstance(claim, ClaimReused):
                raise ProblemError.of(
                    ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used with another request",
                )
            if isinstance(claim, ClaimInProgress):
                raise ProblemError.of(
                    ErrorCode.REQUEST_IN_PROGRESS,
                    "the first request with this key is still running",
                )
            assert isinstance(claim, ClaimStarted)
            response = await _answer(operation)
            if not _stored(response):
                raise _NotKeptError(response)
            headers = {k: v for k, v in response.headers.items() if k in _KEPT_HEADERS}
            stored = StoredResponse(
                response.status_code, bytes(response.body), response.media_type or "", headers
            )
            await tx.store_answer(user_id, key, stored)
    except _NotKeptError as not_kept:
        return not_kept.response
    if services.settings.test_crash_after_commit:
        _crash()
    return response


def _crash() -> None:
    """Test-only (BOOKING_TEST_CRASH_AFTER_COMMIT): die as `kill -9` would, right after the
    commit and before the answer is written."""
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
