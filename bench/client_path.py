"""Figures 1 (client part) and 2: event → repainted row, and intent → repainted row, in process.

The real sync engine is loaded with N bookings (a full-list reply fed as the server would send it),
the real table model and filter proxy sit under a shown 1200×800 QTableView (offscreen), and each
sample times: parse the socket frame → engine.handle → model.apply → dataChanged → the repaint.
The baseline times the naive model's reset behind a sorted proxy, up to the same repaint.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bench.data import SeedUser, make_bookings
from bench.naive import NaiveModel, sorted_proxy
from bench.qt import PaintProbe, application, settle, shown_table, wait_painted
from booking_core import (
    Action,
    BookingPatch,
    BookingUpdated,
    Hello,
    Role,
    UserPublic,
    parse_server_message,
)
from desktop_app.sync import (
    EventReceived,
    IntentMade,
    ReplyReceived,
    Reschedule,
    RowsChanged,
    SendRequest,
    SocketOpened,
    Started,
    SyncEngine,
)
from desktop_app.ui.bookings_filter import BookingsFilterProxy
from desktop_app.ui.bookings_model import BookingsTableModel

MASTER = SeedUser("master", "master")
CUSTOMERS = [SeedUser("carl", "customer").id, SeedUser("dora", "customer").id]
VISIBLE_ROWS = 20  # rows 0..19 are on screen in a 1200×800 table


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class LoadedClient:
    """A signed-in engine with N bookings, its model and proxy under a shown table."""

    engine: SyncEngine
    model: BookingsTableModel
    proxy: BookingsFilterProxy
    probe: PaintProbe
    keep: object  # the view: kept alive while measuring

    def apply(self, commands: list[object]) -> list[object]:
        for command in commands:
            if isinstance(command, RowsChanged):
                self.model.apply(command)
        return commands


def full_list_body(count: int) -> dict[str, object]:
    bookings = [b.model_dump(mode="json") for b in make_bookings(MASTER.id, CUSTOMERS, count)]
    return {"bookings": bookings, "cursor": count}


def loaded_client(count: int, engine_class: type[SyncEngine] = SyncEngine) -> LoadedClient:
    application()
    user = UserPublic(id=MASTER.id, username="master", role=Role.MASTER, display_name="Master")
    engine = engine_class(user)
    fetch = next(c for c in engine.handle(Started(_now())) if isinstance(c, SendRequest))
    engine.handle(ReplyReceived(fetch.request_id, 200, {}, full_list_body(count), _now()))
    engine.handle(SocketOpened(_now()))
    engine.handle(EventReceived(Hello(cursor=count, server_time=_now()), _now()))
    model = BookingsTableModel(lambda: engine.visible)
    proxy = BookingsFilterProxy()
    proxy.setSourceModel(model)
    view, probe = shown_table(proxy)
    return LoadedClient(engine, model, proxy, probe, view)


@dataclass
class Timings:
    """Wall ms per sample, and this process's CPU ms for the same span: on a machine shared with
    other work the wall time includes waiting for a core, the CPU time does not."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def start(self) -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def stop(self, started: tuple[float, float]) -> None:
        self.wall.append((time.perf_counter() - started[0]) * 1000)
        self.cpu.append((time.process_time() - started[1]) * 1000)


def event_to_row(client: LoadedClient, samples: int) -> Timings:
    """ms from a socket frame's text to the changed (visible) row repainted."""
    times = Timings()
    for index in range(samples):
        booking_id = client.model.booking_id_at(index % VISIBLE_ROWS)
        current = client.engine.server[booking_id]
        now = _now()
        changed = current.model_copy(
            update={"note": f"changed {index}", "version": current.version + 1, "updated_at": now}
        )
        cursor = client.engine.cursor or 0
        frame = BookingUpdated(
            seq=cursor + 1,
            action=Action.UPDATE,
            booking=changed,
            changes={"note": changed.note},
            actor=changed.customer_id,
        ).model_dump_json()
        before = client.probe.paints
        started = times.start()
        message = parse_server_message(frame)
        client.apply(list(client.engine.handle(EventReceived(message, _now()))))
        wait_painted(client.probe, before)
        times.stop(started)
    return times


def optimistic(client: LoadedClient, samples: int) -> Timings:
    """ms from the user's change (a new note) to the row repainted showing it as pending.

    Each change is then confirmed with the answer the server would give (not timed), so the
    outbox stays as short as in real use.
    """
    times = Timings()
    for index in range(samples):
        booking_id = client.model.booking_id_at(index % VISIBLE_ROWS)
        intent = Reschedule(booking_id, BookingPatch(note=f"mine {index}"))
        before = client.probe.paints
        started = times.start()
        commands = client.apply(list(client.engine.handle(IntentMade(intent, _now()))))
        wait_painted(client.probe, before)
        times.stop(started)
        sent = next(c for c in commands if isinstance(c, SendRequest))
        answer = client.engine.visible[booking_id].booking.model_dump(mode="json")
        client.apply(
            list(client.engine.handle(ReplyReceived(sent.request_id, 200, {}, answer, _now())))
        )
        settle(client.probe)
    return times


def naive_reset(count: int, samples: int) -> list[float]:
    """ms from a changed full list (already parsed) to the naive sorted view repainted."""
    application()
    body = full_list_body(count)
    rows: list[dict[str, object]] = json.loads(json.dumps(body["bookings"]))
    model = NaiveModel()
    model.replace_all(rows)
    proxy = sorted_proxy(model)
    view, probe = shown_table(proxy)
    times = []
    for index in range(samples):
        fresh = [dict(row) for row in rows]
        fresh[index % len(fresh)]["note"] = f"changed {index}"
        before = probe.paints
        started = time.perf_counter()
        model.replace_all(fresh)
        wait_painted(probe, before)
        times.append((time.perf_counter() - started) * 1000)
    del view
    return times


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def first_load(count: int, *, reset: bool) -> float:
    """ms from the full-list reply (parsed JSON) to the first paint of an empty model's view.

    `reset=False` is today's path (the window's model gets one insert per row); `reset=True` is
    the proposed one (a large change resets the model; the filter proxy does not sort).
    """
    application()
    user = UserPublic(id=MASTER.id, username="master", role=Role.MASTER, display_name="Master")
    engine = SyncEngine(user)
    model = BookingsTableModel(lambda: engine.visible)
    proxy = BookingsFilterProxy()
    proxy.setSourceModel(model)
    view, probe = shown_table(proxy)
    body = full_list_body(count)
    fetch = next(c for c in engine.handle(Started(_now())) if isinstance(c, SendRequest))
    before = probe.paints
    started = time.perf_counter()
    for command in engine.handle(ReplyReceived(fetch.request_id, 200, {}, body, _now())):
        if isinstance(command, RowsChanged):
            if reset:
                model.reset_all()
            else:
                model.apply(command)
    wait_painted(probe, before)
    elapsed = (time.perf_counter() - started) * 1000
    del view
    return elapsed
