"""A prototype of the fix proposed for the sync engine's publish step, to measure before/after.

Today `SyncEngine._publish` replays the whole confirmed state after every input (`visible.replay`
copies N bookings and compares N rows): O(N) per event, ~180 ms at 100k. The prototype publishes
only what the input touched: the bookings written or removed in layer 1 (tracked by a dict that
notes its writes) plus those with queued mutations, before and after. It is a subclass living in
bench/ for measurement only; the fix itself belongs in desktop_app/sync (see docs/benchmarks.md).
It also predicts a change that takes no slot on its own booking instead of a copy of all rows.
"""

from __future__ import annotations

from collections import ChainMap
from typing import Any

from booking_core import Booking
from desktop_app.sync import Intent, Reschedule, RowsChanged, SyncEngine, Transition, VisibleBooking
from desktop_app.sync.visible import action_of, predict


class TrackingDict(dict[str, Booking]):
    """A dict that remembers which keys were written or removed since `touched` was cleared."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.touched: set[str] = set()

    def __setitem__(self, key: str, value: Booking) -> None:
        self.touched.add(key)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.touched.add(key)
        super().__delitem__(key)

    def pop(self, key: str, *default: Any) -> Any:
        self.touched.add(key)
        return super().pop(key, *default)


class IncrementalEngine(SyncEngine):
    """SyncEngine whose publish step costs O(changed + queued) instead of O(all bookings)."""

    _queued_before: frozenset[str] = frozenset()

    def _on_intent(self, intent: Intent) -> None:
        """Today `_on_intent` copies every visible row into a dict to predict one change (O(N),
        ~57 ms at 100k). A change that takes no slot needs only its own booking: predict it on
        a one-row view. (The fix in the engine: pass a read-only Mapping view of the visible
        bookings instead of a copy; `clashes` only iterates for slot-taking changes.)"""
        if isinstance(intent, Transition) or (
            isinstance(intent, Reschedule) and intent.patch.starts_at is None
        ):
            every = self._visible
            row = every.get(intent.booking_id)
            self._visible = {} if row is None else {intent.booking_id: row}
            try:
                super()._on_intent(intent)
            finally:
                self._visible = every
        else:
            super()._on_intent(intent)

    def _publish(self) -> None:
        state: Any = self._state
        books = state.bookings
        queued = frozenset(m.booking_id for m in self._queue)
        if not isinstance(books, TrackingDict):  # first publish, or a restore replaced the dict
            state.bookings = TrackingDict(books)
            super()._publish()
            self._queued_before = queued
            return
        dirty = books.touched | queued | self._queued_before
        books.touched = set()
        self._queued_before = queued
        self._publish_rows(books, dirty)
        self._publish_rest()

    def _publish_rows(self, books: TrackingDict, dirty: set[str] | frozenset[str]) -> None:
        overlay: dict[str, Booking] = {}
        view = ChainMap(overlay, books)  # reads fall through to layer 1 without copying it
        pending: set[str] = set()
        actions = {}
        for mutation in self._queue:
            pending.add(mutation.booking_id)
            result = predict(
                view,
                mutation.booking_id,
                mutation.intent,
                self.user,
                now=self.now,
                made_at=mutation.made_at,
            )
            if isinstance(result, Booking):
                overlay[mutation.booking_id] = result
                actions[mutation.booking_id] = action_of(mutation.intent)
        visible: dict[str, VisibleBooking] = self._visible
        inserted, updated, removed = set(), set(), set()
        for booking_id in dirty:
            booking = view.get(booking_id)
            old = visible.get(booking_id)
            if booking is None:
                if old is not None:
                    del visible[booking_id]
                    removed.add(booking_id)
                continue
            is_pending, action = booking_id in pending, actions.get(booking_id)
            if (
                old is not None
                and old.booking is booking
                and old.pending == is_pending
                and old.pending_action == action
            ):
                continue
            row = VisibleBooking(booking, is_pending, action)
            if old is None:
                inserted.add(booking_id)
            elif old == row:
                continue
            else:
                updated.add(booking_id)
            visible[booking_id] = row
        if inserted or updated or removed:
            self._out.append(
                RowsChanged(frozenset(inserted), frozenset(updated), frozenset(removed))
            )

    def _publish_rest(self) -> None:
        """The unchanged tail of SyncEngine._publish: outbox, status, wakeup."""
        from desktop_app.sync import OutboxChanged, ScheduleWakeup, SyncStatusChanged

        out = self._out
        outbox = self.outbox
        if outbox != self._published_outbox:
            self._published_outbox = outbox
            out.append(OutboxChanged(outbox))
        status = self._derive_status()
        if status != self._status:
            self._status = status
            out.append(SyncStatusChanged(status))
        wakeup = self._next_wakeup()
        if wakeup is not None and wakeup != self._wakeup:
            out.append(ScheduleWakeup(wakeup))
        self._wakeup = wakeup
