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

    def start(self, *bookings: Booking) -> None:
        """Started → the full GET answered with `bookings` → the socket opens."""
        self.feed(Started(self.tick()))
        fetch = self.requests.pop()
        assert (fetch.method, fetch.path) == ("GET", "/api/v1/bookings")
        self.seq = len(bookings)
        listing = {"bookings": [b.model_dump(mode="json") for b in bookings], "cursor": self.seq}
        self.reply(fetch, 200, listing)
        self.feed(SocketOpened(self.tick()))

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
