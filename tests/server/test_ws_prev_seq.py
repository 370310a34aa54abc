"""prev_seq [extension] against a real server: each socket's booking:updated frames chain exactly
(`prev_seq` = the socket's previous frame, or its start), across the replay-to-live join, and a
sync engine fed by a real socket makes no delta fetch for other users' changes."""

from __future__ import annotations

import asyncio
import itertools
import threading
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from booking_core import BookingUpdated, UserPublic, parse_server_message
from desktop_app.sync import (
    Command,
    EventReceived,
    OpenSocket,
    ReplyReceived,
    SendRequest,
    SocketOpened,
    Started,
    SyncEngine,
)
from tests.support.api import create, moved
from tests.support.live_server import LiveServer
from tests.support.ws import Socket

pytestmark = pytest.mark.asyncio


async def _updates_until(socket: Socket, booking_id: str) -> list[dict[str, Any]]:
    """The booking:updated frames up to the first about `booking_id` (a marker made last)."""
    frames: list[dict[str, Any]] = []
    while not frames or frames[-1]["booking"]["id"] != booking_id:
        frames.append(await socket.receive_type("booking:updated"))
    return frames


def _assert_chain(start: int, frames: list[dict[str, Any]]) -> None:
    prev = start
    for frame in frames:
        assert frame["prev_seq"] == prev, (start, [(f["prev_seq"], f["seq"]) for f in frames])
        assert frame["seq"] > prev
        prev = frame["seq"]


def _interleave(
    anna: httpx.Client, ids: dict[str, str], rounds: int, names: tuple[str, ...] = ("carl", "dora")
) -> None:
    """anna books carl and dora by turns (confirmed at once: she made them), cancelling each:
    their events interleave."""
    for _ in range(rounds):
        for name in names:
            moved(anna, create(anna, ids["anna"], ids[name]), "cancel")


def _markers(anna: httpx.Client, ids: dict[str, str]) -> dict[str, str]:
    """One last booking per customer: its create frame closes that customer's stream."""
    return {name: create(anna, ids["anna"], ids[name])["id"] for name in ("carl", "dora")}


def _ids(server: LiveServer) -> dict[str, str]:
    return {n: server.user(n)["id"] for n in ("anna", "ben", "carl", "dora")}


async def test_each_socket_chains_its_own_frames(shared_server: LiveServer) -> None:
    server = shared_server
    anna, ids = server.client(server.login("anna")), _ids(server)
    tokens = {name: server.login(name) for name in ("carl", "dora")}
    sockets = {n: await Socket.open(server.ws_url_for(t)) for n, t in tokens.items()}
    try:
        hellos = {name: await socket.receive() for name, socket in sockets.items()}
        _interleave(anna, ids, 5)
        markers = _markers(anna, ids)
        for name, socket in sockets.items():
            frames = await _updates_until(socket, markers[name])
            assert len(frames) == 11
            _assert_chain(hellos[name]["cursor"], frames)
            seqs = [f["seq"] for f in frames]
            # The other customer's changes sit between: the seqs jump, the chain does not.
            assert sum(b - a > 1 for a, b in itertools.pairwise(seqs)) >= 5
    finally:
        for socket in sockets.values():
            await socket.close()


async def test_replay_then_live_chain_without_gap_or_duplicate(shared_server: LiveServer) -> None:
    server = shared_server
    anna, ids = server.client(server.login("anna")), _ids(server)
    carl = server.login("carl")
    since = anna.get("/bookings").json()["cursor"]
    _interleave(anna, ids, 3)  # replayed from `since`
    # More writes race with the socket's opening: some land in the replay, some live.
    racing = threading.Thread(
        target=_interleave, args=(server.client(anna.headers["authorization"][7:]), ids, 6)
    )
    racing.start()
    try:
        async with await Socket.open(server.ws_url_for(carl, since)) as socket:
            hello = await socket.receive()
            assert hello["type"] == "hello"
            await asyncio.to_thread(racing.join)
            markers = _markers(anna, ids)
            frames = await _updates_until(socket, markers["carl"])
    finally:
        racing.join()
    _assert_chain(since, frames)
    assert len(frames) == 3 * 2 + 6 * 2 + 1  # created and cancelled, each once
    assert any(f["seq"] <= hello["cursor"] for f in frames)  # a replay, then live
    assert frames[-1]["seq"] > hello["cursor"]
    # A later replay from the same `since` sees exactly the same frames.
    async with await Socket.open(server.ws_url_for(carl, since)) as socket:
        await socket.receive()
        again = await _updates_until(socket, markers["carl"])
    assert [(f["prev_seq"], f["seq"]) for f in again] == [(f["prev_seq"], f["seq"]) for f in frames]


async def test_replay_with_nothing_for_me_starts_the_chain_at_since(
    shared_server: LiveServer,
) -> None:
    server = shared_server
    anna, ids = server.client(server.login("anna")), _ids(server)
    carl = server.login("carl")
    since = anna.get("/bookings").json()["cursor"]
    _interleave(anna, ids, 2, names=("dora",))  # nothing of carl's to replay
    async with await Socket.open(server.ws_url_for(carl, since)) as socket:
        hello = await socket.receive()
        assert hello["cursor"] > since
        markers = _markers(anna, ids)
        (frame,) = await _updates_until(socket, markers["carl"])
    assert frame["prev_seq"] == since  # nothing of carl's between since and this frame


async def test_after_resync_required_the_chain_starts_at_hello(shared_server: LiveServer) -> None:
    server = shared_server
    anna, ids = server.client(server.login("anna")), _ids(server)
    carl = server.login("carl")
    cursor = anna.get("/bookings").json()["cursor"]
    async with await Socket.open(server.ws_url_for(carl, cursor + 1000)) as socket:
        hello = await socket.receive()
        assert (await socket.receive())["type"] == "resync_required"
        markers = _markers(anna, ids)
        (frame,) = await _updates_until(socket, markers["carl"])
    assert frame["prev_seq"] == hello["cursor"]


class _Driver:
    """A sync engine (pure, no Qt) wired to the real server by hand: its requests go over httpx,
    its socket is a real one; `strip_prev_seq` plays a server without the extension."""

    def __init__(self, server: LiveServer, name: str, *, strip_prev_seq: bool = False) -> None:
        token = server.login(name)
        self.server, self.token, self.strip = server, token, strip_prev_seq
        self.http = httpx.Client(base_url=server.base_url, headers=server.auth(token))
        self.engine = SyncEngine(UserPublic.model_validate(server.user(name)))
        self.gets: list[str] = []
        self.since: int | None = None

    def feed(self, event: Any) -> None:
        for command in self.engine.handle(event):
            self._perform(command)

    def _perform(self, command: Command) -> None:
        match command:
            case SendRequest(request_id, method, path, body, headers):
                self.gets += [path] if method == "GET" else []
                reply = self.http.request(method, path, json=body, headers=dict(headers))
                parsed = reply.json() if reply.content else None
                self.feed(
                    ReplyReceived(request_id, reply.status_code, reply.headers, parsed, _now())
                )
            case OpenSocket(since):
                self.since = since
            case _:
                pass

    def frame(self, raw: str | bytes) -> str | None:
        """Feed one frame; the id of the booking it is about, if any."""
        message = parse_server_message(raw)
        if self.strip and isinstance(message, BookingUpdated):
            message = message.model_copy(update={"prev_seq": None})
        self.feed(EventReceived(message, _now()))
        return message.booking.id if isinstance(message, BookingUpdated) else None


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.mark.parametrize("strip", [False, True], ids=["prev_seq", "without"])
async def test_engine_makes_no_delta_fetch_for_others_changes(
    shared_server: LiveServer, strip: bool
) -> None:
    server = shared_server
    ids = _ids(server)
    anna = server.client(server.login("anna"))
    ben = server.client(server.login("ben"))
    driver = _Driver(server, "anna", strip_prev_seq=strip)
    driver.feed(Started(_now()))  # the full load, and an OpenSocket
    catalog = f"/api/v1/masters/{ids['anna']}"  # a master's engine also loads its own catalog
    assert driver.gets == [
        "/api/v1/bookings",
        f"{catalog}/services?include_archived=true",
        f"{catalog}/schedule",
        f"{catalog}/time-off",
    ]
    async with await Socket.open(server.ws_url_for(driver.token, driver.since)) as socket:
        driver.feed(SocketOpened(_now()))
        driver.frame(await socket.connection.recv())  # hello
        opened_gets = len(driver.gets)  # an open socket also re-reads the catalog, once
        listed_before = _list_requests(server)
        for n in range(N_EVENTS):  # a busy server: someone else's change between each of ours
            create(ben, ids["ben"], ids["dora"], service=f"theirs {n}")  # not anna's
            mine = create(anna, ids["anna"], ids["carl"], service=f"ours {n}")["id"]
            while driver.frame(await asyncio.wait_for(socket.connection.recv(), 10)) != mine:
                pass
    served = _list_requests(server) - listed_before  # counted by the server itself
    deltas = [path for path in driver.gets if "since=" in path]
    assert all("/bookings" in path for path in driver.gets[opened_gets:])  # no catalog reload
    counters = driver.engine.counters
    assert counters.events >= N_EVENTS
    if strip:  # the old behaviour: every jump looks like a gap, one delta GET per event
        assert counters.gaps == N_EVENTS
        assert len(deltas) == served == N_EVENTS
    else:
        assert counters.gaps == 0
        assert deltas == []
        assert served == 0
    listed = {b["id"]: b for b in anna.get("/bookings").json()["bookings"]}
    assert {bid: b.model_dump(mode="json") for bid, b in driver.engine.server.items()} == listed


N_EVENTS = 20


def _list_requests(server: LiveServer) -> float:
    """GET /api/v1/bookings answered so far, from the server's /metrics."""
    text = httpx.get(f"{server.base_url}/metrics").text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith('booking_http_requests_total{method="GET",route="/api/v1/bookings",')
    )
