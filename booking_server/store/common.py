"""What both SQL stores share: the writer a task already holds, the cursor check of delta sync,
the reading of a stored Idempotency-Key, and the statuses the session clock looks for."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import TypeVar

from booking_core.models import Status
from booking_server.store.base import (
    Claim,
    ClaimInProgress,
    ClaimReused,
    CursorExpiredError,
    StoredResponse,
)

T = TypeVar("T")

# The writer transaction the running task holds: the store (or pool) it belongs to, the
# transaction, and the task. Tasks started meanwhile inherit the variable, not the transaction.
_AMBIENT: ContextVar[tuple[object, object, object] | None] = ContextVar(
    "booking_writer", default=None
)


def ambient(owner: object, kind: type[T]) -> T | None:
    """The writer transaction of `owner` that this task holds, if any (see store/base.py)."""
    current = _AMBIENT.get()
    if current is None or current[0] is not owner or current[2] is not asyncio.current_task():
        return None
    transaction = current[1]
    assert isinstance(transaction, kind)
    return transaction


@contextmanager
def entered(owner: object, transaction: object) -> Iterator[None]:
    """Make `transaction` this task's writer of `owner` for the block."""
    token = _AMBIENT.set((owner, transaction, asyncio.current_task()))
    try:
        yield
    finally:
        _AMBIENT.reset(token)


def check_since(since: int, top: int, floor: int) -> None:
    """Delta sync from `since` needs every event after it: none pruned (floor) and none from a
    future the database never had (top: the database was reset)."""
    if since < floor or since > top:
        raise CursorExpiredError(since)


# A claimed Idempotency-Key without an answer (written by a server before answers were committed
# with their change, whose process died) is free again after this long.
ABANDONED = timedelta(seconds=60)


def free_again(
    created_at: datetime, answered: bool, now: datetime, expired_before: datetime
) -> bool:
    """Expired after its answer was stored, or claimed by a request that never finished."""
    if answered:
        return created_at < expired_before
    return created_at < now - ABANDONED


def claim_of(
    stored_fingerprint: str,
    fingerprint: str,
    status: int | None,
    body: bytes | None,
    media_type: str | None,
    headers: str | None,
) -> Claim:
    """What a kept key means for a request with `fingerprint`."""
    if stored_fingerprint != fingerprint:
        return ClaimReused()
    if status is None or body is None:
        return ClaimInProgress()
    return StoredResponse(status, bytes(body), media_type or "", json.loads(headers or "{}"))


# booking_core.due_action as the stores select it: at starts_at these statuses move (start,
# expire), at ends_at these (complete).
DUE_AT_START = (Status.PENDING.value, Status.CONFIRMED.value)
DUE_AT_END = (Status.IN_PROGRESS.value,)
