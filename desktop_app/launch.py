"""The `reservations-desktop` console entry point: the app's modules are imported with the cyclic
garbage collector paused, then the app runs (`desktop_app.app.main`).

Importing PySide6, pydantic, httpx and the app builds ~10^5 long-lived objects; each collection
during the imports rescans them, ~45 ms of a ~1 s start (measured here: 475 -> 432 ms median).
Nothing an import makes is cyclic garbage worth collecting then. This module imports nothing
heavy itself, so the pause covers everything.
"""

from __future__ import annotations

import contextlib

from desktop_app.collector import gc_paused


def importing() -> contextlib.AbstractContextManager[None]:
    """No cyclic GC inside; afterwards what was built joins the oldest generation unscanned
    (else the first collection after re-enabling would scan it all at once), and the collector
    is on again if it was before."""
    return gc_paused(promote_after=0)


def main() -> int:
    with importing():
        from desktop_app.app import main as run_app
    return run_app()
