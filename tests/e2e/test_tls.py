"""TLS (issue 13, item 10, the app's side): against a real server serving https:// and wss:// with
a certificate from a CA made in the test, the app connects when told to trust that CA (the
`ca_file` setting: REST, the socket and the health probe) and refuses the server otherwise, on REST
and on the socket (no system CA knows it), also when it trusts another CA."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.app import open_session, wait_for_sync
from desktop_app.net.api import ApiClient
from desktop_app.net.errors import TransportError
from desktop_app.net.socket import SocketClient, SocketSettings, ws_url_for
from desktop_app.settings import built_in_settings
from tests.e2e.conftest import WAIT, until
from tests.support.tls_ca import Authority, TlsLiveServer


@pytest.fixture
def authority(tmp_path: Path) -> Authority:
    return Authority.create(tmp_path / "ca", "reservations-test-ca")


@pytest.fixture
def tls_server(tmp_path: Path, authority: Authority) -> Iterator[TlsLiveServer]:
    cert_file, key_file = authority.issue(tmp_path / "ca")
    server = TlsLiveServer(tmp_path / "server", cert_file, key_file)
    server.start()
    yield server
    server.stop()


def test_the_app_trusts_the_configured_ca_on_rest_the_socket_and_the_probe(
    qt_loop: asyncio.AbstractEventLoop,
    tls_server: TlsLiveServer,
    authority: Authority,
    tmp_path: Path,
) -> None:
    settings = built_in_settings(server_url=tls_server.base_url, ca_file=authority.cert_file)

    async def scenario() -> None:
        api = ApiClient(tls_server.base_url, ca_file=authority.cert_file)
        session = await open_session(
            api, "demo", "anna", data_dir=tmp_path / "app", settings=settings
        )
        try:
            async with asyncio.timeout(WAIT):
                await wait_for_sync(session.controller)
            await until(lambda: session.controller.socket_open, what="the wss:// socket opens")
            probe = session.reachability
            assert probe is not None
            await until(lambda: probe.online is True, what="the health probe passes")
        finally:
            await session.close()

    qt_loop.run_until_complete(scenario())


@pytest.mark.asyncio
async def test_an_untrusted_certificate_is_refused_on_rest_and_on_the_socket(
    tls_server: TlsLiveServer, tmp_path: Path
) -> None:
    other = Authority.create(tmp_path / "other", "some-other-ca")
    for ca_file in (None, other.cert_file):
        api = ApiClient(tls_server.base_url, ca_file=ca_file)
        with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
            await api.login("anna", "demo")
        await api.aclose()

        opened, reason = await _socket_attempt(tls_server.base_url, ca_file)
        assert "CERTIFICATE_VERIFY_FAILED" in reason
        assert not opened


async def _socket_attempt(base_url: str, ca_file: Path | None) -> tuple[bool, str]:
    """(whether the socket opened, why it closed) of one attempt with a made-up token."""
    closed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    opened: list[bool] = []
    socket = SocketClient(
        lambda: opened.append(True),
        lambda _message: None,
        lambda _code, reason: closed.set_result(reason),
        SocketSettings(ca_file=ca_file, open_timeout=WAIT),
    )
    socket.connect(ws_url_for(base_url), "any-token")
    return bool(opened), await asyncio.wait_for(closed, WAIT)


@pytest.mark.asyncio
async def test_the_trusted_ca_lets_rest_and_the_socket_through(
    tls_server: TlsLiveServer, authority: Authority
) -> None:
    async with ApiClient(tls_server.base_url, ca_file=authority.cert_file) as api:
        login = await api.login("anna", "demo")
        assert (await api.perform("GET", "/api/v1/bookings")).status == 200
    messages: asyncio.Queue[object] = asyncio.Queue()
    socket = SocketClient(
        lambda: None,
        messages.put_nowait,
        lambda _code, _reason: None,
        SocketSettings(ca_file=authority.cert_file, open_timeout=WAIT),
    )
    socket.connect(ws_url_for(tls_server.base_url), login.token)
    first = await asyncio.wait_for(messages.get(), WAIT)
    assert first is not None
    await socket.close()
