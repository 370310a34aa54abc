"""Demo data: masters anna and ben, customers carl and dora (password "demo"), and a day of
bookings around now in every status, made through the real state machine so the event log tells
their history. Seeding twice changes nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from booking_core.models import Action, Booking, BookingCreate, Role, Status
from booking_core.state_machine import (
    SYSTEM_ACTOR,
    Allowed,
    apply_change,
    decide,
    new_booking,
    party_of,
)
from booking_server.auth import hash_password
from booking_server.clock import Clock
from booking_server.store import Store, Transaction, UserRecord

DEMO_PASSWORD = "demo"
_NAMESPACE = uuid.UUID("6f1c1c6e-4c55-4f7e-9d0b-7f2a1c3e5b10")


def demo_user_id(username: str) -> str:
    """Stable ids, so the same demo user has the same id in every fresh database."""
    return str(uuid.uuid5(_NAMESPACE, f"user:{username}"))


_USERS = [
    ("anna", Role.MASTER, "Anna Berg"),
    ("ben", Role.MASTER, "Ben Okafor"),
    ("carl", Role.CUSTOMER, "Carl Lind"),
    ("dora", Role.CUSTOMER, "Dora Novak"),
]

# How each status is reached, and who takes each step ("master", "customer" or "system").
_PATHS: dict[Status, list[tuple[Action, str]]] = {
    Status.PENDING: [],
    Status.CONFIRMED: [(Action.ACCEPT, "master")],
    Status.IN_PROGRESS: [(Action.ACCEPT, "master"), (Action.START, "system")],
    Status.COMPLETED: [
        (Action.ACCEPT, "master"),
        (Action.START, "system"),
        (Action.COMPLETE, "system"),
    ],
    Status.DECLINED: [(Action.DECLINE, "master")],
    Status.CANCELLED: [(Action.ACCEPT, "master"), (Action.CANCEL, "customer")],
    Status.NO_SHOW: [(Action.ACCEPT, "master"), (Action.NO_SHOW, "master")],
    Status.EXPIRED: [(Action.EXPIRE, "system")],
}


@dataclass(frozen=True, slots=True)
class _Plan:
    master: str
    customer: str
    service: str
    start_minutes: int  # relative to now, rounded down to the half hour
    minutes: int
    status: Status
    note: str = ""


# Active bookings of one master never overlap; the inactive ones lie in the past or beside them.
# The clock's first step (a start or an end) is at least 30 minutes away, so a fresh demo server
# stays still while a test or a first look runs.
_PLANS = [
    _Plan("anna", "carl", "Haircut", -240, 45, Status.COMPLETED),
    _Plan("anna", "dora", "Beard trim", -180, 30, Status.NO_SHOW, "Did not come"),
    _Plan("anna", "carl", "Colouring", -120, 60, Status.EXPIRED),
    _Plan("anna", "dora", "Haircut", -30, 90, Status.IN_PROGRESS),
    _Plan("anna", "carl", "Haircut", 60, 45, Status.CONFIRMED, "Short on the sides"),
    _Plan("anna", "dora", "Wash and style", 120, 30, Status.PENDING),
    _Plan("anna", "carl", "Beard trim", 180, 30, Status.CANCELLED),
    _Plan("anna", "dora", "Colouring", 240, 90, Status.PENDING, "First visit"),
    _Plan("ben", "dora", "Maths tutoring", -300, 60, Status.COMPLETED),
    _Plan("ben", "carl", "Physics tutoring", -90, 60, Status.DECLINED),
    _Plan("ben", "carl", "Maths tutoring", 60, 60, Status.CONFIRMED),
    _Plan("ben", "dora", "Chemistry tutoring", 150, 60, Status.PENDING),
    _Plan("ben", "carl", "Maths tutoring", 300, 60, Status.CONFIRMED),
]


async def seed_demo(store: Store, clock: Clock) -> bool:
    """Add the demo users and bookings unless they are there; True if it seeded."""
    if await store.user_by_name("anna") is not None:
        return False
    hashes = [await hash_password(DEMO_PASSWORD) for _ in _USERS]
    async with store.writer() as tx:
        if await tx.user_by_name("anna") is not None:
            return False
        for (username, role, display_name), hashed in zip(_USERS, hashes, strict=True):
            await tx.add_user(
                UserRecord(demo_user_id(username), username, role, display_name, hashed)
            )
        now = clock.now()
        base = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
        for index, plan in enumerate(_PLANS):
            await _seed_booking(tx, plan, base, now, index)
    return True


async def _seed_booking(
    tx: Transaction, plan: _Plan, base: datetime, now: datetime, index: int
) -> None:
    starts_at = base + timedelta(minutes=plan.start_minutes)
    master, customer = demo_user_id(plan.master), demo_user_id(plan.customer)
    request = BookingCreate(
        master_id=master,
        service=plan.service,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=plan.minutes),
        note=plan.note,
    )
    booking_id = str(uuid.uuid5(_NAMESPACE, f"booking:{index}"))
    booking = new_booking(
        request, booking_id=booking_id, customer_id=customer, actor=customer, now=now
    )
    await tx.record(None, booking, Action.CREATE, customer, now)
    for action, who in _PATHS[plan.status]:
        actor = {"master": master, "customer": customer, "system": SYSTEM_ACTOR}[who]
        booking = await _step(tx, booking, action, actor, now)


async def _step(
    tx: Transaction, booking: Booking, action: Action, actor: str, now: datetime
) -> Booking:
    decision = decide(
        action, booking.status, party_of(booking, actor), now=now, starts_at=booking.starts_at
    )
    assert isinstance(decision, Allowed), f"demo plan breaks the rules: {decision}"
    changed = apply_change(booking, action, actor=actor, now=now)
    await tx.record(booking, changed, action, actor, now)
    return changed
