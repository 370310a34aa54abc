"""Open WebSocket connections: targeted delivery of booking events, presence, and closing.

Each connection has an outbound queue, drained by a task that starts eagerly when something is
queued and none runs: the frame is written to the transport during the call that queued it (while
the committing request is still on the stack) unless the socket is busy or paused, in which case
the running drain takes it in turn. (A sender task woken per frame ran only after the request had
built and sent its HTTP answer: ~0.4 ms later on every event.) Until its `since` replay has been
queued, live events are held back in a buffer; afterwards only events with a seq above the last
one queued pass, so the replay and the live stream join with no gap and no duplicate.
Every booking:updated frame carries the socket's own `prev_seq` [extension], spliced into the
event's JSON (encoded once for all sockets), so a client can tell a seq jump that skipped nothing of
its own from a real gap.

Presence [extension: across processes]: on a bus that reaches other processes (Redis), the hub
publishes its own viewers of a booking whenever they change and repeats all of them every heartbeat;
it keeps the other processes' viewers until they are not repeated within their `ttl` (3 heartbeats),
so the viewers of a process that died fade out. Each hub sends `presence` to its own sockets.

Bounds [extension]: a connection's queue holds at most `limit` frames and `byte_limit` bytes of
every kind (events, errors, presence, hello). A socket that falls that far behind is not fed
for ever: its queue is dropped, and it gets `resync_required` and close 1013 (it fetches what it
missed). Presence is coalesced: a booking's presence frame waiting in the queue is replaced by
the newer one (the latest viewer set wins; a client never needs the states in between).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from booking_core.events import (
    AvailabilityUpdated,
    BookingUpdated,
    Presence,
    ResyncRequired,
    Viewer,
)
from booking_core.models import Booking
from booking_server.api.presence import Parties, PresenceBoard
from booking_server.bus import (
    Bus,
    BusMessage,
    PresenceMessage,
    PresenceQuery,
    PresenceShared,
    SharedBus,
    TokenRevoked,
)
from booking_server.metrics import Metrics
from booking_server.store import UserRecord

log = logging.getLogger(__name__)

# Another process's viewers hold this many of its heartbeats (a lost message or two is no loss).
PRESENCE_TTL_HEARTBEATS = 3

CLOSE_GOING_AWAY = 1001
CLOSE_POLICY_VIOLATION = 1008
CLOSE_TRY_AGAIN_LATER = 1013
CLOSE_UNAUTHENTICATED = 4401


@dataclass(frozen=True, slots=True)
class Close:
    code: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PresenceSlot:
    """The place of a booking's presence frame in the queue; its text is the latest one."""

    booking_id: str


Outbound = str | Close | PresenceSlot
# Writes what is queued on a connection, in order, until the queue is empty or a Close went out.
Drain = Callable[["Connection"], Coroutine[Any, Any, None]]


def _start_eagerly(coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    """A task that runs at once up to its first real suspension (Python >= 3.12); a plain task
    (run at the loop's next turn) before that."""
    loop = asyncio.get_running_loop()
    if sys.version_info < (3, 12):  # pragma: no cover - no eager tasks before 3.12
        return loop.create_task(coroutine)
    return asyncio.eager_task_factory(loop, coroutine)


@dataclass(eq=False)
class Connection:
    id: int
    user: UserRecord
    token_hash: str
    limit: int
    byte_limit: int = 4 * 1024 * 1024
    queue: deque[Outbound] = field(default_factory=deque)
    # Characters of the text frames in the queue (presence: the latest text of each slot).
    queued_bytes: int = 0
    presence: dict[str, str] = field(default_factory=dict)
    overflowed: bool = False
    last_seq: int = 0
    # The seq of the last booking:updated frame queued here, or where the socket started.
    prev_seq: int = 0
    held: list[tuple[int, str]] | None = field(default_factory=list)
    viewing: str | None = None
    # [extension] The master whose availability this socket watches (watch_availability).
    watching: str | None = None
    closed: bool = False
    # Set once the last frame went out (a Close), the socket failed, or the drain was stopped.
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    _drain: Drain | None = None
    _draining: asyncio.Task[None] | None = None

    def send(self, text: str) -> None:
        if not self.closed and self._fits(len(text)):
            self.queued_bytes += len(text)
            self.put(text)

    def send_presence(self, booking_id: str, text: str) -> None:
        """Queue `text` as the booking's presence; one still waiting is replaced by it."""
        if self.closed:
            return
        waiting = self.presence.get(booking_id)
        grows = len(text) - (len(waiting) if waiting is not None else 0)
        if not self._fits(grows, frames=0 if waiting is not None else 1):
            return
        self.queued_bytes += grows
        self.presence[booking_id] = text
        if waiting is None:
            self.put(PresenceSlot(booking_id))

    def pop(self) -> str | Close:
        """The next frame to write (the drain's side of the queue)."""
        item = self.queue.popleft()
        if isinstance(item, PresenceSlot):
            item = self.presence.pop(item.booking_id)
        if isinstance(item, str):
            self.queued_bytes -= len(item)
        return item

    def _fits(self, size: int, frames: int = 1) -> bool:
        """Whether `size` more bytes (and `frames` more frames) fit; if not, the socket is too
        far behind: it is told to resync and closed."""
        if self.queued_bytes + size <= self.byte_limit and len(self.queue) + frames <= self.limit:
            return True
        self.overflow()
        return False

    def overflow(self) -> None:
        """Drop what waits, ask the client to resync, close 1013."""
        if self.closed:
            return
        log.warning("websocket too slow, asking it to resync", extra={"conn": self.id})
        self.overflowed = True
        self.queue.clear()
        self.presence.clear()
        self.queued_bytes = 0
        text = ResyncRequired().model_dump_json()
        self.queued_bytes += len(text)
        self.put(text)
        self.close(CLOSE_TRY_AGAIN_LATER)

    def close(self, code: int, reason: str = "") -> None:
        if not self.closed:
            self.closed = True
            self.put(Close(code, reason))

    def put(self, item: Outbound) -> None:
        """Queue `item` (even after `close`: the endpoint's final Close) and drain now if idle."""
        self.queue.append(item)
        self._kick()

    def start(self, drain: Drain) -> None:
        """The socket is accepted: frames go out through `drain` from now on."""
        self._drain = drain
        self._kick()

    def stop(self) -> None:
        """Send nothing more (a drain still waiting on the socket is cancelled)."""
        if self._draining is not None:
            self._draining.cancel()
        self.sent_all()

    def sent_all(self) -> None:
        """The drain's word: the Close went out or the socket failed; nothing more is sent."""
        self._drain = None
        self.finished.set()

    def _kick(self) -> None:
        if self._draining is None and self._drain is not None and self.queue:
            task = _start_eagerly(self._drain_queue(self._drain))
            if not task.done():
                self._draining = task  # it waits on the socket; it takes what comes meanwhile

    async def _drain_queue(self, drain: Drain) -> None:
        try:
            await drain(self)
        finally:
            self._draining = None

    def deliver(self, seq: int, text: str, frames: dict[int, str] | None = None) -> bool:
        """Queue a live event (seq, JSON) unless it was replayed already; False if too slow.
        `frames` caches the frame per prev_seq for one event: sockets in step share one string."""
        if self.held is not None:
            self.held.append((seq, text))
            return True
        if seq <= self.last_seq or self.closed:
            return True
        if not self._fits(len(text) + _PREV_SEQ_ROOM):
            return False
        self.last_seq = seq
        self._send_event(seq, text, frames)
        return True

    def go_live(self, replay: list[BookingUpdated], cursor: int, start: int) -> None:
        """Queue the replay, then the events that came in meanwhile, and stop holding back.
        `start` is where the socket's prev_seq chain begins: the `since` replayed from, or the
        hello cursor when it started live."""
        self.prev_seq = start
        for event in replay:
            self._send_event(event.seq, event.model_dump_json())
        self.last_seq = max([cursor, *(e.seq for e in replay)])
        held, self.held = self.held or [], None
        for seq, text in held:
            self.deliver(seq, text)

    def _send_event(self, seq: int, text: str, frames: dict[int, str] | None = None) -> None:
        frames = {} if frames is None else frames
        frame = frames.get(self.prev_seq)
        if frame is None:
            frame = frames[self.prev_seq] = with_prev_seq(text, self.prev_seq)
        self.send(frame)
        self.prev_seq = seq


# What `"prev_seq":N,` adds to an event's JSON, at most.
_PREV_SEQ_ROOM = 32


def with_prev_seq(text: str, prev_seq: int) -> str:
    """The event's JSON object `text` with `"prev_seq"` first: a splice, not a second encoding."""
    return f'{{"prev_seq":{prev_seq},{text[1:]}'


class Hub:
    def __init__(
        self,
        bus: Bus,
        metrics: Metrics,
        queue_limit: int,
        queue_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        self._bus = bus
        self._metrics = metrics
        self._queue_limit = queue_limit
        self._queue_bytes = queue_bytes
        self._ids = itertools.count(1)
        self._by_user: dict[str, set[Connection]] = {}
        self._watchers: dict[str, set[Connection]] = {}
        self._board = PresenceBoard()
        # Presence is shared only on a bus to other processes, repeated every heartbeat.
        self._heartbeat = bus.heartbeat if isinstance(bus, SharedBus) else None
        self._process = uuid.uuid4().hex
        self._outgoing: asyncio.Queue[PresenceMessage] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        self._unsubscribe = self._bus.subscribe(self._on_message)
        if self._heartbeat is not None:
            self._tasks = [
                asyncio.create_task(self._publish_all(), name="presence-publisher"),
                asyncio.create_task(self._beat(self._heartbeat), name="presence-heartbeat"),
            ]
            self._share(PresenceQuery(process=self._process))  # who views what elsewhere?

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for task in self._tasks:
            task.cancel()
        self._tasks = []

    def connect(self, user: UserRecord, token_hash: str) -> Connection:
        conn = Connection(next(self._ids), user, token_hash, self._queue_limit, self._queue_bytes)
        self._by_user.setdefault(user.id, set()).add(conn)
        self._metrics.open_sockets.inc()
        return conn

    def sockets_of(self, user_id: str) -> int:
        """How many sockets the user has open on this process."""
        return len(self._by_user.get(user_id, ()))

    def disconnect(self, conn: Connection) -> None:
        conn.closed = True
        self._set_viewing(conn, None, None)
        self.watch(conn, None)
        peers = self._by_user.get(conn.user.id, set())
        peers.discard(conn)
        if not peers:
            self._by_user.pop(conn.user.id, None)
        self._metrics.open_sockets.dec()

    def close_all(self, code: int) -> None:
        for conns in self._by_user.values():
            for conn in conns:
                conn.close(code)

    async def close_all_and_wait(self, code: int, within: float) -> None:
        """Close every socket and give the senders up to `within` seconds to send the close."""
        conns = self._all()
        for conn in conns:
            conn.close(code)
        if conns:
            waits = [asyncio.ensure_future(conn.finished.wait()) for conn in conns]
            _, pending = await asyncio.wait(waits, timeout=within)
            for task in pending:
                task.cancel()

    def _on_message(self, message: BusMessage) -> None:
        if isinstance(message, TokenRevoked):
            for conn in self._all():
                if conn.token_hash == message.token_hash:
                    conn.close(CLOSE_UNAUTHENTICATED)
            return
        if isinstance(message, PresenceShared | PresenceQuery):
            self._on_presence(message)
            return
        if isinstance(message, AvailabilityUpdated):
            self._tell_availability(message.master_id, include_master=True)
            return
        booking = message.booking
        text = message.model_dump_json()  # once, however many sockets receive it
        frames: dict[int, str] = {}  # and spliced once per distinct prev_seq
        for user_id in {booking.master_id, booking.customer_id}:
            for conn in list(self._by_user.get(user_id, ())):
                if conn.deliver(message.seq, text, frames):
                    self._metrics.events_sent.inc()
        # Whoever watches this master's free slots hears that they may have changed.
        if booking.master_id in self._watchers:
            self._tell_availability(booking.master_id, include_master=False)

    # Availability [extension].

    def watch(self, conn: Connection, master_id: str | None) -> None:
        """`conn` now watches `master_id`'s availability (None: nothing)."""
        old = conn.watching
        if old is not None:
            watchers = self._watchers.get(old, set())
            watchers.discard(conn)
            if not watchers:
                self._watchers.pop(old, None)
        conn.watching = master_id
        if master_id is not None:
            self._watchers.setdefault(master_id, set()).add(conn)

    def _tell_availability(self, master_id: str, *, include_master: bool) -> None:
        text = AvailabilityUpdated(master_id=master_id).model_dump_json()
        targets = set(self._watchers.get(master_id, ()))
        if include_master:
            targets |= self._by_user.get(master_id, set())
        for conn in targets:
            conn.send(text)  # bounded like every frame: a socket too far behind resyncs

    def _all(self) -> list[Connection]:
        return [conn for conns in self._by_user.values() for conn in conns]

    # Presence.

    def view(self, conn: Connection, booking: Booking | None) -> None:
        """`conn` now looks at `booking` (None: at none); the caller has checked it may."""
        parties = Parties(booking.master_id, booking.customer_id) if booking else None
        self._set_viewing(conn, booking.id if booking else None, parties)

    def _set_viewing(
        self, conn: Connection, booking_id: str | None, parties: Parties | None
    ) -> None:
        old = conn.viewing
        if old == booking_id:
            if booking_id is not None:
                conn.send_presence(booking_id, self._presence(booking_id))
            return
        conn.viewing = booking_id
        if old is not None:
            self._change(old, lambda: self._board.remove_local(old, conn.id))
        if booking_id is not None and parties is not None:
            viewer = Viewer(id=conn.user.id, display_name=conn.user.display_name)
            if not self._change(
                booking_id, lambda: self._board.add_local(booking_id, parties, conn.id, viewer)
            ):
                conn.send_presence(booking_id, self._presence(booking_id))

    def _change(self, booking_id: str, change: Callable[[], None]) -> bool:
        """Apply `change` to the board; tell this process's sockets (and, when this process's own
        viewers changed, the other processes). True when the viewers seen by clients changed."""
        parties = self._board.parties(booking_id)
        before, before_here = self._board.viewers(booking_id), self._board.local_viewers(booking_id)
        change()
        parties = self._board.parties(booking_id) or parties
        if parties is None:
            return False
        if self._board.local_viewers(booking_id) != before_here:
            self._share_viewers(booking_id, parties)
        if self._board.viewers(booking_id) == before:
            return False
        text = self._presence(booking_id)
        for user_id in {parties.master_id, parties.customer_id}:
            for conn in list(self._by_user.get(user_id, ())):
                conn.send_presence(booking_id, text)
        return True

    def _presence(self, booking_id: str) -> str:
        viewers = list(self._board.viewers(booking_id))
        return Presence(booking_id=booking_id, viewers=viewers).model_dump_json()

    # Presence across processes.

    def _on_presence(self, message: PresenceShared | PresenceQuery) -> None:
        if message.process == self._process:
            return  # our own, back from Redis
        if isinstance(message, PresenceQuery):
            self._share_all()
            return
        parties = Parties(message.master_id, message.customer_id)
        expires = time.monotonic() + message.ttl
        self._change(
            message.booking_id,
            lambda: self._board.set_remote(
                message.process, message.booking_id, parties, message.viewers, expires
            ),
        )

    def _share_viewers(self, booking_id: str, parties: Parties) -> None:
        if self._heartbeat is None:
            return
        message = PresenceShared(
            process=self._process,
            booking_id=booking_id,
            master_id=parties.master_id,
            customer_id=parties.customer_id,
            viewers=self._board.local_viewers(booking_id),
            ttl=self._heartbeat * PRESENCE_TTL_HEARTBEATS,
        )
        self._share(message)

    def _share_all(self) -> None:
        for booking_id in self._board.local_bookings():
            parties = self._board.parties(booking_id)
            if parties is not None:
                self._share_viewers(booking_id, parties)

    def _share(self, message: PresenceMessage) -> None:
        if self._heartbeat is not None:
            self._outgoing.put_nowait(message)

    async def _publish_all(self) -> None:
        """Publish presence in the order it was made (one task: a later state never overtakes)."""
        while True:
            message = await self._outgoing.get()
            try:
                await self._bus.publish(message)
            except Exception:
                log.exception("could not publish presence; the next heartbeat repeats it")

    async def _beat(self, interval: float) -> None:
        """Repeat our viewers; forget the other processes' that were not repeated in time."""
        while True:
            await asyncio.sleep(interval)
            self._share_all()
            for process, booking_id in self._board.expired(time.monotonic()):
                drop = functools.partial(self._board.drop_remote, process, booking_id)
                self._change(booking_id, drop)
