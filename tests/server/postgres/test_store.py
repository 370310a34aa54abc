"""The PostgreSQL store on a real database, below the HTTP layer: the exclusion constraint refuses
an overlap the service's own check missed, seqs commit in order, the schema is set up once by
processes racing to open a fresh database, abandoned Idempotency-Key claims free up, and
overlapping writers for one master take turns (no deadlock in the exclusion constraint)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import pytest_asyncio

from booking_core.events import BookingUpdated
from booking_core.models import Action, Booking, BookingCreate, Role
from booking_core.state_machine import apply_change, new_booking
from booking_server.errors import ConfigurationError
from booking_server.store import ClaimInProgress, ClaimStarted, SlotTakenError, UserRecord
from booking_server.store.postgres import PostgresStore

pytestmark = pytest.mark.asyncio
NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
MASTER, CUSTOMER = "master-1", "customer-1"


class Published:
    """What the store hands to `on_commit`, in the order it does."""

    def __init__(self) -> None:
        self.batches: list[list[BookingUpdated]] = []

    async def __call__(self, events: list[BookingUpdated]) -> None:
        self.batches.append(events)


@pytest_asyncio.fixture
async def store(postgres_url: str) -> AsyncIterator[PostgresStore]:
    opened = PostgresStore(postgres_url, Published())
    await opened.open()
    yield opened
    await opened.close()


def _booking(start_minutes: int, minutes: int = 60, master: str = MASTER) -> Booking:
    starts_at = NOW + timedelta(minutes=start_minutes)
    request = BookingCreate(
        master_id=master,
        service="Haircut",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
    )
    return new_booking(
        request, booking_id=str(uuid.uuid4()), customer_id=CUSTOMER, actor=CUSTOMER, now=NOW
    )


async def _write(store: PostgresStore, booking: Booking) -> BookingUpdated:
    """Record a new booking without the service's overlap check: only the database decides."""
    async with store.writer() as tx:
        return await tx.record(None, booking, Action.CREATE, CUSTOMER, NOW)


async def test_the_database_refuses_an_overlap_the_check_missed(store: PostgresStore) -> None:
    first = await _write(store, _booking(0))
    with pytest.raises(SlotTakenError):
        await _write(store, _booking(30))
    # Half-open intervals touch without overlapping; another master's diary is another matter.
    await _write(store, _booking(60))
    await _write(store, _booking(30, master="master-2"))
    # An inactive booking holds no slot, and rescheduling into a taken slot is refused too.
    cancelled = apply_change(first.booking, Action.CANCEL, actor=MASTER, now=NOW)
    async with store.writer() as tx:
        await tx.record(first.booking, cancelled, Action.CANCEL, MASTER, NOW)
    late = await _write(store, _booking(120))
    moved = late.booking.model_copy(update={"starts_at": NOW + timedelta(minutes=90)})
    with pytest.raises(SlotTakenError):
        async with store.writer() as tx:
            await tx.record(late.booking, moved, Action.RESCHEDULE, MASTER, NOW)
    assert await store.booking(late.booking.id) == late.booking


async def _until(condition: Callable[[], Awaitable[bool]]) -> None:
    """Poll a database condition, bounded."""
    async with asyncio.timeout(10):
        while not await condition():  # noqa: ASYNC110 (no event exists for another backend's lock)
            await asyncio.sleep(0.01)


async def test_a_later_seq_never_commits_before_an_earlier_one(
    store: PostgresStore, postgres_url: str
) -> None:
    watcher = await asyncpg.connect(postgres_url)

    async def second_waits_for_a_lock() -> bool:
        waiting = await watcher.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(waiting)

    try:
        async with store.writer() as tx:
            first = await tx.record(None, _booking(0), Action.CREATE, CUSTOMER, NOW)
            second = asyncio.create_task(_write(store, _booking(600)))
            await _until(second_waits_for_a_lock)
            # The second writer holds a seq only once the first one is done (read from another
            # connection: inside the writer's task the store reads through the writer).
            seq = "SELECT value FROM meta WHERE key = 'seq'"
            assert await watcher.fetchval(seq) == first.seq - 1
            assert await watcher.fetchval("SELECT count(*) FROM events") == first.seq - 1
        assert (await second).seq == first.seq + 1
    finally:
        await watcher.close()
    assert [e.seq for e in await store.events_after(first.seq - 1, 10)] == [
        first.seq,
        first.seq + 1,
    ]


async def test_processes_racing_to_open_a_fresh_database_set_it_up_once(
    postgres_url: str,
) -> None:
    stores = [PostgresStore(postgres_url, Published()) for _ in range(4)]
    await asyncio.gather(*(s.open() for s in stores))
    try:
        for s in stores:
            assert await s.cursor() == 0
        await _write(stores[0], _booking(0))
        assert await stores[3].cursor() == 1
    finally:
        for s in stores:
            await s.close()


async def test_a_database_from_a_newer_server_is_refused(
    store: PostgresStore, postgres_url: str
) -> None:
    await store.close()
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute("UPDATE meta SET value = 99 WHERE key = 'schema_version'")
    finally:
        await admin.close()
    with pytest.raises(ConfigurationError, match="newer server"):
        await PostgresStore(postgres_url, Published()).open()


async def _claim(store: PostgresStore, now: datetime, expired_before: datetime) -> object:
    """Claim key "k" and commit without an answer (as a server before this one could leave)."""
    async with store.writer() as tx:
        return await tx.claim_key("u", "k", "f", now, expired_before)


async def test_a_claim_whose_request_never_finished_frees_up(store: PostgresStore) -> None:
    long_ago = NOW - timedelta(days=2)
    assert await _claim(store, NOW, long_ago) == ClaimStarted()
    # Another process must not take over a running request...
    assert await _claim(store, NOW + timedelta(seconds=5), long_ago) == ClaimInProgress()
    # ...but one whose process died long ago never stores its answer: the key is free again.
    assert await _claim(store, NOW + timedelta(minutes=5), long_ago) == ClaimStarted()


async def test_overlapping_writers_for_one_master_take_turns(
    store: PostgresStore, postgres_url: str
) -> None:
    """The deadlock of issue 13: two creates both passed the overlap check (neither saw the
    other's uncommitted row), both inserted, and in the exclusion constraint each waited for the
    other. A second writer's check must wait for the first writer and see its result."""
    watcher = await asyncpg.connect(postgres_url)

    async def second_is_done_or_waits() -> bool:
        waiting = await watcher.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return second.done() or bool(waiting)

    async def check_then_write(booking: Booking) -> bool:
        async with store.writer() as tx:
            if await tx.clashes(booking.master_id, booking.starts_at, booking.ends_at, None):
                return False
            await tx.record(None, booking, Action.CREATE, CUSTOMER, NOW)
            return True

    try:
        async with store.writer() as tx:
            first = _booking(0)
            assert not await tx.clashes(MASTER, first.starts_at, first.ends_at, None)
            await tx.record(None, first, Action.CREATE, CUSTOMER, NOW)
            second = asyncio.create_task(check_then_write(_booking(30)))
            await _until(second_is_done_or_waits)
        # The second check ran after the first writer committed, and found its booking.
        assert await second is False
    finally:
        await watcher.close()


async def test_token_expiry_is_read_back(store: PostgresStore) -> None:
    await store.add_user(UserRecord("customer-9", "tina", Role.CUSTOMER, "Tina", "not-a-real-hash"))
    expires = NOW + timedelta(hours=1)
    await store.add_token("hash-1", "customer-9", expires)
    assert await store.token_expires_at("hash-1") == expires
    assert await store.token_expires_at("no-such-hash") is None
