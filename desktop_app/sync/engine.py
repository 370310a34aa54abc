"""The sync engine: a sans-IO state machine from inputs to commands (see h11's `_state.py`).

Theory of operation. The engine holds two layers:

1. the confirmed server state: bookings by id (each with its version) and the event cursor;
2. an ordered queue of the user's mutations (the outbox) not yet confirmed by the server.

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

Every `handle()` ends by publishing what changed: rows, sync status, outbox, next wakeup.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from types import MappingProxyType
from typing import Literal
from urllib.parse import quote

from pydantic import ValidationError

from booking_core import (
    ACTIVE_STATUSES,
    Booking,
    BookingList,
    BookingPatch,
    BookingUpdated,
    ErrorMessage,
    Hello,
    Presence,
    Refused,
    ResyncRequired,
    UserPublic,
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
    Transition,
)
from desktop_app.sync.outbox import OutboxEntry
from desktop_app.sync.replies import Reply, Verdict, read_reply
from desktop_app.sync.status import SyncCounters, SyncState, SyncStatus
from desktop_app.sync.visible import VisibleBooking, action_of, predict, replay, target_of
from desktop_app.sync.words import NOT_CONFIRMED, rollback_message

BOOKINGS_PATH = "/api/v1/bookings"
SOCKET_UNAUTHORIZED = 4401


class _Socket(Enum):
    DOWN = "down"
    CONNECTING = "connecting"
    OPEN = "open"
    DISABLED = "disabled"  # signed out: never reconnect


@dataclass(slots=True)
class _Mutation:
    """A queued user change; the mutable twin of `OutboxEntry` plus in-memory timing."""

    key: str
    intent: Intent
    booking_id: str
    made_at: datetime
    base: Booking | None = None
    sent: bool = False
    first_sent_at: datetime | None = None
    request_id: str | None = None
    retry_at: datetime | None = None
    attempts: int = 0
    conflicted: bool = False
    hold_for_fetch: bool = False

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
    def restore(cls, entry: OutboxEntry) -> _Mutation:
        return cls(
            entry.key,
            entry.intent,
            entry.booking_id,
            entry.made_at,
            entry.base,
            entry.sent,
            entry.first_sent_at,
        )


@dataclass(frozen=True, slots=True)
class _Fetch:
    kind: Literal["full", "delta", "poll"]
    deadline: datetime
    known: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Send:
    key: str
    deadline: datetime


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
        self._server: dict[str, Booking] = {}
        self._cursor: int | None = None
        self._loaded = False
        self._need_full = False
        self._need_delta = False
        self._fetch_retry_at: datetime | None = None
        self._fetch_backoff = self._backoff()
        self._queue: list[_Mutation] = []
        self._requests: dict[str, _Fetch | _Send] = {}
        self._expired: dict[str, str] = {}  # request id -> key, for answers after our timeout
        self._socket = _Socket.DOWN
        self._socket_opened_before = False
        self._socket_since: int | None = None
        self._stream_from: int | None = None  # the socket delivers every event after this seq
        self._reconnect_at: datetime | None = None
        self._socket_backoff = self._backoff()
        self._poll_at: datetime | None = None
        self._last_contact: datetime | None = None
        self._last_synced_at: datetime | None = None
        self._last_intent: dict[str, tuple[Intent, datetime]] = {}
        self._counters = SyncCounters()
        self._visible: dict[str, VisibleBooking] = {}
        self._status = SyncStatus(SyncState.UPDATING, None, 0, "Starting")
        self._published_outbox: tuple[OutboxEntry, ...] = ()
        self._wakeup: datetime | None = None
        self._out: list[Command] = []

    # --- public view -----------------------------------------------------------------------------

    @property
    def visible(self) -> Mapping[str, VisibleBooking]:
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
        return MappingProxyType(self._server)

    @property
    def cursor(self) -> int | None:
        return self._cursor

    @property
    def outbox(self) -> tuple[OutboxEntry, ...]:
        return tuple(m.entry() for m in self._queue)

    @property
    def next_wakeup(self) -> datetime | None:
        return self._wakeup

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
        self._queue.extend(_Mutation.restore(entry) for entry in event.outbox)
        if event.cursor is None:
            self._need_full = True
        else:
            self._server = {booking.id: booking for booking in event.bookings}
            self._cursor = event.cursor
            self._need_delta = True
        self._open_socket()

    # --- intents ---------------------------------------------------------------------------------

    def _on_intent(self, intent: Intent) -> None:
        booking_id = target_of(intent)
        last = self._last_intent.get(booking_id)
        if last is not None and last[0] == intent and self.now - last[1] < self.config.debounce:
            self._count(debounced=1)
            return  # a double click, not a second change
        self._last_intent[booking_id] = (intent, self.now)
        if isinstance(intent, Create) and booking_id in self._visible:
            return  # the same create again
        shown = {bid: row.booking for bid, row in self._visible.items()}
        result = predict(shown, booking_id, intent, self.user, now=self.now, made_at=self.now)
        if isinstance(result, Refused):
            self._count(refused=1)
            self._report(booking_id, intent, result.code.value)
            return
        tail = self._tail(booking_id)
        if (
            tail is not None
            and isinstance(tail.intent, Reschedule)
            and isinstance(intent, Reschedule)
            and not tail.sent
            and tail.request_id is None
        ):
            tail.intent = Reschedule(booking_id, _merged(tail.intent.patch, intent.patch))
            return
        base = self._server.get(booking_id)
        self._queue.append(_Mutation(self._new_id(), intent, booking_id, self.now, base))

    def _tail(self, booking_id: str) -> _Mutation | None:
        for mutation in reversed(self._queue):
            if mutation.booking_id == booking_id:
                return mutation
        return None

    # --- replies ---------------------------------------------------------------------------------

    def _on_reply(self, request_id: str, reply: Reply, body: object | None) -> None:
        self._contact()
        request = self._requests.pop(request_id, None)
        if request is None:
            self._on_late_reply(request_id, reply, body)
        elif isinstance(request, _Fetch):
            self._on_fetch_reply(request, reply, body)
        else:
            mutation = self._mutation(request.key)
            if mutation is not None:
                self._on_mutation_reply(mutation, reply, body)
            elif reply.verdict is Verdict.OK:
                self._merge_body(body)

    def _on_late_reply(self, request_id: str, reply: Reply, body: object | None) -> None:
        """An answer after we gave up waiting: it is still the server's word on that key."""
        key = self._expired.pop(request_id, None)
        mutation = self._mutation(key) if key is not None else None
        if mutation is not None and reply.verdict is not Verdict.RETRY:
            if mutation.request_id is not None:
                self._requests.pop(mutation.request_id, None)
                self._expired[mutation.request_id] = mutation.key
            self._on_mutation_reply(mutation, reply, body)
        elif reply.verdict is Verdict.OK:
            self._merge_body(body)

    def _merge_body(self, body: object | None) -> None:
        booking = _booking_of(body)
        if booking is not None:
            self._merge(booking)

    def _on_mutation_reply(self, mutation: _Mutation, reply: Reply, body: object | None) -> None:
        mutation.request_id = None
        match reply.verdict:
            case Verdict.OK:
                self._confirm(mutation, _booking_of(body))
            case Verdict.CONFLICT:
                self._conflict(mutation, reply.current)
            case Verdict.GONE:
                self._server.pop(mutation.booking_id, None)
                self._drop(mutation, reply.code)
            case Verdict.RETRY:
                self._retry_later(mutation, reply.retry_after)
            case Verdict.SIGN_IN:
                self._sign_out("The server asked to sign in again.")
            case Verdict.REFUSED | Verdict.CURSOR_EXPIRED:
                if reply.current is not None:
                    self._merge(reply.current)
                self._need_delta = True  # our copy was stale, or the server would have agreed
                self._drop(mutation, reply.code)

    def _confirm(self, mutation: _Mutation, booking: Booking | None) -> None:
        self._queue.remove(mutation)
        self._forget_requests(mutation.key)
        self._count(confirmed=1)
        self._last_synced_at = self.now
        if booking is None:
            self._need_delta = True  # a success without a readable booking: ask for it
            return
        self._merge(booking)
        if isinstance(mutation.intent, Create) and booking.id != mutation.booking_id:
            self._rename(mutation.booking_id, booking.id)
        # Our own change moved the version on: later changes of ours build on it, not on a conflict.
        for later in self._queue:
            if later.booking_id == booking.id and not later.sent:
                later.base = self._server[booking.id]

    def _rename(self, client_id: str, booking_id: str) -> None:
        for later in self._queue:
            if later.booking_id == client_id:
                later.booking_id = booking_id
                later.intent = _retarget(later.intent, booking_id)
        if client_id in self._last_intent:
            self._last_intent[booking_id] = self._last_intent.pop(client_id)
        self._out.append(BookingIdAssigned(client_id, booking_id))

    def _conflict(self, mutation: _Mutation, current: Booking | None) -> None:
        """412: the If-Match was stale, nothing changed. Re-check and resend as a new request."""
        self._count(conflicts=1)
        self._forget_requests(mutation.key)
        mutation.key = self._new_id()  # the old key's stored answer is this 412 forever
        mutation.sent = False
        mutation.attempts = 0
        mutation.retry_at = None
        mutation.conflicted = True
        if current is not None:
            self._merge(current)
        else:
            mutation.hold_for_fetch = True
            self._need_delta = True

    def _retry_later(self, mutation: _Mutation, after: timedelta | None = None) -> None:
        mutation.attempts += 1
        self._count(retries=1)
        if self._is_stale(mutation):
            self._need_delta = True  # learn whether it happened after all
            self._drop(mutation, NOT_CONFIRMED)
            return
        delay = after if after is not None else self._retry_delay(mutation.attempts)
        mutation.retry_at = self.now + delay

    def _is_stale(self, mutation: _Mutation) -> bool:
        """Given up on only when the server was reachable since we first sent: offline, we wait."""
        first = mutation.first_sent_at
        if first is None or self._last_contact is None or self._last_contact <= first:
            return False
        too_long = self.now - first >= self.config.stale_after
        return too_long or mutation.attempts > self.config.max_retries

    def _retry_delay(self, attempts: int) -> timedelta:
        ceiling = min(
            self.config.backoff_max,
            self.config.backoff_initial * self.config.backoff_factor ** max(0, attempts - 1),
        )
        return ceiling * self._rng.random()

    def _drop(self, mutation: _Mutation, code: str) -> None:
        self._queue.remove(mutation)
        self._forget_requests(mutation.key)
        self._count(rollbacks=1)
        self._report(mutation.booking_id, mutation.intent, code)
        if isinstance(mutation.intent, Create):
            # Changes made to a booking that was never created go with it, for the same reason.
            for later in [m for m in self._queue if m.booking_id == mutation.booking_id]:
                self._drop(later, code)

    def _report(self, booking_id: str, intent: Intent, code: str) -> None:
        action = action_of(intent)
        current = self._server.get(booking_id)
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
        mutation = self._mutation(request.key)
        if mutation is not None:
            self._expired[request_id] = request.key
            mutation.request_id = None
            self._retry_later(mutation)

    def _expire_requests(self) -> None:
        for request_id, request in list(self._requests.items()):
            if request.deadline <= self.now:
                del self._requests[request_id]
                self._after_failure(request_id, request)

    def _mutation(self, key: str) -> _Mutation | None:
        return next((m for m in self._queue if m.key == key), None)

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
        listing = _listing_of(body) if reply.verdict is Verdict.OK else None
        if listing is None:
            self._fetch_failed(fetch)
            return
        if fetch.kind == "full":
            self._apply_full(fetch, listing)
        else:
            self._apply_delta(listing)
        self._fetch_backoff = self._backoff()
        self._fetch_retry_at = None
        self._last_synced_at = self.now
        self._check_stream_gap()
        for mutation in self._queue:
            mutation.hold_for_fetch = False
        if self._socket is not _Socket.OPEN:
            self._poll_at = self.now + self._poll_interval()

    def _apply_full(self, fetch: _Fetch, listing: BookingList) -> None:
        listed = {booking.id for booking in listing.bookings}
        # Known when the request left and absent from the answer: gone (or no longer ours).
        for booking_id in fetch.known - listed:
            self._server.pop(booking_id, None)
        for booking in listing.bookings:
            self._merge(booking)
        self._cursor = listing.cursor
        self._loaded = True
        self._need_full = False
        self._count(full_loads=1)

    def _apply_delta(self, listing: BookingList) -> None:
        for booking in listing.bookings:
            self._merge(booking)
        if self._cursor is None or listing.cursor > self._cursor:
            self._cursor = listing.cursor
        self._loaded = True
        self._count(delta_loads=1)

    def _fetch_failed(self, fetch: _Fetch) -> None:
        if fetch.kind == "delta":
            self._need_delta = True
        if fetch.kind == "poll":
            self._poll_at = self.now + self._poll_interval()
        else:
            self._fetch_retry_at = self.now + next(self._fetch_backoff)

    def _merge(self, booking: Booking) -> bool:
        """Take `booking` if it is newer than what we have; older and duplicate data is ignored."""
        known = self._server.get(booking.id)
        if known is not None and known.version >= booking.version:
            return False
        self._server[booking.id] = booking
        return True

    # --- socket ----------------------------------------------------------------------------------

    def _on_message(self, message: ServerEvent) -> None:
        self._contact()
        match message:
            case BookingUpdated():
                self._on_booking_updated(message)
            case Hello(cursor=cursor):
                self._on_hello(cursor)
            case ResyncRequired():
                self._need_full = True
            case Presence(booking_id=booking_id, viewers=viewers):
                self._out.append(PresenceChanged(booking_id, tuple(viewers)))
            case ErrorMessage():
                pass  # the server did not understand a frame of ours; nothing to repair here

    def _on_hello(self, cursor: int) -> None:
        # Without `since` the stream starts after `cursor`; with it, after `since`. Whatever lies
        # between our cursor and the stream's start must be fetched.
        since = self._socket_since
        self._stream_from = cursor if since is None else min(since, cursor)
        if self._cursor is not None and cursor < self._cursor:
            self._need_full = True  # the server went back in time (restored or reset)
        self._check_stream_gap()

    def _check_stream_gap(self) -> None:
        cursor, start = self._cursor, self._stream_from
        if cursor is not None and start is not None and cursor < start:
            self._need_delta = True

    def _on_booking_updated(self, event: BookingUpdated) -> None:
        latency = max(timedelta(0), self.now - event.booking.updated_at)
        worst = self._counters.max_event_latency
        self._counters = replace(
            self._counters,
            event_latency=latency,
            max_event_latency=latency if worst is None else max(worst, latency),
        )
        self._count(events=1)
        if not self._merge(event.booking):
            self._count(ignored_events=1)
        if self._cursor is None or event.seq <= self._cursor:
            return
        if event.seq == self._cursor + 1:
            self._cursor = event.seq
            self._last_synced_at = self.now
        else:
            self._count(gaps=1)
            self._need_delta = True

    def _on_socket_opened(self) -> None:
        if self._socket is _Socket.DISABLED:
            return
        if self._socket_opened_before:
            self._count(reconnects=1)
        self._socket_opened_before = True
        self._socket = _Socket.OPEN
        self._socket_backoff = self._backoff()
        self._reconnect_at = None
        self._poll_at = None
        self._contact()

    def _on_socket_closed(self, code: int | None) -> None:
        if self._socket is _Socket.DISABLED:
            return
        if code == SOCKET_UNAUTHORIZED:
            self._sign_out("The live connection was refused: sign in again.")
            return
        self._socket = _Socket.DOWN
        self._stream_from = None
        self._reconnect_at = self.now + next(self._socket_backoff)
        if self._poll_at is None:
            self._poll_at = self.now + self._poll_interval()

    def _open_socket(self) -> None:
        self._socket = _Socket.CONNECTING
        self._socket_since = self._cursor
        self._stream_from = None
        self._reconnect_at = None
        self._out.append(OpenSocket(self._cursor))

    def _on_network(self, online: bool) -> None:
        """Offline pauses sending. Online (also when already online: "Sync now") tries
        everything at once instead of waiting out the backoff, and asks what changed."""
        self._online = online
        if not online:
            return
        self._need_delta = self._cursor is not None
        self._socket_backoff = self._backoff()
        self._fetch_backoff = self._backoff()
        self._fetch_retry_at = None
        if self._socket is _Socket.DOWN:
            self._reconnect_at = self.now
            self._poll_at = self.now
        for mutation in self._queue:
            mutation.retry_at = None

    def _sign_out(self, reason: str) -> None:
        if self._signed_out:
            return
        self._signed_out = True
        self._socket = _Socket.DISABLED
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
        if self._socket is _Socket.DOWN and self._due(self._reconnect_at):
            self._open_socket()
        self._pump_mutations()

    def _due(self, at: datetime | None) -> bool:
        return at is not None and at <= self.now

    def _pump_fetch(self) -> None:
        if any(isinstance(r, _Fetch) for r in self._requests.values()):
            return
        retry_ok = self._fetch_retry_at is None or self._fetch_retry_at <= self.now
        if self._need_full and retry_ok:
            self._send_fetch("full")
        elif self._cursor is not None and self._need_delta and retry_ok:
            self._need_delta = False
            self._send_fetch("delta")
        elif (
            self._loaded
            and self._socket is not _Socket.OPEN
            and self._due(self._poll_at)
            and not any(isinstance(r, _Send) for r in self._requests.values())
        ):
            self._poll_at = None
            self._send_fetch("poll")

    def _send_fetch(self, kind: Literal["full", "delta", "poll"]) -> None:
        if kind == "full" or self._cursor is None:
            kind, path = "full", BOOKINGS_PATH
        else:
            path = f"{BOOKINGS_PATH}?since={self._cursor}"
        request_id = self._new_id()
        deadline = self.now + self.config.request_timeout
        self._requests[request_id] = _Fetch(kind, deadline, frozenset(self._server))
        self._out.append(SendRequest(request_id, "GET", path, None, {}))

    def _pump_mutations(self) -> None:
        progress = True
        while progress:
            progress = False
            for mutation in self._heads():
                verdict = self._try_send(mutation)
                if verdict == "dropped":
                    progress = True
                    break

    def _heads(self) -> list[_Mutation]:
        seen: set[str] = set()
        heads = []
        for mutation in self._queue:
            if mutation.booking_id not in seen:
                seen.add(mutation.booking_id)
                heads.append(mutation)
        return heads

    def _try_send(self, mutation: _Mutation) -> Literal["sent", "waiting", "dropped"]:
        if mutation.request_id is not None or mutation.hold_for_fetch:
            return "waiting"
        # A change that takes a slot goes only after everything before it: one of those may free
        # the slot. Until then it is re-checked without the overlap test.
        in_turn = not _takes_slot(mutation.intent) or mutation is self._queue[0]
        if not mutation.sent and not isinstance(mutation.intent, Create):
            if not self._loaded:
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

    def _recheck(self, mutation: _Mutation, *, check_slots: bool) -> str | None:
        """Re-check an unsent change against the newest server state: a refusal code, or None."""
        current = self._server.get(mutation.booking_id)
        if current is None:
            return "not_found"
        result = predict(
            self._server,
            mutation.booking_id,
            mutation.intent,
            self.user,
            now=self.now,
            made_at=mutation.made_at,
            check_slots=check_slots,
        )
        if isinstance(result, Refused):
            return result.code.value
        if _fields_overtaken(mutation, current):
            return "version_conflict"
        mutation.base = current
        return None

    def _send_mutation(self, mutation: _Mutation) -> None:
        method, path, body = _request_of(mutation)
        headers = {"Idempotency-Key": mutation.key}
        if mutation.base is not None and not isinstance(mutation.intent, Create):
            headers["If-Match"] = f'"{mutation.base.version}"'
        request_id = self._new_id()
        mutation.request_id = request_id
        mutation.retry_at = None
        mutation.sent = True
        if mutation.first_sent_at is None:
            mutation.first_sent_at = self.now
        self._requests[request_id] = _Send(mutation.key, self.now + self.config.request_timeout)
        self._out.append(SendRequest(request_id, method, path, body, headers))

    # --- publishing ------------------------------------------------------------------------------

    def _publish(self) -> None:
        before = self._visible
        visible = replay(self._server, self._queue, self.user, self.now, before)
        inserted = frozenset(visible.keys() - before.keys())
        removed = frozenset(before.keys() - visible.keys())
        updated = frozenset(
            k
            for k in visible.keys() & before.keys()
            if visible[k] is not before[k] and visible[k] != before[k]
        )
        self._visible = visible
        if inserted or updated or removed:
            self._out.append(RowsChanged(inserted, updated, removed))
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
        if not self._reachable and self._socket is not _Socket.OPEN:
            return SyncState.OFFLINE, "Cannot reach the server; retrying." + waiting
        if not self._loaded:
            return SyncState.UPDATING, "Loading bookings…"
        if pending:
            return SyncState.UPDATING, f"Saving {_changes(pending)}…"
        if self._socket is not _Socket.OPEN:
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
            if self._socket is _Socket.DOWN and self._reconnect_at is not None:
                times.append(self._reconnect_at)
            if self._socket is not _Socket.OPEN and self._poll_at is not None:
                times.append(self._poll_at)
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


def _merged(old: BookingPatch, new: BookingPatch) -> BookingPatch:
    fields = old.model_dump(exclude_none=True) | new.model_dump(exclude_none=True)
    return BookingPatch.model_validate(fields)


def _retarget(intent: Intent, booking_id: str) -> Intent:
    if isinstance(intent, Create):
        return intent
    return replace(intent, booking_id=booking_id)


def _takes_slot(intent: Intent) -> bool:
    return isinstance(intent, Create) or (
        isinstance(intent, Reschedule) and intent.patch.starts_at is not None
    )


def _fields_overtaken(mutation: _Mutation, current: Booking) -> bool:
    """Whether someone else changed a field this PATCH sets since the user saw the booking."""
    base = mutation.base
    if not isinstance(mutation.intent, Reschedule) or base is None:
        return False
    if base.version == current.version:
        return False
    names = mutation.intent.patch.model_dump(exclude_none=True).keys()
    return any(getattr(base, name) != getattr(current, name) for name in names)


def _request_of(mutation: _Mutation) -> tuple[str, str, object]:
    match mutation.intent:
        case Transition(_, action, reason):
            body: dict[str, object] = {"action": action.value}
            if reason is not None:
                body["reason"] = reason
            path = f"{BOOKINGS_PATH}/{quote(mutation.booking_id, safe='')}/transitions"
            return "POST", path, body
        case Reschedule(_, patch):
            path = f"{BOOKINGS_PATH}/{quote(mutation.booking_id, safe='')}"
            return "PATCH", path, patch.model_dump(mode="json", exclude_none=True)
        case Create(_, create):
            return "POST", BOOKINGS_PATH, create.model_dump(mode="json", exclude_none=True)


def _booking_of(body: object | None) -> Booking | None:
    try:
        return Booking.model_validate(body)
    except ValidationError:
        return None


def _listing_of(body: object | None) -> BookingList | None:
    try:
        return BookingList.model_validate(body)
    except ValidationError:
        return None
