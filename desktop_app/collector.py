"""Building many objects at once (the imports at start-up, a 100k listing, a cached start)
without the cyclic GC.

Pure CPU housekeeping, no IO, and nothing heavy imported: the launcher pauses the collector
around the app's imports with it (`desktop_app.launch`), the shell around bulk work
(`wire.read_listing`'s caller, the controller's start and its inputs).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Allocations during one bulk step past which its objects skip the young GC generations.
PROMOTE_AFTER = 50_000


@contextlib.contextmanager
def gc_paused(promote_after: int = PROMOTE_AFTER) -> Iterator[None]:
    """No cyclic GC while a start, a listing or a bulk input builds ~10 objects per booking: each
    collection would rescan every object built so far (measured ~0.4 s of a 1.4 s start from a
    100k cache, ~0.1 s of reading a 100k listing). Nothing built there is cyclic garbage;
    reference counting frees what is dropped.

    After a bulk of allocations every object moves to the oldest generation unscanned (freeze,
    then unfreeze): else the first allocation after re-enabling would scan them all at once
    (~0.15 s at 100k) before the first paint. They stay collectable by later full collections.
    Small steps (one event, one reply) leave the generations as they are.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > promote_after:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()
