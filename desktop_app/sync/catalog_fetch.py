"""The catalog's fetches: which parts (services, schedule, time off) are owed, which are out, and
when to try again — the catalog's twin of `fetcher.Fetcher`, driven by `catalog_sync.CatalogSync`.

    owed ──send()──▶ out (until `deadline`) ──answered──▶ fresh (fetched this session)
                      └──failed──▶ owed again, not before `retry_at` (and the server's
                                   Retry-After, `not_before`, which `hurry` does not shorten)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop_app.sync.catalog_wire import PARTS, Part


@dataclass(frozen=True, slots=True)
class PartFetch:
    """One part's GET out; `mark` is the catalog state's mark when it left (see
    `CatalogState.set_services`)."""

    part: Part
    deadline: datetime
    mark: int


class CatalogFetches:
    """`delays` makes a fresh backoff generator (a success or `hurry` resets it)."""

    def __init__(self, delays: Callable[[], Iterator[timedelta]]) -> None:
        self.owed: set[Part] = set()
        self.out: dict[str, PartFetch] = {}
        self._fresh: set[Part] = set()
        self._retry_at: datetime | None = None
        self._not_before: datetime | None = None
        self._new_delays = delays
        self._delays = delays()
        self.answered_at: datetime | None = None  # the last answer to a fetch

    @property
    def fresh(self) -> bool:
        """Every part fetched this session."""
        return len(self._fresh) == len(PARTS)

    def want_all(self) -> None:
        self.owed = set(PARTS)

    def hurry(self) -> None:
        self._delays = self._new_delays()
        self._retry_at = None

    def clear(self) -> None:
        """Signed out, or the server has no catalog: nothing owed, nothing awaited."""
        self.owed.clear()
        self.out.clear()

    def due(self, now: datetime) -> list[Part]:
        """The owed parts to send now (none while any is out or before a retry is due)."""
        if not self.owed or self.out or _later(self._not_before, now):
            return []
        if _later(self._retry_at, now):
            return []
        return [part for part in PARTS if part in self.owed]

    def sent(self, request_id: str, fetch: PartFetch) -> None:
        self.owed.discard(fetch.part)
        self.out[request_id] = fetch

    def take(self, request_id: str) -> PartFetch | None:
        return self.out.pop(request_id, None)

    def overdue(self, now: datetime) -> list[PartFetch]:
        late = [rid for rid, fetch in self.out.items() if fetch.deadline <= now]
        return [self.out.pop(rid) for rid in late]

    def answered(self, fetch: PartFetch, now: datetime) -> None:
        self.answered_at = now
        self._fresh.add(fetch.part)
        self._delays = self._new_delays()
        self._retry_at = None

    def failed(self, fetch: PartFetch, now: datetime, retry_after: timedelta | None) -> None:
        self.owed.add(fetch.part)
        if retry_after is not None:
            self._not_before = now + retry_after
        self._retry_at = now + max(next(self._delays), retry_after or timedelta(0))

    def poll_at(self, every: timedelta) -> datetime | None:
        """When to fetch again without being told to (while no socket tells of changes)."""
        if self.owed or self.out or self.answered_at is None:
            return None
        return self.answered_at + every

    def wakeups(self, online: bool) -> list[datetime]:
        times = [f.deadline for f in self.out.values()]
        if online and self.owed:
            times += [t for t in (self._retry_at, self._not_before) if t is not None]
        return times


def _later(at: datetime | None, now: datetime) -> bool:
    return at is not None and at > now
