"""Open WebSocket connections: targeted delivery of booking events, presence, and closing.

Each connection has an outbound queue drained by its own sender task. Until its `since` replay has
been queued, live events are held back in a buffer; afterwards only events with a seq above the
last one queued pass, so the replay and the live stream join with no gap and no duplicate.
Every booking:updated frame carries the socket's own `prev_seq` [extension], spliced into the
event's JSON (encoded once for all sockets), so a client can tell a seq jump that skipped nothing of
its own from a real gap.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from booking_core.events import BookingUpdated, Presence, ResyncRequired, Viewer
from booking_core.models import Booking
from booking_server.bus import Bus, BusMessage, TokenRevoked
from booking_server.metrics import Metrics
from booking_server.store import UserRecord

log = logging.getLogger(__name__)

CLOSE_GOING_AWAY = 1001
CLOSE_TRY_AGAIN_LATER = 1013
CLOSE_UNAUTHENTICATED = 4401


@dataclass(frozen=True, slots=True)
class Close:
    code: int


Outbound = str | Close


@dataclass(eq=False)
class Connection:
    id: int
    user: UserRecord
    token_hash: str
    limit: int
    queue: asyncio.Queue[Outbound] = field(default_factory=asyncio.Queue)
    last_seq: int = 0
    # The seq of the last booking:updated frame queued here, or where the socket started.
    prev_seq: int = 0
    held: list[tuple[int, str]] | None = field(default_factory=list)
    viewing: str | None = None
    closed: bool = False
    finished: asyncio.Event = field(default_factory=asyncio.Event)

    def send(self, text: str) -> None:
        if not self.closed:
            self.queue.put_nowait(text)

    def close(self, code: int) -> None:
        if not self.closed:
            self.closed = True
            self.queue.put_nowait(Close(code))

    def deliver(self, seq: int, text: str) -> bool:
        """Queue a live event (seq, JSON) unless it was replayed already; False if too slow."""
        if self.held is not None:
            self.held.append((seq, text))
            return True
        if seq <= self.last_seq or self.closed:
            return True
        if self.queue.qsize() >= self.limit:
            return False
        self.last_seq = seq
        self._send_event(seq, text)
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

    def _send_event(self, seq: int, text: str) -> None:
        self.send(with_prev_seq(text, self.prev_seq))
        self.prev_seq = seq


def with_prev_seq(text: str, prev_seq: int) -> str:
    """The event's JSON object `text` with `"prev_seq"` first: a splice, not a second encoding."""
    return f'{{"prev_seq":{prev_seq},{text[1:]}'


@dataclass(frozen=True, slots=True)
class _Viewed:
    master_id: str
    customer_id: str


class Hub:
    def __init__(self, bus: Bus, metrics: Metrics, queue_limit: int) -> None:
        self._bus = bus
        self._metrics = metrics
        self._queue_limit = queue_limit
        self._ids = itertools.count(1)
        self._by_user: dict[str, set[Connection]] = {}
        self._viewers: dict[str, set[Connection]] = {}
        self._viewed: dict[str, _Viewed] = {}
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        self._unsubscribe = self._bus.subscribe(self._on_message)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def connect(self, user: UserRecord, token_hash: str) -> Connection:
        conn = Connection(next(self._ids), user, token_hash, self._queue_limit)
        self._by_user.setdefault(user.id, set()).add(conn)
        self._metrics.open_sockets.inc()
        return conn

    def disconnect(self, conn: Connection) -> None:
        conn.closed = True
        self._set_viewing(conn, None, None)
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
        booking = message.booking
        text = message.model_dump_json()  # once, however many sockets receive it
        for user_id in {booking.master_id, booking.customer_id}:
            for conn in list(self._by_user.get(user_id, ())):
                if conn.deliver(message.seq, text):
                    self._metrics.events_sent.inc()
                else:
                    log.warning("websocket too slow, asking it to resync", extra={"conn": conn.id})
                    conn.send(ResyncRequired().model_dump_json())
                    conn.close(CLOSE_TRY_AGAIN_LATER)

    def _all(self) -> list[Connection]:
        return [conn for conns in self._by_user.values() for conn in conns]

    # Presence.

    def view(self, conn: Connection, booking: Booking | None) -> None:
        """`conn` now looks at `booking` (None: at none); the caller has checked it may."""
        parties = _Viewed(booking.master_id, booking.customer_id) if booking else None
        self._set_viewing(conn, booking.id if booking else None, parties)

    def _set_viewing(
        self, conn: Connection, booking_id: str | None, parties: _Viewed | None
    ) -> None:
        old = conn.viewing
        if old == booking_id:
            if booking_id is not None:
                conn.send(self._presence(booking_id))
            return
        conn.viewing = booking_id
        if old is not None:
            before = self._viewer_ids(old)
            self._viewers[old].discard(conn)
            if self._viewer_ids(old) != before:
                self._broadcast(old)
            if not self._viewers[old]:
                del self._viewers[old]
                del self._viewed[old]
        if booking_id is not None and parties is not None:
            before = self._viewer_ids(booking_id)
            self._viewers.setdefault(booking_id, set()).add(conn)
            self._viewed[booking_id] = parties
            if self._viewer_ids(booking_id) != before:
                self._broadcast(booking_id)
            else:
                conn.send(self._presence(booking_id))

    def _viewer_ids(self, booking_id: str) -> set[str]:
        return {conn.user.id for conn in self._viewers.get(booking_id, ())}

    def _presence(self, booking_id: str) -> str:
        users = {conn.user.id: conn.user for conn in self._viewers.get(booking_id, ())}
        viewers = [
            Viewer(id=user.id, display_name=user.display_name)
            for user in sorted(users.values(), key=lambda u: u.display_name)
        ]
        return Presence(booking_id=booking_id, viewers=viewers).model_dump_json()

    def _broadcast(self, booking_id: str) -> None:
        parties = self._viewed.get(booking_id)
        if parties is None:
            return
        text = self._presence(booking_id)
        for user_id in {parties.master_id, parties.customer_id}:
            for conn in self._by_user.get(user_id, ()):
                conn.send(text)
