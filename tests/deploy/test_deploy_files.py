"""The server's deployment files (deploy/, docs/deployment.md): nginx's configuration passes
`nginx -t` and really proxies REST and the WebSocket upgrade over TLS to a real booking server; the
systemd units pass `systemd-analyze verify`; the Dockerfile installs the locked dependencies as a
non-root user; compose wires two servers, PostgreSQL, Redis and nginx (`docker compose config`
where docker compose exists: it is not installed here, the engine neither)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.net.api import ApiClient
from desktop_app.net.socket import SocketClient, SocketSettings, ws_url_for
from tests.support.live_server import LiveServer
from tests.support.tls_ca import Authority

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX_CONF = DEPLOY / "nginx" / "booking.conf"
WAIT = 30.0


def _need(tool: str) -> str:
    found = shutil.which(tool) or next(
        (str(p) for p in (Path("/usr/sbin") / tool, Path("/sbin") / tool) if p.exists()), None
    )
    if found is None:
        reason = f"{tool} is not installed (apt-get install {tool}; scripts/bootstrap.sh does)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run this test", pytrace=False)
        pytest.skip(reason)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _nginx_conf(tmp_path: Path, upstream_port: int, authority: Authority) -> tuple[Path, int]:
    """The deploy configuration inside a main nginx.conf of the test's own: the upstream on the
    test's server, its certificate, free ports, files in tmp_path. Nothing else changes."""
    cert_file, key_file = authority.issue(tmp_path / "tls")
    https_port, http_port = _free_port(), _free_port()
    site = NGINX_CONF.read_text()
    site = re.sub(r"server server\d:8765", f"server 127.0.0.1:{upstream_port}", site)
    site = site.replace("/etc/nginx/tls/fullchain.pem", str(cert_file))
    site = site.replace("/etc/nginx/tls/privkey.pem", str(key_file))
    site = site.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = re.sub(r"\s*listen \[::\]:\d+[^;]*;", "", site)
    (tmp_path / "site.conf").write_text(site)
    for folder in ("logs", "temp"):
        (tmp_path / folder).mkdir(exist_ok=True)
    main = f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log info;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log {tmp_path}/logs/access.log;
    client_body_temp_path {tmp_path}/temp/body;
    proxy_temp_path {tmp_path}/temp/proxy;
    fastcgi_temp_path {tmp_path}/temp/fastcgi;
    uwsgi_temp_path {tmp_path}/temp/uwsgi;
    scgi_temp_path {tmp_path}/temp/scgi;
    include {tmp_path}/site.conf;
}}
"""
    conf = tmp_path / "nginx.conf"
    conf.write_text(main)
    return conf, https_port


@pytest.fixture
def booking_server(tmp_path: Path) -> Iterator[LiveServer]:
    with LiveServer(tmp_path / "server") as live:
        yield live


def test_nginx_proxies_rest_and_the_websocket_over_tls(
    tmp_path: Path, booking_server: LiveServer
) -> None:
    nginx = _need("nginx")
    authority = Authority.create(tmp_path / "ca", "deploy-test-ca")
    conf, port = _nginx_conf(tmp_path / "nginx", booking_server.port, authority)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(conf.parent), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
    process = subprocess.Popen(
        [nginx, "-p", str(conf.parent), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        asyncio.run(_through_the_proxy(f"https://127.0.0.1:{port}", authority.cert_file))
    finally:
        process.send_signal(signal.SIGQUIT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=WAIT)
        if process.poll() is None:
            process.kill()
            process.wait()
    log = (conf.parent / "logs" / "access.log").read_text()
    assert '"GET /api/v1/ws' in log, "the socket went through nginx"


async def _through_the_proxy(base_url: str, ca_file: Path) -> None:
    api = ApiClient(base_url, ca_file=ca_file)
    async with asyncio.timeout(WAIT):
        # nginx is started: wait until it answers (a condition, not a sleep of a guessed length).
        while not await api.healthy(within=2.0):  # noqa: ASYNC110 - polling nginx, a process
            await asyncio.sleep(0.05)
    login = await api.login("anna", "demo")
    listing = await api.perform("GET", "/api/v1/bookings")
    assert listing.status == 200
    metrics = await api.perform("GET", "/metrics", authorize=False)
    assert metrics.status == 404, "metrics are not public"
    await api.aclose()
    messages: asyncio.Queue[object] = asyncio.Queue()
    client = SocketClient(
        lambda: None,
        messages.put_nowait,
        lambda _code, _reason: None,
        SocketSettings(ca_file=ca_file, open_timeout=WAIT),
    )
    client.connect(ws_url_for(base_url), login.token)
    first = await asyncio.wait_for(messages.get(), WAIT)
    assert first is not None, "the server's first frame came through the upgraded connection"
    await client.close()


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    analyze = _need("systemd-analyze")
    server = shutil.which("booking-server") or str(ROOT / ".venv" / "bin" / "booking-server")
    for unit in (DEPLOY / "systemd").iterdir():
        # The units name the installed program; here it is the checkout's.
        text = unit.read_text().replace("/opt/booking-server/.venv/bin/booking-server", server)
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    service = (DEPLOY / "systemd" / "booking-server.service").read_text()
    assert "User=booking" in service
    assert "NoNewPrivileges=yes" in service
    assert "UMask=0077" in service


def test_the_image_installs_the_lock_and_runs_unprivileged() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    installs = re.findall(r"uv sync ([^\n]*)", dockerfile)
    assert installs, "uv sync installs the dependencies"
    assert all("--frozen" in each for each in installs), "only the locked versions"
    uv_pin = re.search(r"ghcr.io/astral-sh/uv:(\S+)", dockerfile)
    assert uv_pin is not None
    pinned = (ROOT / "scripts" / "uv-requirements.txt").read_text()
    assert f"uv=={uv_pin.group(1)}" in pinned, "the uv version the repository uses"
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users == ["booking"]
    assert 'ENTRYPOINT ["booking-server"]' in dockerfile


def test_compose_runs_two_servers_behind_nginx_on_postgres_and_redis() -> None:
    compose = (DEPLOY / "compose.yaml").read_text()
    for service in ("server1:", "server2:", "nginx:", "postgres:", "redis:"):
        assert re.search(rf"^  {service}", compose, re.MULTILINE), service
    assert "BOOKING_DATABASE_URL: postgresql://" in compose
    assert "BOOKING_REDIS_URL: redis://redis:6379/0" in compose
    assert "./nginx/booking.conf:/etc/nginx/conf.d/default.conf:ro" in compose
    site = NGINX_CONF.read_text()
    assert "server server1:8765" in site
    assert "server server2:8765" in site
    docker = shutil.which("docker")
    has_compose = (
        docker is not None
        and subprocess.run(
            [docker, "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    )
    if not has_compose:
        pytest.skip("docker compose is not installed here: the file's syntax is not checked")
    env = {**os.environ, "POSTGRES_PASSWORD": "test"}
    env_file = DEPLOY / "booking.env"  # an administrator's copy of booking.env.example
    made = not env_file.exists()
    if made:
        env_file.write_text((DEPLOY / "booking.env.example").read_text())
    try:
        result = subprocess.run(
            [str(docker), "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        if made:
            env_file.unlink()
    assert result.returncode == 0, result.stderr
