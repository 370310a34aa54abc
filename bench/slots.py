"""Figure 8 (issue 14 item 7): an optimistic create and reschedule at 100k bookings, in the engine.

The real sync engine is loaded with N bookings of one master (a full-list reply as the server sends
it), then each sample times `engine.handle(IntentMade(...))` for a create in a free slot, or a
reschedule of a booking into a free slot: the prediction with its overlap check, the queue and the
published rows, under the GC pause the controller feeds every input in. Each change is then
confirmed with the server's answer (not timed), so the outbox stays as short as in real use. The
figure is this process's CPU time per intent (the UI thread's cost: on a machine shared with other
work the wall time also counts waiting for a core); the note gives the wall time too. The
baseline is what the overlap check alone cost before the slot index: one pass over every booking
(the engine made two per intent: the prediction and the replay).

`python -m bench --only 8` runs just this figure and records it in docs/benchmarks.md.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from bench.client_path import CUSTOMERS, MASTER, Timings, full_list_body
from bench.config import label
from bench.data import SLOT
from bench.results import Measure, Results
from bench.stats import Summary, summarize
from booking_core import Booking, BookingCreate, BookingPatch, Role, UserPublic
from booking_core.planning import clashes
from desktop_app.collector import gc_paused
from desktop_app.sync import (
    Command,
    Create,
    Input,
    IntentMade,
    ReplyReceived,
    Reschedule,
    SendRequest,
    Started,
    SyncEngine,
)

SIZE = 100_000
TARGET = "p99 < 2 ms at 100k"


def _now() -> datetime:
    return datetime.now(UTC)


def handle(engine: SyncEngine, event: Input) -> list[Command]:
    """As the controller feeds the engine: under the GC pause (see `desktop_app.collector`)."""
    with gc_paused():
        return engine.handle(event)


def loaded_engine(count: int) -> SyncEngine:
    user = UserPublic(id=MASTER.id, username="master", role=Role.MASTER, display_name="Master")
    engine = SyncEngine(user)
    fetch = next(c for c in handle(engine, Started(_now())) if isinstance(c, SendRequest))
    handle(engine, ReplyReceived(fetch.request_id, 200, {}, full_list_body(count), _now()))
    return engine


def _free_start(last: datetime, index: int) -> datetime:
    """The `index`-th free slot after `last`, the end of every seeded booking."""
    return last + SLOT * (2 * index + 1)


def _last_end(engine: SyncEngine) -> datetime:
    return max(b.ends_at for b in engine.server.values())


def _answer(engine: SyncEngine, commands: list[object], booking_id: str, new_id: str) -> None:
    """The server's 2xx to the change just sent, so the outbox stays short."""
    sent = next(c for c in commands if isinstance(c, SendRequest))
    shown = engine.visible[booking_id].booking
    answer: Booking = shown.model_copy(update={"id": new_id})
    status = 201 if sent.method == "POST" else 200
    body = answer.model_dump(mode="json")
    handle(engine, ReplyReceived(sent.request_id, status, {}, body, _now()))


def creates(engine: SyncEngine, samples: int) -> Timings:
    times, last = Timings(), _last_end(engine)
    for index in range(samples):
        starts = _free_start(last, index)
        body = BookingCreate(
            master_id=MASTER.id,
            customer_id=CUSTOMERS[0],
            service="Haircut",
            starts_at=starts,
            ends_at=starts + timedelta(minutes=20),
        )
        client_id = f"local-{uuid.uuid4()}"
        intent = IntentMade(Create(client_id, body), _now())
        started = times.start()
        commands = handle(engine, intent)
        times.stop(started)
        _answer(engine, list(commands), client_id, str(uuid.uuid4()))
    return times


def reschedules(engine: SyncEngine, samples: int) -> Timings:
    times, last = Timings(), _last_end(engine)
    ids = sorted(engine.server, key=lambda i: engine.server[i].starts_at)
    for index in range(samples):
        booking_id = ids[(index * 997) % len(ids)]
        starts = _free_start(last, index)
        patch = BookingPatch(starts_at=starts, ends_at=starts + timedelta(minutes=20))
        intent = IntentMade(Reschedule(booking_id, patch), _now())
        started = times.start()
        commands = handle(engine, intent)
        times.stop(started)
        _answer(engine, list(commands), booking_id, booking_id)
    return times


def full_pass(engine: SyncEngine, samples: int) -> list[float]:
    """The overlap check as it was: one pass over every booking."""
    others = list(engine.server.values())
    times, last = [], _last_end(engine)
    for index in range(samples):
        probe = others[index % len(others)]
        starts = _free_start(last, index)
        moved = probe.model_copy(
            update={"starts_at": starts, "ends_at": starts + timedelta(minutes=20)}
        )
        started = time.perf_counter()
        clashes(moved, others)
        times.append((time.perf_counter() - started) * 1000)
    return times


def slot_figures(samples: int, results: Results, size: int = SIZE) -> None:
    engine = loaded_engine(size)
    naive = summarize(full_pass(engine, max(10, samples // 10)))
    for case, measure in (("create", creates), ("reschedule", reschedules)):
        timings = measure(engine, samples)
        ours: Summary = summarize(timings.cpu)
        wall = summarize(timings.wall)
        results.add(
            Measure(
                "8",
                f"optimistic {case}: intent → engine → rows published (slot index), CPU time",
                label(size),
                "ms",
                ours,
                naive,
                TARGET,
                ours.p99 < 2 if size == SIZE else None,
                f"wall p50 {wall.median:.2f} / p99 {wall.p99:.2f} ms (waits for a core included); "
                "naive: one pass over every booking for the overlap check (the engine made two "
                "per intent before the index)",
            )
        )
