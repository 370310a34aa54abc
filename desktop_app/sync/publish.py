"""What the engine tells the shell at the end of each input, each only when it changed: the rows
(with their new state, so the shell keeps its own copy), the outbox, the sync status, the wakeup.

Rows are republished incrementally: only those of bookings the input wrote or removed in layer 1
and those with queued mutations (before or after it), so an input costs O(touched + queued), not
O(all bookings); `visible.replay` is the from-scratch reference the tests compare with.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from booking_core import UserPublic
from desktop_app.sync.commands import (
    Command,
    OutboxChanged,
    RowsChanged,
    ScheduleWakeup,
    SyncStatusChanged,
)
from desktop_app.sync.mutations import Mutation
from desktop_app.sync.outbox import OutboxEntry
from desktop_app.sync.server_state import ServerState
from desktop_app.sync.status import SyncReason, SyncState, SyncStatus
from desktop_app.sync.visible import VisibleBooking, refresh, replay


class Publisher:
    """The last published state of everything the shell shows, to publish only differences."""

    def __init__(self) -> None:
        # The rows as shown; the engine's own (a prediction reads other rows), never handed out.
        self.visible: dict[str, VisibleBooking] = {}
        self.status = SyncStatus(SyncState.UPDATING, None, 0, SyncReason.STARTING)
        self.wakeup: datetime | None = None
        self._outbox: tuple[OutboxEntry, ...] = ()
        self.queued: frozenset[str] = frozenset()  # the ids with changes queued, as published

    def rows(
        self, state: ServerState, queue: Iterable[Mutation], user: UserPublic, now: datetime
    ) -> RowsChanged | None:
        """Rebuild the rows this input may have changed: bookings written or removed in layer 1
        and those with queued mutations before or after it (a prediction depends on the time and
        on other bookings). After a restore or a first load, all of them."""
        mutations = list(queue)
        changed = state.take_changes()
        queued = frozenset(m.booking_id for m in mutations)
        if changed is None:
            rows = self._all(state, mutations, user, now)
        else:
            ids = changed | queued | self.queued
            inserted, updated, removed = refresh(
                self.visible, state.bookings, mutations, user, now, ids, state.slots
            )
            fresh = {booking_id: self.visible[booking_id] for booking_id in inserted | updated}
            rows = RowsChanged(inserted, updated, removed, fresh)
        self.queued = queued
        return rows if rows.inserted or rows.updated or rows.removed else None

    def _all(
        self, state: ServerState, mutations: list[Mutation], user: UserPublic, now: datetime
    ) -> RowsChanged:
        before = self.visible
        visible = replay(state.bookings, mutations, user, now, before, state.slots)
        self.visible = dict(visible)  # the engine's copy; `visible` goes out
        if not before:  # the start from a cache: every row is new (no set arithmetic at 100k)
            return RowsChanged(frozenset(visible), frozenset(), frozenset(), visible)
        updated = frozenset(
            k
            for k in visible.keys() & before.keys()
            if visible[k] is not before[k] and visible[k] != before[k]
        )
        inserted = frozenset(visible.keys() - before.keys())
        removed = frozenset(before.keys() - visible.keys())
        fresh = {booking_id: visible[booking_id] for booking_id in inserted | updated}
        return RowsChanged(inserted, updated, removed, fresh)

    def others(
        self, outbox: tuple[OutboxEntry, ...], status: SyncStatus, wakeup: datetime | None
    ) -> list[Command]:
        """The outbox, status and wakeup commands, for those that changed."""
        out: list[Command] = []
        if outbox != self._outbox:
            self._outbox = outbox
            out.append(OutboxChanged(outbox))
        if status != self.status:
            self.status = status
            out.append(SyncStatusChanged(status))
        if wakeup is not None and wakeup != self.wakeup:
            out.append(ScheduleWakeup(wakeup))
        self.wakeup = wakeup
        return out
