"""Who views which booking: this process's sockets, and the viewers other processes share over the
bus, each other process's entry valid until its expiry (a dead process's viewers fade). Pure
bookkeeping: the hub sends and publishes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from booking_core.events import Viewer


@dataclass(frozen=True, slots=True)
class Parties:
    """Who receives a booking's presence: its master and its customer."""

    master_id: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class _Remote:
    viewers: tuple[Viewer, ...]
    expires: float


class PresenceBoard:
    def __init__(self) -> None:
        self._local: dict[str, dict[int, Viewer]] = {}  # booking -> socket id -> its user
        self._remote: dict[str, dict[str, _Remote]] = {}  # booking -> process -> its viewers
        self._parties: dict[str, Parties] = {}

    def parties(self, booking_id: str) -> Parties | None:
        return self._parties.get(booking_id)

    def viewers(self, booking_id: str) -> tuple[Viewer, ...]:
        """Everyone viewing, through any process: one entry per user, by display name."""
        remote = self._remote.get(booking_id, {}).values()
        return _unique(
            [*self._local.get(booking_id, {}).values(), *_flat(r.viewers for r in remote)]
        )

    def local_viewers(self, booking_id: str) -> tuple[Viewer, ...]:
        return _unique(self._local.get(booking_id, {}).values())

    def local_bookings(self) -> list[str]:
        return list(self._local)

    def add_local(self, booking_id: str, parties: Parties, socket: int, viewer: Viewer) -> None:
        self._local.setdefault(booking_id, {})[socket] = viewer
        self._parties[booking_id] = parties

    def remove_local(self, booking_id: str, socket: int) -> None:
        sockets = self._local.get(booking_id, {})
        sockets.pop(socket, None)
        if not sockets:
            self._local.pop(booking_id, None)
        self._forget_if_unviewed(booking_id)

    def set_remote(
        self,
        process: str,
        booking_id: str,
        parties: Parties,
        viewers: tuple[Viewer, ...],
        expires: float,
    ) -> None:
        """A process says who views `booking_id` through it (none: it forgets that process)."""
        if not viewers:
            self.drop_remote(process, booking_id)
            return
        self._remote.setdefault(booking_id, {})[process] = _Remote(viewers, expires)
        self._parties[booking_id] = parties

    def drop_remote(self, process: str, booking_id: str) -> None:
        entries = self._remote.get(booking_id, {})
        entries.pop(process, None)
        if not entries:
            self._remote.pop(booking_id, None)
        self._forget_if_unviewed(booking_id)

    def expired(self, now: float) -> list[tuple[str, str]]:
        """(process, booking id) of the entries not repeated in time."""
        return [
            (process, booking_id)
            for booking_id, entries in self._remote.items()
            for process, entry in entries.items()
            if entry.expires <= now
        ]

    def _forget_if_unviewed(self, booking_id: str) -> None:
        if booking_id not in self._local and booking_id not in self._remote:
            self._parties.pop(booking_id, None)


def _flat(groups: Iterable[Iterable[Viewer]]) -> list[Viewer]:
    return [viewer for group in groups for viewer in group]


def _unique(viewers: Iterable[Viewer]) -> tuple[Viewer, ...]:
    by_id = {viewer.id: viewer for viewer in viewers}
    return tuple(sorted(by_id.values(), key=lambda v: (v.display_name, v.id)))
