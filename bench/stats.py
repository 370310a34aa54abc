"""Summaries of timing samples: median, p99 and count, the way the report prints them."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Summary:
    median: float
    p99: float
    n: int

    def as_dict(self) -> dict[str, float]:
        return {"median": self.median, "p99": self.p99, "n": self.n}


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation; the one sample if there is one."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(samples: Sequence[float]) -> Summary:
    return Summary(statistics.median(samples), percentile(samples, 99), len(samples))


def single(value: float) -> Summary:
    return Summary(value, value, 1)
