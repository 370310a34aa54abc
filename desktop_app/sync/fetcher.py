"""The engine's fetches of the bookings listing: what is owed, what is out, and when to try again.

Theory of operation. Three kinds of fetch read `GET /api/v1/bookings`:

- FULL (no `since`): the first load, after `cursor_expired` or `resync_required`, or when the
  server went back in time. `known` (the ids we had when it left) tells removals from bookings
  learnt since.
- DELTA (`since=cursor`): something was missed (a seq gap, a stream that starts past our cursor, a
  stale copy behind a refusal, "Sync now"). It is sent with `If-None-Match: "cursor"`, and a 304
  [extension] means nothing changed: the cursor to go on from is its ETag.
- POLL: a delta the `Link` asks for while the socket is down, not while a change of ours is out.

The state is owned here and nowhere else, as a small table:

    owed (FULL beats DELTA) ──next()──▶ out (`in_flight`, until `deadline`) ──answered──▶ idle
                                          └──failed──▶ owed again, not before `retry_at`

One fetch is out at a time. A failure waits out a jittered backoff (`retry_at`, reset by a success
or by `hurry`), and no fetch at all goes before a Retry-After the server gave (`not_before`, which
`hurry` does not shorten: the server said so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from booking_core import BookingList
from desktop_app.sync.commands import SendRequest
from desktop_app.sync.host import Host
from desktop_app.sync.replies import Verdict, read_reply
from desktop_app.sync.wire import list_headers, list_path, listing_of, unchanged_listing


class FetchKind(Enum):
    FULL = "full"
    DELTA = "delta"
    POLL = "poll"


@dataclass(frozen=True, slots=True)
class Fetch:
    """One fetch out: `since` is None for a full load."""

    request_id: str
    kind: FetchKind
    since: int | None
    deadline: datetime
    known: frozenset[str]

    def unchanged(self, headers: dict[str, str]) -> BookingList | None:
        """A 304's meaning for this fetch (no booking changed), or None for a full load."""
        return None if self.since is None else unchanged_listing(headers, self.since)


class Fetcher:
    """`delays` makes a fresh backoff generator (a success or `hurry` resets it)."""

    def __init__(self, host: Host, delays: Callable[[], Iterator[timedelta]]) -> None:
        self._host = host
        self.need_full = False
        self.need_delta = False
        self.in_flight: Fetch | None = None
        self.retry_at: datetime | None = None
        self.not_before: datetime | None = None  # the server's Retry-After
        self._new_delays = delays
        self._delays = delays()

    def want_full(self) -> None:
        self.need_full = True

    def want_delta(self, wanted: bool = True) -> None:
        self.need_delta |= wanted

    def next(self, now: datetime, cursor: int | None, *, poll_due: bool) -> FetchKind | None:
        """The fetch to send now, if any (a poll only when `poll_due`); marks a delta as sent."""
        if self.in_flight is not None or _later(self.not_before, now):
            return None
        retry_ok = not _later(self.retry_at, now)
        if self.need_full and retry_ok:
            return FetchKind.FULL
        if cursor is not None and self.need_delta and retry_ok:
            self.need_delta = False
            return FetchKind.DELTA
        return FetchKind.POLL if poll_due else None

    def sent(self, fetch: Fetch) -> None:
        self.in_flight = fetch

    def take(self, request_id: str) -> Fetch | None:
        """The fetch this answer is for (no longer out), or None."""
        fetch = self.in_flight
        if fetch is None or fetch.request_id != request_id:
            return None
        self.in_flight = None
        return fetch

    def overdue(self, now: datetime) -> Fetch | None:
        fetch = self.in_flight
        if fetch is None or fetch.deadline > now:
            return None
        self.in_flight = None
        return fetch

    def answered(self, fetch: Fetch) -> None:
        if fetch.kind is FetchKind.FULL:
            self.need_full = False
        self._delays = self._new_delays()
        self.retry_at = None

    def failed(self, fetch: Fetch, now: datetime, retry_after: timedelta | None) -> None:
        """Owe it again after a backoff, or when the server said: no fetch goes before that,
        not even on "Sync now". A failed poll is the `Link`'s to reschedule."""
        if retry_after is not None:
            self.not_before = now + retry_after
        if fetch.kind is FetchKind.DELTA:
            self.need_delta = True
        if fetch.kind is not FetchKind.POLL:
            self.retry_at = now + max(next(self._delays), retry_after or timedelta(0))

    def hurry(self, cursor: int | None) -> None:
        """Online again, or "Sync now": ask what changed, without waiting out the backoff."""
        self.need_delta = cursor is not None
        self._delays = self._new_delays()
        self.retry_at = None

    def wakeups(self) -> list[datetime]:
        return [t for t in (self.retry_at, self.not_before) if t is not None]

    # --- driving it (the host's layer 1, link and queue) -----------------------------------------

    def pump(self) -> None:
        """Send the fetch that is due, if any."""
        host, state = self._host, self._host.state
        poll_due = state.loaded and host.link.poll_due(host.now) and not host.queue.sending()
        kind = self.next(host.now, state.cursor, poll_due=poll_due)
        if kind is None:
            return
        if kind is FetchKind.POLL:
            host.link.poll_at = None
        since = None if kind is FetchKind.FULL else state.cursor
        if since is None:
            kind = FetchKind.FULL
        known = frozenset(state.bookings) if kind is FetchKind.FULL else frozenset()
        request_id = host.new_id()
        deadline = host.now + host.config.request_timeout
        self.sent(Fetch(request_id, kind, since, deadline, known))
        path, headers = list_path(since), list_headers(since)
        host.out.append(SendRequest(request_id, "GET", path, None, headers, listing=True))

    def on_reply(self, fetch: Fetch, status: int, headers: dict[str, str], body: object) -> None:
        host = self._host
        reply = read_reply(status, headers, body)
        if reply.verdict is Verdict.SIGN_IN:
            host.sign_out("unauthenticated")
            return
        if reply.verdict is Verdict.CURSOR_EXPIRED:
            self.want_full()
            return
        listing = fetch.unchanged(headers) if status == 304 else None
        if listing is None and reply.verdict is Verdict.OK:
            listing = listing_of(body)
        if listing is None:
            self.on_failed(fetch, reply.retry_after)
            return
        if fetch.kind is FetchKind.FULL:
            host.state.apply_full(fetch.known, listing)
            host.count(full_loads=1)
        else:
            host.state.apply_delta(listing)
            host.count(delta_loads=1)
        self.answered(fetch)
        host.last_synced_at = host.now
        self.want_delta(host.state.behind_stream)
        host.queue.fetched()
        host.link.schedule_poll(host.now, host.poll_interval())

    def on_failed(self, fetch: Fetch, retry_after: timedelta | None = None) -> None:
        host = self._host
        self.failed(fetch, host.now, retry_after)
        if fetch.kind is FetchKind.POLL:
            poll_every = max(host.poll_interval(), retry_after or timedelta(0))
            host.link.schedule_poll(host.now, poll_every)

    def expire(self) -> None:
        fetch = self.overdue(self._host.now)
        if fetch is not None:
            self.on_failed(fetch)


def _later(at: datetime | None, now: datetime) -> bool:
    return at is not None and at > now
