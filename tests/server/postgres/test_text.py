"""Text PostgreSQL cannot hold (NUL) never makes a 5xx: ids and names with it name nothing, so
the answers are the contract's (422 unknown master, 404, 401), and the connection stays usable."""

from __future__ import annotations

import pytest

from tests.support.api import next_slot
from tests.support.live_server import LiveServer
from tests.support.ws import Socket


@pytest.mark.asyncio
async def test_nul_in_ids_and_names_is_an_ordinary_refusal(live_server: LiveServer) -> None:
    token = live_server.login("carl")
    carl = live_server.client(token)
    starts_at, ends_at = next_slot()
    body = {"master_id": "a\u0000b", "service": "x\u0000", "starts_at": starts_at}
    response = carl.post("/bookings", json={**body, "ends_at": ends_at})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "master_id"
    # Inside the booking's own fields NUL is just a character (stored as escaped JSON).
    body["master_id"] = live_server.user("anna")["id"]
    created = carl.post("/bookings", json={**body, "ends_at": ends_at})
    assert created.status_code == 201
    assert carl.get(f"/bookings/{created.json()['id']}").json()["service"] == "x\u0000"
    assert carl.get("/bookings/a%00b").status_code == 404
    login = carl.post("/auth/login", json={"username": "anna\u0000", "password": "demo"})
    assert login.status_code == 401
    async with await Socket.open(live_server.ws_url_for(token)) as socket:
        await socket.receive_type("hello")
        await socket.send({"type": "viewing", "booking_id": "a\u0000b"})
        assert (await socket.receive())["code"] == "not_found"
