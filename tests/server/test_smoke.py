"""The server starts as a real process, announces its port, serves demo data, stops on SIGTERM."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.live_server import LiveServer


def test_server_announces_port_serves_demo_and_stops_cleanly(live_server: LiveServer) -> None:
    assert live_server.port > 0
    assert httpx.get(f"{live_server.base_url}/healthz").status_code == 200
    token = live_server.login("anna")
    body = live_server.client(token).get("/bookings").json()
    statuses = {b["status"] for b in body["bookings"]}
    assert {"pending", "confirmed", "in_progress", "completed", "cancelled"} <= statuses
    assert body["cursor"] > 0
    assert live_server.stop() == 0


def test_restart_keeps_data_and_does_not_seed_twice(live_server: LiveServer) -> None:
    token = live_server.login("anna")
    before = live_server.client(token).get("/bookings").json()
    live_server.restart()
    token = live_server.login("anna")
    after = live_server.client(token).get("/bookings").json()
    assert {b["id"] for b in after["bookings"]} == {b["id"] for b in before["bookings"]}
    assert after["cursor"] >= before["cursor"]


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "booking-server"
    result = subprocess.run(
        [str(script), "serve", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "--database-url" in result.stdout


def test_bad_command_line_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "booking_server", "serve", "--port", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--port" in result.stderr
