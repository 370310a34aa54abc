"""Login brute force (issue 13, item 7), against a real server process: failed sign-ins are
throttled per account and per client address with growing delays; X-Forwarded-For is believed
only from the proxies named in BOOKING_FORWARDED_ALLOW_IPS (uvicorn trusted loopback, so a new
X-Forwarded-For per request dodged the per-address limit).
Shared across processes through Redis: tests/server/postgres/test_login_throttle_scaled.py."""

from __future__ import annotations

import httpx

from tests.support.fixtures import LiveServerFactory
from tests.support.live_server import LiveServer


def _login(server: LiveServer, username: str, password: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{server.api_url}/auth/login",
        json={"username": username, "password": password},
        headers=headers,
    )


def test_failed_sign_ins_of_an_account_are_throttled_with_growing_delays(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory()
    for _ in range(5):  # BOOKING_LOGIN_ACCOUNT_FREE
        assert _login(server, "anna", "guess").status_code == 401
    waits = []
    for password in ("guess", "guess", "demo", "guess"):
        refused = _login(server, "anna", password)
        assert refused.status_code == 429, refused.text
        assert refused.json()["code"] == "rate_limited"
        waits.append(int(refused.headers["retry-after"]))
    # Growing, and the right password does not get through while blocked.
    assert waits == [1, 2, 4, 8]
    # Other accounts are not affected.
    assert _login(server, "ben", "demo").status_code == 200


def test_a_forwarded_for_header_from_an_untrusted_peer_does_not_dodge_the_address_limit(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory()
    statuses = [
        _login(server, f"nobody-{index}", "guess", **{"X-Forwarded-For": f"10.0.0.{index}"})
        for index in range(25)
    ]
    codes = [response.status_code for response in statuses]
    # BOOKING_LOGIN_ADDRESS_FREE (20) failures from this address, then growing delays.
    assert codes == [401] * 20 + [429] * 5


def test_a_trusted_proxy_names_the_client(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory(env={"BOOKING_FORWARDED_ALLOW_IPS": "127.0.0.1"})
    codes = [
        _login(server, f"nobody-{index}", "guess", **{"X-Forwarded-For": f"10.0.0.{index}"})
        for index in range(25)
    ]
    assert [response.status_code for response in codes] == [401] * 25
