"""A booking's history: the server's event log of it (fetched when its details are shown, kept for
offline) and, after the log's last change, every confirmed version change this window has seen
since, with who made it and what it changed, newest first.

Who and what come from where the change was learned, never from comparing rows:
- someone else's change: the server's event, as the controller's `remote_changed` forwards it
  (`record_remote`): its actor, its action and the fields it names in `changes`;
- our own change, confirmed by the server's reply: the action we asked for (seen on the pending
  row, `record`), when the server's booking says we made it;
- a change learned only from a fetch or reload (missed while offline, say): the server said only
  the new state, so the entry gives the new status and no actor;
- the server's log (`record_log`): each event's actor, action, changed fields and time; the
  booking after each event is its creation's fields with every later change laid over them.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pydantic
from PySide6.QtCore import QCoreApplication

from booking_core import SYSTEM_ACTOR, Action, Booking, Status
from booking_core.history import HistoryEvent, HistoryList
from desktop_app.sync import RemoteChange, VisibleBooking
from desktop_app.ui.statuses import action_label, status_label, time_range

KEPT = 20  # entries per booking
_TIMES = frozenset({"starts_at", "ends_at"})


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    version: int
    at: str  # local "HH:MM" of the change on the server (updated_at)
    who: str  # "" when unknown (a change learned from a fetch)
    what: str

    def text(self) -> str:
        return f"{self.at}  {self.who}: {self.what}" if self.who else f"{self.at}  {self.what}"


@dataclass(frozen=True, slots=True)
class _Change:
    """One confirmed change, put into words only when read."""

    before: Status | None  # the confirmed status before it (None: a creation)
    after: Booking
    actor: str | None  # None: unknown
    fields: frozenset[str] | None  # what it changed (None: unknown, only the new state is)


def describe_change(before: Status | None, after: Booking, fields: Collection[str] | None) -> str:
    """A change in plain words: `fields` are the names it changed (None: unknown, say the new
    status), `before` the status it left (None: it created the booking)."""
    if before is None:
        return QCoreApplication.translate("History", "created as %s") % status_label(after.status)
    if fields is None:
        return status_label(after.status)
    parts = []
    if "status" in fields:
        parts.append(f"{status_label(before)} → {status_label(after.status)}")
    if not _TIMES.isdisjoint(fields):
        parts.append(QCoreApplication.translate("History", "moved to %s") % time_range(after))
    if "note" in fields:
        parts.append(QCoreApplication.translate("History", "note changed"))
    if "reason" in fields and after.reason:
        parts.append(QCoreApplication.translate("History", "reason: %s") % after.reason)
    return ", ".join(parts) or QCoreApplication.translate("History", "updated")


def _fields_of(action: Action, before: Status, after: Booking) -> frozenset[str]:
    """What our own confirmed `action` changed: what the action is for, and the status when the
    server's rules moved it (a reschedule reopening a request)."""
    if action is Action.RESCHEDULE:
        fields = _TIMES
    elif action is Action.UPDATE:
        fields = frozenset({"note"})
    else:
        fields = frozenset({"status", "reason"})
    return fields | {"status"} if before is not after.status else fields


class BookingHistory:
    """Feed it every change: `record` (rows) and `record_remote` (others' changes); read
    `entries(booking_id)`, newest first."""

    def __init__(self, name: Callable[[str], str], me: Callable[[], str | None]) -> None:
        self._name = name
        self._me = me  # the signed-in user's id
        self._changes: dict[str, deque[_Change]] = defaultdict(lambda: deque(maxlen=KEPT))
        self._created: dict[str, Booking] = {}  # first seen at version 1: a creation
        self._confirmed: dict[str, Booking] = {}  # the last server-confirmed version seen
        self._asked: dict[str, Action] = {}  # our own change waiting for the server, by booking
        # The rows of a first record of every row at once (a load), read per booking only when
        # needed: recording 100k loaded rows one by one cost ~0.15 s before the first paint.
        self._loaded: dict[str, VisibleBooking] = {}
        self._logs: dict[str, HistoryList] = {}  # the server's log of a booking, as last fetched

    def record_log(self, booking_id: str, history: HistoryList) -> None:
        """The booking's history from the server's event log (replaces the one given before)."""
        self._logs[booking_id] = history

    def entries(self, booking_id: str) -> list[HistoryEntry]:
        """The server's log first, then what this window saw after the log's last change."""
        seen = self._seen_entries(booking_id)
        log = self._logs.get(booking_id)
        if log is None or not log.events:
            return seen
        logged, last_version = self._log_entries(booking_id, log.events)
        return ([entry for entry in seen if entry.version > last_version] + logged)[:KEPT]

    def _seen_entries(self, booking_id: str) -> list[HistoryEntry]:
        entries = [self._entry(change) for change in reversed(self._changes.get(booking_id, ()))]
        created = self._created.get(booking_id)
        if created is None:
            loaded = self._loaded_booking(booking_id)
            created = loaded if loaded is not None and loaded.version == 1 else None
        if created is not None:
            entries.append(self._entry(_Change(None, created, created.updated_by, None)))
        return entries[:KEPT]

    def record_remote(self, change: RemoteChange) -> None:
        """Someone else's change, as the server's event said (its action, actor and changes)."""
        booking = change.booking
        known = self._known(booking.id)
        if known is not None and booking.version <= known.version:
            return
        self._confirmed[booking.id] = booking
        if known is None or change.action is Action.CREATE:
            if booking.version == 1:
                self._created[booking.id] = booking
            return
        fields = frozenset(change.changes)
        self._changes[booking.id].append(_Change(known.status, booking, change.actor, fields))

    def record(self, ids: Iterable[str], after: Mapping[str, VisibleBooking]) -> None:
        """Keep the confirmed changes among `ids`; optimistic (pending) states are not history,
        but their action is what a confirmation then made.

        A booking first seen at version 1 was created then; one first seen later (a load) only
        sets the baseline, since what happened before is unknown here.
        """
        if not self._confirmed and not self._loaded and _every_row(ids, after):
            self._loaded = after.copy() if isinstance(after, dict | MappingProxyType) else {}
            if self._loaded:
                return
        for booking_id in ids:
            row = after.get(booking_id)
            if row is None:
                continue
            if row.pending:
                if row.pending_action not in (None, Action.CREATE):
                    self._asked[booking_id] = row.pending_action
                continue
            asked = self._asked.pop(booking_id, None)  # confirmed, or undone
            booking = row.booking
            known = self._known(booking_id)
            if known is not None and booking.version <= known.version:
                continue
            self._confirmed[booking_id] = booking
            if known is None:
                if booking.version == 1:
                    self._created[booking_id] = booking
            elif asked is not None and booking.updated_by == self._me():
                fields = _fields_of(asked, known.status, booking)
                self._changes[booking_id].append(
                    _Change(known.status, booking, booking.updated_by, fields)
                )
            else:  # learned from a fetch (or a refusal's current state): only the new state
                self._changes[booking_id].append(_Change(known.status, booking, None, None))

    def _known(self, booking_id: str) -> Booking | None:
        known = self._confirmed.get(booking_id)
        return known if known is not None else self._loaded_booking(booking_id)

    def _loaded_booking(self, booking_id: str) -> Booking | None:
        """The confirmed booking a first bulk record saw (None: none, or a pending row)."""
        row = self._loaded.get(booking_id)
        return None if row is None or row.pending else row.booking

    def _log_entries(
        self, booking_id: str, events: list[HistoryEvent]
    ) -> tuple[list[HistoryEntry], int]:
        """The log's entries, newest first, and the booking's version after its last event."""
        # Before the first event: nothing when it is the creation; else (older events pruned) the
        # booking as known now, so each event's booking still has every field.
        state: dict[str, Any] = {}
        known = self._known(booking_id)
        if events[0].action is not Action.CREATE and known is not None:
            state = known.model_dump(mode="json")
        before: Status | None = None  # unknown (pruned) or none (the creation)
        entries = []
        for event in events:
            state.update(event.changes)
            try:
                after = Booking.model_validate(state)
            except pydantic.ValidationError:
                what = action_label(event.action)
            else:
                if before is None and event.action is not Action.CREATE:
                    what = status_label(after.status)  # changed from what is unknown
                else:
                    what = describe_change(before, after, frozenset(event.changes))
                before = after.status
            at = event.at.astimezone().strftime("%H:%M")
            version = state.get("version")
            entries.append(
                HistoryEntry(
                    version if isinstance(version, int) else 0, at, self._who(event.actor), what
                )
            )
        last = state.get("version")
        return entries[::-1], last if isinstance(last, int) else 0

    def _who(self, actor: str | None) -> str:
        if actor is None:
            return ""
        if actor == SYSTEM_ACTOR:
            return QCoreApplication.translate("History", "schedule")
        return self._name(actor)

    def _entry(self, change: _Change) -> HistoryEntry:
        after = change.after
        at = after.updated_at.astimezone().strftime("%H:%M")
        return HistoryEntry(
            after.version,
            at,
            self._who(change.actor),
            describe_change(change.before, after, change.fields),
        )


def _every_row(ids: Iterable[str], after: Mapping[str, VisibleBooking]) -> bool:
    """Whether `ids` are exactly the rows of `after` (compared at C speed)."""
    if not isinstance(ids, set | frozenset) or len(ids) != len(after):
        return False
    return after.keys() >= ids
