"""Demo data: masters anna and ben, customers carl and dora (password "demo"), and a day of
bookings around now in every status, made through the real state machine so the event log tells
their history; each master's services and working hours (with a lunch break and days off).
Seeding twice changes nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from booking_core.availability import ScheduleUpdate, ServiceCreate, WeeklySchedule, new_service
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


# Availability [extension]: (time zone, weekly hours, services: name, minutes, price in cents,
# buffer after). Anna: Monday to Friday with a lunch break, Saturday mornings, Sunday off; Ben:
# Monday to Thursday with a break, Friday to Sunday off.
_CATALOG: dict[
    str, tuple[str, dict[str, list[tuple[str, str]]], list[tuple[str, int, int, int]]]
] = {
    "anna": (
        "Europe/Berlin",
        {
            **{
                d: [("09:00", "13:00"), ("14:00", "18:00")]
                for d in ("mon", "tue", "wed", "thu", "fri")
            },
            "sat": [("10:00", "14:00")],
        },
        [
            ("Haircut", 45, 3500, 15),
            ("Beard trim", 30, 1800, 0),
            ("Colouring", 90, 7000, 15),
            ("Wash and style", 30, 2500, 0),
        ],
    ),
    "ben": (
        "America/New_York",
        {d: [("08:00", "12:00"), ("13:00", "17:00")] for d in ("mon", "tue", "wed", "thu")},
        [
            ("Maths tutoring", 60, 4500, 10),
            ("Physics tutoring", 60, 4500, 10),
            ("Chemistry tutoring", 60, 4500, 10),
        ],
    ),
}


async def seed_demo(store: Store, clock: Clock) -> bool:
    """Add the demo users and bookings unless they are there, and the masters' services and
    hours unless they have some; True if it seeded anything."""
    seeded = await _seed_people(store, clock)
    async with store.writer() as tx:
        catalog = await _seed_catalog(tx)
    return seeded or catalog


async def _seed_catalog(tx: Transaction) -> bool:
    seeded = False
    for username, (zone, weekly, offered) in _CATALOG.items():
        master = demo_user_id(username)
        if await tx.user_by_name(username) is None:
            continue
        # Locked before looking: processes starting together seed it once.
        await tx.catalog.lock_master(master)
        if await tx.catalog.schedule(master) is not None:
            continue
        update = ScheduleUpdate.model_validate({"time_zone": zone, "weekly": weekly})
        await tx.catalog.save_schedule(master, WeeklySchedule(**update.model_dump(), version=1))
        for name, minutes, cents, buffer in offered:
            create = ServiceCreate(
                name=name,
                duration_minutes=minutes,
                price_minor=cents,
                currency="USD" if zone.startswith("America/") else "EUR",
                buffer_after_minutes=buffer,
            )
            service_id = str(uuid.uuid5(_NAMESPACE, f"service:{username}:{name}"))
            service = new_service(create, service_id=service_id, master_id=master)
            await tx.catalog.save_service(service, new=True)
        seeded = True
    return seeded


async def _seed_people(store: Store, clock: Clock) -> bool:
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
