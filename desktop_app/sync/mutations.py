"""Layer 2 of the engine: the user's changes not yet confirmed, in order, each a state machine.

Theory of operation (as `h11/_state.py` keeps it: every move is a row of one table).

A change (`Mutation`) is in one `MutationState`; an outcome (`Step`) moves it along `TRANSITIONS`,
and `Mutation.step` refuses any move not in the table (that is a bug of ours, not the server's):

    QUEUED ──SENT──▶ IN_FLIGHT ──CONFIRMED / DROPPED──▶ DONE
      ▲  ▲              │ ├──FAILED / ABANDONED──▶ WAITING_RETRY ──SENT──▶ IN_FLIGHT
      │  └──CONFLICTED──┘ └──CONFLICTED_UNSEEN──▶ HELD_FOR_FETCH
      └────────────────────FETCHED─────────────────────┘

- QUEUED: not sent under its current Idempotency-Key. Before it goes it is re-checked against the
  newest server state (it may be DROPPED then) and sent with the newest version in If-Match.
- IN_FLIGHT: one request out (`request_id`, answered or failed by `deadline`).
- WAITING_RETRY: sent under this key, so the server may have applied it: it is only ever resent
  identically (same key, same If-Match), from `retry_at` on (None: at its turn). A late answer to
  an expired request still counts (CONFIRMED, CONFLICTED, DROPPED). A restored outbox entry that
  was sent starts here.
- HELD_FOR_FETCH: answered 412 without the current booking: it waits for a fetch (FETCHED).
- DONE: confirmed or dropped, and out of the queue.

A 412 (CONFLICTED) makes a new QUEUED change: a new key (the old key's stored answer is that 412
forever), re-checked like any unsent change. `sent` (persisted in the outbox) means "the server may
have it": IN_FLIGHT or WAITING_RETRY.

Order: a change is sent only when it is the first of its booking in the queue (one request out per
booking); a change that takes a time slot also waits for every change before it, which may free it.
Retry policy is two pure functions: `retry_delay` (full-jitter backoff) and `given_up` (stale after
`stale_after`, or more than `max_retries` failures while the server was reachable).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from booking_core import Booking, BookingPatch
from desktop_app.sync.config import SyncConfig
from desktop_app.sync.intents import Create, Intent, Reschedule
from desktop_app.sync.outbox import OutboxEntry


class MutationState(Enum):
    QUEUED = "queued"
    IN_FLIGHT = "in flight"
    WAITING_RETRY = "waiting retry"
    HELD_FOR_FETCH = "held for fetch"
    DONE = "done"


class Step(Enum):
    """What happened to a change: the inputs of its state machine."""

    SENT = "sent"
    CONFIRMED = "confirmed"  # a 2xx
    DROPPED = "dropped"  # refused, gone, given up, or no longer applies
    FAILED = "failed"  # no answer in time, a transport error, or a retryable status
    ABANDONED = "abandoned"  # signed out with the request out: its answer will never be read
    CONFLICTED = "conflicted"  # 412 with the current booking
    CONFLICTED_UNSEEN = "conflicted unseen"  # 412 without it
    FETCHED = "fetched"  # a fetch answered: the current booking is known now


_Q, _F, _W, _H, _D = (
    MutationState.QUEUED,
    MutationState.IN_FLIGHT,
    MutationState.WAITING_RETRY,
    MutationState.HELD_FOR_FETCH,
    MutationState.DONE,
)

TRANSITIONS: dict[tuple[MutationState, Step], MutationState] = {
    (_Q, Step.SENT): _F,
    (_Q, Step.DROPPED): _D,
    (_F, Step.CONFIRMED): _D,
    (_F, Step.DROPPED): _D,
    (_F, Step.FAILED): _W,
    (_F, Step.ABANDONED): _W,
    (_F, Step.CONFLICTED): _Q,
    (_F, Step.CONFLICTED_UNSEEN): _H,
    (_W, Step.SENT): _F,
    (_W, Step.CONFIRMED): _D,  # a late answer to an expired request
    (_W, Step.DROPPED): _D,
    (_W, Step.CONFLICTED): _Q,
    (_W, Step.CONFLICTED_UNSEEN): _H,
    (_H, Step.FETCHED): _Q,
    (_H, Step.DROPPED): _D,
}


class IllegalStepError(RuntimeError):
    """A step the table has no row for: the engine's bug."""


@dataclass(slots=True)
class Mutation:
    """A queued change: the mutable twin of `OutboxEntry`, plus its state and timing in memory.

    `base` is the server booking the change builds on (If-Match is its version once sent).
    """

    key: str
    intent: Intent
    booking_id: str
    made_at: datetime
    base: Booking | None = None
    state: MutationState = MutationState.QUEUED
    first_sent_at: datetime | None = None
    request_id: str | None = None  # IN_FLIGHT: the request out
    sent_at: datetime | None = None  # IN_FLIGHT: when it left
    deadline: datetime | None = None  # IN_FLIGHT: counts as failed after this
    retry_at: datetime | None = None  # WAITING_RETRY: not before this
    attempts: int = 0  # failed attempts, for the backoff
    failures: int = 0  # those that count towards max_retries: the server was reachable
    conflicted: bool = False  # answered 412 once: someone else changed the booking meanwhile

    def step(self, step: Step) -> MutationState:
        """Move along the table (and clear what the old state kept); IllegalStepError if no row."""
        state = TRANSITIONS.get((self.state, step))
        if state is None:
            raise IllegalStepError(f"{step.value} in state {self.state.value}")
        if self.state is MutationState.IN_FLIGHT:
            self.request_id = self.sent_at = self.deadline = None
        if state is not MutationState.WAITING_RETRY:
            self.retry_at = None
        self.state = state
        return state

    @property
    def sent(self) -> bool:
        """The server may have it: it is only ever resent identically."""
        return self.state in (MutationState.IN_FLIGHT, MutationState.WAITING_RETRY)

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
        state = MutationState.WAITING_RETRY if entry.sent else MutationState.QUEUED
        return cls(
            entry.key,
            entry.intent,
            entry.booking_id,
            entry.made_at,
            entry.base,
            state,
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

    def sending(self, request_id: str, now: datetime, timeout: timedelta) -> None:
        """QUEUED or WAITING_RETRY → IN_FLIGHT with this request."""
        self.step(Step.SENT)
        self.request_id, self.sent_at, self.deadline = request_id, now, now + timeout
        if self.first_sent_at is None:
            self.first_sent_at = now

    def conflicting(self, new_key: str, current_known: bool) -> None:
        """412: nothing changed on the server; a new, unsent change under a new key."""
        self.step(Step.CONFLICTED if current_known else Step.CONFLICTED_UNSEEN)
        self.key = new_key
        self.attempts = self.failures = 0
        self.conflicted = True


def retry_delay(config: SyncConfig, attempts: int, rng: random.Random) -> timedelta:
    """Full jitter under the `attempts`-th ceiling of the backoff."""
    growth = config.backoff_factor ** max(0, attempts - 1)
    return min(config.backoff_max, config.backoff_initial * growth) * rng.random()


class Tried(Protocol):
    """What `given_up` reads of a change (a booking's `Mutation` or a catalog change)."""

    @property
    def first_sent_at(self) -> datetime | None: ...
    @property
    def failures(self) -> int: ...


def given_up(
    mutation: Tried, config: SyncConfig, now: datetime, last_contact: datetime | None
) -> bool:
    """Given up on only when the server was reachable since we first sent: offline, we wait."""
    first = mutation.first_sent_at
    if first is None or last_contact is None or last_contact <= first:
        return False
    return now - first >= config.stale_after or mutation.failures > config.max_retries


class MutationQueue:
    """The changes in the order the user made them, with the requests they have out."""

    def __init__(self) -> None:
        self._items: list[Mutation] = []
        self._late: dict[str, str] = {}  # expired request id -> key, for answers after a timeout

    def __iter__(self) -> Iterator[Mutation]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def restore(self, entries: Iterable[OutboxEntry]) -> None:
        self._items.extend(Mutation.restore(entry) for entry in entries)

    def append(self, mutation: Mutation) -> None:
        self._items.append(mutation)

    def finish(self, mutation: Mutation, step: Step) -> None:
        """CONFIRMED or DROPPED: out of the queue, and late answers to its key are forgotten."""
        mutation.step(step)
        self._items.remove(mutation)
        self.forget_late(mutation.key)

    def entries(self) -> tuple[OutboxEntry, ...]:
        return tuple(m.entry() for m in self._items)

    def by_key(self, key: str) -> Mutation | None:
        return next((m for m in self._items if m.key == key), None)

    def in_flight(self, request_id: str) -> Mutation | None:
        return next((m for m in self._items if m.request_id == request_id), None)

    def expire(self, request_id: str, mutation: Mutation) -> None:
        """Its request is given up on (failed or timed out); an answer may still come."""
        self._late[request_id] = mutation.key
        mutation.step(Step.FAILED)

    def late(self, request_id: str) -> Mutation | None:
        """The change an expired request was for, if still queued; forgets the request."""
        key = self._late.pop(request_id, None)
        return self.by_key(key) if key is not None else None

    def forget_late(self, key: str) -> None:
        for request_id in [rid for rid, k in self._late.items() if k == key]:
            del self._late[request_id]

    def overdue(self, now: datetime) -> list[Mutation]:
        return [m for m in self._items if m.deadline is not None and m.deadline <= now]

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
        return any(m.state is MutationState.IN_FLIGHT for m in self._items)

    def fetched(self) -> None:
        for mutation in self._items:
            if mutation.state is MutationState.HELD_FOR_FETCH:
                mutation.step(Step.FETCHED)

    def abandon(self) -> None:
        """Signed out: no answer to a request out will be read."""
        self._late.clear()
        for mutation in self._items:
            if mutation.state is MutationState.IN_FLIGHT:
                mutation.step(Step.ABANDONED)

    def hurry(self) -> None:
        """Retry now rather than at `retry_at`."""
        for mutation in self._items:
            mutation.retry_at = None

    def retry_times(self) -> list[datetime]:
        return [m.retry_at for m in self._items if m.retry_at is not None]

    def deadlines(self) -> list[datetime]:
        return [m.deadline for m in self._items if m.deadline is not None]

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

    def service_renamed(self, client_id: str, service_id: str) -> None:
        """A catalog service created here got its server id: unsent creates booked on it name
        that id now (one sent already names what it was sent with, and is resent so)."""
        for mutation in self._items:
            intent = mutation.intent
            if (
                isinstance(intent, Create)
                and intent.body.service_id == client_id
                and not mutation.sent
            ):
                body = intent.body.model_copy(update={"service_id": service_id})
                mutation.intent = Create(intent.client_id, body)

    def rebase(self, booking: Booking) -> None:
        """Our own change was confirmed: the booking's unsent changes now build on it."""
        for mutation in self.of(booking.id):
            if not mutation.sent:
                mutation.base = booking
