"""One measured app start per process, so peak RSS is the start's own: `python -m bench.child`.

Kinds: `load-app URL USER DIR` (sign in, full sync, first painted row, through `open_session`),
`load-naive URL USER` (GET the full list, reset the sorted naive model, first paint) and
`startup-cache URL USER_JSON DIR` (the real window from a cached store while the server is down).
Prints one JSON line: seconds to the first painted row, peak RSS in MB, rows shown.
"""

from __future__ import annotations

import time

STARTED = time.time()  # before the heavy imports: a start includes them

import contextlib  # noqa: E402
import sys  # noqa: E402

from desktop_app.launch import importing  # noqa: E402 - light: the pause below covers the rest

# Our app starts like `reservations-desktop` (desktop_app.launch): imports without the cyclic GC.
# The naive baseline is the plain approach: it imports as Python does by default.
_IMPORTS = contextlib.nullcontext() if sys.argv[1:2] == ["load-naive"] else importing()
with _IMPORTS:
    import asyncio
    import json
    import resource
    from collections.abc import Callable
    from pathlib import Path

    import httpx
    import qasync

    from bench.naive import NaiveModel, sorted_proxy
    from bench.qt import HEIGHT, WIDTH, PaintProbe, application
    from booking_core import UserPublic
    from desktop_app.app import open_session
    from desktop_app.controller import SyncController
    from desktop_app.net.api import ApiClient
    from desktop_app.store.local import LocalStore
    from desktop_app.sync import SyncEngine
    from desktop_app.ui.main_window import MainWindow

CACHE_SAVE_WAIT = 1.5  # s: the controller writes the cache 1 s after a change; count its memory


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). Not getrusage's ru_maxrss: on Linux that keeps the
    high-water mark of the parent at fork across exec, so a child of a big process reports it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def first_row_painted(probe: PaintProbe, rows: Callable[[], int]) -> float:
    """Wall time at the end of the first paint that had rows to show."""
    done = asyncio.Event()

    def check() -> None:
        if rows() > 0:
            done.set()

    probe.on_end = check
    await done.wait()
    probe.on_end = None
    return probe.ended


async def load_app(url: str, username: str, folder: Path) -> dict[str, float]:
    started = time.time()
    api = ApiClient(url)
    session = await open_session(api, "demo", username, data_dir=folder, watch_network=False)
    session.window.resize(WIDTH, HEIGHT)
    probe = PaintProbe(session.window.table.viewport())
    session.window.show()
    painted = await first_row_painted(probe, session.window.model.rowCount)
    rows = session.window.model.rowCount()
    await asyncio.sleep(CACHE_SAVE_WAIT)
    await session.close()
    return {"seconds": painted - started, "rss_mb": peak_rss_mb(), "rows": rows}


async def load_naive(url: str, username: str) -> dict[str, float]:
    started = time.time()
    model = NaiveModel()
    proxy = sorted_proxy(model)
    from PySide6.QtWidgets import QTableView

    view = QTableView()
    view.resize(WIDTH, HEIGHT)
    view.setModel(proxy)
    probe = PaintProbe(view.viewport())
    view.show()
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=120) as client:
        login = await client.post(
            "/api/v1/auth/login", json={"username": username, "password": "demo"}
        )
        token = login.json()["token"]
        response = await client.get(
            "/api/v1/bookings", headers={"Authorization": f"Bearer {token}"}
        )
    model.replace_all(json.loads(response.content)["bookings"])
    painted = await first_row_painted(probe, proxy.rowCount)
    return {
        "seconds": painted - started,
        "process_seconds": painted - STARTED,
        "rss_mb": peak_rss_mb(),
        "rows": proxy.rowCount(),
    }


async def startup_cache(url: str, user_json: str, folder: Path) -> dict[str, float]:
    opened = time.time()
    user = UserPublic.model_validate_json(user_json)
    store = LocalStore.open(folder / "stores", url, user.id)
    api = ApiClient(url, token="offline")
    controller = SyncController(api, user, SyncEngine(user), store)
    window = MainWindow(controller, user)
    window.resize(WIDTH, HEIGHT)
    probe = PaintProbe(window.table.viewport())
    window.show()
    controller.start()
    painted = await first_row_painted(probe, window.model.rowCount)
    rows = window.model.rowCount()
    await controller.stop()
    store.close()
    await api.aclose()
    return {
        "seconds": painted - STARTED,
        "from_store_open": painted - opened,
        "rss_mb": peak_rss_mb(),
        "rows": rows,
    }


def main(argv: list[str]) -> int:
    app = application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    kind, *args = argv
    if kind == "load-app":
        result = loop.run_until_complete(load_app(args[0], args[1], Path(args[2])))
    elif kind == "load-naive":
        result = loop.run_until_complete(load_naive(args[0], args[1]))
    elif kind == "startup-cache":
        result = loop.run_until_complete(startup_cache(args[0], args[1], Path(args[2])))
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
