"""The master's engine with the catalog synced too, against the reference server (hypothesis
stateful): everything `EngineAgainstServer` does to the bookings and the network, plus catalog
edits (hours, services, time off) by this app and by the master's other device.

Invariants: no catalog change is applied twice; every change that left the outbox was applied,
reported or folded into a later one; none is reported undone that the server applied; the
persisted catalog outbox is the engine's. Once quiet: nothing pending, and the catalog shown is
exactly the server's (services in the order created, the hours, the time off).
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from booking_core.availability import (
    ScheduleUpdate,
    ServiceCreate,
    ServicePatch,
    TimeOffCreate,
    default_schedule,
)
from desktop_app.sync import (
    CatalogIntent,
    CatalogIntentMade,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
    TimeOffAdd,
    TimeOffRemove,
)
from tests.desktop.sync.harness import MASTER, T0
from tests.desktop.sync.test_against_reference import INDEX, EngineAgainstServer

DAYS = st.integers(min_value=1, max_value=20)


def catalog_marker(intent: CatalogIntent) -> str | None:
    match intent:
        case ServiceAdd(_, body):
            return body.name
        case ServiceEdit(_, patch):
            return patch.name
        case ScheduleSet(update):
            return f"hours-{update.min_notice_minutes}"
        case TimeOffAdd(_, body):
            return body.note
        case TimeOffRemove():
            return None


class CatalogAgainstServer(EngineAgainstServer):
    catalog = True

    def __init__(self) -> None:
        super().__init__()
        self.catalog_superseded: set[str] = set()
        self.catalog_in_outbox: set[str] = set()
        self.catalog_made: set[str] = set()  # the markers of this app's changes

    # --- helpers ---------------------------------------------------------------------------------

    def _catalog_intent(self, intent: CatalogIntent) -> None:
        world = self.world
        marker = catalog_marker(intent)
        if marker is not None:
            self.catalog_made.add(marker)
        before = self._catalog_outbox_markers()
        rollbacks = len(world.catalog_rollbacks)
        world.feed(CatalogIntentMade(intent, world.now))
        reported = {catalog_marker(r.intent) for r in world.catalog_rollbacks[rollbacks:]}
        applied = set(world.server.catalogs.applied)
        self.catalog_superseded |= before - self._catalog_outbox_markers() - reported - applied

    def _catalog_outbox_markers(self) -> set[str]:
        queue = self.world.engine.catalog_sync.queue
        return {m for e in queue.entries() if (m := catalog_marker(e.intent)) is not None}

    # --- the user's catalog edits ----------------------------------------------------------------

    @rule(day=st.sampled_from(["mon", "tue", "sat"]), start=st.integers(6, 12))
    def set_hours(self, day: str, start: int) -> None:
        self.counter += 1
        weekly = {day: [(f"{start:02d}:00", f"{start + 6:02d}:00")]}
        update = ScheduleUpdate.model_validate(
            {"time_zone": "Europe/Berlin", "weekly": weekly, "min_notice_minutes": self.counter}
        )
        self._catalog_intent(ScheduleSet(update))

    @rule(minutes=st.sampled_from([15, 30, 45]))
    def add_service(self, minutes: int) -> None:
        name = self._marker("svc")
        body = ServiceCreate(name=name, duration_minutes=minutes)
        self._catalog_intent(ServiceAdd(f"local-{name}", body))

    @rule(index=INDEX, archive=st.booleans())
    def edit_service(self, index: int, archive: bool) -> None:
        services = self.world.engine.catalog.services
        if not services:
            return
        service = services[index % len(services)]
        patch = ServicePatch(name=self._marker("edit"), active=not archive)
        self._catalog_intent(ServiceEdit(service.id, patch))

    @rule(day=DAYS)
    def add_time_off(self, day: int) -> None:
        starts = T0 + timedelta(days=day)
        note = self._marker("off")
        body = TimeOffCreate(starts_at=starts, ends_at=starts + timedelta(hours=5), note=note)
        self._catalog_intent(TimeOffAdd(f"local-{note}", body))

    @rule(index=INDEX)
    def remove_time_off(self, index: int) -> None:
        items = self.world.engine.catalog.time_off
        if items:
            self._catalog_intent(TimeOffRemove(items[index % len(items)].id))

    # --- the master's other device --------------------------------------------------------------

    @rule(what=st.sampled_from(["hours", "service", "rename", "time_off", "remove"]), index=INDEX)
    def other_device(self, what: str, index: int) -> None:
        catalogs = self.world.server.catalogs
        mine = [s for s in catalogs.services.values() if s.master_id == MASTER.id]
        offs = [t for t in catalogs.time_off.values() if t.master_id == MASTER.id]
        name = self._marker("other")
        if what == "hours":
            update = ScheduleUpdate(time_zone="Europe/Berlin", weekly={"fri": [("10:00", "12:00")]})
            catalogs.put_schedule(MASTER.id, update.model_copy(update={"min_notice_minutes": 0}))
        elif what == "service":
            catalogs.add_service(MASTER.id, ServiceCreate(name=name, duration_minutes=20))
        elif what == "rename" and mine:
            catalogs.patch_service(mine[index % len(mine)].id, ServicePatch(name=name))
        elif what == "time_off":
            starts = T0 + timedelta(days=30 + index)
            create = TimeOffCreate(starts_at=starts, ends_at=starts + timedelta(hours=2), note=name)
            catalogs.add_time_off(MASTER.id, create)
        elif what == "remove" and offs:
            catalogs.remove_time_off(offs[index % len(offs)].id)
        self.world.push_events()

    @precondition(lambda self: self.world.frames)
    @rule()
    def lose_a_frame(self) -> None:
        """An `availability:updated` hint may be lost (best effort); the next hello catches up."""
        self.world.frames.pop(0)
        self.world.drop_socket()

    # --- invariants ------------------------------------------------------------------------------

    @invariant()
    def check_catalog(self) -> None:
        world = self.world
        applied = [m for m in world.server.catalogs.applied if m in self.catalog_made]
        assert len(applied) == len(set(applied)), f"applied twice: {applied}"
        now_in = self._catalog_outbox_markers()
        reported = {catalog_marker(r.intent) for r in world.catalog_rollbacks}
        lost = self.catalog_in_outbox - now_in - set(applied) - reported - self.catalog_superseded
        assert not lost, f"left the outbox unapplied and unreported: {lost}"
        self.catalog_in_outbox = now_in
        for rollback in world.catalog_rollbacks:
            if rollback.code != "not_confirmed":
                assert catalog_marker(rollback.intent) not in applied, rollback
        assert world.catalog_persisted == world.engine.catalog_sync.queue.entries()

    def teardown(self) -> None:
        super().teardown()  # settles: everything delivered, time run out
        self.check_catalog()
        world = self.world
        catalogs = world.server.catalogs
        view = world.engine.catalog
        assert view.pending == frozenset()
        assert world.catalog_persisted == ()
        assert view.loaded
        services = [s for s in catalogs.services.values() if s.master_id == MASTER.id]
        assert list(view.services) == services
        assert view.schedule == catalogs.schedules.get(MASTER.id, default_schedule())
        offs = sorted(
            (t for t in catalogs.time_off.values() if t.master_id == MASTER.id),
            key=lambda t: (t.starts_at, t.ends_at, t.id),
        )
        assert list(view.time_off) == offs


# No parent given: the profile loaded by tests/conftest.py (dev or ci) supplies max_examples.
CatalogAgainstServer.TestCase.settings = settings(
    max_examples=max(10, settings().max_examples // 3),  # a third of the profile's (time)
    stateful_step_count=100,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCatalogAgainstServer = CatalogAgainstServer.TestCase
