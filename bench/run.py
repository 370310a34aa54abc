"""Runs every figure of issue 9 (and issue 8's start from cache) in order and collects the results.

A section that fails is recorded in `results.failures` and the run goes on.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

import qasync

from bench import (
    availability,
    client_path,
    fanout,
    scaled,
    server_path,
    starts,
    suggestions,
    traffic,
    writes,
)
from bench.config import Config, label
from bench.data import SeedUser
from bench.machine import describe
from bench.qt import application
from bench.results import Measure, Results
from bench.servers import seeded_server
from bench.slots import slot_figures
from bench.stats import Summary, single, summarize
from tests.support.live_server import LiveServer

log = logging.getLogger("bench")
POLL_WAIT_MEDIAN_MS = 1500.0  # a change waits half a 3 s poll period on average …
POLL_WAIT_P99_MS = 2970.0  # … and 99 % of a period at p99
UNLIMITED = {"BOOKING_RATE_LIMIT_PER_SECOND": "1000000", "BOOKING_RATE_LIMIT_BURST": "1000000"}


def cpu_note(timings: client_path.Timings) -> str:
    cpu = summarize(timings.cpu)
    return f"CPU of this process p50 {cpu.median:.2f} / p99 {cpu.p99:.2f} ms"


def composed(*parts: Summary, wait: bool = True) -> Summary:
    """A latency made of independent parts measured alone (medians add; p99s add: pessimistic)."""
    median = sum(p.median for p in parts) + (POLL_WAIT_MEDIAN_MS if wait else 0.0)
    p99 = sum(p.p99 for p in parts) + (POLL_WAIT_P99_MS if wait else 0.0)
    return Summary(median, p99, min(p.n for p in parts))


def run_all(config: Config, work: Path) -> Results:
    results = Results(describe())
    application()
    loop = qasync.QEventLoop(application())
    asyncio.set_event_loop(loop)
    sections: list[tuple[str, Callable[[], None]]] = [
        ("client path", lambda: client_figures(config, results)),
        ("slot index", lambda: slot_figures(config.client_samples, results, config.sizes[-1])),
        ("server path and starts", lambda: server_figures(config, results, loop, work)),
        ("fan-out", lambda: fanout_figure(config, results, work)),
        ("writes", lambda: writes_figure(config, results, work)),
        ("traffic", lambda: traffic_figure(config, results, loop, work)),
    ]
    if not config.quick:
        sections.append(("PostgreSQL + Redis", lambda: scaled_figures(config, results, work)))
        # Its smoke run is `python -m bench.availability --quick` (tests/bench).
        sections.append(("availability", lambda: availability_figure(config, results, work)))
        # Its smoke run is `python -m bench.suggestions --quick` (tests/bench).
        sections.append(("slot suggestions", lambda: suggestions_figure(config, results)))
    for name, section in sections:
        log.info("running %s", name)
        try:
            section()
        except Exception:
            results.failures.append(f"{name}: {traceback.format_exc(limit=4)}")
            log.exception("%s failed", name)
    loop.close()
    return results


def client_figures(config: Config, results: Results) -> None:
    naive_resets: dict[int, Summary] = {}
    for size in config.sizes:
        client = client_path.loaded_client(size)
        timings = client_path.event_to_row(client, config.client_samples)
        ours = summarize(timings.wall)
        naive = summarize(client_path.naive_reset(size, config.naive_samples[size]))
        naive_resets[size] = naive
        results.add(
            Measure(
                "1",
                "event → repainted row, client part (frame parsed → engine → model → paint)",
                label(size),
                "ms",
                ours,
                naive,
                "p99 < 5 ms at 100k",
                ours.p99 < 5 if size == 100_000 else None,
                f"{cpu_note(timings)}; naive: model reset + repaint behind a sorted proxy (no poll "
                "wait, no fetch)",
            )
        )
        if size == config.sizes[-1]:
            mine_timings = client_path.optimistic(client, config.client_samples)
            results.extras["optimistic_size"] = size
            results.extras["optimistic_ms"] = summarize(mine_timings.wall)
            results.extras["optimistic_cpu"] = cpu_note(mine_timings)
        del client
    results.extras["naive_reset"] = {label(s): v.as_dict() for s, v in naive_resets.items()}


def server_figures(
    config: Config, results: Results, loop: asyncio.AbstractEventLoop, work: Path
) -> None:
    users = [SeedUser(f"m{label(size)}", "master", size) for size in config.sizes]
    server = seeded_server(work / "main", users)
    try:
        resets = results.extras["naive_reset"]
        assert isinstance(resets, dict)
        patch = summarize(server_path.patch_round_trip(server, users[0].username, 20))
        for size, user in zip(config.sizes, users, strict=True):
            times = loop.run_until_complete(
                server_path.app_event_path(server, user.username, config.server_samples)
            )
            fetch = summarize(server_path.full_list_fetch(server, user.username, 5))
            reset = Summary(**resets[label(size)])
            ours = summarize(times.commit_to_paint)
            results.add(
                Measure(
                    "1*",
                    "event → repainted row over a real server (commit → paint end)",
                    label(size),
                    "ms",
                    ours,
                    composed(fetch, reset),
                    "p99 < 5 ms at 100k",
                    ours.p99 < 5 if size == 100_000 else None,
                    f"naive = 3 s poll wait + full GET ({fetch.median:.0f} ms) + reset",
                )
            )
            if size == config.sizes[-1]:
                mine = results.extras.get("optimistic_ms")
                if isinstance(mine, Summary):
                    results.add(
                        Measure(
                            "2",
                            "optimistic feedback: user's change → row repainted (pending)",
                            label(size),
                            "ms",
                            mine,
                            composed(patch, fetch, reset, wait=False),
                            "p99 < 16 ms (aim < 2 ms) at 100k",
                            mine.p99 < 16 if size == 100_000 else None,
                            f"{results.extras.get('optimistic_cpu')}; naive has no optimistic "
                            "path: PATCH round trip + full GET + reset",
                        )
                    )
        start_figures(config, results, server, users)
    finally:
        server.stop()


def start_figures(
    config: Config, results: Results, server: LiveServer, users: list[SeedUser]
) -> None:
    by_size = dict(zip(config.sizes, users, strict=True))
    for size in config.load_sizes:
        user = by_size[size]
        naive = starts.load_naive(server, user.username, config.start_timeout)
        try:
            loads = [
                starts.load_app(server, user.username, config.start_timeout)
                for _ in range(config.start_runs)
            ]
        except starts.StartFailedError as exc:
            results.failures.append(f"initial load {label(size)}: {exc}")
            continue
        full = size == 100_000
        load_times = [run["seconds"] for run in loads]
        load_time = summarize(load_times)
        load_rss = summarize([run["rss_mb"] for run in loads])
        results.add(
            Measure(
                "3",
                "initial load: sign-in + full sync → first painted row",
                label(size),
                "s",
                load_time,
                single(naive["seconds"]),
                "< 1 s at 100k",
                load_time.median < 1 if full else None,
                _runs_note(load_times),
            )
        )
        results.add(
            Measure(
                "3",
                "initial load: peak RSS of the app process",
                label(size),
                "MB",
                load_rss,
                single(naive["rss_mb"]),
                "< 350 MB at 100k",
                load_rss.median < 350 if full else None,
            )
        )
        cached_runs = [
            starts.startup_from_cache(server, user.username, config.start_timeout)
            for _ in range(config.start_runs)
        ]
        count = cached_runs[0][1]
        cached_times = [run["seconds"] for run, _ in cached_runs]
        cached = summarize(cached_times)
        from_open = summarize([run["from_store_open"] for run, _ in cached_runs])
        cached_rss = summarize([run["rss_mb"] for run, _ in cached_runs])
        results.add(
            Measure(
                "7",
                "start from cache (server down): process start → first painted row",
                label(count),
                "s",
                cached,
                single(naive["process_seconds"]),
                "< 1 s at 100k",
                cached.median < 1 if count == 100_000 else None,
                f"{_runs_note(cached_times)}; store open → paint {from_open.median:.2f} s; "
                f"RSS {cached_rss.median:.0f} MB; naive has no cache: its full load from "
                "process start",
            )
        )


def _runs_note(seconds: list[float]) -> str:
    return f"{len(seconds)} starts, each a fresh process: slowest {max(seconds):.2f} s"


def fanout_figure(config: Config, results: Results, work: Path) -> None:
    users = [SeedUser("fan", "master", 20), SeedUser("fanc", "customer")]
    server = seeded_server(work / "fanout", users, env=UNLIMITED)
    try:
        clients = config.fanout_clients
        ours = asyncio.run(
            fanout.socket_fanout(server, "fan", "fanc", clients, config.fanout_changes)
        )
        plain = asyncio.run(
            fanout.socket_fanout(
                server, "fan", "fanc", clients, config.fanout_changes, compress=False
            )
        )
        naive, polls = asyncio.run(fanout.naive_fanout(server, "fan", "fanc", clients))
    finally:
        server.stop()
    results.extras.update(fanout_socket_ms=ours, fanout_naive_ms=naive, fanout_clients=clients)
    mine = summarize(ours)
    results.add(
        Measure(
            "4",
            f"fan-out: one change → {clients} WebSocket clients (SQLite, 1 process)",
            f"{clients} clients",
            "ms",
            mine,
            summarize(naive),
            "p99 < 50 ms",
            mine.p99 < 50 if clients >= 1000 else None,
            f"{len(ours)} deliveries; naive: {clients} clients polling every 3 s, their polls "
            f"took p50 {summarize(polls).median:.0f} / p99 {summarize(polls).p99:.0f} ms",
        )
    )
    after = summarize(plain)
    results.add(
        Measure(
            "4",
            "fan-out, clients declining permessage-deflate (the server no longer offers it)",
            f"{clients} clients after",
            "ms",
            after,
            summarize(naive),
            "p99 < 50 ms",
            after.p99 < 50 if clients >= 1000 else None,
            "the same clients declining compression; py-spy: deflate is ~1/2 of the send path",
        )
    )


def writes_figure(config: Config, results: Results, work: Path) -> None:
    people = writes.customers(config.write_clients)
    server = seeded_server(work / "writes", [*writes.MASTERS, *people])
    try:
        tokens = writes.sign_in(server, people)
        socket_mode = asyncio.run(
            writes.throughput(server, tokens, config.write_seconds, naive=False, day_offset=2)
        )
        naive_mode = asyncio.run(
            writes.throughput(server, tokens, config.write_seconds, naive=True, day_offset=200)
        )
        overlaps, audited = writes.double_bookings(server.database_path)
    finally:
        server.stop()
    ours = socket_mode.accepted / socket_mode.seconds
    theirs = naive_mode.accepted / naive_mode.seconds
    results.extras["writes"] = {
        "socket": dict(socket_mode.statuses),
        "naive": dict(naive_mode.statuses),
        "overlaps": overlaps,
        "audited": audited,
    }
    results.add(
        Measure(
            "5",
            f"write throughput: accepted mutations/s, {config.write_clients} clients (SQLite)",
            f"{config.write_clients} clients",
            "1/s",
            single(ours),
            single(theirs),
            "zero double bookings",
            overlaps == 0,
            f"double bookings: {overlaps} among {audited} active bookings; statuses ours "
            f"{dict(socket_mode.statuses)}, naive {dict(naive_mode.statuses)}",
        )
    )


def scaled_figures(config: Config, results: Results, work: Path) -> None:
    """Figures 4 and 5 again on two server processes sharing PostgreSQL and Redis."""
    people = writes.customers(config.write_clients)
    clients = config.fanout_clients
    with scaled.server_pair(work / "scaled", [*writes.MASTERS, *people]) as (first, second, url):
        ours = asyncio.run(
            fanout.socket_fanout(
                first, "anna", "carl", clients, config.fanout_changes, sockets_on=second
            )
        )
        naive, _ = asyncio.run(fanout.naive_fanout(second, "anna", "carl", clients))
        tokens = writes.sign_in(first, people)
        socket_mode = asyncio.run(
            writes.throughput(
                first, tokens, config.write_seconds, naive=False, day_offset=2, also=second
            )
        )
        naive_mode = asyncio.run(
            writes.throughput(
                first, tokens, config.write_seconds, naive=True, day_offset=200, also=second
            )
        )
        overlaps, audited = scaled.double_bookings(url)
    mine = summarize(ours)
    results.add(
        Measure(
            "4",
            f"fan-out: one change → {clients} WebSocket clients, PostgreSQL + Redis, 2 processes",
            f"{clients} clients PG+Redis",
            "ms",
            mine,
            summarize(naive),
            "p99 < 50 ms",
            None,
            "written through process A, sockets on process B (crosses Redis); naive polls B",
        )
    )
    results.add(
        Measure(
            "5",
            f"write throughput: accepted mutations/s, {config.write_clients} clients, "
            "PostgreSQL + Redis, 2 processes",
            f"{config.write_clients} clients PG+Redis",
            "1/s",
            single(socket_mode.accepted / socket_mode.seconds),
            single(naive_mode.accepted / naive_mode.seconds),
            "zero double bookings",
            overlaps == 0,
            f"clients split over both processes; double bookings: {overlaps} among {audited} "
            f"active bookings; statuses ours {dict(socket_mode.statuses)}, naive "
            f"{dict(naive_mode.statuses)}",
        )
    )


def traffic_figure(
    config: Config, results: Results, loop: asyncio.AbstractEventLoop, work: Path
) -> None:
    chosen = traffic.modes(config.traffic_bookings)
    server = seeded_server(work / "traffic", [m.user for m in chosen])
    try:
        tallies = loop.run_until_complete(
            traffic.per_minute(server, chosen, config.traffic_seconds)
        )
        delta = loop.run_until_complete(
            traffic.unchanged_delta_poll(server, chosen[0].user.username)
        )
    finally:
        server.stop()
    results.extras["traffic"] = {
        name: {"requests": t.requests, "bytes": t.bytes_total, "refused": t.upgrades_refused}
        for name, t in tallies.items()
    }
    results.extras["delta_poll"] = {"up": delta.bytes_up, "down": delta.bytes_down}
    for busy in (False, True):
        state = "busy" if busy else "idle"
        ours = tallies[f"socket, {state}"]
        naive = tallies[f"naive 3 s, {state}"]
        polls = tallies[f"poll 3 s, {state}"]
        results.add(
            Measure(
                "6",
                f"traffic per client per minute, {state}: bytes (socket vs naive)",
                f"{label(config.traffic_bookings)} bookings",
                "B/min",
                single(max(ours.bytes_total, 1)),
                single(naive.bytes_total),
                "0 polling requests while the socket is up",
                ours.requests == 0,
                f"requests/min socket {ours.requests}, 3 s polling {polls.requests} "
                f"({polls.bytes_total} B), naive {naive.requests}",
            )
        )
    total = delta.bytes_up + delta.bytes_down
    results.add(
        Measure(
            "6",
            "one unchanged delta poll (GET ?since=cursor), request + response bytes",
            "any size",
            "B",
            single(total),
            None,
            "< 200 B",
            total < 200,
            f"request {delta.bytes_up} B (request line, Host, Authorization, If-None-Match), "
            f"response {delta.bytes_down} B (304 Not Modified with the cursor as ETag)",
        )
    )


def availability_figure(config: Config, results: Results, work: Path) -> None:
    """Figure A (issue 18): free slots of one master for 7 days at 100k bookings."""
    bookings, samples = (1_000, 30) if config.quick else (100_000, 500)
    availability.merge(results, availability.measure(work, bookings, samples))


def suggestions_figure(config: Config, results: Results) -> None:
    """Figure B (issue 18): client-side slot suggestions for a day at 100k loaded bookings."""
    bookings, samples = (1_000, 30) if config.quick else (suggestions.SIZE, 500)
    suggestions.merge(results, suggestions.measure(bookings, samples))


def temporary_work() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="bench-")
