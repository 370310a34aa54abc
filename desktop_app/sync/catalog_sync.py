"""The engine's part that syncs a master's catalog: services, working hours and time off.

Theory of operation (as the bookings', `engine.py`, with the catalog's own layers in `catalog.py`).

Fetching. The confirmed catalog is three GETs (`catalog_wire.PARTS`): services (archived too),
the schedule, the time off. All three are owed at start, on every socket hello (events may have
been missed while it was down), on `availability:updated` for the user's own id, on "Sync now",
after a 412 and after a refusal (our copy was stale). Each owed part is sent once nothing of the
catalog is in flight; a failure waits out a jittered backoff (or the server's Retry-After). A
server without the availability extension answers 404: the catalog then stays empty and unsynced
(changes for it are undone, `unsupported`). While the socket is down, nothing tells of changes
made on the master's other devices: the catalog is then fetched again `catalog_poll` after the
last fetch (a minute; the bookings poll far more often, but catalogs change rarely).

Sending. A change is sent when it is the first of its object in the queue and no fetch is out (a
fetch that left before a change was applied would undo it on arrival). A change never sent is
re-checked against the newest fetched state first: gone → dropped (`not_found`); changed on the
server since the user's edit (the schedule at all, a service in a field the patch sets) →
dropped (`version_conflict`); else sent with that version in If-Match, and an Idempotency-Key
that stays the same on every resend. A 412 holds the change until the catalog is fetched again,
then re-checks it as new (a new key); other refusals drop it with the code and the field a 422
names; transient failures retry with backoff, given up like the bookings' (`mutations.given_up`).
Removing time off that is already gone (404) is done, not refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from booking_core import Role
from booking_core.availability import Service, TimeOff, WeeklySchedule
from desktop_app.sync.catalog import (
    CatalogIntent,
    CatalogRollback,
    CatalogState,
    CatalogView,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
    TimeOffAdd,
    TimeOffRemove,
    catalog_target,
    subject_of,
    with_target,
)
from desktop_app.sync.catalog_fetch import CatalogFetches, PartFetch
from desktop_app.sync.catalog_outbox import CatalogEntry
from desktop_app.sync.catalog_queue import CatalogMutation, CatalogQueue
from desktop_app.sync.catalog_wire import (
    catalog_request,
    field_of,
    object_of,
    part_path,
    read_part,
)
from desktop_app.sync.commands import (
    CatalogChanged,
    CatalogOutboxChanged,
    SendRequest,
    ShowCatalogRollback,
)
from desktop_app.sync.host import Host
from desktop_app.sync.mutations import MutationState, Step, given_up, retry_delay
from desktop_app.sync.replies import Reply, Verdict, read_reply
from desktop_app.sync.sending import NOT_CONFIRMED
from desktop_app.sync.wire import mutation_headers

# The code of a change undone because the server has no catalog (no availability extension).
UNSUPPORTED = "unsupported"


class CatalogSync:
    """`delays` makes a fresh backoff generator for the fetches (a success resets it)."""

    def __init__(self, host: Host, delays: Callable[[], Iterator[timedelta]]) -> None:
        self._host = host
        user = host.user
        self.enabled = host.config.catalog and user.role is Role.MASTER
        self.state = CatalogState(user.id)
        self.queue = CatalogQueue()
        self.unsupported = False  # the server has no catalog (404): nothing more is asked
        self.fetches = CatalogFetches(delays)
        self._renamed: dict[str, str] = {}  # client id of a create -> the id the server gave
        self._last: tuple[CatalogIntent, datetime] | None = None
        self._published_view: CatalogView | None = None
        self._published_outbox: tuple[CatalogEntry, ...] = ()

    # --- what the engine reads ---------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.enabled and not self.unsupported

    @property
    def view(self) -> CatalogView:
        if not self.enabled:
            return CatalogView(self.state.master_id)
        return self.state.view(self.queue.intents())

    @property
    def confirmed(self) -> CatalogView | None:
        """Layer 1 as a view (for the cache), once loaded."""
        return self.state.view(()) if self.enabled and self.state.loaded else None

    @property
    def fresh(self) -> bool:
        """Every part fetched this session: unsent changes can be checked against it."""
        return self.fetches.fresh

    def __len__(self) -> int:
        return len(self.queue)

    def creating(self, service_id: str) -> bool:
        """Whether `service_id` names a service created here that the server has not confirmed
        yet: a booking made on it waits for its id."""
        return any(isinstance(m.intent, ServiceAdd) and m.target == service_id for m in self.queue)

    def service_id(self, service_id: str) -> str:
        """The server's id of a service once created here under a client id (else the id)."""
        return self._renamed.get(service_id, service_id)

    # --- inputs ------------------------------------------------------------------------------

    def start(self, entries: tuple[CatalogEntry, ...], cached: CatalogView | None) -> None:
        if not self.enabled:
            return
        self.queue.restore(entries)
        if cached is not None and cached.master_id == self.state.master_id:
            self.state.restore(cached)
        self.want_fetch()

    def want_fetch(self) -> None:
        if self.active:
            self.fetches.want_all()

    def hurry(self) -> None:
        """Online again, or "Sync now": fetch, and retry now rather than after the backoff."""
        self.want_fetch()
        self.fetches.hurry()
        self.queue.hurry()

    def availability_updated(self, master_id: str) -> None:
        if master_id == self.state.master_id:
            self.want_fetch()

    def intent(self, made: CatalogIntent) -> None:
        """The user changed the catalog: shown at once (queued), or refused here and reported."""
        host = self._host
        if not self.enabled or self.unsupported:
            code = UNSUPPORTED if self.enabled else "forbidden"
            self._report(catalog_target(made), made, code)
            return
        intent = self._follow_rename(made)
        if self._debounced(intent):
            host.count(debounced=1)
            return
        target = catalog_target(intent)
        shown = self.view
        known = {
            "service": {s.id for s in shown.services},
            "time_off": {t.id for t in shown.time_off},
        }
        if (
            isinstance(intent, ServiceEdit | TimeOffRemove)
            and target not in known[subject_of(intent)]
        ):
            host.count(refused=1)
            self._report(target, intent, "not_found")
            return
        if self.queue.fold(intent):
            return
        base = self.state.object(target, subject_of(intent))
        self.queue.append(CatalogMutation(host.new_id(), intent, target, host.now, base))

    def _follow_rename(self, intent: CatalogIntent) -> CatalogIntent:
        server_id = self._renamed.get(catalog_target(intent))
        return intent if server_id is None else with_target(intent, server_id)

    def _debounced(self, intent: CatalogIntent) -> bool:
        """The same change again within the debounce (a double click on "Add")."""
        now, last = self._host.now, self._last
        self._last = (intent, now)
        if last is None or now - last[1] >= self._host.config.debounce:
            return False
        match intent, last[0]:
            case ServiceAdd(_, body), ServiceAdd(_, before):
                return body == before
            case TimeOffAdd(_, body), TimeOffAdd(_, before):
                return body == before
        return intent == last[0]

    # --- out ---------------------------------------------------------------------------------

    def pump(self) -> None:
        if not self.active:
            return
        self._fetch()
        if self.fetches.out:
            return  # a fetch that left before a change was applied would undo it on arrival
        progress = True
        while progress:
            progress = False
            for mutation in self.queue.heads():
                if self._try_send(mutation) == "dropped":
                    progress = True
                    break

    def _poll_at(self) -> datetime | None:
        """While the socket is down nothing tells of changes made elsewhere: fetch again now
        and then (`SyncConfig.catalog_poll`)."""
        host = self._host
        if host.link.is_open:
            return None
        return self.fetches.poll_at(host.config.catalog_poll)

    def _fetch(self) -> None:
        host = self._host
        poll_at = self._poll_at()
        if poll_at is not None and poll_at <= host.now:
            self.want_fetch()
        if self.queue.sending():
            return  # its answer would be undone by a fetch that left before it was applied
        for part in self.fetches.due(host.now):
            request_id = host.new_id()
            deadline = host.now + host.config.request_timeout
            self.fetches.sent(request_id, PartFetch(part, deadline, self.state.mark))
            path = part_path(part, self.state.master_id)
            host.out.append(SendRequest(request_id, "GET", path, None, {}))

    def _try_send(self, mutation: CatalogMutation) -> str:
        host = self._host
        if mutation.state not in (MutationState.QUEUED, MutationState.WAITING_RETRY):
            return "waiting"
        if mutation.state is MutationState.QUEUED:
            if not self.fresh:
                return "waiting"
            refusal = self._recheck(mutation)
            if refusal == "done":  # already so on the server: nothing to send, nothing undone
                self.queue.finish(mutation, Step.DROPPED)
                self._host.count(confirmed=1)
                return "dropped"  # the next may go
            if refusal is not None:
                self._drop(mutation, "version_conflict" if mutation.conflicted else refusal)
                return "dropped"
        if mutation.retry_at is not None and mutation.retry_at > host.now:
            return "waiting"
        self._send(mutation)
        return "sent"

    def _recheck(self, mutation: CatalogMutation) -> str | None:
        """An unsent change against the newest fetched state: a refusal code, "done" (nothing
        left to do), or None (send it, based on the current object)."""
        intent, state = mutation.intent, self.state
        current = state.object(mutation.target, subject_of(intent))
        match intent:
            case ServiceAdd() | TimeOffAdd():
                return None
            case TimeOffRemove():
                return "done" if current is None else None
            case ServiceEdit() if current is None:
                return "not_found"
        if mutation.overtaken(current):
            return "version_conflict"
        mutation.base = current
        return None

    def _send(self, mutation: CatalogMutation) -> None:
        host = self._host
        method, path, body = catalog_request(mutation.intent, self.state.master_id)
        version = None
        if isinstance(mutation.intent, ServiceEdit | ScheduleSet):
            base = mutation.base
            version = base.version if isinstance(base, Service | WeeklySchedule) else 0
        request_id = host.new_id()
        mutation.sending(request_id, host.now, host.config.request_timeout)
        headers = mutation_headers(mutation.key, version)
        host.out.append(SendRequest(request_id, method, path, body, headers))

    # --- back --------------------------------------------------------------------------------

    def answered(self, request_id: str, status: int, headers: dict[str, str], body: object) -> bool:
        """Apply an answer if it is the catalog's; False if not."""
        fetch = self.fetches.take(request_id)
        if fetch is not None:
            self._on_fetched(fetch, status, headers, body)
            return True
        reply = read_reply(status, headers, body)
        mutation = self.queue.in_flight(request_id)
        if mutation is None:
            mutation = self.queue.late(request_id)
            if mutation is None:
                return False
            if reply.verdict is Verdict.RETRY:
                return True
            if mutation.state is MutationState.IN_FLIGHT:  # resent meanwhile: that one is moot
                assert mutation.request_id is not None
                self.queue.expire(mutation.request_id, mutation)
        self._apply(mutation, reply, status, body)
        return True

    def failed(self, request_id: str) -> bool:
        """No HTTP answer; False if the request was not the catalog's (else the server may be
        unreachable)."""
        fetch = self.fetches.take(request_id)
        if fetch is not None:
            self._fetch_failed(fetch, None)
            return True
        mutation = self.queue.in_flight(request_id)
        if mutation is None:
            return False
        self._expired(mutation)
        return True

    def expire(self) -> None:
        now = self._host.now
        for fetch in self.fetches.overdue(now):
            self._fetch_failed(fetch, None)
        for mutation in self.queue.overdue(now):
            self._expired(mutation)

    def _on_fetched(
        self, fetch: PartFetch, status: int, headers: dict[str, str], body: object
    ) -> None:
        host = self._host
        reply = read_reply(status, headers, body)
        if reply.verdict is Verdict.SIGN_IN:
            host.sign_out("unauthenticated")
            return
        if status == 404:
            self._unsupported()
            return
        read = read_part(fetch.part, body) if reply.verdict is Verdict.OK else None
        if read is None:
            self._fetch_failed(fetch, reply.retry_after)
            return
        state = self.state
        if isinstance(read, WeeklySchedule):
            state.merge_schedule(read)
        elif fetch.part == "services":
            state.set_services((s for s in read if isinstance(s, Service)), fetch.mark)
        else:
            state.set_time_off((t for t in read if isinstance(t, TimeOff)), fetch.mark)
        self.fetches.answered(fetch, self._host.now)
        if self.fresh:
            state.loaded = True
            if not self.fetches.out:
                self.queue.fetched()

    def _unsupported(self) -> None:
        """A server without the availability extension: nothing more is asked, and changes
        queued for it are undone (they can never be sent)."""
        self.unsupported = True
        self.fetches.clear()
        for mutation in list(self.queue):
            if mutation in self.queue:  # a create's drop takes its later changes with it
                self._drop(mutation, UNSUPPORTED)

    def _fetch_failed(self, fetch: PartFetch, retry_after: timedelta | None) -> None:
        self.fetches.failed(fetch, self._host.now, retry_after)

    def _apply(self, mutation: CatalogMutation, reply: Reply, status: int, body: object) -> None:
        host = self._host
        match reply.verdict:
            case Verdict.OK:
                self._confirm(mutation, body)
            case Verdict.CONFLICT:
                host.count(conflicts=1)
                self.queue.forget_late(mutation.key)
                mutation.conflicting(host.new_id())
                self.want_fetch()
            case Verdict.GONE if isinstance(mutation.intent, TimeOffRemove):
                self.state.remove_time_off(mutation.target)  # already gone: what was wanted
                self.queue.finish(mutation, Step.CONFIRMED)
                host.count(confirmed=1)
            case Verdict.RETRY:
                mutation.step(Step.FAILED)
                self._retry_later(mutation, reply, counts=not reply.busy)
            case Verdict.SIGN_IN:
                host.sign_out("unauthenticated")
            case _:  # refused, or gone
                self.want_fetch()  # our copy was stale, or the server would have agreed
                self._drop(mutation, reply.code, field_of(body))

    def _confirm(self, mutation: CatalogMutation, body: object) -> None:
        host, state, intent = self._host, self.state, mutation.intent
        self.queue.finish(mutation, Step.CONFIRMED)
        host.count(confirmed=1)
        host.last_synced_at = host.now
        if isinstance(intent, TimeOffRemove):
            state.remove_time_off(mutation.target)
            return
        confirmed = object_of(intent, body)
        if confirmed is None:
            self.want_fetch()  # a success without a readable body: ask for it
            return
        target = mutation.target
        match confirmed:
            case Service():
                state.merge_service(confirmed)
                target = confirmed.id
            case WeeklySchedule():
                state.merge_schedule(confirmed)
            case TimeOff():
                state.add_time_off(confirmed)
                target = confirmed.id
        if target != mutation.target:
            self.queue.rename(mutation.target, target)
            self._renamed[mutation.target] = target
            if isinstance(confirmed, Service):  # bookings made on it name it by its id now
                host.queue.service_renamed(mutation.target, target)
        current = state.object(target, subject_of(intent))
        if current is not None:
            self.queue.rebase(target, current)

    def _retry_later(self, mutation: CatalogMutation, reply: Reply | None, *, counts: bool) -> None:
        host = self._host
        mutation.attempts += 1
        mutation.failures += int(counts)
        host.count(retries=1)
        if given_up(mutation, host.config, host.now, host.last_contact):
            self.want_fetch()  # learn whether it happened after all
            self._drop(mutation, NOT_CONFIRMED)
            return
        after = reply.retry_after if reply is not None else None
        delay = (
            after if after is not None else retry_delay(host.config, mutation.attempts, host.rng)
        )
        mutation.retry_at = host.now + delay

    def _expired(self, mutation: CatalogMutation) -> None:
        assert mutation.request_id is not None
        assert mutation.sent_at is not None
        sent_at = mutation.sent_at
        self.queue.expire(mutation.request_id, mutation)
        self._retry_later(mutation, None, counts=self._host.reachable_since(sent_at))

    def _drop(self, mutation: CatalogMutation, code: str, field: str | None = None) -> None:
        self.queue.finish(mutation, Step.DROPPED)
        self._host.count(rollbacks=1)
        self._report(mutation.target, mutation.intent, code, field)
        if isinstance(mutation.intent, ServiceAdd | TimeOffAdd):
            # Changes made to an object that was never created go with it, for the same reason.
            for later in self.queue.of(mutation.target):
                self._drop(later, code, field)

    def _report(
        self, target: str, intent: CatalogIntent, code: str, field: str | None = None
    ) -> None:
        current = self.state.object(target, subject_of(intent))
        rollback = CatalogRollback(target, intent, code, field, current)
        self._host.out.append(ShowCatalogRollback(rollback))

    # --- the end of each input -----------------------------------------------------------------

    def signed_out(self) -> None:
        self.fetches.clear()
        self.queue.abandon()

    def wakeups(self, online: bool) -> list[datetime]:
        times = self.fetches.wakeups(online) + self.queue.deadlines()
        if online and self.active:
            times += self.queue.retry_times()
            poll_at = self._poll_at()
            times += [poll_at] if poll_at is not None else []
        return times

    def publish(self) -> list[CatalogChanged | CatalogOutboxChanged]:
        """The view and the outbox, each when it changed."""
        if not self.enabled:
            return []
        out: list[CatalogChanged | CatalogOutboxChanged] = []
        entries = self.queue.entries()
        if entries != self._published_outbox:
            self._published_outbox = entries
            out.append(CatalogOutboxChanged(entries))
        view = self.view
        if view != self._published_view and (view.loaded or view.pending):
            self._published_view = view
            out.append(CatalogChanged(view))
        return out


__all__ = ["CatalogSync"]
