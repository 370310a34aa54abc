"""The status dot follows the sync state on a real server: green when synchronized, orange while a
change is on its way (the server's answer held back mid-response), green again once it lands."""

from __future__ import annotations

import asyncio
from pathlib import Path

from booking_core import Action, Status
from desktop_app.sync import SyncState
from desktop_app.ui.status_indicator import DOT_COLORS
from tests.e2e.conftest import app_session, until
from tests.support.live_server import LiveServer
from tests.support.proxy import FaultProxy


def test_the_dot_is_orange_while_a_slow_change_is_saved(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with FaultProxy(server.base_url) as proxy:
            session = await app_session(proxy.url, "anna", tmp_path / "app")
            indicator = session.window.indicator
            try:
                assert indicator.color() == DOT_COLORS[SyncState.SYNCHRONIZED]
                pending = next(
                    row.booking
                    for row in session.controller.visible().values()
                    if row.booking.status is Status.PENDING
                )
                path = f"/api/v1/bookings/{pending.id}/transitions"
                proxy.stall(path, "POST")
                assert session.window.select_booking(pending.id)
                session.window.booking_actions[Action.ACCEPT].trigger()

                await proxy.wait_for(lambda: proxy.stalls >= 1)
                assert indicator.color() == DOT_COLORS[SyncState.UPDATING]
                assert session.controller.status.pending == 1

                proxy.release_stalls()
                await until(lambda: indicator.color() == DOT_COLORS[SyncState.SYNCHRONIZED])
                assert session.controller.visible()[pending.id].booking.status is Status.CONFIRMED
                assert session.controller.status.pending == 0
            finally:
                await session.close()

    qt_loop.run_until_complete(scenario())
