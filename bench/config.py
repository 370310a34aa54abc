"""Sizes and sample counts of a run: the full run, or `--quick` (small, < 60 s, for the tests)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    quick: bool
    sizes: tuple[int, ...]  # figure 1
    client_samples: int
    server_samples: int
    naive_samples: dict[int, int]  # resets per size (a 100k reset behind a sorted proxy is ~20 s)
    load_sizes: tuple[int, ...]  # figures 3 and 7
    start_runs: int  # starts of ours per size in figures 3 and 7 (each a fresh process)
    start_timeout: float
    fanout_clients: int
    fanout_changes: int
    write_clients: int
    write_seconds: float
    traffic_bookings: int
    traffic_seconds: float


FULL = Config(
    quick=False,
    sizes=(1_000, 10_000, 100_000),
    client_samples=200,
    server_samples=100,
    naive_samples={1_000: 10, 10_000: 5, 100_000: 1},
    load_sizes=(10_000, 100_000),
    start_runs=5,
    start_timeout=600,
    fanout_clients=1_000,
    fanout_changes=10,
    write_clients=50,
    write_seconds=20,
    traffic_bookings=1_000,
    traffic_seconds=60,
)

QUICK = Config(
    quick=True,
    sizes=(200, 1_000),
    client_samples=20,
    server_samples=10,
    naive_samples={200: 2, 1_000: 2},
    load_sizes=(1_000,),
    start_runs=1,
    start_timeout=300,  # a cap for the smoke test on a loaded machine, not a target
    fanout_clients=100,
    fanout_changes=3,
    write_clients=50,
    write_seconds=1.5,
    traffic_bookings=100,
    traffic_seconds=3,
)


def label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)
