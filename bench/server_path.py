"""Figure 1 over a real server: another client commits a change; our app repaints the row.

The app side is the real thing: ApiClient, SyncEngine, SyncController (httpx + websockets on the
qasync loop) and the MainWindow, built once the first sync is done. The latency runs from the
change's `updated_at` (stamped by the server in the committing transaction, same machine clock)
to the end of the table's next paint. The naive side measures what its path is made of: the
full-list GET + parse at each size, and one PATCH round trip.

The other client runs in a process of its own (`python -m bench.server_path BASE_URL TOKEN`, one
PATCH per line on stdin, the answer's JSON per line on stdout), as another user's app would. It
used to be a thread of the measured app: its answer arrives together with the event, and parsing
it (httpx, pydantic) held the GIL the app's main thread needed to take the event and paint — a
wait no real user's app has (A/B on 1k, 4 × 100 events each: p50 3.41 → 2.99 ms, p99 8.5 → 6.1).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

import httpx

from bench.qt import HEIGHT, WIDTH, PaintProbe
from booking_core import Booking
from desktop_app.app import wait_for_sync
from desktop_app.controller import SyncController
from desktop_app.net.api import ApiClient
from desktop_app.sync import RowsChanged, SyncEngine
from desktop_app.ui.main_window import MainWindow
from tests.support.live_server import LiveServer

PASSWORD = "demo"
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class PathTimes:
    commit_to_paint: list[float]  # ms
    request_to_paint: list[float]  # ms, including the other client's HTTP round trip


class _Watch:
    """Sets `done` at the end of the first paint after the rows of `booking_id` changed."""

    def __init__(self, probe: PaintProbe) -> None:
        self.probe = probe
        self.booking_id = ""
        self.applied_at_paint = -1
        self.done = asyncio.Event()
        probe.on_end = self._paint_ended

    def expect(self, booking_id: str) -> None:
        self.booking_id = booking_id
        self.applied_at_paint = -1
        self.done.clear()

    def rows_changed(self, rows: RowsChanged) -> None:
        if self.booking_id in rows.updated:
            self.applied_at_paint = self.probe.ends

    def _paint_ended(self) -> None:
        if self.applied_at_paint >= 0 and self.probe.ends > self.applied_at_paint:
            self.done.set()


async def app_event_path(server: LiveServer, username: str, samples: int) -> PathTimes:
    api = ApiClient(server.base_url)
    login = await api.login(username, PASSWORD)
    controller = SyncController(api, login.user, SyncEngine(login.user))
    controller.start()
    await wait_for_sync(controller)
    window = MainWindow(controller, login.user)
    window.resize(WIDTH, HEIGHT)
    window.show()
    probe = PaintProbe(window.table.viewport())
    watch = _Watch(probe)
    controller.rows_changed.connect(watch.rows_changed)
    writer = OtherClient(server.api_url, server.login(username))
    times = PathTimes([], [])
    # Our own thread to wait for the other client's answers (it blocks in a read, without the
    # GIL): qasync's default executor is a QThread pool that aborts the interpreter at exit.
    pool = ThreadPoolExecutor(1)
    loop = asyncio.get_running_loop()
    try:
        await asyncio.sleep(0.2)  # first paints, layout
        for index in range(samples):
            booking_id = window.model.booking_id_at(index % 8)  # on screen beside the day view
            version = window.model.visible_booking(booking_id)
            assert version is not None
            watch.expect(booking_id)
            sent = time.time()
            answer = await loop.run_in_executor(
                pool,
                partial(writer.patch_note, booking_id, version.booking.version, f"changed {index}"),
            )
            await asyncio.wait_for(watch.done.wait(), 30)
            painted = probe.ended
            booking = Booking.model_validate_json(answer)
            times.commit_to_paint.append((painted - booking.updated_at.timestamp()) * 1000)
            times.request_to_paint.append((painted - sent) * 1000)
            await asyncio.sleep(0.02)
    finally:
        await loop.run_in_executor(pool, writer.close)
        pool.shutdown()
        await controller.stop()
        window.close()
        await api.aclose()
    return times


class OtherClient:
    """Another user's app, in its own process: `patch_note` returns the answer's JSON."""

    def __init__(self, api_url: str, token: str) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.server_path", api_url, token],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def patch_note(self, booking_id: str, version: int, note: str) -> str:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None
        assert stdout is not None
        stdin.write(json.dumps([booking_id, version, note]) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line.startswith("{"):
            raise RuntimeError(f"the other client failed: {line!r}")
        return line

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(10)


def serve_patches(api_url: str, token: str, lines: IO[str], out: IO[str]) -> None:
    """The other client's loop: one `[booking_id, version, note]` per line, one answer per line."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=api_url, headers=headers) as client:
        for line in lines:
            booking_id, version, note = json.loads(line)
            try:
                booking = _patch_note(client, booking_id, version, note)
            except httpx.HTTPError as exc:
                out.write(f"error: {exc}\n")
            else:
                out.write(booking.model_dump_json() + "\n")
            out.flush()


def _patch_note(client: httpx.Client, booking_id: str, version: int, note: str) -> Booking:
    response = client.patch(
        f"/bookings/{booking_id}", json={"note": note}, headers={"If-Match": f'"{version}"'}
    )
    response.raise_for_status()
    return Booking.model_validate_json(response.content)


def full_list_fetch(server: LiveServer, username: str, samples: int) -> list[float]:
    """ms for the naive poll: GET the full list and parse it."""
    times = []
    with server.client(server.login(username)) as client:
        for _ in range(samples):
            started = time.perf_counter()
            response = client.get("/bookings")
            json.loads(response.content)
            times.append((time.perf_counter() - started) * 1000)
    return times


def patch_round_trip(server: LiveServer, username: str, samples: int) -> list[float]:
    """ms for one PATCH of a note, answered (the naive app waits for it before showing)."""
    times = []
    with server.client(server.login(username)) as client:
        first = json.loads(client.get("/bookings?since=0").content)["bookings"][0]
        version = int(first["version"])
        for index in range(samples):
            started = time.perf_counter()
            booking = _patch_note(client, first["id"], version, f"naive {index}")
            times.append((time.perf_counter() - started) * 1000)
            version = booking.version
    return times


if __name__ == "__main__":
    serve_patches(sys.argv[1], sys.argv[2], sys.stdin, sys.stdout)
