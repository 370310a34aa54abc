"""The sync engine: a sans-IO state machine from inputs to commands (see h11's `_state.py`).

Theory of operation. The engine holds two layers:

1. the confirmed server state: bookings by id (each with its version) and the event cursor
   (`server_state.ServerState`);
2. an ordered queue of the user's mutations (the outbox) not yet confirmed by the server
   (`mutations.MutationQueue`).

What the user sees is layer 1 with layer 2 replayed over it through booking_core's `decide` and
`apply_change` (`visible.replay`), so a change shows at once and the server's answer only confirms
it. Server data (replies, socket events, fetches) merges into layer 1 by version: older or duplicate
data is ignored. A mutation is sent when it is the first of its booking in the queue (one request in
flight per booking; changes that take a time slot also wait for everything queued before them). A
mutation never sent is re-checked against the newest server state just before it goes out: if it no
longer applies it is dropped and reported, otherwise it is sent with the newest version in
If-Match. A mutation already sent may have been applied, so it is only ever resent identically
(same Idempotency-Key, same If-Match) until the server answers; the server's idempotency replay then
tells what happened. A 412 makes it a new, unsent mutation (new key) that is re-checked as above.

Around them: the socket (connecting, open, down with a jittered reconnect delay), polling while
it is down, fetches (full, delta on a gap or a poll), request deadlines. Every `handle()` ends by
publishing what changed: rows, sync status, outbox, the next wakeup. Rows are republished
incrementally: only those of bookings the input wrote or removed in layer 1 and those with queued
mutations (before or after it), so an input costs O(touched + queued), not O(all bookings);
`visible.replay` is the from-scratch reference the tests compare with.

Retries: a failed attempt counts towards `max_retries` only when the server was reachable while it
was out (socket open, or an answer since it left) and not busy (429/503 or Retry-After, which are
waited for as told, bounded by `stale_after`). Fetches also wait as long as Retry-After says.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Literal

from booking_core import (
    ACTIVE_STATUSES,
    Booking,
    BookingUpdated,
    ErrorMessage,
    Hello,
    Presence,
    Refused,
    ResyncRequired,
    UserPublic,
    Viewer,
)
from desktop_app.sync.backoff import backoff
from desktop_app.sync.commands import (
    BookingIdAssigned,
    CloseSocket,
    Command,
    OpenSocket,
    OutboxChanged,
    PresenceChanged,
    Rollback,
    RowsChanged,
    ScheduleWakeup,
    SendRequest,
    ShowRollback,
    SignInRequired,
    SyncStatusChanged,
)
from desktop_app.sync.config import SyncConfig
from desktop_app.sync.inputs import (
    Create,
    EventReceived,
    Input,
    Intent,
    IntentMade,
    NetworkChanged,
    ReplyReceived,
    RequestFailed,
    Reschedule,
    ServerEvent,
    SocketClosed,
    SocketOpened,
    Started,
    TimerFired,
)
from desktop_app.sync.link import Link
from desktop_app.sync.mutations import Mutation, MutationQueue
from desktop_app.sync.outbox import OutboxEntry
from desktop_app.sync.replies import Reply, Verdict, read_reply
from desktop_app.sync.server_state import ServerState
from desktop_app.sync.status import SyncCounters, SyncState, SyncStatus
from desktop_app.sync.visible import (
    BookingsView,
    VisibleBooking,
    action_of,
    predict,
    refresh,
    replay,
    target_of,
)
from desktop_app.sync.wire import (
    SOCKET_UNAUTHORIZED,
    booking_of,
    list_path,
    listing_of,
    mutation_headers,
    mutation_request,
)
from desktop_app.sync.words import NOT_CONFIRMED, rollback_message

ZERO = timedelta(0)


@dataclass(frozen=True, slots=True)
class _Fetch:
    kind: Literal["full", "delta", "poll"]
    deadline: datetime
    known: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Send:
    key: str
    deadline: datetime
    sent_at: datetime


class SyncEngine:
    """Feed it inputs with `handle`; perform the commands it returns, in order.

    `rng` drives backoff jitter and `new_id` makes Idempotency-Keys and request ids: inject a seeded
    `random.Random` and a counter for deterministic tests.
    """

    def __init__(
        self,
        user: UserPublic,
        config: SyncConfig = SyncConfig(),  # noqa: B008 - frozen, so sharing the default is safe
        *,
        rng: random.Random | None = None,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self.user = user
        self.config = config
        self._rng = rng if rng is not None else random.Random()
        self._new_id = new_id if new_id is not None else (lambda: str(uuid.uuid4()))
        self._now: datetime | None = None
        self._started = False
        self._signed_out = False
        self._online = True
        self._reachable = True
        self._state = ServerState()
        self._need_full = False
        self._need_delta = False
        self._fetch_retry_at: datetime | None = None
        self._fetch_not_before: datetime | None = None  # the server's Retry-After
        self._fetch_backoff = self._backoff()
        self._queue = MutationQueue()
        self._requests: dict[str, _Fetch | _Send] = {}
        self._expired: dict[str, str] = {}  # request id -> key, for answers after our timeout
        self._link = Link(self._backoff)
        self._last_contact: datetime | None = None
        self._last_synced_at: datetime | None = None
        self._last_intent: dict[str, tuple[Intent, datetime]] = {}
        self._renamed: dict[str, str] = {}  # client id of a create -> the id the server gave
        self._viewers: dict[str, tuple[Viewer, ...]] = {}
        self._counters = SyncCounters()
        self._visible: dict[str, VisibleBooking] = {}
        self._queued_before: frozenset[str] = frozenset()  # booking ids queued at the last publish
        self._status = SyncStatus(SyncState.UPDATING, None, 0, "Starting")
        self._published_outbox: tuple[OutboxEntry, ...] = ()
        self._wakeup: datetime | None = None
        self._out: list[Command] = []

    # --- public view -----------------------------------------------------------------------------

    @property
    def visible(self) -> Mapping[str, VisibleBooking]:
        """The rows as shown: a live read-only view (updated in place by each `handle`)."""
        return MappingProxyType(self._visible)

    @property
    def status(self) -> SyncStatus:
        return self._status

    @property
    def counters(self) -> SyncCounters:
        return self._counters

    @property
    def server(self) -> Mapping[str, Booking]:
        """The confirmed server state (layer 1), for diagnostics and tests."""
        return MappingProxyType(self._state.bookings)

    @property
    def cursor(self) -> int | None:
        return self._state.cursor

    @property
    def outbox(self) -> tuple[OutboxEntry, ...]:
        return self._queue.entries()

    @property
    def next_wakeup(self) -> datetime | None:
        return self._wakeup

    def viewers(self, booking_id: str) -> tuple[Viewer, ...]:
        """Who else is looking at a booking now, as the last presence message said."""
        return self._viewers.get(booking_id, ())

    def handle(self, event: Input) -> list[Command]:
        """Advance the state machine by one input; return what the shell must do, in order."""
        self._now = event.now
        self._out = []
        self._dispatch(event)
        if self._started and not self._signed_out:
            self._expire_requests()
            self._pump()
        self._publish()
        out, self._out = self._out, []
        return out

    # --- dispatch --------------------------------------------------------------------------------

    def _dispatch(self, event: Input) -> None:
        match event:
            case Started():
                self._on_started(event)
            case IntentMade(intent):
                self._on_intent(intent)
            case ReplyReceived(request_id, status, headers, body):
                self._on_reply(request_id, read_reply(status, headers, body), body)
            case RequestFailed(request_id):
                self._on_failed(request_id)
            case EventReceived(message):
                self._on_message(message)
            case SocketOpened():
                self._on_socket_opened()
            case SocketClosed(_, code):
                self._on_socket_closed(code)
            case NetworkChanged(online):
                self._on_network(online)
            case TimerFired():
                pass  # due work is done by _expire_requests and _pump

    @property
    def now(self) -> datetime:
        assert self._now is not None, "handle() sets the time first"
        return self._now

    def _on_started(self, event: Started) -> None:
        if self._started:
            return
        self._started = True
        self._queue.restore(event.outbox)
        if event.cursor is None:
            self._need_full = True
        else:
            self._state.restore(event.bookings, event.cursor)
            self._need_delta = True
            self._last_synced_at = event.synced_at  # offline, the user sees how old the cache is
        self._open_socket()

    # --- intents ---------------------------------------------------------------------------------

    def _on_intent(self, made: Intent) -> None:
        intent = self._follow_rename(made)
        if intent is None:
            return  # the same create again, after the server gave it its id
        booking_id = target_of(intent)
        last = self._last_intent.get(booking_id)
        if last is not None and last[0] == intent and self.now - last[1] < self.config.debounce:
            self._count(debounced=1)
            return  # a double click, not a second change
        self._last_intent[booking_id] = (intent, self.now)
        if isinstance(intent, Create) and booking_id in self._visible:
            return  # the same create again
        # A view, not a copy: only a slot-taking change reads other rows (`clashes`).
        shown = BookingsView(self._visible)
        result = predict(shown, booking_id, intent, self.user, now=self.now, made_at=self.now)
        if isinstance(result, Refused):
            self._count(refused=1)
            self._report(booking_id, intent, result.code.value)
            return
        if isinstance(intent, Reschedule) and self._queue.merge_edit(booking_id, intent.patch):
            return  # a drag or typing burst: one PATCH with the latest values
        base = self._state.bookings.get(booking_id)
        self._queue.append(Mutation(self._new_id(), intent, booking_id, self.now, base))

    # --- replies ---------------------------------------------------------------------------------

    def _on_reply(self, request_id: str, reply: Reply, body: object | None) -> None:
        self._contact()
        request = self._requests.pop(request_id, None)
        if request is None:
            self._on_late_reply(request_id, reply, body)
        elif isinstance(request, _Fetch):
            self._on_fetch_reply(request, reply, body)
        else:
            mutation = self._queue.by_key(request.key)
            if mutation is not None:
                self._on_mutation_reply(mutation, reply, body)
            elif reply.verdict is Verdict.OK:
                self._merge_body(body)

    def _on_late_reply(self, request_id: str, reply: Reply, body: object | None) -> None:
        """An answer after we gave up waiting: it is still the server's word on that key."""
        key = self._expired.pop(request_id, None)
        mutation = self._queue.by_key(key) if key is not None else None
        if mutation is not None and reply.verdict is not Verdict.RETRY:
            if mutation.request_id is not None:
                self._requests.pop(mutation.request_id, None)
                self._expired[mutation.request_id] = mutation.key
            self._on_mutation_reply(mutation, reply, body)
        elif reply.verdict is Verdict.OK:
            self._merge_body(body)

    def _merge_body(self, body: object | None) -> None:
        booking = booking_of(body)
        if booking is not None:
            self._state.merge(booking)

    def _on_mutation_reply(self, mutation: Mutation, reply: Reply, body: object | None) -> None:
        mutation.request_id = None
        match reply.verdict:
            case Verdict.OK:
                self._confirm(mutation, booking_of(body))
            case Verdict.CONFLICT:
                self._conflict(mutation, reply.current)
            case Verdict.GONE:
                self._state.remove(mutation.booking_id)
                self._drop(mutation, reply.code)
            case Verdict.RETRY:
                self._retry_later(mutation, reply.retry_after, counts=not reply.busy)
            case Verdict.SIGN_IN:
                self._sign_out("The server asked to sign in again.")
            case Verdict.REFUSED | Verdict.CURSOR_EXPIRED:
                if reply.current is not None:
                    self._state.merge(reply.current)
                self._need_delta = True  # our copy was stale, or the server would have agreed
                self._drop(mutation, reply.code)

    def _confirm(self, mutation: Mutation, booking: Booking | None) -> None:
        self._queue.remove(mutation)
        self._forget_requests(mutation.key)
        self._count(confirmed=1)
        self._last_synced_at = self.now
        if booking is None:
            self._need_delta = True  # a success without a readable booking: ask for it
            return
        self._state.merge(booking)
        if isinstance(mutation.intent, Create) and booking.id != mutation.booking_id:
            self._rename(mutation.booking_id, booking.id)
        # Our own change moved the version on: later changes of ours build on it, not on a conflict.
        self._queue.rebase(self._state.bookings[booking.id])

    def _rename(self, client_id: str, booking_id: str) -> None:
        self._queue.rename(client_id, booking_id)
        self._renamed[client_id] = booking_id
        last = self._last_intent.pop(client_id, None)
        if last is not None:  # a double click on the old id still debounces
            intent = self._follow_rename(last[0])
            if intent is not None:
                self._last_intent[booking_id] = (intent, last[1])
        self._out.append(BookingIdAssigned(client_id, booking_id))

    def _follow_rename(self, intent: Intent) -> Intent | None:
        """An intent on a created booking's client id (made before the view followed the new id)
        is about its server id; a create repeated then is None: nothing new."""
        server_id = self._renamed.get(target_of(intent))
        if server_id is None:
            return intent
        if isinstance(intent, Create):
            return None
        return replace(intent, booking_id=server_id)

    def _conflict(self, mutation: Mutation, current: Booking | None) -> None:
        """412: the If-Match was stale, nothing changed. Re-check and resend as a new request."""
        self._count(conflicts=1)
        self._forget_requests(mutation.key)
        mutation.key = self._new_id()  # the old key's stored answer is this 412 forever
        mutation.sent = False
        mutation.attempts = 0
        mutation.failures = 0
        mutation.retry_at = None
        mutation.conflicted = True
        if current is not None:
            self._state.merge(current)
        else:
            mutation.hold_for_fetch = True
            self._need_delta = True

    def _retry_later(
        self, mutation: Mutation, after: timedelta | None = None, *, counts: bool = True
    ) -> None:
        """Send again later; `counts`: the attempt failed while the server was reachable and not
        busy, so it counts towards max_retries (stale_after bounds the others)."""
        mutation.attempts += 1
        mutation.failures += int(counts)
        self._count(retries=1)
        if self._is_stale(mutation):
            self._need_delta = True  # learn whether it happened after all
            self._drop(mutation, NOT_CONFIRMED)
            return
        delay = after if after is not None else self._retry_delay(mutation.attempts)
        mutation.retry_at = self.now + delay

    def _is_stale(self, mutation: Mutation) -> bool:
        """Given up on only when the server was reachable since we first sent: offline, we wait."""
        first = mutation.first_sent_at
        if first is None or self._last_contact is None or self._last_contact <= first:
            return False
        too_long = self.now - first >= self.config.stale_after
        return too_long or mutation.failures > self.config.max_retries

    def _retry_delay(self, attempts: int) -> timedelta:
        ceiling = min(
            self.config.backoff_max,
            self.config.backoff_initial * self.config.backoff_factor ** max(0, attempts - 1),
        )
        return ceiling * self._rng.random()

    def _drop(self, mutation: Mutation, code: str) -> None:
        self._queue.remove(mutation)
        self._forget_requests(mutation.key)
        self._count(rollbacks=1)
        self._report(mutation.booking_id, mutation.intent, code)
        if isinstance(mutation.intent, Create):
            # Changes made to a booking that was never created go with it, for the same reason.
            for later in self._queue.of(mutation.booking_id):
                self._drop(later, code)

    def _report(self, booking_id: str, intent: Intent, code: str) -> None:
        action = action_of(intent)
        current = self._state.bookings.get(booking_id)
        message = rollback_message(code, action, current)
        rollback = Rollback(booking_id, action, code, message, current, intent)
        self._out.append(ShowRollback(rollback))

    def _on_failed(self, request_id: str) -> None:
        request = self._requests.pop(request_id, None)
        if request is None:
            return
        self._reachable = False
        self._after_failure(request_id, request)

    def _after_failure(self, request_id: str, request: _Fetch | _Send) -> None:
        if isinstance(request, _Fetch):
            self._fetch_failed(request)
            return
        mutation = self._queue.by_key(request.key)
        if mutation is not None:
            self._expired[request_id] = request.key
            mutation.request_id = None
            self._retry_later(mutation, counts=self._reachable_since(request.sent_at))

    def _reachable_since(self, sent_at: datetime) -> bool:
        """Whether the server showed it was reachable while this request was out (its live
        socket is open, or it answered something after the request left): only then does a
        failed attempt count, not while we are offline or it is down."""
        contact = self._last_contact
        if not self._online:
            return False
        return self._link.is_open or (contact is not None and contact > sent_at)

    def _expire_requests(self) -> None:
        for request_id, request in list(self._requests.items()):
            if request.deadline <= self.now:
                del self._requests[request_id]
                self._after_failure(request_id, request)

    def _forget_requests(self, key: str) -> None:
        for request_id in [rid for rid, k in self._expired.items() if k == key]:
            del self._expired[request_id]

    # --- fetches ---------------------------------------------------------------------------------

    def _on_fetch_reply(self, fetch: _Fetch, reply: Reply, body: object | None) -> None:
        if reply.verdict is Verdict.SIGN_IN:
            self._sign_out("The server asked to sign in again.")
            return
        if reply.verdict is Verdict.CURSOR_EXPIRED:
            self._need_full = True
            return
        listing = listing_of(body) if reply.verdict is Verdict.OK else None
        if listing is None:
            self._fetch_failed(fetch, reply.retry_after)
            return
        if fetch.kind == "full":
            self._state.apply_full(fetch.known, listing)
            self._need_full = False
            self._count(full_loads=1)
        else:
            self._state.apply_delta(listing)
            self._count(delta_loads=1)
        self._fetch_backoff = self._backoff()
        self._fetch_retry_at = None
        self._last_synced_at = self.now
        self._need_delta |= self._state.behind_stream
        for mutation in self._queue:
            mutation.hold_for_fetch = False
        self._link.schedule_poll(self.now, self._poll_interval())

    def _fetch_failed(self, fetch: _Fetch, retry_after: timedelta | None = None) -> None:
        """Retry with backoff, or when the server said (Retry-After on a 429/503): no fetch
        goes before that, not even on "Sync now"."""
        if retry_after is not None:
            self._fetch_not_before = self.now + retry_after
        if fetch.kind == "delta":
            self._need_delta = True
        if fetch.kind == "poll":
            self._link.schedule_poll(self.now, max(self._poll_interval(), retry_after or ZERO))
        else:
            self._fetch_retry_at = self.now + max(next(self._fetch_backoff), retry_after or ZERO)

    # --- socket ----------------------------------------------------------------------------------

    def _on_message(self, message: ServerEvent) -> None:
        self._contact()
        match message:
            case BookingUpdated():
                self._on_booking_updated(message)
            case Hello(cursor=cursor, server_time=server_time):
                self._counters = replace(self._counters, clock_skew=server_time - self.now)
                self._on_hello(cursor)
            case ResyncRequired():
                self._need_full = True
                self._state.stream_resynced()
            case Presence(booking_id=booking_id, viewers=viewers):
                if viewers:
                    self._viewers[booking_id] = tuple(viewers)
                else:
                    self._viewers.pop(booking_id, None)
                self._out.append(PresenceChanged(booking_id, tuple(viewers)))
            case ErrorMessage():
                pass  # the server did not understand a frame of ours; nothing to repair here

    def _on_hello(self, cursor: int) -> None:
        if self._state.stream_started(self._link.since, cursor):
            self._need_full = True  # the server went back in time (restored or reset)
        self._need_delta |= self._state.behind_stream

    def _on_booking_updated(self, event: BookingUpdated) -> None:
        latency = max(timedelta(0), self.now - event.booking.updated_at)
        worst = self._counters.max_event_latency
        self._counters = replace(
            self._counters,
            event_latency=latency,
            max_event_latency=latency if worst is None else max(worst, latency),
        )
        self._count(events=1)
        if not self._state.merge(event.booking):
            self._count(ignored_events=1)
        if event.prev_seq is None:
            in_order = self._state.advance(event.seq)  # a server without prev_seq
        else:
            in_order = self._state.follow(event.seq, event.prev_seq)
        if in_order:
            self._last_synced_at = self.now
        else:
            self._count(gaps=1)
            self._need_delta = True

    def _on_socket_opened(self) -> None:
        if self._link.opened():
            self._count(reconnects=1)
        self._contact()

    def _on_socket_closed(self, code: int | None) -> None:
        if code == SOCKET_UNAUTHORIZED:
            self._sign_out("The live connection was refused: sign in again.")
            return
        self._state.stream_ended()
        self._link.closed(self.now, self._poll_interval())

    def _open_socket(self) -> None:
        self._link.connecting(self._state.cursor)
        self._state.stream_ended()
        self._out.append(OpenSocket(self._link.since))

    def _on_network(self, online: bool) -> None:
        """Offline pauses sending. Online (also when already online: "Sync now") tries
        everything at once instead of waiting out the backoff, and asks what changed."""
        self._online = online
        if not online:
            return
        self._need_delta = self._state.cursor is not None
        self._link.hurry(self.now)
        self._fetch_backoff = self._backoff()
        self._fetch_retry_at = None
        for mutation in self._queue:
            mutation.retry_at = None

    def _sign_out(self, reason: str) -> None:
        if self._signed_out:
            return
        self._signed_out = True
        self._link.disable()
        self._requests.clear()
        for mutation in self._queue:
            mutation.request_id = None
        self._out.append(CloseSocket())
        self._out.append(SignInRequired(reason))

    def _contact(self) -> None:
        self._last_contact = self.now
        self._reachable = True

    # --- sending ---------------------------------------------------------------------------------

    def _pump(self) -> None:
        if not self._online:
            return
        self._pump_fetch()
        if self._link.reconnect_due(self.now):
            self._open_socket()
        self._pump_mutations()

    def _pump_fetch(self) -> None:
        if any(isinstance(r, _Fetch) for r in self._requests.values()):
            return
        if self._fetch_not_before is not None and self._fetch_not_before > self.now:
            return
        retry_ok = self._fetch_retry_at is None or self._fetch_retry_at <= self.now
        if self._need_full and retry_ok:
            self._send_fetch("full")
        elif self._state.cursor is not None and self._need_delta and retry_ok:
            self._need_delta = False
            self._send_fetch("delta")
        elif self._state.loaded and self._link.poll_due(self.now) and not self._queue.sending():
            self._link.poll_at = None
            self._send_fetch("poll")

    def _send_fetch(self, kind: Literal["full", "delta", "poll"]) -> None:
        since = None if kind == "full" else self._state.cursor
        if since is None:
            kind = "full"
        path = list_path(since)
        request_id = self._new_id()
        deadline = self.now + self.config.request_timeout
        known = frozenset(self._state.bookings) if kind == "full" else frozenset()
        self._requests[request_id] = _Fetch(kind, deadline, known)
        self._out.append(SendRequest(request_id, "GET", path, None, {}, listing=True))

    def _pump_mutations(self) -> None:
        progress = True
        while progress:
            progress = False
            for mutation in self._queue.heads():
                verdict = self._try_send(mutation)
                if verdict == "dropped":
                    progress = True
                    break

    def _try_send(self, mutation: Mutation) -> Literal["sent", "waiting", "dropped"]:
        if mutation.request_id is not None or mutation.hold_for_fetch:
            return "waiting"
        # A change that takes a slot goes only after everything before it: one of those may free
        # the slot. Until then it is re-checked without the overlap test.
        in_turn = self._queue.in_turn(mutation)
        if not mutation.sent and not isinstance(mutation.intent, Create):
            if not self._state.loaded:
                return "waiting"
            refusal = self._recheck(mutation, check_slots=in_turn)
            if refusal is not None:
                # After a 412, someone else's change is why it no longer applies: say so.
                self._drop(mutation, "version_conflict" if mutation.conflicted else refusal)
                return "dropped"
        if not in_turn or (mutation.retry_at is not None and mutation.retry_at > self.now):
            return "waiting"
        self._send_mutation(mutation)
        return "sent"

    def _recheck(self, mutation: Mutation, *, check_slots: bool) -> str | None:
        """Re-check an unsent change against the newest server state: a refusal code, or None."""
        current = self._state.bookings.get(mutation.booking_id)
        if current is None:
            return "not_found"
        result = predict(
            self._state.bookings,
            mutation.booking_id,
            mutation.intent,
            self.user,
            now=self.now,
            made_at=mutation.made_at,
            check_slots=check_slots,
        )
        if isinstance(result, Refused):
            return result.code.value
        if mutation.overtaken(current):
            return "version_conflict"
        mutation.base = current
        return None

    def _send_mutation(self, mutation: Mutation) -> None:
        method, path, body = mutation_request(mutation.intent, mutation.booking_id)
        base = None if isinstance(mutation.intent, Create) else mutation.base
        headers = mutation_headers(mutation.key, None if base is None else base.version)
        request_id = self._new_id()
        mutation.request_id = request_id
        mutation.retry_at = None
        mutation.sent = True
        if mutation.first_sent_at is None:
            mutation.first_sent_at = self.now
        deadline = self.now + self.config.request_timeout
        self._requests[request_id] = _Send(mutation.key, deadline, self.now)
        self._out.append(SendRequest(request_id, method, path, body, headers))

    # --- publishing ------------------------------------------------------------------------------

    def _publish(self) -> None:
        self._publish_rows()
        outbox = self.outbox
        if outbox != self._published_outbox:
            self._published_outbox = outbox
            self._out.append(OutboxChanged(outbox))
        status = self._derive_status()
        if status != self._status:
            self._status = status
            self._out.append(SyncStatusChanged(status))
        wakeup = self._next_wakeup()
        if wakeup is not None and wakeup != self._wakeup:
            self._out.append(ScheduleWakeup(wakeup))
        self._wakeup = wakeup

    def _publish_rows(self) -> None:
        """Rebuild the rows this input may have changed: bookings written or removed in layer 1
        and those with queued mutations before or after it (a prediction depends on the time and
        on other bookings). After a restore, all of them."""
        changed = self._state.take_changes()
        queued = frozenset(m.booking_id for m in self._queue)
        if changed is None:
            inserted, updated, removed = self._publish_all()
        else:
            inserted, updated, removed = refresh(
                self._visible,
                self._state.bookings,
                self._queue,
                self.user,
                self.now,
                changed | queued | self._queued_before,
            )
        self._queued_before = queued
        if inserted or updated or removed:
            self._out.append(RowsChanged(inserted, updated, removed))

    def _publish_all(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        before = self._visible
        visible = replay(self._state.bookings, self._queue, self.user, self.now, before)
        if not before:  # the start from a cache: every row is new (no set arithmetic at 100k)
            self._visible.update(visible)
            return frozenset(visible), frozenset(), frozenset()
        updated = frozenset(
            k
            for k in visible.keys() & before.keys()
            if visible[k] is not before[k] and visible[k] != before[k]
        )
        inserted = frozenset(visible.keys() - before.keys())
        removed = frozenset(before.keys() - visible.keys())
        # In place, so the `visible` view the shell holds stays current.
        self._visible.clear()
        self._visible.update(visible)
        return inserted, updated, removed

    def _derive_status(self) -> SyncStatus:
        pending = len(self._queue)
        state, detail = self._state_and_detail(pending)
        return SyncStatus(state, self._last_synced_at, pending, detail)

    def _state_and_detail(self, pending: int) -> tuple[SyncState, str]:
        waiting = f" {_changes(pending)} will be sent when back online." if pending else ""
        if self._signed_out:
            return SyncState.OFFLINE, "Signed out: sign in again to sync." + waiting
        if not self._online:
            return SyncState.OFFLINE, "No network." + waiting
        if not self._reachable and not self._link.is_open:
            return SyncState.OFFLINE, "Cannot reach the server; retrying." + waiting
        if not self._state.loaded:
            return SyncState.UPDATING, "Loading bookings…"
        if pending:
            return SyncState.UPDATING, f"Saving {_changes(pending)}…"
        if not self._link.is_open:
            return SyncState.SYNCHRONIZED, "Up to date (checking for changes periodically)."
        return SyncState.SYNCHRONIZED, "Up to date."

    def _next_wakeup(self) -> datetime | None:
        if not self._started or self._signed_out:
            return None
        times = [request.deadline for request in self._requests.values()]
        if self._online:
            times += [m.retry_at for m in self._queue if m.retry_at and m.request_id is None]
            if self._fetch_retry_at is not None:
                times.append(self._fetch_retry_at)
            if self._fetch_not_before is not None:
                times.append(self._fetch_not_before)
            times += self._link.wakeups()
        future = [t for t in times if t > self.now]
        return min(future) if future else None

    # --- helpers ---------------------------------------------------------------------------------

    def _poll_interval(self) -> timedelta:
        active = any(row.booking.status in ACTIVE_STATUSES for row in self._visible.values())
        return self.config.poll_active if active else self.config.poll_idle

    def _backoff(self) -> Iterator[timedelta]:
        config = self.config
        return backoff(config.backoff_initial, config.backoff_max, config.backoff_factor, self._rng)

    def _count(self, **increments: int) -> None:
        values = {name: getattr(self._counters, name) + n for name, n in increments.items()}
        self._counters = replace(self._counters, **values)


def _changes(count: int) -> str:
    return "1 change" if count == 1 else f"{count} changes"
