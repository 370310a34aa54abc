"""Offline-first start (issue 8): the app opens with the last known bookings, even with the server
down, then catches up by delta, never by a full reload; a broken cache costs a full reload only."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx

from booking_core import Booking, UserPublic
from desktop_app.app import Session, open_session, resume_session
from desktop_app.net.api import ApiClient
from desktop_app.store.credentials import CredentialStore, StoredSession
from desktop_app.sync import SyncConfig, SyncState
from tests.e2e.conftest import WAIT, until
from tests.support.live_server import LiveServer
from tests.support.proxy import FaultProxy

BOOKINGS = "/api/v1/bookings"
# Reconnect quickly once the link is back: the test waits on conditions, not on backoff.
CONFIG = SyncConfig(backoff_initial=timedelta(seconds=0.05), backoff_max=timedelta(seconds=0.3))


def _rows(session: Session) -> dict[str, tuple[str, int]]:
    return {
        booking_id: (row.booking.status.value, row.booking.version)
        for booking_id, row in session.controller.visible().items()
    }


def _server_rows(server: LiveServer, token: str) -> dict[str, tuple[str, int]]:
    listing = httpx.get(f"{server.api_url}/bookings", headers=server.auth(token), timeout=60)
    return {
        b.id: (b.status.value, b.version)
        for b in (Booking.model_validate(raw) for raw in listing.json()["bookings"])
    }


def _resume(
    url: str, remembered: StoredSession, data_dir: Path, credentials: CredentialStore
) -> Session:
    """The app opening with the remembered sign-in, watching no network: this test drives it."""
    return resume_session(
        ApiClient(url),
        remembered,
        data_dir=data_dir,
        config=CONFIG,
        credentials=credentials,
        watch_network=False,
    )


def _full_loads(proxy: FaultProxy) -> int:
    """GET /bookings without `since`: a full reload."""
    return sum(
        1
        for r in proxy.requests
        if r.path == BOOKINGS and r.method == "GET" and "since=" not in r.target
    )


async def _first_run(
    proxy: FaultProxy, data_dir: Path, credentials: CredentialStore
) -> dict[str, tuple[str, int]]:
    session = await open_session(
        ApiClient(proxy.url),
        "demo",
        "anna",
        data_dir=data_dir,
        config=CONFIG,
        credentials=credentials,
        watch_network=False,
    )
    try:
        await until(lambda: session.controller.status.state is SyncState.SYNCHRONIZED)
        return _rows(session)
    finally:
        await session.close()  # saves the confirmed state and cursor


def test_starts_offline_from_the_cache_then_catches_up_by_delta(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "app"
    credentials = CredentialStore(tmp_path / "credentials")

    async def scenario() -> None:
        async with FaultProxy(server.base_url) as proxy:
            before = await _first_run(proxy, data_dir, credentials)
            assert before, "the demo day has bookings"

            # The server goes away; the app starts again with no way to reach it.
            await proxy.refuse_new()
            server.stop()
            remembered = credentials.load(proxy.url, "anna")
            assert remembered is not None, "the sign-in was remembered"
            session = _resume(proxy.url, remembered, data_dir, credentials)
            try:
                # The same rows at once, before any answer from a server.
                assert _rows(session) == before
                assert session.window.model.rowCount() == len(before)
                session.window.show()
                await until(lambda: session.window.banner.isVisible(), what="offline banner")
                assert session.controller.status.state is SyncState.OFFLINE
                # "Offline · Last synced 10:15:02": when the cached state was last confirmed.
                last_synced = session.controller.status.last_synced_at
                assert last_synced is not None
                assert last_synced.astimezone().strftime("%H:%M") in session.window.indicator.text()

                # The server is back; another client changes two bookings before the app sees it.
                server.restart()
                pending = [i for i, (status, _v) in before.items() if status == "pending"]
                assert len(pending) >= 2, before
                # anna's other device: the app's own user, changing two bookings elsewhere.
                anna_token = server.login("anna")
                cancelled = httpx.post(  # noqa: ASYNC210 - the proxy keeps the app out anyway
                    f"{server.api_url}/bookings/{pending[0]}/transitions",
                    json={"action": "cancel"},
                    headers=server.auth(anna_token, **{"If-Match": f'"{before[pending[0]][1]}"'}),
                    timeout=60,
                )
                assert cancelled.status_code == 200, cancelled.text
                noted = httpx.patch(  # noqa: ASYNC210
                    f"{server.api_url}/bookings/{pending[1]}",
                    json={"note": "changed while the app was offline"},
                    headers=server.auth(anna_token, **{"If-Match": f'"{before[pending[1]][1]}"'}),
                    timeout=60,
                )
                assert noted.status_code == 200, noted.text
                expected = _server_rows(server, anna_token)
                assert expected != before

                proxy.reset_counters()
                await proxy.accept_new()
                await until(lambda: _rows(session) == expected, what="caught up with the server")
                await until(lambda: session.controller.status.state is SyncState.SYNCHRONIZED)
                assert not session.window.banner.isVisible()
                assert _full_loads(proxy) == 0, proxy.requests
            finally:
                await session.close()

    qt_loop.run_until_complete(scenario())


def test_a_corrupt_cache_costs_a_full_reload_not_a_crash(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "app"
    credentials = CredentialStore(tmp_path / "credentials")

    async def scenario() -> None:
        async with FaultProxy(server.base_url) as proxy:
            before = await _first_run(proxy, data_dir, credentials)
            [store_file] = (data_dir / "stores").glob("store-*.sqlite3")
            store_file.write_bytes(store_file.read_bytes()[:700])  # truncated mid-page
            remembered = credentials.load(proxy.url, "anna")
            assert remembered is not None
            proxy.reset_counters()
            session = _resume(proxy.url, remembered, data_dir, credentials)
            try:
                assert session.store.moved_aside is not None, "the broken file was kept aside"
                assert session.store.moved_aside.exists()
                await until(lambda: _rows(session) == before, within=WAIT)
                assert _full_loads(proxy) == 1
            finally:
                await session.close()

    qt_loop.run_until_complete(scenario())


def test_a_cache_of_another_user_is_never_shown(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "app"
    credentials = CredentialStore(tmp_path / "credentials")

    async def scenario() -> None:
        async with FaultProxy(server.base_url) as proxy:
            anna_rows = await _first_run(proxy, data_dir, credentials)
            await proxy.refuse_new()
            ben = await _ben_offline(proxy, server, data_dir, credentials)
            try:
                assert _rows(ben) == {}
                assert not set(_rows(ben)) & set(anna_rows)
            finally:
                await ben.close()

    qt_loop.run_until_complete(scenario())


async def _ben_offline(
    proxy: FaultProxy, server: LiveServer, data_dir: Path, credentials: CredentialStore
) -> Session:
    """Ben signed in once elsewhere (his token remembered), now opening with no server."""
    login = server.login_response("ben")
    remembered = StoredSession(proxy.url, UserPublic.model_validate(login["user"]), login["token"])
    return _resume(proxy.url, remembered, data_dir, credentials)
