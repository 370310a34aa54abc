"""The engine fix the benchmarks' "after" rows measured now lives in `desktop_app.sync` itself
(incremental publish, prediction on a view): this alias keeps `bench.run` importing it."""

from __future__ import annotations

from desktop_app.sync import SyncEngine

IncrementalEngine = SyncEngine

__all__ = ["IncrementalEngine"]
