"""A master's catalog (services, working hours, time off) synced like the bookings (issue 18):
fetched at start and on `availability:updated`, edited optimistically, queued offline and kept in
the outbox across restarts, sent with Idempotency-Key and If-Match, rolled back with a reason."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from booking_core import BookingCreate
from booking_core.availability import (
    ScheduleUpdate,
    ServiceCreate,
    ServicePatch,
    TimeOffCreate,
    WeeklySchedule,
)
from desktop_app.sync import (
    SCHEDULE,
    CatalogEntry,
    CatalogIntent,
    CatalogIntentMade,
    Command,
    Create,
    IntentMade,
    RequestFailed,
    ScheduleSet,
    SendRequest,
    ServiceAdd,
    ServiceEdit,
    TimeOffAdd,
    TimeOffRemove,
    WatchingAvailability,
)
from desktop_app.sync.outbox import OutboxFormatError
from tests.desktop.sync.harness import CUSTOMER, MASTER, T0, World, sent
from tests.desktop.sync.reference_server import ReferenceServer

HOURS = ScheduleUpdate(
    time_zone="Europe/Berlin",
    weekly={"mon": [("09:00", "13:00"), ("14:00", "18:00")], "tue": [("09:00", "17:00")]},
)
LATE_HOURS = ScheduleUpdate(time_zone="Europe/Berlin", weekly={"wed": [("12:00", "20:00")]})
HAIRCUT = ServiceCreate(name="Haircut", duration_minutes=45, price_minor=3500, currency="EUR")
HOLIDAY = TimeOffCreate(starts_at=T0 + timedelta(days=3), ends_at=T0 + timedelta(days=5))


def catalog_world(server: ReferenceServer | None = None) -> World:
    """A master's engine, connected, with the catalog (and no bookings) loaded."""
    world = World(catalog=True, server=server or ReferenceServer())
    world.start()
    world.settle()
    assert world.engine.catalog.loaded
    world.requests.clear()
    return world


def make(world: World, intent: CatalogIntent) -> list[Command]:
    return world.feed(CatalogIntentMade(intent, world.now))


def catalog_requests(world: World) -> list[SendRequest]:
    return [p.request for p in world.requests if "/bookings" not in p.request.path]


def schedule_puts(world: World) -> int:
    return len([m for m in world.server.catalogs.log if m == MASTER.id])


def test_the_catalog_is_fetched_at_start_and_shown() -> None:
    server = ReferenceServer()
    server.catalogs.put_schedule(MASTER.id, HOURS)
    server.catalogs.add_service(MASTER.id, HAIRCUT)
    archived = server.catalogs.add_service(MASTER.id, HAIRCUT.model_copy(update={"name": "Old"}))
    server.catalogs.patch_service(archived.id, ServicePatch(active=False))
    server.catalogs.add_time_off(MASTER.id, HOLIDAY)
    world = World(catalog=True, server=server)
    out = world.start()
    paths = sorted(r.path for r in sent(out) if "/bookings" not in r.path)
    assert paths == [
        "/api/v1/masters/m1/schedule",
        "/api/v1/masters/m1/services?include_archived=true",
        "/api/v1/masters/m1/time-off",
    ]
    assert not world.engine.catalog.loaded
    world.settle()
    view = world.engine.catalog
    assert view.loaded
    assert view.pending == frozenset()
    assert [s.name for s in view.services] == ["Haircut", "Old"]  # archived too, in order
    assert view.services[1].active is False
    assert view.schedule.weekly == HOURS.weekly
    assert view.schedule.version == 1
    assert [t.starts_at for t in view.time_off] == [HOLIDAY.starts_at]
    assert world.catalog_views[-1] == view


def test_an_edit_shows_at_once_and_the_answer_confirms_it() -> None:
    world = catalog_world()
    out = make(world, ScheduleSet(HOURS))
    view = world.engine.catalog
    assert view.schedule.weekly == HOURS.weekly
    assert view.pending == {SCHEDULE}
    assert world.catalog_views[-1] == view  # published at once
    (put,) = sent(out)
    assert (put.method, put.path) == ("PUT", "/api/v1/masters/m1/schedule")
    assert put.headers["If-Match"] == '"0"'  # never set
    assert put.headers["Idempotency-Key"]
    assert world.engine.status.pending == 1
    world.settle()
    view = world.engine.catalog
    assert view.pending == frozenset()
    assert view.schedule.version == 1
    assert world.server.catalogs.schedule(MASTER.id).weekly == HOURS.weekly
    assert world.engine.status.pending == 0
    assert world.catalog_rollbacks == []


def test_an_offline_edit_is_queued_and_sent_once_after_reconnect() -> None:
    world = catalog_world()
    world.network(False)
    world.drop_socket()
    out = make(world, ScheduleSet(HOURS))
    assert sent(out) == []
    assert world.engine.catalog.schedule.weekly == HOURS.weekly  # shown while offline
    assert [e.intent for e in world.catalog_persisted] == [ScheduleSet(HOURS)]
    world.advance(60)
    assert catalog_requests(world) == []  # nothing goes while offline
    world.network(True)
    world.settle()
    assert world.server.catalogs.schedule(MASTER.id).weekly == HOURS.weekly
    assert schedule_puts(world) == 1  # exactly once
    assert world.engine.catalog.pending == frozenset()
    assert world.catalog_persisted == ()


def test_a_refusal_is_rolled_back_with_the_field_it_names() -> None:
    server = ReferenceServer()
    free = server.catalogs.add_service(MASTER.id, ServiceCreate(name="Chat", duration_minutes=15))
    world = catalog_world(server)
    # A price without a currency: the server refuses it (422 on price_minor).
    make(world, ServiceEdit(free.id, ServicePatch(price_minor=500)))
    assert world.engine.catalog.pending == {free.id}
    world.settle()
    (rollback,) = world.catalog_rollbacks
    assert rollback.code == "invalid_request"
    assert rollback.field == "price_minor"
    assert rollback.subject == "service"
    assert rollback.current == server.catalogs.services[free.id]
    view = world.engine.catalog
    assert view.pending == frozenset()
    assert view.services[0].price_minor is None  # rolled back


def test_a_stale_schedule_is_fetched_again_and_the_user_told() -> None:
    world = catalog_world()
    # The master changed the hours on another device; this one has not heard yet.
    elsewhere = world.server.catalogs.put_schedule(MASTER.id, LATE_HOURS)
    world.availability_seen = len(world.server.catalogs.log)  # the event is lost
    make(world, ScheduleSet(HOURS))
    answer = world.deliver_request(world.request_for("PUT"))
    assert answer.status == 412
    assert isinstance(answer.body, dict)
    assert answer.body["current_version"] == 1
    world.deliver_reply()
    assert world.engine.catalog.pending == {SCHEDULE}  # held until the fetch tells what is there
    assert sorted(r.method for r in catalog_requests(world)) == ["GET", "GET", "GET"]
    world.settle()
    (rollback,) = world.catalog_rollbacks
    assert rollback.code == "version_conflict"
    assert rollback.current == elsewhere
    view = world.engine.catalog
    assert view.schedule == elsewhere
    assert view.pending == frozenset()
    assert world.server.catalogs.schedule(MASTER.id) == elsewhere  # not overwritten


def test_a_stale_service_edit_of_other_fields_goes_again_on_the_new_version() -> None:
    server = ReferenceServer()
    service = server.catalogs.add_service(MASTER.id, HAIRCUT)
    world = catalog_world(server)
    server.catalogs.patch_service(service.id, ServicePatch(name="Long haircut"))
    world.availability_seen = len(server.catalogs.log)  # the event is lost
    make(world, ServiceEdit(service.id, ServicePatch(price_minor=4000, currency="EUR")))
    world.settle()
    assert world.catalog_rollbacks == []
    now = server.catalogs.services[service.id]
    assert (now.name, now.price_minor, now.version) == ("Long haircut", 4000, 3)
    assert world.engine.catalog.services == (now,)


def test_a_lost_answer_is_retried_with_the_same_key_and_applied_once() -> None:
    world = catalog_world()
    make(world, ScheduleSet(HOURS))
    index = world.request_for("PUT")
    first = world.requests[index].request
    world.deliver_request(index, answer=False)  # the server applied it; the answer is lost
    world.feed(RequestFailed(first.request_id, "connection reset", world.now))
    assert world.engine.catalog.pending == {SCHEDULE}
    world.settle()
    puts = [r for r in world.server_requests if r.method == "PUT"]
    assert len(puts) == 2
    assert puts[1].headers == first.headers  # resent identically: same key, same If-Match
    assert schedule_puts(world) == 1  # the server replayed its answer, did not apply it again
    assert world.engine.catalog.pending == frozenset()
    assert world.engine.catalog.schedule.version == 1
    assert world.catalog_rollbacks == []


def test_queued_changes_survive_a_restart_and_show_with_the_cached_catalog() -> None:
    server = ReferenceServer()
    server.catalogs.put_schedule(MASTER.id, HOURS)
    world = catalog_world(server)
    world.network(False)
    world.drop_socket()
    make(world, ServiceAdd("local-1", HAIRCUT))
    world.advance(1)
    make(world, TimeOffAdd("local-2", HOLIDAY))
    make(world, ScheduleSet(LATE_HOURS))
    assert len(world.catalog_persisted) == 3
    before = world.engine.catalog

    world.restart(cached=True)  # offline: nothing answers
    shown = world.engine.catalog
    assert shown == before  # the cache with the queued changes, at once
    assert shown.loaded
    assert world.catalog_views[-1] == shown
    world.settle()
    catalogs = server.catalogs
    assert [s.name for s in catalogs.services.values()] == ["Haircut"]
    assert [t.starts_at for t in catalogs.time_off.values()] == [HOLIDAY.starts_at]
    assert catalogs.schedule(MASTER.id).weekly == LATE_HOURS.weekly
    assert len(catalogs.log) == 4  # the first hours and each change once
    view = world.engine.catalog
    assert view.pending == frozenset()
    assert view.services[0].id == next(iter(catalogs.services))  # the server's id now
    assert world.catalog_rollbacks == []


def test_changes_to_a_created_service_follow_its_server_id() -> None:
    world = catalog_world()
    make(world, ServiceAdd("local-1", HAIRCUT))
    post = world.request_for("POST")
    world.deliver_request(post)
    make(world, ServiceEdit("local-1", ServicePatch(duration_minutes=60)))  # before the answer
    world.settle()
    (service,) = world.server.catalogs.services.values()
    assert (service.duration_minutes, service.version) == (60, 2)
    patch = next(r for r in world.server_requests if r.method == "PATCH")
    assert patch.path == f"/api/v1/services/{service.id}"
    assert patch.headers["If-Match"] == '"1"'
    assert world.engine.catalog.services == (service,)


def test_a_booking_on_a_service_created_offline_waits_for_the_service_s_id() -> None:
    world = catalog_world()
    world.network(False)
    world.drop_socket()
    make(world, ServiceAdd("local-1", HAIRCUT))
    starts = T0 + timedelta(days=2)
    body = BookingCreate(
        master_id=MASTER.id,
        customer_id="c1",
        service="Haircut",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
        service_id="local-1",
    )
    world.feed(IntentMade(Create("new-1", body), world.now))
    world.network(True)
    world.settle()
    (service,) = world.server.catalogs.services.values()
    (booked,) = world.server.bookings.values()
    assert booked.service_id == service.id  # never the client id
    assert world.rollbacks == []
    assert world.catalog_rollbacks == []
    posts = [r.path for r in world.server_requests if r.method == "POST"]
    assert posts == ["/api/v1/services", "/api/v1/bookings"]  # the service first


def test_time_off_removed_before_it_was_sent_sends_nothing() -> None:
    world = catalog_world()
    world.network(False)
    make(world, TimeOffAdd("local-1", HOLIDAY))
    make(world, TimeOffRemove("local-1"))
    assert world.engine.catalog.time_off == ()
    assert world.catalog_persisted == ()
    world.network(True)
    world.settle()
    assert world.server.catalogs.time_off == {}


def test_time_off_is_removed_and_one_already_gone_is_no_refusal() -> None:
    server = ReferenceServer()
    one = server.catalogs.add_time_off(MASTER.id, HOLIDAY)
    two = server.catalogs.add_time_off(MASTER.id, HOLIDAY)
    world = catalog_world(server)
    server.catalogs.remove_time_off(two.id)  # on another device
    world.availability_seen = len(server.catalogs.log)
    make(world, TimeOffRemove(one.id))
    make(world, TimeOffRemove(two.id))
    assert world.engine.catalog.time_off == ()
    world.settle()
    assert server.catalogs.time_off == {}
    assert world.catalog_rollbacks == []
    assert world.engine.catalog.time_off == ()


def test_removing_time_off_the_server_no_longer_has_sends_nothing_and_undoes_nothing() -> None:
    server = ReferenceServer()
    item = server.catalogs.add_time_off(MASTER.id, HOLIDAY)
    world = catalog_world(server)
    world.network(False)
    world.drop_socket()
    make(world, TimeOffRemove(item.id))
    server.catalogs.remove_time_off(item.id)  # on another device, meanwhile
    world.network(True)
    world.settle()  # the reconnect fetches the catalog first: nothing left to remove
    assert not [r for r in world.server_requests if r.method == "DELETE"]
    assert world.catalog_rollbacks == []
    assert world.engine.catalog.time_off == ()
    assert world.engine.catalog.pending == frozenset()


def test_availability_updated_for_the_master_refetches_and_is_forwarded() -> None:
    world = catalog_world()
    world.server.catalogs.put_schedule(MASTER.id, HOURS)  # another device
    world.push_events()
    world.deliver_frame()
    assert world.availability_changed == [MASTER.id]
    assert sorted(r.method for r in catalog_requests(world)) == ["GET", "GET", "GET"]
    world.settle()
    assert world.engine.catalog.schedule.weekly == HOURS.weekly


def test_without_a_socket_the_catalog_is_fetched_again_now_and_then() -> None:
    world = catalog_world()
    world.drop_socket()  # and it stays down: the socket is refused from now on
    world.server.catalogs.put_schedule(MASTER.id, HOURS)  # on another device
    for _ in range(400):
        if world.socket == "opening":
            world.refuse_connect()
        while world.requests:  # the bookings' polls, and the catalog's when due
            world.deliver_request()
        while world.replies:
            world.deliver_reply()
        if world.engine.catalog.schedule.weekly == HOURS.weekly or world.to_wakeup() is None:
            break
    assert world.engine.catalog.schedule.weekly == HOURS.weekly
    assert world.now - T0 >= timedelta(seconds=60)  # not at every bookings poll
    assert world.now - T0 < timedelta(seconds=70)


def test_watching_is_announced_now_and_after_every_reconnect() -> None:
    world = catalog_world()
    world.feed(WatchingAvailability("m2", world.now))
    assert world.watches == ["m2"]
    world.drop_socket()
    world.to_wakeup()
    world.connect()
    assert world.watches == ["m2", "m2"]
    world.feed(WatchingAvailability(None, world.now))
    assert world.watches == ["m2", "m2", None]


def test_a_customer_has_no_catalog_and_cannot_edit_one() -> None:
    world = World(user=CUSTOMER, catalog=True)
    out = world.start()
    assert [r.path for r in sent(out)] == ["/api/v1/bookings"]
    make(world, ScheduleSet(HOURS))
    (rollback,) = world.catalog_rollbacks
    assert rollback.code == "forbidden"
    assert world.engine.catalog.loaded is False
    assert world.catalog_views == []


def test_a_server_without_the_extension_leaves_the_catalog_alone() -> None:
    world = World(catalog=True, server=ReferenceServer(catalog=False))
    world.start()
    make(world, ScheduleSet(HOURS))  # made before the server said it has no catalog
    world.settle()
    assert world.engine.catalog.loaded is False
    assert [r.code for r in world.catalog_rollbacks] == ["unsupported"]  # undone, not stuck
    assert world.engine.status.pending == 0
    world.advance(300)
    assert catalog_requests(world) == []  # never asked again
    make(world, ServiceAdd("local-1", HAIRCUT))
    assert [r.code for r in world.catalog_rollbacks] == ["unsupported", "unsupported"]
    assert world.engine.catalog.services == ()


def test_a_double_click_on_add_adds_one_service() -> None:
    world = catalog_world()
    make(world, ServiceAdd("local-1", HAIRCUT))
    make(world, ServiceAdd("local-2", HAIRCUT))
    assert len(world.engine.catalog.services) == 1
    world.settle()
    assert len(world.server.catalogs.services) == 1


def test_unsent_edits_of_the_hours_become_one_request() -> None:
    world = catalog_world()
    world.network(False)
    make(world, ScheduleSet(HOURS))
    world.advance(1)
    make(world, ScheduleSet(LATE_HOURS))
    assert len(world.catalog_persisted) == 1
    world.network(True)
    world.settle()
    assert schedule_puts(world) == 1
    assert world.server.catalogs.schedule(MASTER.id).weekly == LATE_HOURS.weekly


def test_confirmed_changes_move_later_ones_to_the_new_version() -> None:
    world = catalog_world()
    make(world, ScheduleSet(HOURS))  # in flight
    world.advance(1)
    make(world, ScheduleSet(LATE_HOURS))  # waits for it: If-Match must be its version
    world.settle()
    assert world.catalog_rollbacks == []
    schedule = world.server.catalogs.schedule(MASTER.id)
    assert (schedule.weekly, schedule.version) == (LATE_HOURS.weekly, 2)
    assert world.engine.catalog.schedule == WeeklySchedule(**LATE_HOURS.model_dump(), version=2)


def test_every_kind_of_catalog_change_survives_the_outbox_s_json() -> None:
    service = ReferenceServer().catalogs.add_service(MASTER.id, HAIRCUT)
    entries = [
        CatalogEntry("k1", ServiceAdd("local-1", HAIRCUT), "local-1", T0),
        # Explicit nulls remove the price: they must stay in the patch.
        CatalogEntry(
            "k2",
            ServiceEdit(service.id, ServicePatch(price_minor=None, currency=None)),
            service.id,
            T0,
            base=service,
            sent=True,
            first_sent_at=T0,
        ),
        CatalogEntry(
            "k3", ScheduleSet(HOURS), SCHEDULE, T0, base=WeeklySchedule(**HOURS.model_dump())
        ),
        CatalogEntry("k4", TimeOffAdd("local-2", HOLIDAY), "local-2", T0),
        CatalogEntry("k5", TimeOffRemove("off-1"), "off-1", T0),
    ]
    for entry in entries:
        assert CatalogEntry.from_json(json.loads(json.dumps(entry.to_json()))) == entry
    patch = CatalogEntry.from_json(entries[1].to_json()).intent
    assert isinstance(patch, ServiceEdit)
    assert patch.patch.model_fields_set == {"price_minor", "currency"}
    with pytest.raises(OutboxFormatError):
        CatalogEntry.from_json({"catalog": True, "key": "k", "intent": {"kind": "nonsense"}})
