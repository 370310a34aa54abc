"""SQLite's write-ahead log is copied back by a background checkpoint, never inside a commit:
SQLite's own autocheckpoint ran in the committing call (a 4-5 ms commit every ~140, seen as
commit → socket spikes in bench figure 1*)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from booking_core.events import BookingUpdated
from booking_core.models import Action, BookingCreate, BookingPatch
from booking_core.state_machine import apply_change, new_booking
from booking_server.store.sqlite import CHECKPOINT_EVERY, SqliteStore

pytestmark = pytest.mark.asyncio
NOW = datetime(2030, 1, 1, tzinfo=UTC)


async def _ignore(events: list[BookingUpdated]) -> None:
    return None


async def test_commits_leave_checkpoints_to_the_background_and_the_wal_stays_small(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bookings.sqlite3"
    store = SqliteStore(path, _ignore)
    await store.open()
    try:
        # The writer never checkpoints on commit.
        async with store.writer() as tx:
            cursor = await tx._db.execute("PRAGMA wal_autocheckpoint")
            assert (await cursor.fetchone()) == (0,)
        request = BookingCreate(
            master_id="m", service="Haircut", starts_at=NOW, ends_at=NOW + timedelta(minutes=30)
        )
        booking = new_booking(
            request, booking_id=str(uuid.uuid4()), customer_id="c", actor="c", now=NOW
        )
        async with store.writer() as tx:
            await tx.record(None, booking, Action.CREATE, "c", NOW)
        # Each write is followed by waiting for the checkpoint it may have started, so the count
        # does not depend on how much CPU the background got meanwhile (a loaded machine saw 4).
        for index in range(20 * CHECKPOINT_EVERY):
            note = BookingPatch(note=f"note {index} " + "x" * 500)
            changed = apply_change(booking, Action.RESCHEDULE, actor="c", now=NOW, patch=note)
            async with store.writer() as tx:
                await tx.record(booking, changed, Action.RESCHEDULE, "c", NOW)
            await store.checkpoint_settled()
            booking = changed
        # 1 + 1,000 commits: one checkpoint started (and finished) after every 50.
        assert store.checkpoints == 20
        # Without checkpoints 1,000 such commits grow the WAL past 20 MB; copied back as it
        # goes, it is reused from its start.
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size < 4 * 1024 * 1024
        assert (await store.booking(booking.id)) == booking
    finally:
        await store.close()
    assert not path.with_name(path.name + "-wal").exists()  # the last close checkpointed all
