"""Layer 2 of the engine: the ordered queue of the user's changes not yet confirmed by the server.

Each change is first of its booking or waits behind it (one request in flight per booking); a
change that takes a time slot also waits for every change queued before it, which may free it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from booking_core import Booking, BookingPatch
from desktop_app.sync.intents import Create, Intent, Reschedule
from desktop_app.sync.outbox import OutboxEntry


@dataclass(slots=True)
class Mutation:
    """A queued change: the mutable twin of `OutboxEntry`, plus timing kept in memory only.

    `base` is the server booking the change builds on (If-Match is its version once sent);
    `sent` means the server may have it, so it is only ever resent identically.
    """

    key: str
    intent: Intent
    booking_id: str
    made_at: datetime
    base: Booking | None = None
    sent: bool = False
    first_sent_at: datetime | None = None
    request_id: str | None = None
    retry_at: datetime | None = None
    attempts: int = 0  # failed attempts, for the backoff
    failures: int = 0  # those that count towards max_retries: the server was reachable
    conflicted: bool = False  # answered 412 once: someone else changed the booking meanwhile
    hold_for_fetch: bool = False  # 412 without the current booking: wait for a fetch

    def entry(self) -> OutboxEntry:
        return OutboxEntry(
            self.key,
            self.intent,
            self.booking_id,
            self.made_at,
            self.base,
            self.sent,
            self.first_sent_at,
        )

    @classmethod
    def restore(cls, entry: OutboxEntry) -> Mutation:
        return cls(
            entry.key,
            entry.intent,
            entry.booking_id,
            entry.made_at,
            entry.base,
            entry.sent,
            entry.first_sent_at,
        )

    @property
    def takes_slot(self) -> bool:
        intent = self.intent
        return isinstance(intent, Create) or (
            isinstance(intent, Reschedule) and intent.patch.starts_at is not None
        )

    def overtaken(self, current: Booking) -> bool:
        """Whether someone else changed a field this PATCH sets since it was based."""
        base = self.base
        if not isinstance(self.intent, Reschedule) or base is None:
            return False
        if base.version == current.version:
            return False
        names = self.intent.patch.model_dump(exclude_none=True).keys()
        return any(getattr(base, name) != getattr(current, name) for name in names)


class MutationQueue:
    """The changes in the order the user made them."""

    def __init__(self) -> None:
        self._items: list[Mutation] = []

    def __iter__(self) -> Iterator[Mutation]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def restore(self, entries: Iterable[OutboxEntry]) -> None:
        self._items.extend(Mutation.restore(entry) for entry in entries)

    def append(self, mutation: Mutation) -> None:
        self._items.append(mutation)

    def remove(self, mutation: Mutation) -> None:
        self._items.remove(mutation)

    def entries(self) -> tuple[OutboxEntry, ...]:
        return tuple(m.entry() for m in self._items)

    def by_key(self, key: str) -> Mutation | None:
        return next((m for m in self._items if m.key == key), None)

    def of(self, booking_id: str) -> list[Mutation]:
        return [m for m in self._items if m.booking_id == booking_id]

    def tail(self, booking_id: str) -> Mutation | None:
        mine = self.of(booking_id)
        return mine[-1] if mine else None

    def heads(self) -> list[Mutation]:
        """The first change of each booking, in queue order: the ones that may go out."""
        seen: set[str] = set()
        heads = []
        for mutation in self._items:
            if mutation.booking_id not in seen:
                seen.add(mutation.booking_id)
                heads.append(mutation)
        return heads

    def in_turn(self, mutation: Mutation) -> bool:
        """A slot-taking change goes only when first of all: an earlier one may free its slot."""
        return not mutation.takes_slot or self._items[0] is mutation

    def sending(self) -> bool:
        return any(m.request_id is not None for m in self._items)

    def merge_edit(self, booking_id: str, patch: BookingPatch) -> bool:
        """Fold an edit into the booking's last change if that is an edit not sent yet."""
        tail = self.tail(booking_id)
        if tail is None or tail.sent or not isinstance(tail.intent, Reschedule):
            return False
        fields = tail.intent.patch.model_dump(exclude_none=True) | patch.model_dump(
            exclude_none=True
        )
        tail.intent = Reschedule(booking_id, BookingPatch.model_validate(fields))
        return True

    def rename(self, client_id: str, booking_id: str) -> None:
        """A created booking got its server id: changes queued on the client id follow it."""
        for mutation in self.of(client_id):
            mutation.booking_id = booking_id
            if not isinstance(mutation.intent, Create):
                mutation.intent = replace(mutation.intent, booking_id=booking_id)

    def rebase(self, booking: Booking) -> None:
        """Our own change was confirmed: the booking's unsent changes now build on it."""
        for mutation in self.of(booking.id):
            if not mutation.sent:
                mutation.base = booking
