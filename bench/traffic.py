"""Figure 6: requests and bytes per minute per client, idle and busy, each client behind its own
counting proxy, all running at once for the same window on one qasync loop.

Socket and polling modes are the real app (ApiClient + SyncEngine + SyncController); polling is
forced by a proxy that refuses the WebSocket upgrade, so the engine's reconnect attempts are
counted too. "Busy" = another client changes one of this user's bookings every 6 s (10 / min).
Idle users with only inactive bookings poll every 10 s; with active ones every 3 s.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx
from PySide6.QtCore import Qt

from bench.data import SeedUser
from bench.naive import NaivePoller
from bench.proxy import CountingProxy, Tally
from booking_core import Status
from desktop_app.app import wait_for_sync
from desktop_app.controller import SyncController
from desktop_app.net.api import ApiClient
from desktop_app.sync import SyncEngine
from desktop_app.sync.wire import list_headers, list_path
from tests.support.live_server import LiveServer

BUSY_EVERY = 6.0  # s


@dataclass(frozen=True)
class Mode:
    name: str  # "socket" | "poll 3 s" | "poll 10 s" | "naive 3 s"
    busy: bool
    user: SeedUser

    @property
    def label(self) -> str:
        return f"{self.name}, {'busy' if self.busy else 'idle'}"


def modes(bookings: int) -> list[Mode]:
    def user(tag: str, status: Status | None = None) -> SeedUser:
        return SeedUser(f"t_{tag}", "master", bookings, status)

    return [
        Mode("socket", False, user("si")),
        Mode("socket", True, user("sb")),
        Mode("poll 3 s", False, user("pi")),
        Mode("poll 3 s", True, user("pb")),
        Mode("poll 10 s", False, user("qi", Status.COMPLETED)),
        Mode("naive 3 s", False, user("ni")),
        Mode("naive 3 s", True, user("nb")),
    ]


@dataclass
class _Client:
    mode: Mode
    proxy: CountingProxy
    stop: object


async def _start_app(mode: Mode, proxy: CountingProxy) -> _Client:
    api = ApiClient(proxy.url)
    login = await api.login(mode.user.username, "demo")
    controller = SyncController(api, login.user, SyncEngine(login.user))
    # Work-around from this session (the controller now does it too, 6f647c1): a CoarseTimer
    # may fire up to 5 % early; the engine, woken before anything is due, schedules no new
    # wakeup, and the app never polls or reconnects again. A precise timer fires on time.
    controller._wakeup.setTimerType(Qt.TimerType.PreciseTimer)
    controller.start()
    await asyncio.wait_for(wait_for_sync(controller), 60)

    async def stop() -> None:
        await controller.stop()
        await api.aclose()

    return _Client(mode, proxy, stop)


async def _start_naive(mode: Mode, proxy: CountingProxy, server: LiveServer) -> _Client:
    token = server.login(mode.user.username)
    client = httpx.AsyncClient(
        base_url=proxy.url, headers=server.auth(token), trust_env=False, timeout=60
    )
    task = asyncio.ensure_future(NaivePoller(client, None).run())

    async def stop() -> None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.aclose()

    return _Client(mode, proxy, stop)


async def _busy_writer(server: LiveServer, users: list[SeedUser], until: float) -> None:
    clients = [
        httpx.AsyncClient(
            base_url=server.api_url, headers=server.auth(server.login(u.username)), trust_env=False
        )
        for u in users
    ]
    ids = [(await c.get("/bookings")).json()["bookings"][0]["id"] for c in clients]
    index = 0
    while time.perf_counter() < until:
        for client, booking_id in zip(clients, ids, strict=True):
            current = (await client.get(f"/bookings/{booking_id}")).json()
            await client.patch(
                f"/bookings/{booking_id}",
                json={"note": f"busy {index}"},
                headers={"If-Match": f'"{current["version"]}"'},
            )
        index += 1
        await asyncio.sleep(BUSY_EVERY)
    for client in clients:
        await client.aclose()


async def per_minute(server: LiveServer, all_modes: list[Mode], seconds: float) -> dict[str, Tally]:
    """Each mode's traffic over `seconds`, scaled to one minute."""
    clients = []
    for mode in all_modes:
        proxy = await CountingProxy(
            server.port, refuse_upgrades=mode.name.startswith("poll")
        ).start()
        if mode.name.startswith("naive"):
            clients.append(await _start_naive(mode, proxy, server))
        else:
            clients.append(await _start_app(mode, proxy))
    await asyncio.sleep(1.0)  # first naive polls and socket hellos done
    for client in clients:
        client.proxy.reset()
    started = time.perf_counter()
    busy = [m.user for m in all_modes if m.busy]
    await _busy_writer(server, busy, started + seconds - BUSY_EVERY / 2)
    await asyncio.sleep(max(0.0, started + seconds - time.perf_counter()))
    elapsed = time.perf_counter() - started
    results = {}
    for client in clients:
        tally = client.proxy.tally
        scale = 60 / elapsed
        results[client.mode.label] = Tally(
            round(tally.requests * scale),
            round(tally.upgrades_refused * scale),
            round(tally.bytes_up * scale),
            round(tally.bytes_down * scale),
        )
        await client.stop()  # type: ignore[operator]
        await client.proxy.stop()
    return results


async def unchanged_delta_poll(server: LiveServer, username: str) -> Tally:
    """Bytes of one `GET ?since=cursor` that finds nothing new, as the app sends it."""
    proxy = await CountingProxy(server.port).start()
    api = ApiClient(proxy.url)
    try:
        await api.login(username, "demo")
        listing = await api.perform("GET", "/api/v1/bookings?since=0")
        assert isinstance(listing.body, dict)
        cursor = listing.body["cursor"]
        proxy.reset()
        # Exactly what the engine sends (desktop_app.sync.wire): the cursor as If-None-Match.
        reply = await api.perform("GET", list_path(cursor), headers=list_headers(cursor))
        assert reply.status == 304, reply.status
        return proxy.tally
    finally:
        await api.aclose()
        await proxy.stop()
