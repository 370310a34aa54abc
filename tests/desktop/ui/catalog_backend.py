"""The catalog's side of the UI tests: the real sync engine (EngineDriver, EngineController) and
the in-memory reference server (tests/desktop/sync), which answers its catalog requests as
docs/protocol.md ("Availability") says: If-Match versions (412 `version_conflict` with
`current_version`), validation (422 with the field named), 404 for what is gone. The test
decides when requests arrive (`deliver`), as the engine's own tests do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel

from booking_core import AvailabilityUpdated, ErrorCode
from booking_core.availability import (
    ScheduleUpdate,
    Service,
    ServiceCreate,
    ServicePatch,
    TimeOff,
    TimeOffCreate,
    WeeklySchedule,
)
from desktop_app.sync import CatalogView, Command, EventReceived, SendRequest
from tests.desktop.sync.reference_server import ReferenceServer, Response, problem

from .engine_controller import EngineController
from .engine_driver import ANNA, EngineDriver

API = "/api/v1"
_Model = TypeVar("_Model", bound=BaseModel)


def demo_catalog(master_id: str) -> CatalogView:
    """Anna's catalog as the demo data has it (docs/protocol.md, Demo data), and a little more."""
    two = [("09:00", "13:00"), ("14:00", "18:00")]
    schedule = WeeklySchedule(
        time_zone="Europe/Berlin",
        weekly={
            **dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), two),
            "sat": [("10:00", "14:00")],
        },
        version=3,
    )

    def service(sid: str, name: str, minutes: int, cents: int | None, buffer: int = 0) -> Service:
        return Service(
            id=sid,
            master_id=master_id,
            name=name,
            duration_minutes=minutes,
            price_minor=cents,
            currency="EUR" if cents is not None else None,
            buffer_after_minutes=buffer,
            version=1,
        )

    services = (
        service("svc-haircut", "Haircut", 45, 3500, 15),
        service("svc-beard", "Beard trim", 20, 1500),
        service("svc-colour", "Colouring", 90, 6000, 15),
        service("svc-perm", "Old perm", 60, None).model_copy(
            update={"active": False, "version": 2}
        ),
    )
    time_off = (
        TimeOff(
            id="off-xmas",
            master_id=master_id,
            starts_at=datetime(2026, 12, 23, 23, tzinfo=UTC),
            ends_at=datetime(2026, 12, 27, 23, tzinfo=UTC),
            note="Christmas",
        ),
        TimeOff(
            id="off-dentist",
            master_id=master_id,
            starts_at=datetime(2027, 1, 8, 13, tzinfo=UTC),
            ends_at=datetime(2027, 1, 8, 17, tzinfo=UTC),
            note="Dentist",
        ),
    )
    return CatalogView(master_id, services, schedule, time_off, loaded=True)


class CatalogBackend:
    """The real engine behind an EngineController, started as Anna with her catalog on the
    reference server. Requests wait until `deliver()` (or `confirm()`)."""

    def __init__(self, catalog: Callable[[str], CatalogView] = demo_catalog) -> None:
        self.driver = EngineDriver()
        self.controller = EngineController(self.driver)
        self.server = ReferenceServer()
        seeded = catalog(ANNA.id)
        catalogs = self.server.catalogs
        catalogs.services.update({s.id: s for s in seeded.services})
        catalogs.schedules[ANNA.id] = seeded.schedule
        catalogs.time_off.update({t.id: t for t in seeded.time_off})
        self._refusal: Response | None = None
        self.sent: list[SendRequest] = []
        self.driver.listeners.append(self._record)
        self.driver.start(catalog=seeded)

    def _record(self, command: Command) -> None:
        if isinstance(command, SendRequest) and command.method != "GET":
            self.sent.append(command)

    def deliver(self) -> None:
        """Every catalog request out arrives and is answered, until none is left."""
        while True:
            out = [r for r in self.driver.requests if not r.path.startswith(f"{API}/bookings")]
            if not out:
                return
            for request in out:
                self.driver.requests.remove(request)
                answer = self._answer(request)
                self.driver.reply(request, answer.status, answer.body)

    def _answer(self, request: SendRequest) -> Response:
        if request.method != "GET" and self._refusal is not None:
            answer, self._refusal = self._refusal, None
            return answer
        return self.server.request(
            ANNA, request.method, request.path, request.json, request.headers, self.driver.now
        )

    def confirm(self) -> None:
        self.deliver()

    def refuse_next(self, code: ErrorCode, field: str | None = None) -> None:
        """The server refuses the next change with `code` (a 422 naming `field`), as a server
        with rules of its own may; then everything is answered."""
        errors = [{"loc": ["body", field], "field": field, "msg": "refused"}] if field else None
        self._refusal = problem(code, errors=errors) if errors else problem(code)
        self.deliver()

    def schedule_changed_elsewhere(self, *, told: bool = True, **changes: object) -> None:
        """Another device changes the schedule; with `told`, the server says so on the socket."""
        catalogs = self.server.catalogs
        now = catalogs.schedule(ANNA.id)
        fields = {**now.model_dump(exclude={"version"}), **changes}
        catalogs.put_schedule(ANNA.id, ScheduleUpdate.model_validate(fields))
        if told:
            self.driver.feed(
                EventReceived(AvailabilityUpdated(master_id=ANNA.id), self.driver.tick())
            )
            self.deliver()

    # -- what the engine sent ----------------------------------------------------------------------

    def _bodies(self, method: str, suffix: str) -> list[Mapping[str, object]]:
        return [
            r.json  # type: ignore[misc]
            for r in self.sent
            if r.method == method and r.path.split("?")[0].endswith(suffix)
        ]

    def schedules_sent(self) -> list[ScheduleUpdate]:
        return [ScheduleUpdate.model_validate(b) for b in self._bodies("PUT", "/schedule")]

    def time_off_sent(self) -> list[TimeOffCreate]:
        return [TimeOffCreate.model_validate(b) for b in self._bodies("POST", "/time-off")]

    def creates_sent(self) -> list[ServiceCreate]:
        return [ServiceCreate.model_validate(b) for b in self._bodies("POST", "/services")]

    def patches_sent(self) -> list[tuple[str, ServicePatch]]:
        return [
            (r.path.rsplit("/", 1)[1], ServicePatch.model_validate(r.json))
            for r in self.sent
            if r.method == "PATCH"
        ]

    def deletes_sent(self) -> list[str]:
        return [r.path.rsplit("/", 1)[1] for r in self.sent if r.method == "DELETE"]
