"""An in-memory reference server built on booking_core, speaking the REST part of the protocol.

It answers `SendRequest`s the way docs/protocol.md says (check order, idempotency replay, versions,
event log with a global seq, delta sync with 410), so engine tests can run against it instead of a
mock. It is deliberately small and synchronous: the tests decide when a request "arrives".

[extension] With `catalog` (the default) it also serves a master's catalog as "Availability" says:
services, the weekly schedule (If-Match versions, 412 with `current_version`), time off, and a
note of every master whose catalog changed (`availability_log`, for `availability:updated`).
Without, those paths answer 404, as a server without the extension does.
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
from booking_core.availability import (
    ScheduleUpdate,
    Service,
    ServiceCreate,
    ServicePatch,
    TimeOff,
    TimeOffCreate,
    WeeklySchedule,
    default_schedule,
    new_service,
    patched_service,
)
from booking_core.planning import clashes, plan_change, plan_create

PREFIX = "/api/v1/bookings"
API = "/api/v1/"


@dataclass(frozen=True)
class Response:
    status: int
    body: object | None
    headers: Mapping[str, str] = field(default_factory=dict)


def problem(code: ErrorCode, detail: str | None = None, **extra: Any) -> Response:
    body = Problem.of(code, detail, **extra).model_dump(mode="json", exclude_none=True)
    return Response(body["status"], body)


def invalid(exc: ValidationError) -> Response:
    """422 invalid_request naming the fields, as the server's validation errors do."""
    errors = [
        {
            "loc": ["body", *map(str, e["loc"])],
            "field": str(e["loc"][0]) if e["loc"] else "",
            "msg": e["msg"],
            "type": e["type"],
        }
        for e in exc.errors()
    ]
    return problem(ErrorCode.INVALID_REQUEST, "invalid fields", errors=errors)


class Catalogs:
    """Masters' services, schedules and time off, as the server's availability routes keep them."""

    def __init__(self) -> None:
        self.services: dict[str, Service] = {}  # in the order created
        self.schedules: dict[str, WeeklySchedule] = {}
        self.time_off: dict[str, TimeOff] = {}
        self.log: list[str] = []  # the master of every change: `availability:updated`
        # What each change applied, named (a service's or a time off's name or note, the hours'
        # minimum notice, "rm:<id>"): the stateful tests tell from it what happened, and how often.
        self.applied: list[str] = []
        self._ids = itertools.count(1)

    def new_id(self, kind: str) -> str:
        return f"{kind}-{next(self._ids)}"

    def add_service(self, master_id: str, create: ServiceCreate) -> Service:
        service = new_service(create, service_id=self.new_id("svc"), master_id=master_id)
        self.services[service.id] = service
        self.log.append(master_id)
        self.applied.append(service.name)
        return service

    def patch_service(self, service_id: str, patch: ServicePatch) -> Service:
        changed = patched_service(self.services[service_id], patch)
        self.services[service_id] = changed
        self.log.append(changed.master_id)
        if patch.name is not None:
            self.applied.append(patch.name)
        return changed

    def schedule(self, master_id: str) -> WeeklySchedule:
        return self.schedules.get(master_id) or default_schedule()

    def put_schedule(self, master_id: str, update: ScheduleUpdate) -> WeeklySchedule:
        version = self.schedule(master_id).version + 1
        schedule = WeeklySchedule(**update.model_dump(), version=version)
        self.schedules[master_id] = schedule
        self.log.append(master_id)
        self.applied.append(f"hours-{update.min_notice_minutes}")
        return schedule

    def add_time_off(self, master_id: str, create: TimeOffCreate) -> TimeOff:
        item = TimeOff(id=self.new_id("off"), master_id=master_id, **create.model_dump())
        self.time_off[item.id] = item
        self.log.append(master_id)
        self.applied.append(item.note)
        return item

    def remove_time_off(self, time_off_id: str) -> None:
        item = self.time_off.pop(time_off_id)
        self.log.append(item.master_id)
        self.applied.append(f"rm:{time_off_id}")


class ReferenceServer:
    """Bookings, an event log and idempotency records; every change goes through booking_core."""

    def __init__(self, *, catalog: bool = True) -> None:
        self.catalog = catalog  # serves the availability extension
        self.catalogs = Catalogs()
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
        if not url.path.startswith(PREFIX):
            if not self.catalog:
                return problem(ErrorCode.NOT_FOUND)
            return self._catalog(user, method, url.path.removeprefix(API).split("/"), body, headers)
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

    # --- the catalog [extension] ---------------------------------------------------------------

    def _catalog(
        self,
        user: UserPublic,
        method: str,
        parts: list[str],
        body: object | None,
        headers: Mapping[str, str],
    ) -> Response:
        catalogs = self.catalogs
        match method, parts:
            case "GET", ["masters", master_id, "services"]:
                found = [s for s in catalogs.services.values() if s.master_id == master_id]
                if user.id != master_id:
                    found = [s for s in found if s.active]
                return Response(200, {"services": [s.model_dump(mode="json") for s in found]})
            case "POST", ["services"]:
                if user.role.value != "master":
                    return problem(ErrorCode.FORBIDDEN)
                try:
                    create = ServiceCreate.model_validate(body)
                except ValidationError as exc:
                    return invalid(exc)
                made = catalogs.add_service(user.id, create)
                return Response(201, made.model_dump(mode="json"), {"ETag": '"1"'})
            case "PATCH", ["services", service_id]:
                service = catalogs.services.get(service_id)
                if service is None:
                    return problem(ErrorCode.NOT_FOUND)
                try:
                    patch = ServicePatch.model_validate(body)
                except ValidationError as exc:
                    return invalid(exc)
                if service.master_id != user.id:
                    return problem(ErrorCode.FORBIDDEN)
                stale = self._stale(headers, service.version)
                if stale is not None:
                    return stale
                try:
                    changed = catalogs.patch_service(service_id, patch)
                except ValueError as exc:
                    errors = [
                        {
                            "loc": ["body", "price_minor"],
                            "field": "price_minor",
                            "msg": str(exc),
                            "type": "value_error",
                        }
                    ]
                    return problem(ErrorCode.INVALID_REQUEST, str(exc), errors=errors)
                return Response(200, changed.model_dump(mode="json"))
            case "GET", ["masters", master_id, "schedule"]:
                if user.id != master_id:
                    return problem(ErrorCode.FORBIDDEN)
                return Response(200, catalogs.schedule(master_id).model_dump(mode="json"))
            case "PUT", ["masters", master_id, "schedule"]:
                try:
                    update = ScheduleUpdate.model_validate(body)
                except ValidationError as exc:
                    return invalid(exc)
                if user.id != master_id:
                    return problem(ErrorCode.FORBIDDEN)
                stale = self._stale(headers, catalogs.schedule(master_id).version)
                if stale is not None:
                    return stale
                schedule = catalogs.put_schedule(master_id, update)
                return Response(200, schedule.model_dump(mode="json"))
            case "GET", ["masters", master_id, "time-off"]:
                if user.id != master_id:
                    return problem(ErrorCode.FORBIDDEN)
                offs = [t for t in catalogs.time_off.values() if t.master_id == master_id]
                return Response(200, {"time_off": [t.model_dump(mode="json") for t in offs]})
            case "POST", ["masters", master_id, "time-off"]:
                try:
                    create_off = TimeOffCreate.model_validate(body)
                except ValidationError as exc:
                    return invalid(exc)
                if user.id != master_id:
                    return problem(ErrorCode.FORBIDDEN)
                item = catalogs.add_time_off(master_id, create_off)
                return Response(201, item.model_dump(mode="json"))
            case "DELETE", ["time-off", time_off_id]:
                known = catalogs.time_off.get(time_off_id)
                if known is None or known.master_id != user.id:
                    return problem(ErrorCode.NOT_FOUND)
                catalogs.remove_time_off(time_off_id)
                return Response(204, None)
        return problem(ErrorCode.NOT_FOUND)

    def _stale(self, headers: Mapping[str, str], version: int) -> Response | None:
        if_match = headers.get("If-Match")
        if if_match is None:
            return problem(ErrorCode.PRECONDITION_REQUIRED)
        tag = if_match.strip('"')
        if not tag.isdigit() or int(tag) != version:
            return problem(ErrorCode.VERSION_CONFLICT, current_version=version)
        return None

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
