"""Figure B (issue 18): client-side slot suggestions for a day at 100k loaded bookings.

The real sync engine is loaded with N bookings of one master (the full-list reply as the server
sends it: one every 30 minutes, 20 minutes long, from tomorrow on) and the real
`BookingsTableModel` built over its rows, as in the app. The master works every day 08:00-12:00
and 13:00-20:00 UTC and offers a 10 minute service (slot step 5 minutes: the gaps between the
bookings leave two slots an hour, as in figure A). Each sample computes what the new-booking
form offers for another day inside the booked span: `work_hours.suggest_slots` fetches the
bookings near that day by the model's bisection and runs `availability.free_spans` over a
`BusyIndex` of just those. The figure is this process's CPU time per day (the UI thread's
cost); the note gives the wall time too.

Naive: the same `free_spans` over a `BusyIndex` built from every loaded booking, what a form that
hands all of the engine's rows to booking_core would cost per day.

`python -m bench.suggestions [--output docs] [--quick]` runs only this figure and merges it into
OUTPUT/bench/results.json and OUTPUT/benchmarks.md (the other figures stay as they were measured).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.client_path import MASTER, Timings
from bench.data import first_slot
from bench.machine import load_average
from bench.results import Measure, Results
from bench.stats import summarize
from booking_core import Booking
from booking_core.availability import BusyIndex, Service, WeeklySchedule, free_spans

log = logging.getLogger("bench")
FIGURE = "B"
SIZE = 100_000
TARGET = "< 2 ms at 100k"
_PLOTS = ("event_to_row.png", "initial_load.png", "fanout.png", "traffic.png")  # python -m bench's
HOURS = [("08:00", "12:00"), ("13:00", "20:00")]
SCHEDULE = WeeklySchedule(
    time_zone="UTC",
    weekly=dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), HOURS),
    min_notice_minutes=0,
    horizon_days=730,
    slot_step_minutes=5,
    version=1,
)
SERVICE = Service(
    id="bench-quick-check",
    master_id=MASTER.id,
    name="Quick check",
    duration_minutes=10,
    buffer_after_minutes=0,
    version=1,
)


def measure(bookings: int, samples: int) -> list[Measure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.qt import application
    from bench.slots import loaded_engine
    from desktop_app.collector import gc_paused
    from desktop_app.ui.bookings_model import BookingsTableModel
    from desktop_app.ui.work_hours import suggest_slots

    application()
    engine = loaded_engine(bookings)
    model = BookingsTableModel(lambda: engine.visible)
    assert model.rowCount() == bookings, model.rowCount()

    def between(start: datetime, end: datetime) -> Iterable[Booking]:
        return [row.booking for row in model.visible_between(start, end)]

    first = first_slot().date()
    span_days = max(2, min(bookings * 30 // (60 * 24), 720) - 2)
    rng = random.Random(18)
    days = [first + timedelta(days=rng.randrange(1, span_days)) for _ in range(samples + 5)]
    now = datetime.now(UTC)
    buffers = {SERVICE.id: SERVICE.buffer_after_minutes}
    times, counts = Timings(), []
    for index, day in enumerate(days):
        with gc_paused():  # as the controller's inputs run (the form is on the same thread)
            started = times.start()
            slots = suggest_slots(
                SCHEDULE,
                SERVICE,
                day=day,
                zone=UTC,
                now=now,
                between=between,
                master_id=MASTER.id,
                buffers=buffers,
            )
            if index < 5:  # warm-up
                times = Timings()
                continue
            times.stop(started)
        counts.append(len(slots))
    naive = _naive([b.booking for b in engine.visible.values()], days[: max(3, samples // 20)])
    one, five, _ = load_average()
    load = f"load average {one:.1f} / {five:.1f} (1 / 5 min) at the end"
    label = f"{bookings // 1000}k" if bookings >= 1000 else str(bookings)
    ours, wall = summarize(times.cpu), summarize(times.wall)
    return [
        Measure(
            FIGURE,
            "slot suggestions for a day in the new-booking form (client side), CPU time",
            label,
            "ms",
            ours,
            summarize(naive),
            TARGET,
            ours.p99 < 2 if bookings >= SIZE else None,
            f"{min(counts)}-{max(counts)} slots a day; wall p50 {wall.median:.2f} / p99 "
            f"{wall.p99:.2f} ms; naive: free_spans over a BusyIndex of every loaded booking; "
            f"{load}",
        )
    ]


def _naive(bookings: list[Booking], days: list[date]) -> list[float]:
    times = []
    now = datetime.now(UTC)
    for day in days:
        started = time.perf_counter()
        busy = BusyIndex((b.starts_at, b.ends_at) for b in bookings if b.is_active)
        free_spans(
            SCHEDULE,
            duration=timedelta(minutes=10),
            buffer_after=timedelta(0),
            first_day=day - timedelta(days=1),
            last_day=day,
            now=now,
            busy=busy,
        )
        times.append((time.perf_counter() - started) * 1000)
    return times


def merge(results: Results, measures: list[Measure]) -> None:
    """Replace this figure's rows in `results` with `measures`."""
    results.measures = [m for m in results.measures if m.figure != FIGURE] + measures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.suggestions", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k bookings, 30 samples")
    parser.add_argument("--output", type=Path, default=Path("docs"), help="where to write")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s")
    from bench import report
    from bench.__main__ import FINDINGS
    from bench.machine import describe
    from bench.notes import NOTES

    bookings, samples = (1_000, 30) if options.quick else (SIZE, 500)
    measures = measure(bookings, samples)
    folder = options.output / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / "results.json"
    results = Results.read_json(stored) if stored.exists() else Results(describe())
    merge(results, measures)
    results.notes.extend(NOTES)
    results.notes.append(str(results.extras.get("duration", "")))
    results.write_json(stored)
    drawn = [folder / name for name in _PLOTS if (folder / name).exists()]
    findings = FINDINGS.read_text() if FINDINGS.exists() and not options.quick else ""
    report.write(results, options.output / "benchmarks.md", drawn, findings)
    for line in report.table(Results(results.machine, measures)):
        print(line)
    return 0 if all(m.met is not False for m in measures) else 1


if __name__ == "__main__":
    sys.exit(main())
