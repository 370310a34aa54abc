"""The live event stream as the engine reads it: socket frames, opens and closes, and presence.

`Link` holds the socket's state and timers; the `Stream` applies what comes through it: booking
events merge into layer 1 (a gap asks for a delta), the hello and `resync_required` tell the
`Fetcher` what the stream will not bring, and presence is kept both ways: who else views a
booking (cleared when our socket drops, since nobody would tell us they left) and what this user
views (announced again on every new socket, since the server forgets it with the old one), and
so is whose availability this user watches. `availability:updated` goes out as
`AvailabilityChanged`; for the user's own catalog (and on every hello) the `CatalogSync` fetches it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from booking_core import (
    AvailabilityUpdated,
    BookingUpdated,
    ErrorMessage,
    Hello,
    Presence,
    ResyncRequired,
    Viewer,
)
from desktop_app.sync.commands import (
    AnnounceViewing,
    AnnounceWatch,
    AvailabilityChanged,
    OpenSocket,
    PresenceChanged,
    RemoteChange,
)
from desktop_app.sync.host import Host
from desktop_app.sync.inputs import ServerEvent
from desktop_app.sync.wire import SOCKET_UNAUTHORIZED


class Stream:
    def __init__(self, host: Host) -> None:
        self._host = host
        self._viewers: dict[str, tuple[Viewer, ...]] = {}
        self._viewing: str | None = None  # what this user has on screen
        self._watching: str | None = None  # whose availability this user has on screen

    def viewers(self, booking_id: str) -> tuple[Viewer, ...]:
        return self._viewers.get(booking_id, ())

    def open(self) -> None:
        host = self._host
        host.link.connecting(host.state.cursor)
        host.state.stream_ended()
        host.out.append(OpenSocket(host.link.since))

    def opened(self) -> None:
        host = self._host
        if host.link.opened():
            host.count(reconnects=1)
        host.contact()
        if self._viewing is not None:  # the server forgot it with the old socket
            host.out.append(AnnounceViewing(self._viewing))
        if self._watching is not None:
            host.out.append(AnnounceWatch(self._watching))

    def closed(self, code: int | None) -> None:
        host = self._host
        if code == SOCKET_UNAUTHORIZED:
            host.sign_out("socket_unauthorized")
            return
        host.state.stream_ended()
        host.link.closed(host.now, host.poll_interval())
        for booking_id in list(self._viewers):  # nobody tells us when they leave now
            self._set_viewers(booking_id, ())

    def view(self, booking_id: str | None) -> None:
        self._viewing = booking_id
        if self._host.link.is_open:
            self._host.out.append(AnnounceViewing(booking_id))

    def watch(self, master_id: str | None) -> None:
        self._watching = master_id
        if self._host.link.is_open:
            self._host.out.append(AnnounceWatch(master_id))

    def received(self, message: ServerEvent) -> None:
        host = self._host
        host.contact()
        match message:
            case BookingUpdated():
                self._on_booking_updated(message)
            case Hello(cursor=cursor, server_time=server_time):
                host.counters = replace(host.counters, clock_skew=server_time - host.now)
                if host.state.stream_started(host.link.since, cursor):
                    host.fetcher.want_full()  # the server went back in time (restored or reset)
                host.fetcher.want_delta(host.state.behind_stream)
                host.catalog_sync.want_fetch()  # its events were missed while the socket was down
            case AvailabilityUpdated(master_id=master_id):
                host.catalog_sync.availability_updated(master_id)
                host.out.append(AvailabilityChanged(master_id))
            case ResyncRequired():
                host.fetcher.want_full()
                host.state.stream_resynced()
            case Presence(booking_id=booking_id, viewers=viewers):
                self._set_viewers(booking_id, tuple(viewers))
            case ErrorMessage():
                pass  # the server did not understand a frame of ours; nothing to repair here

    def _on_booking_updated(self, event: BookingUpdated) -> None:
        host = self._host
        latency = max(timedelta(0), host.now - event.booking.updated_at)
        worst = host.counters.max_event_latency
        worst = latency if worst is None else max(worst, latency)
        host.counters = replace(host.counters, event_latency=latency, max_event_latency=worst)
        host.count(events=1)
        after = host.state.after_event(event)
        if not host.state.merge(after):
            host.count(ignored_events=1)
        elif event.actor != host.user.id:
            action, actor, changes = event.action, event.actor, event.changes
            host.out.append(RemoteChange(after.id, action, actor, changes, after))
        if event.prev_seq is None:
            in_order = host.state.advance(event.seq)  # a server without prev_seq
        else:
            in_order = host.state.follow(event.seq, event.prev_seq)
        if in_order:
            host.last_synced_at = host.now
        else:
            host.count(gaps=1)
            host.fetcher.want_delta()

    def _set_viewers(self, booking_id: str, viewers: tuple[Viewer, ...]) -> None:
        if viewers:
            self._viewers[booking_id] = viewers
        else:
            self._viewers.pop(booking_id, None)
        self._host.out.append(PresenceChanged(booking_id, viewers))
