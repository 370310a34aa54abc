"""Accounts: `booking-server user list|add|disable|enable|reset-password` (and `add-user`, as
documented) against a running server's database, and POST /auth/password, a user's own password
change: the old password and the user's other tokens stop working (their sockets close 4401), the
caller's token goes on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.live_server import LiveServer
from tests.support.ws import Socket


def _cli(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "booking_server", *args],
        input=None if password is None else password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _status(server: LiveServer, username: str, password: str) -> int:
    response = httpx.post(
        f"{server.api_url}/auth/login", json={"username": username, "password": password}
    )
    return response.status_code


def _me(server: LiveServer, token: str) -> int:
    return httpx.get(f"{server.api_url}/auth/me", headers=server.auth(token)).status_code


def test_user_commands_manage_accounts_of_a_running_server(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "server", demo=False)
    db = ["--database-url", server.database_url]
    added = _cli(
        "user", "add", "--role", "master", "--username", "mia", "--display-name", "Mia Holm",
        *db, password="first-secret",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    legacy = _cli(
        "add-user", "--role", "customer", "--username", "olaf", "--display-name", "Olaf",
        *db, password="olaf-secret",
    )  # fmt: skip
    assert legacy.returncode == 0, legacy.stderr
    server.start()
    try:
        listing = _cli("user", "list", *db)
        assert listing.returncode == 0, listing.stderr
        rows = [line.split("\t") for line in listing.stdout.splitlines()]
        assert [row[:4] for row in rows] == [
            ["mia", "master", "Mia Holm", "active"],
            ["olaf", "customer", "Olaf", "active"],
        ]
        assert rows[0][4] == added.stdout.strip()

        token = server.login("mia", "first-secret")
        reset = _cli("user", "reset-password", "mia", *db, password="second-secret")
        assert reset.returncode == 0, reset.stderr
        assert "1 sessions signed out" in reset.stdout
        assert _me(server, token) == 401
        assert _status(server, "mia", "first-secret") == 401
        token = server.login("mia", "second-secret")

        disabled = _cli("user", "disable", "mia", *db)
        assert disabled.returncode == 0, disabled.stderr
        assert _me(server, token) == 401
        assert _status(server, "mia", "second-secret") == 401
        assert "\tdisabled\t" in _cli("user", "list", *db).stdout

        enabled = _cli("user", "enable", "mia", *db)
        assert enabled.returncode == 0, enabled.stderr
        assert _status(server, "mia", "second-secret") == 200
        assert _status(server, "olaf", "olaf-secret") == 200
    finally:
        assert server.stop() == 0


def test_user_commands_refuse_bad_input(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    db = ["--database-url", url]
    add = ["user", "add", "--role", "master", "--username", "mia", "--display-name", "Mia", *db]
    assert _cli(*add, password="first-secret").returncode == 0
    for args, password, code, message in [
        (["user", "disable", "nobody", *db], None, 1, "no user named 'nobody'"),
        (["user", "reset-password", "mia", *db], "", 2, "must not be empty"),
        (add, "again", 1, "exists already"),
    ]:
        result = _cli(*args, password=password)
        assert result.returncode == code, result.stderr
        assert message in result.stderr


@pytest.mark.asyncio
async def test_a_user_changes_their_own_password(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "server").start()
    try:
        mine = server.login("anna")
        other = server.login("anna")
        socket = await Socket.open(server.ws_url_for(other))
        url = f"{server.api_url}/auth/password"
        async with httpx.AsyncClient() as client:
            wrong = await client.post(
                url,
                headers=server.auth(mine),
                json={"current_password": "nope", "new_password": "a-long-new-one"},
            )
            assert wrong.status_code == 403
            assert wrong.json()["code"] == "forbidden"
            short = await client.post(
                url,
                headers=server.auth(mine),
                json={"current_password": "demo", "new_password": "short"},
            )
            assert short.status_code == 422
            assert _status(server, "anna", "demo") == 200  # nothing changed yet

            done = await client.post(
                url,
                headers=server.auth(mine),
                json={"current_password": "demo", "new_password": "a-long-new-one"},
            )
            assert done.status_code == 204, done.text
        assert await socket.close_code() == 4401
        assert _me(server, mine) == 200
        assert _me(server, other) == 401
        assert _status(server, "anna", "demo") == 401
        assert _status(server, "anna", "a-long-new-one") == 200
        async with httpx.AsyncClient() as client:
            unsigned = await client.post(
                url, json={"current_password": "a-long-new-one", "new_password": "x" * 12}
            )
        assert unsigned.status_code == 401
    finally:
        assert server.stop() == 0
