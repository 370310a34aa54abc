"""The booking rules applied to the store: every decision is booking_core's, refusals are problems.

Each operation checks in the protocol's order — 404 → 400/413/422 → 428 → 403 → 412 → 409 — and
does its reads, checks and write in one writer transaction, so nothing can change in between.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from booking_core.errors import ErrorCode
from booking_core.models import (
    Action,
    Booking,
    BookingCreate,
    BookingPatch,
    BookingRequest,
    Role,
    TransitionRequest,
)
from booking_core.planning import SLOT_TAKEN, Plan, plan_change, plan_create
from booking_core.state_machine import (
    SYSTEM_ACTOR,
    TRANSITION_ACTIONS,
    Allowed,
    Party,
    Refused,
    apply_change,
    decide,
    due_action,
    party_of,
    patch_action,
)
from booking_server.clock import Clock
from booking_server.errors import ProblemError
from booking_server.slots import catalog_service, check_free_slot, field_error
from booking_server.store import Store, Transaction, UserRecord

if TYPE_CHECKING:
    from booking_core.availability import Service

T = TypeVar("T")
# A parsed request body, or the problem that parsing it raised (answered after the 404 check).
Parsed: TypeAlias = T | ProblemError

# A version has at most this many digits (a PostgreSQL bigint has 19).
MAX_VERSION_DIGITS = 18
# Actions a user may name on the transitions endpoint; expire is refused there with 403 by decide.
_VIA_TRANSITIONS = TRANSITION_ACTIONS | {Action.EXPIRE}


def valid(parsed: Parsed[T]) -> T:
    """The parsed body, or raise the problem that parsing it gave."""
    if isinstance(parsed, ProblemError):
        raise parsed
    return parsed


async def _visible(tx: Transaction, booking_id: str, user: UserRecord) -> Booking:
    booking = await tx.booking(booking_id)
    if booking is None or party_of(booking, user.id) is Party.STRANGER:
        raise ProblemError.of(ErrorCode.NOT_FOUND, "no such booking")
    return booking


def parse_if_match(if_match: str | None) -> int:
    """The version an `If-Match: "<version>"` names (weak `W/` tags are taken as well)."""
    if if_match is None:
        raise ProblemError.of(
            ErrorCode.PRECONDITION_REQUIRED, 'send If-Match: "<version>" of the booking you saw'
        )
    tag = if_match.strip().removeprefix("W/").strip('"')
    # ASCII digits only, and few of them: int() of 4,301 digits raises (issue 13).
    if not (tag.isascii() and tag.isdigit()) or len(tag) > MAX_VERSION_DIGITS:
        raise ProblemError.of(
            ErrorCode.INVALID_REQUEST,
            'If-Match must be "<version>", for example "3"',
            status=400,
            errors=[{"loc": ["header", "If-Match"], "msg": "not a version", "type": "value_error"}],
        )
    return int(tag)


def _planned(plan: Plan | Refused, booking: Booking | None) -> Plan:
    """booking_core's plan, or its refusal as a problem (403, 412, 409 in that order); a 412 and
    a 409 carry the booking as it is."""
    if not isinstance(plan, Refused):
        return plan
    current = None if plan.code is ErrorCode.FORBIDDEN else booking
    raise ProblemError.of(plan.code, plan.detail, current=current)


async def _check_slot(tx: Transaction, plan: Plan, exclude_id: str | None) -> None:
    booking = plan.booking
    if plan.takes_slot and await tx.clashes(
        booking.master_id, booking.starts_at, booking.ends_at, exclude_id
    ):
        raise ProblemError.of(SLOT_TAKEN.code, SLOT_TAKEN.detail)


def _action_of(request: TransitionRequest) -> Action:
    if request.action not in _VIA_TRANSITIONS:
        raise ProblemError.of(
            ErrorCode.INVALID_REQUEST,
            f"{request.action.value} is not a transition: use POST or PATCH /bookings",
            errors=[
                {
                    "loc": ["body", "action"],
                    "msg": f"one of {', '.join(sorted(a.value for a in TRANSITION_ACTIONS))}",
                    "type": "enum",
                }
            ],
        )
    return request.action


class BookingService:
    """Create, transition and patch bookings on behalf of a user, or of the session clock."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def create(self, user: UserRecord, parsed: Parsed[BookingRequest]) -> Booking:
        request = valid(parsed)
        customer_id = await self._check_people(user, request)
        async with self._store.writer() as tx:
            # Availability [extension]: one step per master with its free-slot check.
            await tx.catalog.lock_master(request.master_id)
            create, service = await _resolve(tx, request)
            now = self._clock.now()
            body = create.model_copy(update={"customer_id": customer_id})
            booking_id = str(uuid.uuid4())
            plan = plan_create(
                body,
                booking_id=booking_id,
                actor=user.id,
                role=user.role,
                now=now,
                price=_price(service),
            )
            planned = _planned(plan, None)
            await _check_slot(tx, planned, None)
            if service is not None and user.role is Role.CUSTOMER:
                buffer = timedelta(minutes=service.buffer_after_minutes)
                await check_free_slot(tx.catalog, planned.booking, buffer, now)
            await tx.record(None, planned.booking, Action.CREATE, user.id, now)
        return planned.booking

    async def _check_people(self, user: UserRecord, request: BookingRequest | BookingCreate) -> str:
        """422 for ids that name nobody fitting; the 403 for acting for others comes after."""
        master = await self._store.user_by_id(request.master_id)
        if master is None or master.role is not Role.MASTER:
            raise field_error("master_id", "does not name a master")
        customer_id = request.customer_id
        if customer_id is None:
            if user.role is Role.MASTER:
                raise field_error("customer_id", "a master books for a customer: name them")
            return user.id
        customer = await self._store.user_by_id(customer_id)
        if customer is None or customer.role is not Role.CUSTOMER:
            raise field_error("customer_id", "does not name a customer")
        return customer_id

    async def transition(
        self,
        user: UserRecord,
        booking_id: str,
        parsed: Parsed[TransitionRequest],
        if_match: str | None,
    ) -> Booking:
        async with self._store.writer() as tx:
            booking = await _visible(tx, booking_id, user)
            request = valid(parsed)
            action = _action_of(request)
            expected = parse_if_match(if_match)
            now = self._clock.now()
            plan = plan_change(
                booking, action, user.id, now=now, expected_version=expected, reason=request.reason
            )
            changed = _planned(plan, booking).booking
            await tx.record(booking, changed, action, user.id, now)
        return changed

    async def patch(
        self, user: UserRecord, booking_id: str, parsed: Parsed[BookingPatch], if_match: str | None
    ) -> Booking:
        async with self._store.writer() as tx:
            booking = await _visible(tx, booking_id, user)
            request = valid(parsed)
            expected = parse_if_match(if_match)
            action = patch_action(request)
            now = self._clock.now()
            plan = plan_change(
                booking, action, user.id, now=now, expected_version=expected, patch=request
            )
            planned = _planned(plan, booking)
            if planned.takes_slot:
                await tx.catalog.lock_master(booking.master_id)
            await _check_slot(tx, planned, booking.id)
            changed = planned.booking
            customer = party_of(booking, user.id) is Party.CUSTOMER
            if planned.takes_slot and changed.service_id is not None and customer:
                await _check_free_move(tx, changed, now)
            await tx.record(booking, changed, action, user.id, now)
        return changed

    async def run_due(self) -> int:
        """Take every step the session clock owes at the current time; returns how many."""
        now = self._clock.now()
        steps = 0
        for due in await self._store.due_bookings(now):
            async with self._store.writer() as tx:
                booking = await tx.booking(due.id)
                while booking is not None and (action := due_action(booking, now)) is not None:
                    decision = decide(action, booking.status, Party.SYSTEM, now=now)
                    if not isinstance(decision, Allowed):
                        break
                    changed = apply_change(booking, action, actor=SYSTEM_ACTOR, now=now)
                    await tx.record(booking, changed, action, SYSTEM_ACTOR, now)
                    booking, steps = changed, steps + 1
        return steps

    async def next_due(self) -> datetime | None:
        return await self._store.next_due()


async def _resolve(
    tx: Transaction, request: BookingRequest | BookingCreate
) -> tuple[BookingCreate, Service | None]:
    """The create, with a catalog service's name and duration filled in when it names one."""
    if isinstance(request, BookingCreate):
        if request.service_id is None:
            return request, None
        service = await catalog_service(tx.catalog, request.master_id, request.service_id)
        return request.model_copy(update={"service": service.name}), service
    if request.service_id is None:
        return request.plain(), None
    service = await catalog_service(tx.catalog, request.master_id, request.service_id)
    duration = timedelta(minutes=service.duration_minutes)
    return request.resolved(service.name, duration), service


def _price(service: Service | None) -> tuple[int, str] | None:
    if service is None or service.price_minor is None or service.currency is None:
        return None
    return service.price_minor, service.currency


async def _check_free_move(tx: Transaction, booking: Booking, now: datetime) -> None:
    """A customer moves a booking of a catalog service: the new time must be a free slot."""
    assert booking.service_id is not None
    service = await tx.catalog.service(booking.service_id)
    buffer = timedelta(minutes=service.buffer_after_minutes if service else 0)
    await check_free_slot(tx.catalog, booking, buffer, now)
