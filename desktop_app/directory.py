"""The Qt side of the availability reads: customer search, masters, services, free slots.

Plain REST reads beside the sync engine (like the user list and a booking's history): nothing to
queue, order or retry, so they need no engine. Each `ask_…` starts one read on the asyncio loop
(qasync) and its answer arrives as a signal; an answer that a newer question of the same kind has
made stale is dropped, so a search-as-you-type list never shows the results of an older query
after a newer one. A read that fails emits `failed(kind, message)` (kinds: the `Kind` values).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Signal

from booking_core.availability import Availability
from desktop_app.net.api import ApiClient
from desktop_app.net.errors import NetError

log = logging.getLogger(__name__)
CLOSE_WAIT_S = 2.0  # how long `aclose` waits for abandoned reads to end
Read = Callable[[], Coroutine[Any, Any, None]]


class Kind(StrEnum):
    CUSTOMERS = "customers"
    MASTERS = "masters"
    SERVICES = "services"
    AVAILABILITY = "availability"


class Directory(QObject):
    """Signals: customers_found(query, list[CustomerEntry]), masters_loaded(list[MasterEntry]),
    services_loaded(master id, list[Service] | None: no such master),
    availability_loaded(master id, service id, first day, Availability | None: not bookable),
    failed(kind, message)."""

    customers_found = Signal(str, object)
    masters_loaded = Signal(object)
    services_loaded = Signal(str, object)
    availability_loaded = Signal(str, str, object, object)
    failed = Signal(str, str)

    def __init__(self, api: ApiClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._api = api
        self._asked: dict[Kind, int] = dict.fromkeys(Kind, 0)  # the newest question per kind
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    def ask_customers(self, query: str, limit: int = 20) -> None:
        """Search the master's customers (`customers_found` with the query it answers)."""
        number = self._next(Kind.CUSTOMERS)
        self._start(Kind.CUSTOMERS, lambda: self._customers(number, query, limit))

    def ask_masters(self) -> None:
        number = self._next(Kind.MASTERS)
        self._start(Kind.MASTERS, lambda: self._masters(number))

    def ask_services(self, master_id: str) -> None:
        number = self._next(Kind.SERVICES)
        self._start(Kind.SERVICES, lambda: self._services(number, master_id))

    def ask_availability(self, master_id: str, service_id: str, first: date, last: date) -> None:
        """The free slots of the master's days first … last (the master's zone, inclusive)."""
        number = self._next(Kind.AVAILABILITY)
        self._start(
            Kind.AVAILABILITY,
            lambda: self._availability(number, master_id, service_id, first, last),
        )

    def busy(self) -> bool:
        """Whether a read is still running."""
        return bool(self._tasks)

    def close(self) -> None:
        """Stop: reads in flight are abandoned, nothing more is emitted."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()

    async def aclose(self) -> None:
        """`close`, then wait until the abandoned reads have ended (before the loop stops)."""
        tasks = list(self._tasks)
        self.close()
        if tasks:
            await asyncio.wait(tasks, timeout=CLOSE_WAIT_S)

    # -- the reads ------------------------------------------------------------------------------

    def _next(self, kind: Kind) -> int:
        self._asked[kind] += 1
        return self._asked[kind]

    def _current(self, kind: Kind, number: int) -> bool:
        return not self._closed and self._asked[kind] == number

    async def _customers(self, number: int, query: str, limit: int) -> None:
        found = await self._api.search_customers(query, limit)
        if self._current(Kind.CUSTOMERS, number):
            self.customers_found.emit(query, found)

    async def _masters(self, number: int) -> None:
        found = await self._api.masters()
        if self._current(Kind.MASTERS, number):
            self.masters_loaded.emit(found)

    async def _services(self, number: int, master_id: str) -> None:
        found = await self._api.services(master_id)
        if self._current(Kind.SERVICES, number):
            self.services_loaded.emit(master_id, found)

    async def _availability(
        self, number: int, master_id: str, service_id: str, first: date, last: date
    ) -> None:
        found: Availability | None = await self._api.availability(
            master_id, service_id, first, last
        )
        if self._current(Kind.AVAILABILITY, number):
            self.availability_loaded.emit(master_id, service_id, first, found)

    def _start(self, kind: Kind, read: Read) -> None:
        """Run `read()` as a task (the coroutine is made when the task starts: a task
        cancelled before it starts leaves no coroutine never awaited)."""
        if self._closed:
            return
        task = asyncio.ensure_future(self._guarded(kind, self._asked[kind], read))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, kind: Kind, number: int, read: Read) -> None:
        try:
            await read()
        except NetError as exc:
            log.info("could not read %s: %s", kind, exc)
            if self._current(kind, number):
                self.failed.emit(str(kind), str(exc))
