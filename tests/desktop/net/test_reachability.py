"""Reachability: the health probe follows the server (through a proxy that refuses and accepts
connections), and the system backend is used when it loads and the server is not on loopback."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
from PySide6.QtNetwork import QNetworkInformation
from pytestqt.qtbot import QtBot

from desktop_app.net.reachability import Reachability
from tests.support.proxy import FaultProxy


class ProxyThread:
    """The asyncio proxy on its own loop in a thread, so the Qt loop of the test stays free."""

    def __init__(self, upstream: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.proxy = self.run(lambda: FaultProxy(upstream).start())

    def run(self, make: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
        async def call() -> Any:
            return await make()

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(timeout=60)

    def close(self) -> None:
        self.run(self.proxy.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=60)
        self.loop.close()


@pytest.fixture
def proxy_thread(server_url: str) -> Iterator[ProxyThread]:
    thread = ProxyThread(server_url)
    yield thread
    thread.close()


def test_the_probe_follows_the_server(qtbot: QtBot, proxy_thread: ProxyThread) -> None:
    proxy = proxy_thread.proxy
    reach = Reachability(f"{proxy.url}/healthz", probe_interval_ms=50, probe_timeout_ms=1000)
    with qtbot.waitSignal(reach.online_changed, timeout=30000) as up:
        reach.start()
    assert reach.source == "probe"  # a loopback server: the route table says nothing about it
    assert up.args == [True]

    with qtbot.waitSignal(reach.online_changed, timeout=30000) as down:
        proxy_thread.run(proxy.refuse_new)
    assert down.args == [False]
    assert reach.online is False

    with qtbot.waitSignal(reach.online_changed, timeout=30000) as back:
        proxy_thread.run(proxy.accept_new)
    assert back.args == [True]
    reach.stop()
    assert proxy.count("GET", "/healthz") >= 2  # refused probes never reach it


def test_a_probe_that_gets_no_answer_in_time_means_offline(
    qtbot: QtBot, proxy_thread: ProxyThread
) -> None:
    proxy = proxy_thread.proxy
    proxy_thread.loop.call_soon_threadsafe(proxy.freeze)
    reach = Reachability(f"{proxy.url}/healthz", probe_interval_ms=60_000, probe_timeout_ms=200)
    with qtbot.waitSignal(reach.online_changed, timeout=30000) as probe:
        reach.start()
    assert probe.args == [False]
    reach.stop()


def test_the_system_backend_is_used_for_a_remote_server(qtbot: QtBot) -> None:
    reach = Reachability("http://192.0.2.1/healthz", probe_interval_ms=60_000)
    reach.start()
    if reach.source == "probe":  # no backend on this machine: the probe stands in
        assert QNetworkInformation.instance() is None
    else:
        info = QNetworkInformation.instance()
        assert reach.source == info.backendName()
        known = info.reachability() != QNetworkInformation.Reachability.Unknown
        assert (reach.online is not None) == known
    reach.stop()
