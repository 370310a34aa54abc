"""A booking's history as this window has seen it: every confirmed version change (from live
events, replies and reloads) with who made it and what it changed, newest first.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from PySide6.QtCore import QCoreApplication

from booking_core import SYSTEM_ACTOR, Booking
from desktop_app.sync import VisibleBooking
from desktop_app.ui.statuses import status_label, time_range

KEPT = 20  # entries per booking


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    version: int
    at: str  # local "HH:MM" of the change on the server (updated_at)
    who: str
    what: str

    def text(self) -> str:
        return f"{self.at}  {self.who}: {self.what}"


def describe_change(before: Booking | None, after: Booking) -> str:
    """What changed between two versions, in plain words."""
    if before is None:
        return QCoreApplication.translate("History", "created as %s") % status_label(after.status)
    parts = []
    if before.status != after.status:
        parts.append(f"{status_label(before.status)} → {status_label(after.status)}")
    if (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at):
        parts.append(QCoreApplication.translate("History", "moved to %s") % time_range(after))
    if before.note != after.note:
        parts.append(QCoreApplication.translate("History", "note changed"))
    if after.reason and after.reason != before.reason:
        parts.append(QCoreApplication.translate("History", "reason: %s") % after.reason)
    return ", ".join(parts) or QCoreApplication.translate("History", "updated")


class BookingHistory:
    """Feed it every change (`record`); read `entries(booking_id)`, newest first."""

    def __init__(self, name: Callable[[str], str]) -> None:
        self._name = name
        # (before, after) pairs, put into words only when read: a load of 100k bookings records
        # their creations, and formatting each at once would cost a third of a second at start.
        self._changes: dict[str, deque[tuple[Booking, Booking]]] = defaultdict(
            lambda: deque(maxlen=KEPT)
        )
        self._created: dict[str, Booking] = {}  # first seen at version 1: a creation
        self._confirmed: dict[str, Booking] = {}  # the last server-confirmed version seen
        # The rows of a first record of every row at once (a load), read per booking only when
        # needed: recording 100k loaded rows one by one cost ~0.15 s before the first paint.
        self._loaded: dict[str, VisibleBooking] = {}

    def entries(self, booking_id: str) -> list[HistoryEntry]:
        changes = self._changes.get(booking_id, ())
        entries = [self._entry(before, after) for before, after in reversed(changes)]
        created = self._created.get(booking_id)
        if created is None:
            loaded = self._loaded_booking(booking_id)
            created = loaded if loaded is not None and loaded.version == 1 else None
        if created is not None:
            entries.append(self._entry(None, created))
        return entries[:KEPT]

    def record(self, ids: Iterable[str], after: Mapping[str, VisibleBooking]) -> None:
        """Keep the confirmed changes among `ids`; optimistic (pending) states are not history.

        A booking first seen at version 1 was created then; one first seen later (a load) only
        sets the baseline, since what happened before is unknown here.
        """
        if not self._confirmed and not self._loaded and _every_row(ids, after):
            self._loaded = after.copy() if isinstance(after, dict | MappingProxyType) else {}
            if self._loaded:
                return
        for booking_id in ids:
            row = after.get(booking_id)
            if row is None or row.pending:
                continue
            booking = row.booking
            known = self._confirmed.get(booking_id)
            if known is None:
                known = self._loaded_booking(booking_id)
            if known is not None and booking.version <= known.version:
                continue
            self._confirmed[booking_id] = booking
            if known is not None:
                self._changes[booking_id].append((known, booking))
            elif booking.version == 1:
                self._created[booking_id] = booking

    def _loaded_booking(self, booking_id: str) -> Booking | None:
        """The confirmed booking a first bulk record saw (None: none, or a pending row)."""
        row = self._loaded.get(booking_id)
        return None if row is None or row.pending else row.booking

    def _entry(self, before: Booking | None, after: Booking) -> HistoryEntry:
        who = (
            QCoreApplication.translate("History", "schedule")
            if after.updated_by == SYSTEM_ACTOR
            else self._name(after.updated_by)
        )
        at = after.updated_at.astimezone().strftime("%H:%M")
        return HistoryEntry(after.version, at, who, describe_change(before, after))


def _every_row(ids: Iterable[str], after: Mapping[str, VisibleBooking]) -> bool:
    """Whether `ids` are exactly the rows of `after` (compared at C speed)."""
    if not isinstance(ids, set | frozenset) or len(ids) != len(after):
        return False
    return after.keys() >= ids
