"""The sync engine: a sans-IO state machine from inputs to commands (see h11's `_state.py`).

Theory of operation. The engine holds two layers:

1. the confirmed server state: bookings by id (each with its version) and the event cursor
   (`server_state.ServerState`);
2. an ordered queue of the user's mutations (the outbox) not yet confirmed by the server
   (`mutations.MutationQueue`; each mutation's life is the table in `mutations.py`).

What the user sees is layer 1 with layer 2 replayed over it through booking_core's rules
(`visible.replay`), so a change shows at once and the server's answer only confirms it. Server data
(replies, socket events, fetches) merges into layer 1 by version: older or duplicate data is
ignored. A mutation is sent when it is the first of its booking in the queue (one request in flight
per booking; changes that take a time slot also wait for everything queued before them). A
mutation never sent is re-checked against the newest server state just before it goes out: if it
no longer applies it is dropped and reported, otherwise it is sent with the newest version in
If-Match. A mutation already sent may have been applied, so it is only ever resent identically
until the server answers; the server's idempotency replay then tells what happened.

The parts, each owning its state (they reach the engine through `host.Host`):
- `Link` (`link.py`): the socket's state, reconnect delays, and polling while it is down;
- `Stream` (`stream.py`): what comes through the socket: events, hello, presence;
- `Fetcher` (`fetcher.py`): the listing fetches owed, out, and backing off;
- `Sender` (`sending.py`): each `Mutation` along its table, from queued to done;
- `CatalogSync` (`catalog_sync.py`): a master's services, hours and time off, fetched, edited
  and sent the same way (its own two layers, `catalog.py`; its changes persist in the outbox).
The engine dispatches inputs to them and ends every `handle()` by publishing what changed
(`publish.Publisher`): rows with their new state, sync status, outbox, next wakeup.

Retries: a failed attempt counts towards `max_retries` only when the server was reachable while it
was out (socket open, or an answer since it left) and not busy (429/503 or Retry-After, which are
waited for as told, bounded by `stale_after`). Fetches also wait as long as Retry-After says.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from types import MappingProxyType

from booking_core import ACTIVE_STATUSES, Booking, Refused, UserPublic, Viewer
from desktop_app.sync.backoff import backoff
from desktop_app.sync.catalog import CatalogView
from desktop_app.sync.catalog_sync import CatalogSync
from desktop_app.sync.commands import (
    BookingIdAssigned,
    CloseSocket,
    Command,
    Rollback,
    ShowRollback,
    SignInRequired,
)
from desktop_app.sync.config import SyncConfig
from desktop_app.sync.fetcher import Fetcher
from desktop_app.sync.inputs import (
    CatalogIntentMade,
    Create,
    EventReceived,
    Input,
    Intent,
    IntentMade,
    NetworkChanged,
    ReplyReceived,
    RequestFailed,
    Reschedule,
    SocketClosed,
    SocketOpened,
    Started,
    TimerFired,
    ViewingChanged,
    WatchingAvailability,
)
from desktop_app.sync.link import Link
from desktop_app.sync.mutations import Mutation, MutationQueue, MutationState
from desktop_app.sync.outbox import OutboxEntry
from desktop_app.sync.publish import Publisher
from desktop_app.sync.replies import read_reply
from desktop_app.sync.sending import Sender
from desktop_app.sync.server_state import ServerState
from desktop_app.sync.status import Snapshot, SyncCounters, SyncStatus, derive_status
from desktop_app.sync.stream import Stream
from desktop_app.sync.visible import BookingsView, VisibleBooking, action_of, predict, target_of
from desktop_app.sync.wire import booking_of


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
        self.rng = rng if rng is not None else random.Random()
        self.new_id = new_id if new_id is not None else (lambda: str(uuid.uuid4()))
        self._now: datetime | None = None
        self._started = self._signed_out = False
        self._online = self._reachable = True
        self.state = ServerState()
        self.queue = MutationQueue()
        self.link = Link(self._backoff)
        self.fetcher = Fetcher(self, self._backoff)
        self._stream = Stream(self)
        self._sender = Sender(self)
        self.catalog_sync = CatalogSync(self, self._backoff)
        self._publisher = Publisher()
        self.counters = SyncCounters()
        self.last_contact: datetime | None = None
        self.last_synced_at: datetime | None = None
        self._last_intent: dict[str, tuple[Intent, datetime]] = {}
        self._renamed: dict[str, str] = {}  # client id of a create -> the id the server gave
        self.out: list[Command] = []

    # --- what the shell may read (values; the rows go out in RowsChanged) ------------------------

    @property
    def status(self) -> SyncStatus:
        return self._publisher.status

    @property
    def server(self) -> Mapping[str, Booking]:
        """The confirmed server state (layer 1), for the cache and tests (read-only)."""
        return MappingProxyType(self.state.bookings)

    @property
    def visible(self) -> Mapping[str, VisibleBooking]:
        """The rows as shown, for tests (read-only); the shell keeps its own from RowsChanged."""
        return MappingProxyType(self._publisher.visible)

    @property
    def cursor(self) -> int | None:
        return self.state.cursor

    @property
    def outbox(self) -> tuple[OutboxEntry, ...]:
        return self.queue.entries()

    @property
    def catalog(self) -> CatalogView:
        """The master's catalog as shown (the shell keeps its own from CatalogChanged)."""
        return self.catalog_sync.view

    @property
    def confirmed_catalog(self) -> CatalogView | None:
        """The confirmed catalog (layer 1, nothing pending), for the cache; None until known."""
        return self.catalog_sync.confirmed

    @property
    def next_wakeup(self) -> datetime | None:
        return self._publisher.wakeup

    def snapshot(self) -> Snapshot:
        """Everything a diagnostics panel shows, as values."""
        return Snapshot(
            self.status,
            self.counters,
            self.outbox,
            self.cursor,
            self.next_wakeup,
            self.link.state.value,
            len(self.state.bookings),
            self.catalog_sync.queue.entries(),
        )

    def viewers(self, booking_id: str) -> tuple[Viewer, ...]:
        """Who else is looking at a booking now, as the last presence message said."""
        return self._stream.viewers(booking_id)

    @property
    def now(self) -> datetime:
        assert self._now is not None, "handle() sets the time first"
        return self._now

    def handle(self, event: Input) -> list[Command]:
        """Advance the state machine by one input; return what the shell must do, in order."""
        self._now = event.now
        self.out = []
        self._dispatch(event)
        if self._started and not self._signed_out:
            self.fetcher.expire()
            self._sender.expire()
            self.catalog_sync.expire()
            self._pump()
        self._publish()
        out, self.out = self.out, []
        return out

    # --- dispatch --------------------------------------------------------------------------------

    def _dispatch(self, event: Input) -> None:
        match event:
            case Started():
                self._on_started(event)
            case IntentMade(intent):
                self._on_intent(intent)
            case ReplyReceived(request_id, status, headers, body):
                self._on_reply(request_id, status, dict(headers), body)
            case RequestFailed(request_id):
                self._on_failed(request_id)
            case EventReceived(message):
                self._stream.received(message)
            case SocketOpened():
                self._stream.opened()
            case SocketClosed(_, code):
                self._stream.closed(code)
            case NetworkChanged(online):
                self._on_network(online)
            case ViewingChanged(booking_id):
                self._stream.view(booking_id)
            case CatalogIntentMade(intent):
                self.catalog_sync.intent(intent)
            case WatchingAvailability(master_id):
                self._stream.watch(master_id)
            case TimerFired():
                pass  # due work is done by expire() and _pump

    def _on_started(self, event: Started) -> None:
        if self._started:
            return
        self._started = True
        self.queue.restore(event.outbox)
        if event.cursor is None:
            self.fetcher.want_full()
        else:
            self.state.restore(event.bookings, event.cursor)
            self.fetcher.want_delta()
            self.last_synced_at = event.synced_at  # offline, the user sees how old the cache is
        self.catalog_sync.start(event.catalog_outbox, event.catalog)
        self._stream.open()

    def _on_intent(self, made: Intent) -> None:
        intent = self._follow_rename(made)
        if intent is None:
            return  # the same create again, after the server gave it its id
        booking_id = target_of(intent)
        last = self._last_intent.get(booking_id)
        if last is not None and last[0] == intent and self.now - last[1] < self.config.debounce:
            self.count(debounced=1)
            return  # a double click, not a second change
        self._last_intent[booking_id] = (intent, self.now)
        shown = self._publisher.visible
        if isinstance(intent, Create) and booking_id in shown:
            return  # the same create again
        # No copy: a row differs from layer 1 only where a change is queued (see BookingsView).
        view = BookingsView(shown, self._publisher.queued)
        slots, now = self.state.slots, self.now
        result = predict(view, booking_id, intent, self.user, now=now, made_at=now, slots=slots)
        if isinstance(result, Refused):
            self.count(refused=1)
            self.report(booking_id, intent, result.code.value)
            return
        if isinstance(intent, Reschedule) and self.queue.merge_edit(booking_id, intent.patch):
            return  # a drag or typing burst: one PATCH with the latest values
        base = self.state.bookings.get(booking_id)
        self.queue.append(Mutation(self.new_id(), intent, booking_id, self.now, base))

    def _follow_rename(self, intent: Intent) -> Intent | None:
        """An intent on a created booking's client id (made before the view followed the new id)
        is about its server id; a create repeated then is None: nothing new. A create booked on
        a catalog service by its client id names the service's server id once known."""
        if isinstance(intent, Create) and intent.body.service_id is not None:
            service_id = self.catalog_sync.service_id(intent.body.service_id)
            if service_id != intent.body.service_id:
                body = intent.body.model_copy(update={"service_id": service_id})
                intent = Create(intent.client_id, body)
        server_id = self._renamed.get(target_of(intent))
        if server_id is None:
            return intent
        if isinstance(intent, Create):
            return None
        return replace(intent, booking_id=server_id)

    def rename(self, client_id: str, booking_id: str) -> None:
        """A created booking got its server id (the sender learnt it from the reply)."""
        self.queue.rename(client_id, booking_id)
        self._renamed[client_id] = booking_id
        last = self._last_intent.pop(client_id, None)
        if last is not None:  # a double click on the old id still debounces
            intent = self._follow_rename(last[0])
            if intent is not None:
                self._last_intent[booking_id] = (intent, last[1])
        self.out.append(BookingIdAssigned(client_id, booking_id))

    def report(self, booking_id: str, intent: Intent, code: str) -> None:
        """Tell the user a change of theirs was undone or refused, with the booking as now known."""
        current = self.state.bookings.get(booking_id)
        rollback = Rollback(booking_id, action_of(intent), code, current, intent)
        self.out.append(ShowRollback(rollback))

    def _on_reply(
        self, request_id: str, status: int, headers: dict[str, str], body: object | None
    ) -> None:
        self.contact()
        fetch = self.fetcher.take(request_id)
        if fetch is not None:
            self.fetcher.on_reply(fetch, status, headers, body)
        elif self.catalog_sync.answered(request_id, status, headers, body):
            pass
        elif not self._sender.answered(request_id, read_reply(status, headers, body), body):
            booking = booking_of(body) if 200 <= status < 300 else None
            if booking is not None:  # a late answer nobody waits for is still the server's word
                self.state.merge(booking)

    def _on_failed(self, request_id: str) -> None:
        fetch = self.fetcher.take(request_id)
        if fetch is not None:
            self._reachable = False
            self.fetcher.on_failed(fetch)
        elif self._sender.failed(request_id) or self.catalog_sync.failed(request_id):
            self._reachable = False

    # --- connectivity ----------------------------------------------------------------------------

    def _on_network(self, online: bool) -> None:
        """Offline pauses sending. Online (also when already online: "Sync now") tries
        everything at once instead of waiting out the backoff, and asks what changed."""
        self._online = online
        if not online:
            return
        self.fetcher.hurry(self.state.cursor)
        self.link.hurry(self.now)
        self.queue.hurry()
        self.catalog_sync.hurry()

    def sign_out(self, reason: str) -> None:
        if self._signed_out:
            return
        self._signed_out = True
        self.link.disable()
        self.fetcher.in_flight = None
        self.queue.abandon()
        self.catalog_sync.signed_out()
        self.out.append(CloseSocket())
        self.out.append(SignInRequired(reason))

    def contact(self) -> None:
        self.last_contact = self.now
        self._reachable = True

    def reachable_since(self, sent_at: datetime) -> bool:
        """Whether the server showed it was reachable while a request was out (its live socket
        is open, or it answered something after the request left): only then does a failed
        attempt count, not while we are offline or it is down."""
        contact = self.last_contact
        if not self._online:
            return False
        return self.link.is_open or (contact is not None and contact > sent_at)

    def _pump(self) -> None:
        if not self._online:
            return
        self.fetcher.pump()
        if self.link.reconnect_due(self.now):
            self._stream.open()
        self._sender.pump()
        self.catalog_sync.pump()

    # --- publishing ------------------------------------------------------------------------------

    def _publish(self) -> None:
        rows = self._publisher.rows(self.state, self.queue, self.user, self.now)
        if rows is not None:
            self.out.append(rows)
        status = derive_status(
            signed_out=self._signed_out,
            online=self._online,
            reachable=self._reachable,
            socket_open=self.link.is_open,
            loaded=self.state.loaded,
            pending=len(self.queue) + len(self.catalog_sync),
            last_synced_at=self.last_synced_at,
        )
        self.out += self.catalog_sync.publish()
        self.out += self._publisher.others(self.outbox, status, self._next_wakeup())

    def _next_wakeup(self) -> datetime | None:
        if not self._started or self._signed_out:
            return None
        fetch = self.fetcher.in_flight
        times = self.queue.deadlines() + ([fetch.deadline] if fetch is not None else [])
        times += self.catalog_sync.wakeups(self._online)
        if self._online:
            waiting = MutationState.WAITING_RETRY
            times += [m.retry_at for m in self.queue if m.retry_at and m.state is waiting]
            times += self.fetcher.wakeups() + self.link.wakeups()
        future = [t for t in times if t > self.now]
        return min(future) if future else None

    def poll_interval(self) -> timedelta:
        rows = self._publisher.visible.values()
        active = any(row.booking.status in ACTIVE_STATUSES for row in rows)
        return self.config.poll_active if active else self.config.poll_idle

    def _backoff(self) -> Iterator[timedelta]:
        config = self.config
        return backoff(config.backoff_initial, config.backoff_max, config.backoff_factor, self.rng)

    def count(self, **increments: int) -> None:
        values = {name: getattr(self.counters, name) + n for name, n in increments.items()}
        self.counters = replace(self.counters, **values)
