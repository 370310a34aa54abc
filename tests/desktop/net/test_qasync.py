"""The app runs ApiClient and SocketClient on qasync's Qt event loop: prove they work there."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from booking_core import Hello, ServerMessage
from desktop_app.net.api import ApiClient
from desktop_app.net.socket import SocketClient, ws_url_for


@pytest.fixture
def qt_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


def test_sign_in_request_and_socket_on_the_qt_loop(
    qt_loop: asyncio.AbstractEventLoop, server_url: str
) -> None:
    async def session() -> tuple[int, list[ServerMessage], list[tuple[int | None, str]]]:
        assert asyncio.get_running_loop() is qt_loop
        messages: list[ServerMessage] = []
        closes: list[tuple[int | None, str]] = []
        hello = asyncio.Event()

        def on_message(message: ServerMessage) -> None:
            messages.append(message)
            hello.set()

        async with ApiClient(server_url) as client:
            login = await client.login("dora", "demo")
            reply = await client.perform("GET", "/api/v1/bookings")
            socket = SocketClient(lambda: None, on_message, lambda *c: closes.append(c))
            socket.connect(ws_url_for(server_url), login.token)
            async with asyncio.timeout(10):
                await hello.wait()
            await socket.close()
        return reply.status, messages, closes

    status, messages, closes = qt_loop.run_until_complete(session())
    assert status == 200
    assert isinstance(messages[0], Hello)
    assert closes == [(1000, "")]
