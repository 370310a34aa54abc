"""An in-memory reference server built on booking_core, speaking the REST part of the protocol.

It answers `SendRequest`s the way docs/protocol.md says (check order, idempotency replay, versions,
event log with a global seq, delta sync with 410), so engine tests can run against it instead of a
mock. It is deliberately small and synchronous: the tests decide when a request "arrives".
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pydantic import ValidationError

from booking_core import (
    SYSTEM_ACTOR,
    TRANSITION_ACTIONS,
    Action,
    Booking,
    BookingCreate,
    BookingPatch,
    BookingUpdated,
    ErrorCode,
    Problem,
    Refused,
    TransitionRequest,
    UserPublic,
    changes_between,
    patch_action,
)
from booking_core.planning import clashes, plan_change, plan_create

PREFIX = "/api/v1/bookings"


@dataclass(frozen=True)
class Response:
    status: int
    body: object | None
    headers: Mapping[str, str] = field(default_factory=dict)


def problem(code: ErrorCode, detail: str | None = None, **extra: Any) -> Response:
    body = Problem.of(code, detail, **extra).model_dump(mode="json", exclude_none=True)
    return Response(body["status"], body)


class ReferenceServer:
    """Bookings, an event log and idempotency records; every change goes through booking_core."""

    def __init__(self) -> None:
        self.bookings: dict[str, Booking] = {}
        self.log: list[BookingUpdated] = []
        self.oldest_kept = 0  # `since` below this answers 410
        self._keys: dict[tuple[str, str], tuple[str, Response]] = {}
        self._ids = (f"srv-{n}" for n in itertools.count(1))
        self.requests_seen = 0
        self.applied: list[tuple[str, object]] = []  # (user id, request body) of every change made

    @property
    def seq(self) -> int:
        return self.log[-1].seq if self.log else 0

    # --- direct changes (seeding, the other party, the clock) -------------------------------------

    def seed(self, booking: Booking, now: datetime) -> Booking:
        self.bookings[booking.id] = booking
        self._record(None, booking, Action.CREATE, booking.updated_by)
        return booking

    def act(
        self,
        actor: str,
        booking_id: str,
        action: Action,
        now: datetime,
        patch: BookingPatch | None = None,
    ) -> Booking | None:
        """A change made outside the engine under test; None when the rules refuse it."""
        booking = self.bookings.get(booking_id)
        if booking is None:
            return None
        plan = plan_change(booking, action, actor, now=now, patch=patch)
        if isinstance(plan, Refused):
            return None
        after = plan.booking
        if plan.takes_slot and clashes(after, self.bookings.values()):
            return None
        self.bookings[booking_id] = after
        self._record(booking, after, action, actor)
        return after

    def expire_log(self) -> None:
        """Forget old events: a `since` before now answers 410 cursor_expired."""
        self.oldest_kept = self.seq

    # --- queries ----------------------------------------------------------------------------------

    def visible_to(self, user_id: str) -> dict[str, Booking]:
        return {
            bid: b for bid, b in self.bookings.items() if user_id in (b.master_id, b.customer_id)
        }

    def events_for(self, user_id: str, since: int) -> list[BookingUpdated]:
        return [
            e
            for e in self.log
            if e.seq > since and user_id in (e.booking.master_id, e.booking.customer_id)
        ]

    def frames_for(self, user_id: str, since: int, prev_seq: int | None) -> list[BookingUpdated]:
        """`events_for` as one socket sends them: with `prev_seq` given (the seq of the socket's
        previous frame, or its start) each frame names its predecessor [extension]; None: a server
        without the extension."""
        events = self.events_for(user_id, since)
        if prev_seq is None:
            return events
        frames = []
        for event in events:
            frames.append(event.model_copy(update={"prev_seq": prev_seq}))
            prev_seq = event.seq
        return frames

    def applied_by(self, user_id: str) -> list[BookingUpdated]:
        return [e for e in self.log if e.actor == user_id]

    # --- REST -------------------------------------------------------------------------------------

    def request(
        self,
        user: UserPublic,
        method: str,
        path: str,
        body: object | None,
        headers: Mapping[str, str],
        now: datetime,
    ) -> Response:
        self.requests_seen += 1
        key = headers.get("Idempotency-Key")
        if key is None or method == "GET":
            return self._route(user, method, path, body, headers, now)
        fingerprint = json.dumps([method, path, body], sort_keys=True, default=str)
        stored = self._keys.get((user.id, key))
        if stored is not None:
            if stored[0] != fingerprint:
                return problem(ErrorCode.IDEMPOTENCY_KEY_REUSED)
            return stored[1]
        response = self._route(user, method, path, body, headers, now)
        if response.status not in (401, 429) and response.status < 500:
            self._keys[(user.id, key)] = (fingerprint, response)
        return response

    def _route(
        self,
        user: UserPublic,
        method: str,
        path: str,
        body: object | None,
        headers: Mapping[str, str],
        now: datetime,
    ) -> Response:
        url = urlsplit(path)
        parts = url.path.removeprefix(PREFIX).strip("/").split("/")
        if method == "GET" and parts == [""]:
            return self._list(user, parse_qs(url.query))
        if method == "POST" and parts == [""]:
            return self._create(user, body, now)
        if method == "POST" and len(parts) == 2 and parts[1] == "transitions":
            return self._transition(user, parts[0], body, headers, now)
        if method == "PATCH" and len(parts) == 1:
            return self._patch(user, parts[0], body, headers, now)
        return problem(ErrorCode.NOT_FOUND)

    def _list(self, user: UserPublic, query: Mapping[str, list[str]]) -> Response:
        mine = self.visible_to(user.id)
        if "since" in query:
            since = int(query["since"][0])
            if since < self.oldest_kept or since > self.seq:
                return problem(ErrorCode.CURSOR_EXPIRED)
            changed = {e.booking.id for e in self.events_for(user.id, since)}
            mine = {bid: b for bid, b in mine.items() if bid in changed}
        listing = [b.model_dump(mode="json") for b in mine.values()]
        return Response(200, {"bookings": listing, "cursor": self.seq})

    def _create(self, user: UserPublic, body: object | None, now: datetime) -> Response:
        try:
            create = BookingCreate.model_validate(body)
        except ValidationError as exc:
            return problem(ErrorCode.INVALID_REQUEST, str(exc))
        plan = plan_create(
            create, booking_id=next(self._ids), actor=user.id, role=user.role, now=now
        )
        if isinstance(plan, Refused):
            return problem(plan.code, plan.detail)
        booking = plan.booking
        if plan.takes_slot and clashes(booking, self.bookings.values()):
            return problem(ErrorCode.SLOT_TAKEN)
        self.bookings[booking.id] = booking
        self._record(None, booking, Action.CREATE, user.id)
        self.applied.append((user.id, body))
        return Response(201, booking.model_dump(mode="json"))

    def _transition(
        self,
        user: UserPublic,
        booking_id: str,
        body: object | None,
        headers: Mapping[str, str],
        now: datetime,
    ) -> Response:
        booking = self.visible_to(user.id).get(booking_id)
        if booking is None:
            return problem(ErrorCode.NOT_FOUND)
        try:
            request = TransitionRequest.model_validate(body)
        except ValidationError as exc:
            return problem(ErrorCode.INVALID_REQUEST, str(exc))
        if request.action not in TRANSITION_ACTIONS:
            return problem(ErrorCode.INVALID_REQUEST, "not a transition")
        return self._change(
            user, booking, request.action, None, headers, now, body, reason=request.reason
        )

    def _patch(
        self,
        user: UserPublic,
        booking_id: str,
        body: object | None,
        headers: Mapping[str, str],
        now: datetime,
    ) -> Response:
        booking = self.visible_to(user.id).get(booking_id)
        if booking is None:
            return problem(ErrorCode.NOT_FOUND)
        try:
            patch = BookingPatch.model_validate(body)
        except ValidationError as exc:
            return problem(ErrorCode.INVALID_REQUEST, str(exc))
        return self._change(user, booking, patch_action(patch), patch, headers, now, body)

    def _change(
        self,
        user: UserPublic,
        booking: Booking,
        action: Action,
        patch: BookingPatch | None,
        headers: Mapping[str, str],
        now: datetime,
        body: object | None,
        *,
        reason: str | None = None,
    ) -> Response:
        if_match = headers.get("If-Match")
        if if_match is None:
            return problem(ErrorCode.PRECONDITION_REQUIRED)
        tag = if_match.strip('"')
        expected = int(tag) if tag.isdigit() else -1
        plan = plan_change(
            booking,
            action,
            user.id,
            now=now,
            expected_version=expected,
            patch=patch,
            reason=reason,
        )
        if isinstance(plan, Refused):
            current = booking if plan.code is ErrorCode.VERSION_CONFLICT else None
            return problem(plan.code, plan.detail, current=current)
        after = plan.booking
        if plan.takes_slot and clashes(after, self.bookings.values()):
            return problem(ErrorCode.SLOT_TAKEN)
        self.bookings[booking.id] = after
        self._record(booking, after, action, user.id)
        self.applied.append((user.id, body))
        return Response(200, after.model_dump(mode="json"), {"ETag": f'"{after.version}"'})

    # --- internals --------------------------------------------------------------------------------

    def _record(self, old: Booking | None, new: Booking, action: Action, actor: str) -> None:
        event = BookingUpdated(
            seq=self.seq + 1,
            action=action,
            booking=new,
            changes=changes_between(old, new),
            actor=actor if actor else SYSTEM_ACTOR,
        )
        self.log.append(event)
