"""TLS (issue 13, item 10): `booking-server serve --certfile --keyfile` serves HTTPS and WSS, with a
certificate from a CA made in the test; a client that does not trust the CA is refused on REST
and on the socket. Also: /metrics behind BOOKING_METRICS_TOKEN."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.support.fixtures import LiveServerFactory
from tests.support.tls import make_certificates


@pytest.mark.asyncio
async def test_rest_and_websocket_over_tls(
    live_server_factory: LiveServerFactory, tmp_path: Path
) -> None:
    certs = make_certificates(tmp_path / "tls")
    server = live_server_factory(
        args=["--certfile", str(certs.certfile), "--keyfile", str(certs.keyfile)]
    )
    base = f"https://127.0.0.1:{server.port}"
    trusting = certs.client_context()
    async with httpx.AsyncClient(base_url=base, verify=trusting) as client:
        assert (await client.get("/healthz")).status_code == 200
        login = await client.post(
            "/api/v1/auth/login", json={"username": "carl", "password": "demo"}
        )
        assert login.status_code == 200
        token = login.json()["token"]
    async with connect(
        f"wss://127.0.0.1:{server.port}/api/v1/ws",
        ssl=trusting,
        additional_headers={"Authorization": f"Bearer {token}"},
    ) as ws:
        assert json.loads(await ws.recv())["type"] == "hello"
    # A client that does not trust the CA is refused, on REST and on the socket.
    async with httpx.AsyncClient(base_url=base) as untrusting:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await untrusting.get("/healthz")
    with pytest.raises(ssl.SSLCertVerificationError):
        async with connect(f"wss://127.0.0.1:{server.port}/api/v1/ws?token={token}"):
            pass
    # Plain HTTP gets no answer from a TLS port.
    async with httpx.AsyncClient() as plain:
        with pytest.raises(httpx.HTTPError):
            await plain.get(f"http://127.0.0.1:{server.port}/healthz")


def test_a_key_without_its_certificate_is_refused(tmp_path: Path) -> None:
    certs = make_certificates(tmp_path / "tls")
    for args in (
        ["--keyfile", str(certs.keyfile)],
        ["--certfile", str(certs.ca), "--keyfile", str(certs.keyfile)],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "booking_server", "serve", "--port", "0", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env={"BOOKING_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        )
        assert done.returncode == 2, done.stderr
        assert "TLS" in done.stderr


def test_metrics_behind_a_token(live_server_factory: LiveServerFactory) -> None:
    secret = "m" * 32
    server = live_server_factory(env={"BOOKING_METRICS_TOKEN": secret})
    url = f"{server.base_url}/metrics"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    opened = httpx.get(url, headers={"Authorization": f"Bearer {secret}"})
    assert opened.status_code == 200
    assert "booking_websockets_open" in opened.text
