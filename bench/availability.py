"""Figure A (issue 18): the free slots of one master for 7 days, with 100k bookings in the database.

A real server on loopback (SQLite) with one master holding 100k bookings (one every 30 minutes,
20 minutes long, from tomorrow on: ~5.7 years), working every day 08:00-12:00 and 13:00-20:00 UTC,
and a 10 minute service (slot step 5 minutes: the gaps between bookings leave two slots an hour).
Each sample asks `GET /masters/{id}/availability` for another 7-day window inside the booked span.

- server time: the route's own `Server-Timing: app;dur=…` (reading the schedule, the service, the
  window's bookings through the (master_id, starts_at) index and the time off, then `free_slots`
  and the JSON), target p99 < 5 ms;
- end to end: the client's wall time for the request on a kept-alive loopback connection,
  target p99 < 15 ms;
- naive: the same `free_slots` over a linear scan of all the master's bookings (read once,
  in-process: no database time at all), what an unindexed implementation costs at least.

`python -m bench.availability [--output docs] [--quick]` runs only this figure and merges it into
OUTPUT/bench/results.json and OUTPUT/benchmarks.md (the other figures stay as they were measured).
"""

from __future__ import annotations

import argparse
import logging
import random
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from bench.data import SeedUser, first_slot
from bench.machine import load_average
from bench.results import Measure, Results
from bench.servers import seeded_server
from bench.stats import summarize
from booking_core.availability import BusyIndex, WeeklySchedule, free_slots

log = logging.getLogger("bench")
FIGURE = "A"
_PLOTS = ("event_to_row.png", "initial_load.png", "fanout.png", "traffic.png")  # python -m bench's
UNLIMITED = {"BOOKING_RATE_LIMIT_PER_SECOND": "1000000", "BOOKING_RATE_LIMIT_BURST": "1000000"}
HOURS = [["08:00", "12:00"], ["13:00", "20:00"]]
SCHEDULE = {
    "time_zone": "UTC",
    "weekly": dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), HOURS),
    "min_notice_minutes": 0,
    "horizon_days": 730,
    "slot_step_minutes": 5,
}


def measure(work: Path, bookings: int, samples: int) -> list[Measure]:
    user = SeedUser(f"avail{bookings}", "master", bookings)
    server = seeded_server(work / "availability", [user], env=UNLIMITED)
    try:
        token = server.login(user.username)
        master = server.client(token)
        current = master.get(f"/masters/{user.id}/schedule").json()
        put = master.put(
            f"/masters/{user.id}/schedule",
            json=SCHEDULE,
            headers={"If-Match": f'"{current["version"]}"'},
        )
        put.raise_for_status()
        service = master.post(
            "/services", json={"name": "Quick check", "duration_minutes": 10}
        ).json()
        first = first_slot().date()
        # Windows inside the booked span and the 730-day horizon (the bookings go on beyond).
        span_days = min(bookings * 30 // (60 * 24), 720)
        rng = random.Random(18)
        days = [
            first + timedelta(days=rng.randrange(1, max(2, span_days - 8))) for _ in range(samples)
        ]
        server_ms, wall_ms, counts = _requests(server.api_url, user.id, service["id"], days)
        naive_ms = _naive(server.database_path, user.id, days[: max(3, samples // 20)])
    finally:
        server.stop()
    one, five, _ = load_average()
    load = f"load average {one:.1f} / {five:.1f} (1 / 5 min) at the end"
    label = f"{bookings // 1000}k" if bookings >= 1000 else str(bookings)
    slots = f"{min(counts)}-{max(counts)} slots per answer"
    server_time, wall = summarize(server_ms), summarize(wall_ms)
    naive = summarize(naive_ms)
    return [
        Measure(
            FIGURE,
            "free slots of one master, 7 days: server time (Server-Timing)",
            label,
            "ms",
            server_time,
            naive,
            "p99 < 5 ms at 100k",
            server_time.p99 < 5 if bookings >= 100_000 else None,
            f"{slots}; naive: free_slots over a scan of all bookings, in-process, no database;"
            f" {load}",
        ),
        Measure(
            FIGURE,
            "free slots of one master, 7 days: request end to end on loopback",
            label,
            "ms",
            wall,
            None,
            "p99 < 15 ms at 100k",
            wall.p99 < 15 if bookings >= 100_000 else None,
            f"httpx, one kept-alive connection, public (no token); {load}",
        ),
    ]


def _requests(
    api_url: str, master_id: str, service_id: str, days: list[date]
) -> tuple[list[float], list[float], list[int]]:
    server_ms: list[float] = []
    wall_ms: list[float] = []
    counts: list[int] = []
    with httpx.Client(base_url=api_url) as client:
        url = f"/masters/{master_id}/availability"
        for index, day in enumerate(days):
            params = {
                "service": service_id,
                "from": day.isoformat(),
                "to": (day + timedelta(days=6)).isoformat(),
            }
            started = time.perf_counter()
            response = client.get(url, params=params)
            elapsed = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            if index < 5:
                continue  # warm-up: connection, first statements
            wall_ms.append(elapsed)
            timing = response.headers["server-timing"]
            server_ms.append(float(timing.split("dur=", 1)[1]))
            counts.append(len(response.json()["slots"]))
    return server_ms, wall_ms, counts


def _naive(database: Path, master_id: str, days: list[date]) -> list[float]:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT starts_at, ends_at FROM bookings WHERE master_id = ?", (master_id,)
        ).fetchall()
    spans = [
        (epoch + timedelta(microseconds=s), epoch + timedelta(microseconds=e)) for s, e in rows
    ]
    schedule = WeeklySchedule.model_validate(SCHEDULE | {"version": 1})
    now = datetime.now(UTC)
    times = []
    for day in days:
        started = time.perf_counter()
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        end = start + timedelta(days=7)
        found = [span for span in spans if span[0] < end and span[1] > start]
        free_slots(
            schedule,
            duration=timedelta(minutes=10),
            buffer_after=timedelta(0),
            first_day=day,
            last_day=day + timedelta(days=6),
            now=now,
            busy=BusyIndex(found),
        )
        times.append((time.perf_counter() - started) * 1000)
    return times


def merge(results: Results, measures: list[Measure]) -> None:
    """Replace this figure's rows in `results` with `measures`."""
    results.measures = [m for m in results.measures if m.figure != FIGURE] + measures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.availability", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k bookings, 30 samples")
    parser.add_argument("--output", type=Path, default=Path("docs"), help="where to write")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: render OUTPUT/benchmarks.md again (plots as they are)",
    )
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s")
    from bench import report
    from bench.__main__ import FINDINGS
    from bench.machine import describe
    from bench.notes import NOTES
    from bench.run import temporary_work

    bookings, samples = (1_000, 30) if options.quick else (100_000, 500)
    measures: list[Measure] = []
    if not options.report_only:
        with temporary_work() as work:
            measures = measure(Path(work), bookings, samples)
    folder = options.output / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / "results.json"
    results = Results.read_json(stored) if stored.exists() else Results(describe())
    if measures:
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
