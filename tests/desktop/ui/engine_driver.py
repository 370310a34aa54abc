"""Drives a real SyncEngine with inputs and routes its commands to the UI parts under test.

It plays the server's side by hand (replies and socket events as the protocol defines them), the
way the engine's own tests do; it is no stand-in for the engine or the model.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from booking_core import Action, Booking, BookingUpdated, Role, UserPublic, changes_between
from desktop_app.sync import (
    CatalogView,
    Command,
    EventReceived,
    Input,
    ReplyReceived,
    Rollback,
    RowsChanged,
    SendRequest,
    ShowRollback,
    SocketOpened,
    Started,
    SyncEngine,
    SyncStatus,
    SyncStatusChanged,
)
from desktop_app.ui.bookings_model import BookingsTableModel

from .factories import MASTER, NOW

ANNA = UserPublic(id=MASTER, username="anna", role=Role.MASTER, display_name="Anna Master")


class EngineDriver:
    def __init__(self, user: UserPublic = ANNA) -> None:
        counter = itertools.count(1)
        self.engine = SyncEngine(user, rng=random.Random(0), new_id=lambda: f"id-{next(counter)}")
        self.model = BookingsTableModel(lambda: self.engine.visible)
        self.now = NOW
        self.seq = 0
        self.requests: list[SendRequest] = []
        self.rollbacks: list[Rollback] = []
        self.statuses: list[SyncStatus] = []
        self.listeners: list[Callable[[Command], None]] = []

    def feed(self, event: Input) -> list[Command]:
        commands = self.engine.handle(event)
        for command in commands:
            match command:
                case RowsChanged():
                    self.model.apply(command)
                case SendRequest():
                    self.requests.append(command)
                case ShowRollback(rollback):
                    self.rollbacks.append(rollback)
                case SyncStatusChanged(status):
                    self.statuses.append(status)
            for listener in self.listeners:
                listener(command)
        return commands

    def tick(self, seconds: float = 1) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def start(self, *bookings: Booking, catalog: CatalogView | None = None) -> None:
        """Started → the full GET answered with `bookings` → the socket opens. A master's engine
        also fetches the catalog: answered with `catalog` (default: nothing offered yet)."""
        self.feed(Started(self.tick()))
        fetch = next(r for r in self.requests if r.path == "/api/v1/bookings")
        self.requests.remove(fetch)
        assert fetch.method == "GET"
        self.seq = len(bookings)
        listing = {"bookings": [b.model_dump(mode="json") for b in bookings], "cursor": self.seq}
        self.reply(fetch, 200, listing)
        self.answer_catalog(catalog)
        self.feed(SocketOpened(self.tick()))

    def answer_catalog(self, catalog: CatalogView | None = None) -> None:
        """Answer the catalog's GETs that are out (services, schedule, time off) with `catalog`
        (default: no services, hours never set, no time off)."""
        shown = catalog or CatalogView(self.engine.user.id)
        bodies: dict[str, object] = {
            "/services": {"services": [s.model_dump(mode="json") for s in shown.services]},
            "/schedule": shown.schedule.model_dump(mode="json"),
            "/time-off": {"time_off": [t.model_dump(mode="json") for t in shown.time_off]},
        }
        for request in [r for r in self.requests if r.method == "GET"]:
            path = request.path.split("?")[0]
            body = next((b for end, b in bodies.items() if path.endswith(end)), None)
            if body is not None:
                self.requests.remove(request)
                self.reply(request, 200, body)

    def reply(self, request: SendRequest, status: int, body: object | None) -> None:
        self.feed(ReplyReceived(request.request_id, status, {}, body, self.tick()))

    def event(self, action: Action, booking: Booking) -> None:
        """The server tells of a change (someone else's, or the clock's) over the socket."""
        self.seq += 1
        changes = changes_between(self.engine.server.get(booking.id), booking)
        message = BookingUpdated(
            seq=self.seq, action=action, booking=booking, changes=changes, actor=booking.updated_by
        )
        self.feed(EventReceived(message, self.tick()))
