"""Operations: rate limiting, metrics, event-log retention (410 / resync), add-user, settings from
the environment, configuration errors, and logs that never hold a token."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.api import create
from tests.support.fixtures import LiveServerFactory
from tests.support.live_server import LiveServer
from tests.support.ws import Socket


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "booking_server", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_rate_limit_answers_429_with_retry_after(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory(
        env={"BOOKING_RATE_LIMIT_BURST": "5", "BOOKING_RATE_LIMIT_PER_SECOND": "0.01"}
    )
    carl = server.client(server.login("carl"))
    statuses = [carl.get("/bookings").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    limited = carl.get("/bookings")
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    # Per user: dora still has her own budget.
    assert server.client(server.login("dora")).get("/bookings").status_code == 200


def test_metrics_in_prometheus_text(live_server: LiveServer) -> None:
    token = live_server.login("anna")
    live_server.client(token).get("/bookings")
    response = httpx.get(f"{live_server.base_url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'booking_http_requests_total{method="GET",route="/api/v1/bookings",status="200"}' in text
    assert "booking_http_request_duration_seconds_bucket" in text
    assert "booking_websockets_open" in text
    assert "booking_ws_events_sent_total" in text
    assert token not in text


@pytest.mark.asyncio
async def test_pruned_event_log_answers_410_and_resync(
    live_server_factory: LiveServerFactory,
) -> None:
    # Retention 0: the demo history is pruned at start; the cursor stays where it was.
    server = live_server_factory(env={"BOOKING_EVENT_RETENTION_SECONDS": "0"})
    token = server.login("anna")
    anna = server.client(token)
    full = anna.get("/bookings").json()
    assert full["cursor"] > 1
    expired = anna.get("/bookings", params={"since": 1})
    assert expired.status_code == 410
    assert expired.json()["code"] == "cursor_expired"
    assert anna.get("/bookings", params={"since": 0}).json() == full
    # From the current cursor on, delta sync works as usual.
    booking = create(server.client(server.login("carl")), server.user("anna")["id"])
    delta = anna.get("/bookings", params={"since": full["cursor"]}).json()
    assert [b["id"] for b in delta["bookings"]] == [booking["id"]]
    async with await Socket.open(server.ws_url_for(token, since=1)) as socket:
        assert (await socket.receive())["type"] == "hello"
        assert (await socket.receive())["type"] == "resync_required"


def test_add_user_then_sign_in(live_server_factory: LiveServerFactory, tmp_path: Path) -> None:
    server = live_server_factory(demo=False, start=False)
    url = server.database_url
    made = _cli(
        "add-user", "--role", "master", "--username", "erin", "--display-name", "Erin Moss",
        "--database-url", url, stdin="s3cret pass\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert len(made.stdout.strip()) == 36
    again = _cli(
        "add-user", "--role", "customer", "--username", "erin", "--display-name", "Other",
        "--database-url", url, stdin="x\n",
    )  # fmt: skip
    assert again.returncode == 1
    assert "exists" in again.stderr
    empty = _cli(
        "add-user", "--role", "customer", "--username", "fay", "--display-name", "Fay",
        "--database-url", url, stdin="\n",
    )  # fmt: skip
    assert empty.returncode == 2
    server.start()
    body = server.login_response("erin", "s3cret pass")
    assert body["user"] == {
        "id": made.stdout.strip(),
        "username": "erin",
        "role": "master",
        "display_name": "Erin Moss",
    }
    wrong = httpx.post(
        f"{server.api_url}/auth/login", json={"username": "erin", "password": "s3cret"}
    )
    assert wrong.status_code == 401


def test_settings_come_from_the_environment(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory(env={"BOOKING_MAX_BODY_BYTES": "300"})
    carl = server.client(server.login("carl"))
    response = carl.post("/bookings", json={"service": "x" * 400})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_unsupported_database_url_exits_with_message() -> None:
    result = _cli("serve", "--port", "0", "--database-url", "postgresql://nowhere/db")
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr


@pytest.mark.asyncio
async def test_logs_never_hold_tokens(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory(env={"BOOKING_LOG_LEVEL": "debug"})
    token = server.login("anna")
    server.client(token).get("/bookings")
    async with await Socket.open(server.ws_url_for(token)) as socket:
        assert (await socket.receive())["type"] == "hello"
    server.client(token).post("/auth/logout")
    assert server.stop() == 0
    log = server.log()
    assert '"path": "/api/v1/bookings"' in log, "the access log is written"
    assert "WebSocket /api/v1/ws" in log
    assert token not in log


def test_database_from_a_newer_server_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "newer.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA user_version = 99")
    result = _cli("serve", "--port", "0", "--database-url", f"sqlite:///{database}")
    assert result.returncode == 2
    assert "newer server" in result.stderr
