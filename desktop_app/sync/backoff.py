"""Exponential backoff with full jitter, as a pure generator of delays (like websockets' `backoff`).

Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): each delay is uniform in
[0, min(max, initial * factor**n)], which spreads reconnecting clients apart after a server restart.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta


def backoff(
    initial: timedelta, maximum: timedelta, factor: float, rng: random.Random
) -> Iterator[timedelta]:
    """Endless delays; the randomness comes from `rng`, so a seeded one makes it deterministic."""
    ceiling = initial.total_seconds()
    cap = maximum.total_seconds()
    while True:
        yield timedelta(seconds=rng.uniform(0.0, min(ceiling, cap)))
        ceiling = min(cap, ceiling * factor)


def ceiling_of(attempt: int, initial: timedelta, maximum: timedelta, factor: float) -> timedelta:
    """The upper bound of the `attempt`-th delay (0-based), for tests and diagnostics."""
    return min(maximum, initial * factor**attempt)
