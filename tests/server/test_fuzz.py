"""Fuzzing the API with hypothesis: arbitrary bodies, headers and ids never make the server fail
(no 5xx) and every refusal is a problem+json with a known code."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking_core.errors import ErrorCode
from tests.support.api import create
from tests.support.live_server import LiveServer

CODES = {code.value for code in ErrorCode}
FIELDS = ["master_id", "customer_id", "service", "starts_at", "ends_at", "note", "action", "reason"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
bodies = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_values, max_size=7),
    json_values,
)
raw_bodies = st.one_of(bodies.map(lambda b: None), st.binary(max_size=64))
if_matches = st.none() | st.sampled_from(['"1"', 'W/"2"', "*", '""', "abc", '"99999999999999"'])
# Path segments httpx can send: printable ASCII without URL delimiters.
ids = st.text(st.characters(codec="ascii", exclude_characters="/?#%"), max_size=12).filter(
    str.isprintable
)
keys = st.none() | ids.map(str.strip)


class Target:
    def __init__(self, server: LiveServer) -> None:
        self.carl = server.client(server.login("carl"))
        self.booking = create(self.carl, server.user("anna")["id"])


@pytest.fixture(scope="module")
def target(shared_server: LiveServer) -> Target:
    return Target(shared_server)


def _check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json", response.text
        assert response.json()["code"] in CODES


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    route=st.sampled_from(["create", "transition", "patch", "list"]),
    body=bodies,
    raw=raw_bodies,
    if_match=if_matches,
    key=keys,
    booking_id=st.none() | ids,
    since=st.none() | st.integers(-5, 10**12) | st.text(max_size=4),
)
def test_no_5xx(
    target: Target,
    route: str,
    body: Any,
    raw: bytes | None,
    if_match: str | None,
    key: str | None,
    booking_id: str | None,
    since: int | str | None,
) -> None:
    headers: dict[str, str] = {}
    if if_match is not None:
        headers["If-Match"] = if_match
    if key:
        headers["Idempotency-Key"] = key
    path_id = target.booking["id"] if booking_id is None else booking_id or "x"
    content: dict[str, Any] = (
        {"content": raw, "headers": {**headers, "content-type": "application/json"}}
        if raw is not None
        else {"json": body, "headers": headers}
    )
    if route == "create":
        response = target.carl.post("/bookings", **content)
    elif route == "transition":
        response = target.carl.post(f"/bookings/{path_id}/transitions", **content)
    elif route == "patch":
        response = target.carl.patch(f"/bookings/{path_id}", **content)
    else:
        params = {} if since is None else {"since": str(since)}
        response = target.carl.get("/bookings", params=params)
    _check(response)
