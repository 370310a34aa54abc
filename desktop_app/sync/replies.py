"""Reading HTTP answers: what the engine should do with a status code and a problem body.

Pure classification, like h11's tables: retry later (transport-ish: 408, 425, 429, 5xx,
request_in_progress), refresh (412 version_conflict, 410 cursor_expired), give up and tell the user
(403, 404, 409, 422, ...), or sign in again (401).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from pydantic import ValidationError

from booking_core import Booking, ErrorCode


class Verdict(Enum):
    OK = "ok"
    RETRY = "retry"
    CONFLICT = "conflict"
    GONE = "gone"
    REFUSED = "refused"
    CURSOR_EXPIRED = "cursor_expired"
    SIGN_IN = "sign_in"


@dataclass(frozen=True, slots=True)
class Reply:
    verdict: Verdict
    code: str
    current: Booking | None = None
    retry_after: timedelta | None = None
    # 429/503 or a Retry-After: the server is busy, not failing; it says when to come back.
    busy: bool = False


_RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_BUSY_STATUSES = frozenset({429, 503})


def read_reply(status: int, headers: Mapping[str, str], body: object | None) -> Reply:
    """Classify one HTTP answer; unknown shapes degrade to the status code's meaning."""
    code = _code_of(body)
    if 200 <= status < 300:
        return Reply(Verdict.OK, "ok")
    if status == 401:
        return Reply(Verdict.SIGN_IN, ErrorCode.UNAUTHENTICATED.value)
    if status in _RETRY_STATUSES or status >= 500 or code == ErrorCode.REQUEST_IN_PROGRESS:
        after = _retry_after(headers)
        busy = status in _BUSY_STATUSES or after is not None
        return Reply(Verdict.RETRY, code or str(status), retry_after=after, busy=busy)
    if status == 412:
        return Reply(Verdict.CONFLICT, ErrorCode.VERSION_CONFLICT.value, current=_current_of(body))
    if status == 404:
        return Reply(Verdict.GONE, ErrorCode.NOT_FOUND.value)
    if status == 410:
        return Reply(Verdict.CURSOR_EXPIRED, ErrorCode.CURSOR_EXPIRED.value)
    return Reply(Verdict.REFUSED, code or _default_code(status), current=_current_of(body))


def _default_code(status: int) -> str:
    return {
        403: ErrorCode.FORBIDDEN.value,
        409: ErrorCode.INVALID_TRANSITION.value,
        413: ErrorCode.PAYLOAD_TOO_LARGE.value,
        428: ErrorCode.PRECONDITION_REQUIRED.value,
    }.get(status, ErrorCode.INVALID_REQUEST.value)


def _code_of(body: object | None) -> str | None:
    if isinstance(body, Mapping):
        code = body.get("code")
        if isinstance(code, str):
            return code
    return None


def _current_of(body: object | None) -> Booking | None:
    if not isinstance(body, Mapping) or body.get("current") is None:
        return None
    try:
        return Booking.model_validate(body["current"])
    except ValidationError:
        return None


def _retry_after(headers: Mapping[str, str]) -> timedelta | None:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return timedelta(seconds=max(0.0, float(value)))
            except ValueError:
                return None
    return None
