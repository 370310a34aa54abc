# mypy: ignore-errors
"""INTERIM, until the catalog engine lands on main: a small Qt object with the controller's
catalog interface (desktop_app.ui.catalog_port), so the window's tests can run. It is replaced by
the real engine against the reference server as soon as that is merged."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal

from booking_core.availability import (
    Service,
    TimeOff,
    WeeklySchedule,
    new_service,
    patched_service,
)
from desktop_app.ui.catalog_port import (
    SCHEDULE,
    CatalogRollback,
    CatalogView,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
    TimeOffAdd,
    TimeOffRemove,
)

MASTER = "m1"


class FakeCatalog(QObject):
    catalog_changed = Signal(object)
    change_rolled_back = Signal(object)

    def __init__(self, view: CatalogView) -> None:
        super().__init__()
        self.view = view
        self.sent: list[tuple[str, object]] = []
        self.ids = itertools.count(1)

    def catalog(self) -> CatalogView:
        return self.view

    def _set(self, **changes) -> None:
        self.view = replace(self.view, **changes)
        self.catalog_changed.emit(self.view)

    def request_schedule(self, update):
        self.sent.append(("schedule", update))
        sched = WeeklySchedule(**update.model_dump(), version=self.view.schedule.version)
        self._set(schedule=sched, pending=self.view.pending | {SCHEDULE})

    def request_service_create(self, body):
        self.sent.append(("create", body))
        sid = f"new-{next(self.ids)}"
        self._set(
            services=(*self.view.services, new_service(body, service_id=sid, master_id=MASTER)),
            pending=self.view.pending | {sid},
        )

    def request_service_patch(self, sid, patch):
        self.sent.append(("patch", (sid, patch)))
        self._set(
            services=tuple(
                patched_service(s, patch) if s.id == sid else s for s in self.view.services
            ),
            pending=self.view.pending | {sid},
        )

    def request_time_off_add(self, body):
        self.sent.append(("time_off", body))
        tid = f"off-{next(self.ids)}"
        item = TimeOff(id=tid, master_id=MASTER, **body.model_dump())
        self._set(
            time_off=tuple(sorted((*self.view.time_off, item), key=lambda t: t.starts_at)),
            pending=self.view.pending | {tid},
        )

    def request_time_off_delete(self, tid):
        self.sent.append(("delete", tid))
        self._set(time_off=tuple(t for t in self.view.time_off if t.id != tid))

    def confirm_all(self):
        self._set(pending=frozenset())


def demo_view() -> CatalogView:
    sched = WeeklySchedule(
        time_zone="Europe/Berlin",
        weekly={
            d: [("09:00", "13:00"), ("14:00", "18:00")] for d in ("mon", "tue", "wed", "thu", "fri")
        }
        | {"sat": [("10:00", "14:00")]},
        version=3,
    )
    services = (
        Service(
            id="s1",
            master_id=MASTER,
            name="Haircut",
            duration_minutes=45,
            price_minor=3500,
            currency="EUR",
            buffer_after_minutes=15,
            version=1,
        ),
        Service(
            id="s2",
            master_id=MASTER,
            name="Beard trim",
            duration_minutes=20,
            price_minor=1500,
            currency="EUR",
            version=1,
        ),
        Service(
            id="s3",
            master_id=MASTER,
            name="Colouring",
            duration_minutes=90,
            price_minor=6000,
            currency="EUR",
            buffer_after_minutes=15,
            version=1,
        ),
        Service(
            id="s4", master_id=MASTER, name="Old perm", duration_minutes=60, active=False, version=2
        ),
    )
    off = (
        TimeOff(
            id="t1",
            master_id=MASTER,
            starts_at=datetime(2026, 12, 23, 23, tzinfo=UTC),
            ends_at=datetime(2026, 12, 27, 23, tzinfo=UTC),
            note="Christmas",
        ),
        TimeOff(
            id="t2",
            master_id=MASTER,
            starts_at=datetime(2027, 1, 8, 13, tzinfo=UTC),
            ends_at=datetime(2027, 1, 8, 17, tzinfo=UTC),
            note="Dentist",
        ),
    )
    return CatalogView(
        master_id=MASTER,
        services=services,
        schedule=sched,
        time_off=off,
        pending=frozenset(),
        loaded=True,
    )


class FakeBackend:
    """The test's side: what was sent, confirm everything, refuse the last."""

    def __init__(self) -> None:
        self.controller = FakeCatalog(demo_view())
        self._confirmed = self.controller.view

    def sent(self):
        return list(self.controller.sent)

    def confirm(self):
        self.controller.confirm_all()
        self._confirmed = self.controller.view

    def refuse(self, code: str, field: str | None = None):
        kind, payload = self.controller.sent[-1]
        intent = {
            "schedule": lambda: ScheduleSet(payload),
            "create": lambda: ServiceAdd("new-x", payload),
            "patch": lambda: ServiceEdit(*payload),
            "time_off": lambda: TimeOffAdd("off-x", payload),
            "delete": lambda: TimeOffRemove(payload),
        }[kind]()
        target = {"schedule": "schedule"}.get(kind, "x")
        self.controller.view = self._confirmed
        self.controller.catalog_changed.emit(self._confirmed)
        self.controller.change_rolled_back.emit(CatalogRollback(target, intent, code, field))


class CatalogBackend(FakeBackend):
    def _kind(self, kind: str) -> list[object]:
        return [payload for k, payload in self.controller.sent if k == kind]

    def schedules_sent(self):  # type: ignore[no-untyped-def]
        return self._kind("schedule")

    def time_off_sent(self):  # type: ignore[no-untyped-def]
        return self._kind("time_off")

    def creates_sent(self):  # type: ignore[no-untyped-def]
        return self._kind("create")

    def patches_sent(self):  # type: ignore[no-untyped-def]
        return self._kind("patch")

    def deletes_sent(self):  # type: ignore[no-untyped-def]
        return self._kind("delete")

    def last_time_off_id(self) -> str:
        return f"off-{next(self.controller.ids) - 1}"

    def change_schedule_elsewhere(self, **changes: object) -> None:
        schedule = self.controller.view.schedule.model_copy(update=changes)
        self.controller.view = replace(self.controller.view, schedule=schedule)
        self.controller.catalog_changed.emit(self.controller.view)
