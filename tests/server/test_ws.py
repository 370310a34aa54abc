"""The WebSocket: auth by 4401, hello, targeted and ordered delivery, since replay, resync,
invalid messages, presence, the frame limit, and 1001 on shutdown."""

from __future__ import annotations

import pytest

from tests.support.api import create, if_match, moved
from tests.support.live_server import LiveServer
from tests.support.ws import Socket

pytestmark = pytest.mark.asyncio


async def test_bad_missing_or_revoked_token_closes_4401(shared_server: LiveServer) -> None:
    for url in (shared_server.ws_url, shared_server.ws_url_for("wrong")):
        socket = await Socket.open(url)  # the upgrade itself succeeds (101)
        assert await socket.close_code() == 4401
    token = shared_server.login("dora")
    shared_server.client(token).post("/auth/logout")
    socket = await Socket.open(shared_server.ws_url_for(token))
    assert await socket.close_code() == 4401


async def test_a_bearer_token_in_the_upgrade_header_authenticates(
    shared_server: LiveServer,
) -> None:
    token = shared_server.login("dora")
    async with await Socket.open(shared_server.ws_url, token=token) as socket:
        assert (await socket.receive())["type"] == "hello"
    # The header wins over the query, so a wrong one is refused even next to a good query token.
    wrong = await Socket.open(shared_server.ws_url_for(token), token="wrong")
    assert await wrong.close_code() == 4401


async def test_logout_closes_open_socket_with_4401(shared_server: LiveServer) -> None:
    token = shared_server.login("carl")
    other = shared_server.login("carl")
    async with (
        await Socket.open(shared_server.ws_url_for(token)) as socket,
        await Socket.open(shared_server.ws_url_for(other)) as still_open,
    ):
        assert (await socket.receive())["type"] == "hello"
        assert (await still_open.receive())["type"] == "hello"
        assert shared_server.client(token).post("/auth/logout").status_code == 204
        assert await socket.close_code() == 4401
        await still_open.send({"type": "nonsense"})
        assert (await still_open.receive())["code"] == "invalid_message"


async def test_hello_first_with_cursor(shared_server: LiveServer) -> None:
    token = shared_server.login("anna")
    cursor = shared_server.client(token).get("/bookings").json()["cursor"]
    async with await Socket.open(shared_server.ws_url_for(token)) as socket:
        hello = await socket.receive()
        assert hello["type"] == "hello"
        assert hello["cursor"] >= cursor
        assert "server_time" in hello


async def test_events_reach_only_master_and_customer_in_seq_order(
    shared_server: LiveServer,
) -> None:
    server = shared_server
    anna, ben, carl = (server.client(server.login(n)) for n in ("anna", "ben", "carl"))
    ids = {n: server.user(n)["id"] for n in ("anna", "ben", "carl", "dora")}
    sockets = {
        name: await Socket.open(server.ws_url_for(client.headers["authorization"][7:]))
        for name, client in (("anna", anna), ("ben", ben), ("carl", carl))
    }
    try:
        for socket in sockets.values():
            assert (await socket.receive())["type"] == "hello"
        booking = create(carl, ids["anna"])
        accepted = moved(anna, booking, "accept")
        for name in ("anna", "carl"):
            created = await sockets[name].receive()
            assert created["type"] == "booking:updated"
            assert created["action"] == "create"
            assert created["actor"] == ids["carl"]
            assert created["booking"] == booking
            assert set(created["changes"]) >= {"id", "status", "starts_at", "master_id"}
            second = await sockets[name].receive()
            assert second["action"] == "accept"
            assert second["booking"] == accepted
            assert second["changes"]["status"] == "confirmed"
            assert second["seq"] > created["seq"]
        # ben sees none of it: the first event he gets is the one about his own booking.
        own = create(carl, ids["ben"])
        first = await sockets["ben"].receive()
        assert first["booking"]["id"] == own["id"]
    finally:
        for socket in sockets.values():
            await socket.close()


async def test_since_replays_missed_events_then_live(shared_server: LiveServer) -> None:
    server = shared_server
    token = server.login("anna")
    anna, carl = server.client(token), server.client(server.login("carl"))
    anna_id = server.user("anna")["id"]
    cursor = anna.get("/bookings").json()["cursor"]
    missed = create(carl, anna_id)
    missed = moved(anna, missed, "accept")
    create(server.client(server.login("dora")), server.user("ben")["id"])  # not anna's
    async with await Socket.open(server.ws_url_for(token, since=cursor)) as socket:
        hello = await socket.receive()
        assert hello["type"] == "hello"
        replayed = [await socket.receive(), await socket.receive()]
        assert [m["action"] for m in replayed] == ["create", "accept"]
        assert replayed[1]["booking"] == missed
        assert all(m["seq"] > cursor for m in replayed)
        live = create(carl, anna_id)
        message = await socket.receive()
        assert message["booking"]["id"] == live["id"]
        assert message["seq"] > replayed[-1]["seq"]


async def test_since_in_the_future_asks_for_resync(shared_server: LiveServer) -> None:
    token = shared_server.login("anna")
    cursor = shared_server.client(token).get("/bookings").json()["cursor"]
    async with await Socket.open(shared_server.ws_url_for(token, since=cursor + 1000)) as socket:
        assert (await socket.receive())["type"] == "hello"
        assert (await socket.receive())["type"] == "resync_required"


async def test_invalid_messages_get_error_and_socket_stays(shared_server: LiveServer) -> None:
    token = shared_server.login("carl")
    async with await Socket.open(shared_server.ws_url_for(token)) as socket:
        assert (await socket.receive())["type"] == "hello"
        for bad in ("not json", "[]", '{"type":"viewing"}', '{"type":"dance"}', "{}"):
            await socket.send(bad)
            reply = await socket.receive()
            assert reply == {"type": "error", "code": "invalid_message", "detail": reply["detail"]}
        await socket.connection.send(b"\x00binary")
        assert (await socket.receive())["code"] == "invalid_message"
        await socket.send({"type": "viewing", "booking_id": None})
        await socket.send("{")
        assert (await socket.receive())["code"] == "invalid_message"


async def test_message_over_64_kib_closes_1009(shared_server: LiveServer) -> None:
    token = shared_server.login("carl")
    async with await Socket.open(shared_server.ws_url_for(token)) as socket:
        assert (await socket.receive())["type"] == "hello"
        await socket.send('{"type":"viewing","booking_id":"' + "a" * 70_000 + '"}')
        assert await socket.close_code() == 1009


async def test_frames_are_not_deflated_though_the_client_offers_it(
    shared_server: LiveServer,
) -> None:
    # Each socket would deflate the same event frame again: server CPU, for small frames.
    token = shared_server.login("carl")
    async with await Socket.open(shared_server.ws_url_for(token)) as socket:
        offered = socket.connection.request
        assert offered is not None
        assert "permessage-deflate" in offered.headers["Sec-WebSocket-Extensions"]
        assert (await socket.receive())["type"] == "hello"
        assert socket.connection.protocol.extensions == []


async def test_presence_goes_to_master_and_customer(shared_server: LiveServer) -> None:
    server = shared_server
    anna_token, carl_token, ben_token = (server.login(n) for n in ("anna", "carl", "ben"))
    booking = create(server.client(carl_token), server.user("anna")["id"])
    anna = await Socket.open(server.ws_url_for(anna_token))
    carl = await Socket.open(server.ws_url_for(carl_token))
    ben = await Socket.open(server.ws_url_for(ben_token))
    try:
        for socket in (anna, carl, ben):
            await socket.receive_type("hello")
        await ben.send({"type": "viewing", "booking_id": booking["id"]})
        assert (await ben.receive())["code"] == "not_found"

        await anna.send({"type": "viewing", "booking_id": booking["id"]})
        for socket in (anna, carl):
            presence = await socket.receive_type("presence")
            assert presence["booking_id"] == booking["id"]
            assert [v["display_name"] for v in presence["viewers"]] == ["Anna Berg"]

        await carl.send({"type": "viewing", "booking_id": booking["id"]})
        for socket in (anna, carl):
            presence = await socket.receive_type("presence")
            assert sorted(v["id"] for v in presence["viewers"]) == sorted(
                [server.user("anna")["id"], server.user("carl")["id"]]
            )

        await anna.close()
        presence = await carl.receive_type("presence")
        assert [v["display_name"] for v in presence["viewers"]] == ["Carl Lind"]

        await carl.send({"type": "viewing", "booking_id": None})
        assert (await carl.receive_type("presence"))["viewers"] == []
        # ben got nothing about it: his next message answers his own next request.
        await ben.send("x")
        assert (await ben.receive())["code"] == "invalid_message"
    finally:
        for socket in (anna, carl, ben):
            await socket.close()


async def test_sigterm_closes_sockets_with_1001(live_server: LiveServer) -> None:
    token = live_server.login("anna")
    socket = await Socket.open(live_server.ws_url_for(token))
    assert (await socket.receive())["type"] == "hello"
    live_server.process.terminate()  # type: ignore[union-attr]
    assert await socket.close_code() == 1001
    assert live_server.stop() == 0


async def test_patch_events_carry_only_changes(shared_server: LiveServer) -> None:
    server = shared_server
    token = server.login("carl")
    carl = server.client(token)
    booking = create(carl, server.user("anna")["id"])
    async with await Socket.open(server.ws_url_for(token)) as socket:
        await socket.receive_type("hello")
        response = carl.patch(
            f"/bookings/{booking['id']}", json={"note": "bring photos"}, headers=if_match(booking)
        )
        event = await socket.receive()
        assert event["action"] == "update"
        assert set(event["changes"]) == {"note", "version", "updated_at"}
        assert event["booking"] == response.json()


async def test_transition_events_carry_the_reason(shared_server: LiveServer) -> None:
    server = shared_server
    carl = server.client(server.login("carl"))
    anna = server.client(server.login("anna"))
    booking = create(carl, server.user("anna")["id"])
    async with await Socket.open(server.ws_url_for(server.login("carl"))) as socket:
        await socket.receive_type("hello")
        response = anna.post(
            f"/bookings/{booking['id']}/transitions",
            json={"action": "decline", "reason": "fully booked that week"},
            headers=if_match(booking),
        )
        assert response.status_code == 200, response.text
        event = await socket.receive()
        assert event["action"] == "decline"
        assert event["booking"]["reason"] == "fully booked that week"
        assert event["changes"]["reason"] == "fully booked that week"
        assert event["booking"] == response.json()
