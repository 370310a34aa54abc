"""Layer 2 of the catalog: the master's catalog changes not yet confirmed, each a state machine.

A `CatalogMutation` moves along the same table as a booking's `Mutation` (`mutations.TRANSITIONS`):
QUEUED (not sent under its key: re-checked and sent with the newest version), IN_FLIGHT,
WAITING_RETRY (sent, so only ever resent identically), HELD_FOR_FETCH (answered 412: waits for
the catalog to be fetched again), DONE. Changes of one object go one at a time, in order; changes
of different objects do not wait for each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from booking_core.availability import Service, ServiceCreate, ServicePatch, WeeklySchedule
from desktop_app.sync.catalog import (
    CatalogIntent,
    CatalogObject,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
    TimeOffAdd,
    TimeOffRemove,
    catalog_target,
    with_target,
)
from desktop_app.sync.catalog_outbox import CatalogEntry
from desktop_app.sync.mutations import TRANSITIONS, IllegalStepError, MutationState, Step


@dataclass(slots=True)
class CatalogMutation:
    """A queued catalog change: the mutable twin of `CatalogEntry`, plus its state and timing."""

    key: str
    intent: CatalogIntent
    target: str
    made_at: datetime
    base: CatalogObject | None = None
    state: MutationState = MutationState.QUEUED
    first_sent_at: datetime | None = None
    request_id: str | None = None
    sent_at: datetime | None = None
    deadline: datetime | None = None
    retry_at: datetime | None = None
    attempts: int = 0
    failures: int = 0
    conflicted: bool = False

    def step(self, step: Step) -> MutationState:
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
        return self.state in (MutationState.IN_FLIGHT, MutationState.WAITING_RETRY)

    def entry(self) -> CatalogEntry:
        return CatalogEntry(
            self.key,
            self.intent,
            self.target,
            self.made_at,
            self.base,
            self.sent,
            self.first_sent_at,
        )

    @classmethod
    def restore(cls, entry: CatalogEntry) -> CatalogMutation:
        state = MutationState.WAITING_RETRY if entry.sent else MutationState.QUEUED
        return cls(
            entry.key,
            entry.intent,
            entry.target,
            entry.made_at,
            entry.base,
            state,
            entry.first_sent_at,
        )

    def sending(self, request_id: str, now: datetime, timeout: timedelta) -> None:
        self.step(Step.SENT)
        self.request_id, self.sent_at, self.deadline = request_id, now, now + timeout
        if self.first_sent_at is None:
            self.first_sent_at = now

    def conflicting(self, new_key: str) -> None:
        """412: nothing changed on the server; once the catalog is fetched again it is re-checked
        and, if it still applies, sent as a new request under a new key."""
        self.step(Step.CONFLICTED_UNSEEN)
        self.key = new_key
        self.attempts = self.failures = 0
        self.conflicted = True

    def overtaken(self, current: CatalogObject | None) -> bool:
        """Whether the object changed on the server since the user's edit was based on it: the
        schedule at all (a PUT replaces it whole), a service in a field this patch sets."""
        base, intent = self.base, self.intent
        if isinstance(intent, ScheduleSet) and isinstance(base, WeeklySchedule):
            return isinstance(current, WeeklySchedule) and base.version != current.version
        if not isinstance(intent, ServiceEdit) or not isinstance(base, Service):
            return False
        if not isinstance(current, Service) or base.version == current.version:
            return False
        return any(
            getattr(base, name) != getattr(current, name) for name in intent.patch.model_fields_set
        )


class CatalogQueue:
    """The catalog changes in the order the user made them, with the requests they have out."""

    def __init__(self) -> None:
        self._items: list[CatalogMutation] = []
        self._late: dict[str, str] = {}  # expired request id -> key

    def __iter__(self) -> Iterator[CatalogMutation]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def intents(self) -> list[CatalogIntent]:
        return [m.intent for m in self._items]

    def restore(self, entries: tuple[CatalogEntry, ...]) -> None:
        self._items.extend(CatalogMutation.restore(entry) for entry in entries)

    def append(self, mutation: CatalogMutation) -> None:
        self._items.append(mutation)

    def remove(self, mutation: CatalogMutation) -> None:
        self._items.remove(mutation)
        self.forget_late(mutation.key)

    def finish(self, mutation: CatalogMutation, step: Step) -> None:
        mutation.step(step)
        self.remove(mutation)

    def entries(self) -> tuple[CatalogEntry, ...]:
        return tuple(m.entry() for m in self._items)

    def by_key(self, key: str) -> CatalogMutation | None:
        return next((m for m in self._items if m.key == key), None)

    def in_flight(self, request_id: str) -> CatalogMutation | None:
        return next((m for m in self._items if m.request_id == request_id), None)

    def expire(self, request_id: str, mutation: CatalogMutation) -> None:
        self._late[request_id] = mutation.key
        mutation.step(Step.FAILED)

    def late(self, request_id: str) -> CatalogMutation | None:
        key = self._late.pop(request_id, None)
        return self.by_key(key) if key is not None else None

    def forget_late(self, key: str) -> None:
        for request_id in [rid for rid, k in self._late.items() if k == key]:
            del self._late[request_id]

    def overdue(self, now: datetime) -> list[CatalogMutation]:
        return [m for m in self._items if m.deadline is not None and m.deadline <= now]

    def of(self, target: str) -> list[CatalogMutation]:
        return [m for m in self._items if m.target == target]

    def tail(self, target: str) -> CatalogMutation | None:
        mine = self.of(target)
        return mine[-1] if mine else None

    def heads(self) -> list[CatalogMutation]:
        """The first change of each object, in queue order: the ones that may go out."""
        seen: set[str] = set()
        heads = []
        for mutation in self._items:
            if mutation.target not in seen:
                seen.add(mutation.target)
                heads.append(mutation)
        return heads

    def sending(self) -> bool:
        return any(m.state is MutationState.IN_FLIGHT for m in self._items)

    def fetched(self) -> None:
        for mutation in self._items:
            if mutation.state is MutationState.HELD_FOR_FETCH:
                mutation.step(Step.FETCHED)

    def abandon(self) -> None:
        self._late.clear()
        for mutation in self._items:
            if mutation.state is MutationState.IN_FLIGHT:
                mutation.step(Step.ABANDONED)

    def hurry(self) -> None:
        for mutation in self._items:
            mutation.retry_at = None

    def deadlines(self) -> list[datetime]:
        return [m.deadline for m in self._items if m.deadline is not None]

    def retry_times(self) -> list[datetime]:
        waiting = MutationState.WAITING_RETRY
        return [m.retry_at for m in self._items if m.retry_at and m.state is waiting]

    def fold(self, intent: CatalogIntent) -> bool:
        """Fold a change into the object's last change if that is not sent yet: a schedule
        replaces the one before, a service patch joins the one before (or the create); a removal
        of time off not yet sent takes its creation back. True when folded."""
        target = catalog_target(intent)
        tail = self.tail(target)
        if tail is None or tail.sent:
            return False
        match intent, tail.intent:
            case ScheduleSet(), ScheduleSet():
                tail.intent = intent
            case ServiceEdit(_, patch), ServiceEdit(_, before):
                tail.intent = ServiceEdit(target, _joined(before, patch))
            case ServiceEdit(_, patch), ServiceAdd(client_id, body):
                fields = body.model_dump() | {n: getattr(patch, n) for n in patch.model_fields_set}
                try:
                    tail.intent = ServiceAdd(client_id, ServiceCreate.model_validate(fields))
                except ValueError:
                    return False
            case TimeOffRemove(), TimeOffAdd():
                self.remove(tail)
            case _:
                return False
        return True

    def rename(self, client_id: str, server_id: str) -> None:
        """A created object got its server id: changes queued on the client id follow it."""
        for mutation in self.of(client_id):
            mutation.target = server_id
            mutation.intent = with_target(mutation.intent, server_id)

    def rebase(self, target: str, current: CatalogObject) -> None:
        """Our own change was confirmed: the object's unsent changes now build on it."""
        for mutation in self.of(target):
            if not mutation.sent:
                mutation.base = current


def _joined(before: ServicePatch, after: ServicePatch) -> ServicePatch:
    fields = {n: getattr(before, n) for n in before.model_fields_set}
    fields |= {n: getattr(after, n) for n in after.model_fields_set}
    return ServicePatch.model_validate(fields)
