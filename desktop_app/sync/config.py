"""Tuning of the sync engine: poll intervals, backoff, timeouts, retries and debounce."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class SyncConfig:
    """Every duration the engine waits for. Defaults follow issue 4.

    - poll_active / poll_idle: polling period while the socket is down, with / without an active
      booking (pending, confirmed, in progress) in view.
    - backoff_initial / backoff_max / backoff_factor: reconnect and retry delays (full jitter).
    - request_timeout: an HTTP request with no answer after this long counts as failed.
    - stale_after: a mutation the server has not confirmed this long after it was first sent, while
      the server was demonstrably reachable, is dropped and reported.
    - max_retries: failed attempts (while the server is reachable) before a mutation is dropped;
      failures while offline and busy answers (429, 503, Retry-After) do not count.
    - debounce: an intent identical to the one just made on the same booking is ignored within it.
    - catalog: a master's engine syncs their catalog (services, hours, time off) too; off for a
      server without the availability extension, and in tests of the bookings alone.
    - catalog_poll: while the socket is down (no `availability:updated`), the catalog is fetched
      again this long after the last fetch (changes on the master's other devices are rare).
    """

    poll_active: timedelta = timedelta(seconds=3)
    poll_idle: timedelta = timedelta(seconds=10)
    backoff_initial: timedelta = timedelta(seconds=0.5)
    backoff_max: timedelta = timedelta(seconds=30)
    backoff_factor: float = 2.0
    request_timeout: timedelta = timedelta(seconds=15)
    stale_after: timedelta = timedelta(seconds=60)
    max_retries: int = 3
    debounce: timedelta = timedelta(milliseconds=400)
    catalog: bool = True
    catalog_poll: timedelta = timedelta(seconds=60)
