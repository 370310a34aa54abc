"""The live connection as the engine sees it: the socket's state, the jittered delay before the
next reconnect, and the polling that stands in for the socket while it is down."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from enum import Enum


class SocketState(Enum):
    DOWN = "down"
    CONNECTING = "connecting"
    OPEN = "open"
    DISABLED = "disabled"  # signed out: never reconnect


class Link:
    """Socket and polling timers; `delays` makes a fresh backoff generator (reset on success)."""

    def __init__(self, delays: Callable[[], Iterator[timedelta]]) -> None:
        self.state = SocketState.DOWN
        self.since: int | None = None  # the cursor the current socket was opened with
        self.reconnect_at: datetime | None = None
        self.poll_at: datetime | None = None
        self._opened_before = False
        self._new_delays = delays
        self._delays = delays()

    @property
    def is_open(self) -> bool:
        return self.state is SocketState.OPEN

    def connecting(self, since: int | None) -> None:
        self.state = SocketState.CONNECTING
        self.since = since
        self.reconnect_at = None

    def opened(self) -> bool:
        """The socket is up: stop polling, reset the delays. True when it is a reconnect."""
        if self.state is SocketState.DISABLED:
            return False
        again, self._opened_before = self._opened_before, True
        self.state = SocketState.OPEN
        self._delays = self._new_delays()
        self.reconnect_at = None
        self.poll_at = None
        return again

    def closed(self, now: datetime, poll_every: timedelta) -> None:
        """The socket dropped or could not open: reconnect later, poll meanwhile."""
        if self.state is SocketState.DISABLED:
            return
        self.state = SocketState.DOWN
        self.reconnect_at = now + next(self._delays)
        if self.poll_at is None:
            self.poll_at = now + poll_every

    def disable(self) -> None:
        self.state = SocketState.DISABLED

    def reconnect_due(self, now: datetime) -> bool:
        return self.state is SocketState.DOWN and _due(self.reconnect_at, now)

    def poll_due(self, now: datetime) -> bool:
        return not self.is_open and _due(self.poll_at, now)

    def schedule_poll(self, now: datetime, every: timedelta) -> None:
        if not self.is_open:
            self.poll_at = now + every

    def hurry(self, now: datetime) -> None:
        """Retry now rather than after the delay (the network is back, or the user asked)."""
        self._delays = self._new_delays()
        if self.state is SocketState.DOWN:
            self.reconnect_at = now
            self.poll_at = now

    def wakeups(self) -> list[datetime]:
        times = []
        if self.state is SocketState.DOWN and self.reconnect_at is not None:
            times.append(self.reconnect_at)
        if not self.is_open and self.state is not SocketState.DISABLED and self.poll_at:
            times.append(self.poll_at)
        return times


def _due(at: datetime | None, now: datetime) -> bool:
    return at is not None and at <= now
