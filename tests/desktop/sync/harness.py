"""A deterministic world for the sync engine: the reference server, a network and a socket that
the test drives by hand (deliver, lose, duplicate, reorder), and a fake clock.

The harness performs the engine's commands the way the real shell does, minus the IO: requests
wait in `requests` until delivered to the server, answers wait in `replies` until delivered to the
engine, socket frames wait in `frames`.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from booking_core import (
    Action,
    AvailabilityUpdated,
    Booking,
    BookingPatch,
    Hello,
    ResyncRequired,
    Role,
    Status,
    UserPublic,
)
from desktop_app.sync import (
    AnnounceWatch,
    AvailabilityChanged,
    CatalogChanged,
    CatalogEntry,
    CatalogOutboxChanged,
    CatalogRollback,
    CatalogView,
    CloseSocket,
    Command,
    EventReceived,
    Input,
    NetworkChanged,
    OpenSocket,
    OutboxChanged,
    OutboxEntry,
    ReplyReceived,
    RequestFailed,
    Rollback,
    RowsChanged,
    SendRequest,
    ShowCatalogRollback,
    ShowRollback,
    SignInRequired,
    SocketClosed,
    SocketOpened,
    Started,
    SyncConfig,
    SyncEngine,
    TimerFired,
)
from desktop_app.sync.inputs import ServerEvent
from desktop_app.sync.visible import VisibleBooking
from tests.desktop.sync.reference_server import ReferenceServer, Response

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
MASTER = UserPublic(id="m1", username="anna", role=Role.MASTER, display_name="Anna")
CUSTOMER = UserPublic(id="c1", username="carl", role=Role.CUSTOMER, display_name="Carl")


def booking(
    booking_id: str,
    *,
    hour: int = 10,
    status: Status = Status.PENDING,
    version: int = 1,
    note: str = "",
    master_id: str = "m1",
    customer_id: str = "c1",
) -> Booking:
    starts = T0.replace(hour=hour)
    return Booking(
        id=booking_id,
        master_id=master_id,
        customer_id=customer_id,
        service="haircut",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        status=status,
        note=note,
        version=version,
        updated_at=T0,
        updated_by=customer_id,
    )


@dataclass
class Pending:
    generation: int
    request: SendRequest


@dataclass
class Answer:
    generation: int
    request_id: str
    response: Response | None  # None: the transport failed
    listing: bool = False  # the answer to a listing request (see `deliver_reply`)


@dataclass
class World:
    """The engine, the server and everything in between."""

    user: UserPublic = MASTER
    config: SyncConfig = field(default_factory=SyncConfig)
    seed: int = 0
    now: datetime = T0
    server: ReferenceServer = field(default_factory=ReferenceServer)
    requests: list[Pending] = field(default_factory=list)
    replies: list[Answer] = field(default_factory=list)
    frames: list[ServerEvent] = field(default_factory=list)
    socket: Literal["closed", "opening", "open"] = "closed"
    socket_since: int | None = None
    socket_cursor: int = 0
    # The server sends prev_seq [extension]; False: a server without it (seq jumps are gaps).
    prev_seq: bool = True
    socket_chain: int = 0  # the seq of the socket's last booking:updated frame (or its start)
    persisted: tuple[OutboxEntry, ...] = ()
    rollbacks: list[Rollback] = field(default_factory=list)
    rows: list[RowsChanged] = field(default_factory=list)
    shown: dict[str, VisibleBooking] = field(default_factory=dict)
    signed_out: bool = False
    generation: int = 0
    delivered_frames: list[ServerEvent] = field(default_factory=list)
    # A master's engine syncs the catalog too (`SyncConfig.catalog`): off unless a test asks, so
    # the bookings' tests see only the bookings' requests.
    catalog: bool = False
    catalog_persisted: tuple[CatalogEntry, ...] = ()
    catalog_views: list[CatalogView] = field(default_factory=list)
    catalog_rollbacks: list[CatalogRollback] = field(default_factory=list)
    watches: list[str | None] = field(default_factory=list)  # AnnounceWatch, in order
    availability_changed: list[str] = field(default_factory=list)
    availability_seen: int = 0  # how much of the server's availability log the socket sent
    server_requests: list[SendRequest] = field(default_factory=list)  # as they reached it

    def __post_init__(self) -> None:
        self._ids = (f"id-{n}" for n in itertools.count(1))
        self.engine = self._new_engine()

    def _new_engine(self) -> SyncEngine:
        rng = random.Random(self.seed + self.generation)
        config = replace(self.config, catalog=self.catalog)
        return SyncEngine(self.user, config, rng=rng, new_id=lambda: next(self._ids))

    # --- driving the engine ---------------------------------------------------------------------

    def feed(self, event: Input) -> list[Command]:
        commands = self.engine.handle(event)
        for command in commands:
            self._perform(command)
        return commands

    def _perform(self, command: Command) -> None:
        match command:
            case SendRequest():
                self.requests.append(Pending(self.generation, command))
            case OpenSocket(since):
                self.socket, self.socket_since, self.frames = "opening", since, []
            case CloseSocket():
                self.socket, self.frames = "closed", []
            case OutboxChanged(entries):
                # Persist through JSON, as the shell does: what is restored is what was stored.
                self.persisted = tuple(OutboxEntry.from_json(e.to_json()) for e in entries)
            case ShowRollback(rollback):
                self.rollbacks.append(rollback)
            case ShowCatalogRollback(catalog_rollback):
                self.catalog_rollbacks.append(catalog_rollback)
            case CatalogOutboxChanged(catalog_entries):
                self.catalog_persisted = tuple(
                    CatalogEntry.from_json(e.to_json()) for e in catalog_entries
                )
            case CatalogChanged(view):
                self.catalog_views.append(view)
            case AnnounceWatch(master_id):
                self.watches.append(master_id)
            case AvailabilityChanged(master_id):
                self.availability_changed.append(master_id)
            case RowsChanged(inserted, updated, removed, rows):
                self.rows.append(command)
                # The shell's copy, kept from the payloads alone, is what the engine shows.
                assert rows.keys() == inserted | updated
                self.shown.update(rows)
                for booking_id in removed:
                    del self.shown[booking_id]
                if len(self.shown) < 1000:
                    assert self.shown == dict(self.engine.visible)
            case SignInRequired():
                self.signed_out = True
            case _:
                pass

    def start(self, **kwargs: object) -> list[Command]:
        return self.feed(Started(self.now, **kwargs))  # type: ignore[arg-type]

    def advance(self, seconds: float) -> list[Command]:
        self.now += timedelta(seconds=seconds)
        return self.feed(TimerFired(self.now))

    def to_wakeup(self) -> list[Command] | None:
        at = self.engine.next_wakeup
        if at is None:
            return None
        self.now = max(self.now, at)
        return self.feed(TimerFired(self.now))

    def restart(self, *, cached: bool = False) -> list[Command]:
        """The app quits and starts again with the persisted outbox (and, if `cached`, the last
        confirmed state); answers to the old one are lost, though its requests may still reach
        the server."""
        old = self.engine
        self.generation += 1
        self.replies.clear()
        self.socket, self.frames = "closed", []
        self.shown = {}  # a new window
        self.engine = self._new_engine()
        catalog = old.confirmed_catalog if cached else None
        if catalog is not None:  # through JSON, as the store keeps it
            catalog = CatalogView.from_json(catalog.to_json())
        if cached and old.cursor is not None:
            bookings = tuple(old.server.values())
            return self.start(
                outbox=self.persisted,
                bookings=bookings,
                cursor=old.cursor,
                catalog_outbox=self.catalog_persisted,
                catalog=catalog,
            )
        return self.start(
            outbox=self.persisted, catalog_outbox=self.catalog_persisted, catalog=catalog
        )

    def hiccup(self, index: int = 0, status: int = 503) -> None:
        """The server answers a request with a transient error, changing nothing."""
        pending = self.requests.pop(index)
        headers = {"Retry-After": "1"} if status == 429 else {}
        body = {"status": status, "title": "try later", "code": "rate_limited"}
        if pending.generation == self.generation:
            answer = Response(status, body, headers)
            self.replies.append(Answer(pending.generation, pending.request.request_id, answer))

    # --- network ---------------------------------------------------------------------------------

    def deliver_request(self, index: int = 0, *, answer: bool = True) -> Response:
        pending = self.requests.pop(index)
        request = pending.request
        self.server_requests.append(request)
        response = self.server.request(
            self.user, request.method, request.path, request.json, request.headers, self.now
        )
        self.push_events()
        if answer and pending.generation == self.generation:
            self.replies.append(
                Answer(pending.generation, request.request_id, response, request.listing)
            )
        return response

    def lose_request(self, index: int = 0, *, fail: bool = True) -> None:
        pending = self.requests.pop(index)
        if fail and pending.generation == self.generation:
            self.replies.append(Answer(pending.generation, pending.request.request_id, None))

    def deliver_reply(self, index: int = 0, *, keep: bool = False) -> list[Command]:
        answer = self.replies[index] if keep else self.replies.pop(index)
        if answer.response is None:
            return self.feed(RequestFailed(answer.request_id, "connection reset", self.now))
        response = answer.response
        body = response.body
        if answer.listing and response.status == 200:
            # As the shell does: a listing arrives as the body's bytes, read by the engine.
            body = json.dumps(body, separators=(",", ":")).encode()
        return self.feed(
            ReplyReceived(answer.request_id, response.status, response.headers, body, self.now)
        )

    def fail_reply(self, index: int = 0) -> list[Command]:
        answer = self.replies.pop(index)
        return self.feed(RequestFailed(answer.request_id, "read timeout", self.now))

    def request_for(self, method: str) -> int:
        return next(i for i, p in enumerate(self.requests) if p.request.method == method)

    # --- socket ----------------------------------------------------------------------------------

    def connect(self) -> list[Command]:
        assert self.socket == "opening"
        self.socket = "open"
        out = self.feed(SocketOpened(self.now))
        if self.signed_out:
            return out
        self.frames.append(Hello(cursor=self.server.seq, server_time=self.now))
        since = self.socket_since
        self.socket_chain = self.server.seq
        if since is not None and (since < self.server.oldest_kept or since > self.server.seq):
            self.frames.append(ResyncRequired())
        elif since is not None:
            self.socket_chain = since
            self._send_events(since)
        self.socket_cursor = self.server.seq
        self.availability_seen = len(self.server.catalogs.log)
        return out

    def refuse_connect(self, code: int | None = None) -> list[Command]:
        assert self.socket == "opening"
        self.socket = "closed"
        return self.feed(SocketClosed(self.now, code, "refused"))

    def push_events(self) -> None:
        """The server publishes what changed to an open socket."""
        if self.socket == "open":
            self._send_events(self.socket_cursor)
            for master_id in self.server.catalogs.log[self.availability_seen :]:
                if master_id == self.user.id:  # a master's sockets hear of their own catalog
                    self.frames.append(AvailabilityUpdated(master_id=master_id))
        self.availability_seen = len(self.server.catalogs.log)
        self.socket_cursor = self.server.seq

    def _send_events(self, since: int) -> None:
        frames = self.server.frames_for(
            self.user.id, since, self.socket_chain if self.prev_seq else None
        )
        if frames:
            self.socket_chain = frames[-1].seq
        self.frames.extend(frames)

    def server_user(self, user_id: str) -> UserPublic:
        return {"m1": MASTER, "c1": CUSTOMER}[user_id]

    def act(
        self, actor: str, booking_id: str, action: Action, patch: BookingPatch | None = None
    ) -> Booking | None:
        """Someone else changes a booking on the server; the change is published to the socket."""
        after = self.server.act(actor, booking_id, action, self.now, patch)
        self.push_events()
        return after

    def deliver_frame(self, index: int = 0) -> list[Command]:
        frame = self.frames.pop(index)
        self.delivered_frames.append(frame)
        return self.feed(EventReceived(frame, self.now))

    def drop_socket(self, code: int | None = 1006) -> list[Command]:
        self.socket, self.frames = "closed", []
        return self.feed(SocketClosed(self.now, code, "dropped"))

    def network(self, online: bool) -> list[Command]:
        return self.feed(NetworkChanged(online, self.now))

    # --- quiet -----------------------------------------------------------------------------------

    def settle(self, max_rounds: int = 400) -> None:
        """Deliver everything, in order, and let time run until the engine has nothing to do."""
        for _ in range(max_rounds):
            if self.requests:
                self.deliver_request()
            elif self.replies:
                self.deliver_reply()
            elif self.socket == "opening":
                self.connect()
            elif self.frames:
                self.deliver_frame()
            elif self.to_wakeup() is None:
                return
        raise AssertionError("the engine did not settle")


def loaded(
    *bookings: Booking, config: SyncConfig | None = None, user: UserPublic = MASTER
) -> World:
    """A world whose engine has loaded `bookings` (default: one pending "b1") and is connected."""
    world = World(user=user, config=config or SyncConfig())
    for seeded in bookings or (booking("b1"),):
        world.server.seed(seeded, world.now)
    world.start()
    world.deliver_request()
    world.deliver_reply()
    world.connect()
    while world.frames:
        world.deliver_frame()
    world.rows.clear()
    return world


def row_ids(commands: Sequence[object]) -> list[tuple[frozenset[str], ...]]:
    """The ids of each RowsChanged: (inserted, updated, removed)."""
    return [
        (frozenset(c.inserted), frozenset(c.updated), c.removed)
        for c in commands
        if isinstance(c, RowsChanged)
    ]


def sent(commands: list[Command]) -> list[SendRequest]:
    return [c for c in commands if isinstance(c, SendRequest)]


def shown(commands: list[Command]) -> list[Rollback]:
    return [c.rollback for c in commands if isinstance(c, ShowRollback)]
