"""Idempotency-Key handling around a mutation: replay the stored answer, refuse reuse, store.

Runs right after authentication (401 comes first), before any other check: a repeat with the same
key and body gets the first answer — status, body, ETag — whatever has changed since.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response

from booking_core.errors import ErrorCode
from booking_server.api.deps import Caller, Services
from booking_server.api.problems import problem_response
from booking_server.errors import ProblemError
from booking_server.store import ClaimInProgress, ClaimReused, ClaimStarted, StoredResponse

MAX_KEY = 255
_KEPT_HEADERS = ("etag", "location")
Operation = Callable[[], Awaitable[Response]]


def fingerprint(request: Request, raw: bytes | None) -> str:
    """Same method, path and JSON body (key order and spacing aside) give the same fingerprint."""
    if raw is None:
        body = "too-large"
    else:
        try:
            body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"))
        except ValueError:
            body = "raw:" + hashlib.sha256(raw).hexdigest()
    text = f"{request.method} {request.url.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _stored(response: Response) -> bool:
    """Every answer is kept except 401, 429 and 5xx (those may well succeed when retried)."""
    return response.status_code not in (401, 429) and response.status_code < 500


async def _answer(operation: Operation) -> Response:
    try:
        return await operation()
    except ProblemError as error:
        return problem_response(error.problem, error.headers)


async def idempotent(
    services: Services, caller: Caller, request: Request, raw: bytes | None, operation: Operation
) -> Response:
    key = request.headers.get("idempotency-key")
    if key is None:
        return await _answer(operation)
    if not key or len(key) > MAX_KEY:
        raise ProblemError.of(
            ErrorCode.INVALID_REQUEST,
            f"Idempotency-Key must be 1..{MAX_KEY} characters",
            status=400,
        )
    now = services.clock.now()
    ttl = timedelta(seconds=services.settings.idempotency_ttl_seconds)
    user_id = caller.user.id
    claim = await services.store.claim_key(user_id, key, fingerprint(request, raw), now, now - ttl)
    if isinstance(claim, StoredResponse):
        headers = {**claim.headers, "Idempotent-Replayed": "true"}
        return Response(claim.body, claim.status, headers=headers, media_type=claim.media_type)
    if isinstance(claim, ClaimReused):
        raise ProblemError.of(
            ErrorCode.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used with another request"
        )
    if isinstance(claim, ClaimInProgress):
        raise ProblemError.of(
            ErrorCode.REQUEST_IN_PROGRESS, "the first request with this key is still running"
        )
    assert isinstance(claim, ClaimStarted)
    try:
        response = await _answer(operation)
    except BaseException:
        await services.store.release_key(user_id, key)
        raise
    if not _stored(response):
        await services.store.release_key(user_id, key)
        return response
    headers = {k: v for k, v in response.headers.items() if k in _KEPT_HEADERS}
    stored = StoredResponse(
        response.status_code, bytes(response.body), response.media_type or "", headers
    )
    await services.store.finish_key(user_id, key, stored)
    return response
