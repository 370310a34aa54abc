"""Signing out revokes the token and deletes this user's outbox, cache and remembered sign-in,
after asking when changes are still waiting to be sent."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication, QMessageBox

from booking_core import Action, Status
from desktop_app.app import open_session
from desktop_app.app.lifecycle import confirm_sign_out
from desktop_app.net.api import ApiClient
from desktop_app.store.credentials import CredentialStore
from tests.e2e.conftest import until
from tests.support.live_server import LiveServer
from tests.support.proxy import FaultProxy


def _message_box() -> QMessageBox | None:
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    visible = [box for box in boxes if box.isVisible()]
    return visible[0] if visible else None


def test_sign_out_forgets_everything_of_the_user(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    credentials = CredentialStore(tmp_path / "credentials")

    async def scenario() -> None:
        session = await open_session(
            ApiClient(server.base_url),
            "demo",
            "anna",
            data_dir=tmp_path / "app",
            credentials=credentials,
            watch_network=False,
        )
        token = session.api.token
        assert token is not None
        assert credentials.load(server.base_url) is not None
        assert await confirm_sign_out(session), "nothing waits: no question asked"
        await session.sign_out()
        store_files = list((tmp_path / "app" / "stores").glob("store-*"))
        assert store_files == []
        assert credentials.load(server.base_url) is None
        revoked = await asyncio.to_thread(
            httpx.get, f"{server.api_url}/bookings", headers=server.auth(token)
        )
        assert revoked.status_code == 401

    qt_loop.run_until_complete(scenario())


def test_sign_out_asks_first_when_changes_wait(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with FaultProxy(server.base_url) as proxy:
            session = await open_session(
                ApiClient(proxy.url), "demo", "anna", data_dir=tmp_path / "app", watch_network=False
            )
            try:
                await until(lambda: session.controller.engine.cursor is not None)
                pending = next(
                    row.booking
                    for row in session.controller.visible().values()
                    if row.booking.status is Status.PENDING
                )
                await proxy.refuse_new()
                proxy.cut_all()
                session.controller.request_transition(pending.id, Action.ACCEPT)
                assert len(session.controller.engine.outbox) == 1

                for answer, expected in [
                    (QMessageBox.StandardButton.No, False),
                    (QMessageBox.StandardButton.Yes, True),
                ]:
                    asked = asyncio.ensure_future(confirm_sign_out(session))
                    await until(lambda: _message_box() is not None, what="the question")
                    box = _message_box()
                    assert box is not None
                    assert "not yet sent to the server: 1." in box.text()
                    box.button(answer).click()
                    assert await asked is expected
            finally:
                await session.close()

    qt_loop.run_until_complete(scenario())
