"""Presence across processes [extension]: two (or three) real `booking-server` processes on one
PostgreSQL and one Redis. People viewing one booking through different processes see each other;
a process started later learns who is viewing; the viewers of a process that dies fade out after
their time to live (3 heartbeats; the heartbeat is the bus check interval, 0.5 s here)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from redis.asyncio import Redis

from booking_core import BookingUpdated
from booking_server.bus import PresenceShared
from booking_server.bus.redis import RedisBus
from booking_server.clock import SystemClock
from booking_server.demo import seed_demo
from booking_server.store import open_store
from booking_server.store.postgres import PostgresStore
from tests.support.api import create
from tests.support.services import ScaledServer, check_redis, fresh_database
from tests.support.ws import Socket

pytestmark = pytest.mark.asyncio
HEARTBEAT = {"BOOKING_BUS_CHECK_INTERVAL": "0.5"}


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """How to start processes of one deployment (fresh database, own Redis prefix)."""
    options: dict[str, Any] = {
        "redis_url": check_redis(),
        "redis_prefix": f"test:{uuid.uuid4().hex}:",
        "env": HEARTBEAT,
    }
    with fresh_database() as database:
        yield {"database": database, "folder": tmp_path, **options}


def _start(deployment: dict[str, Any], name: str) -> ScaledServer:
    options = {k: v for k, v in deployment.items() if k not in ("database", "folder")}
    server = ScaledServer(deployment["folder"] / name, deployment["database"], **options)
    server.start()
    return server


async def _presence(socket: Socket, booking_id: str) -> list[str]:
    """The usernames-by-display-name of the next presence about `booking_id`."""
    while True:
        message = await socket.receive_type("presence")
        if message["booking_id"] == booking_id:
            return [viewer["display_name"] for viewer in message["viewers"]]


async def _open(server: ScaledServer, name: str) -> Socket:
    socket = await Socket.open(server.ws_url_for(server.login(name)))
    assert (await socket.receive())["type"] == "hello"
    return socket


async def _dora_viewing_on_b(a: ScaledServer, b: ScaledServer) -> tuple[str, Socket]:
    """A booking of anna's with dora, dora viewing it through B, and anna's socket on A that
    has seen her there."""
    anna = a.client(a.login("anna"))
    booking = create(anna, a.user("anna")["id"], a.user("dora")["id"])["id"]
    anna_on_a = await _open(a, "anna")
    dora_on_b = await _open(b, "dora")
    await dora_on_b.send({"type": "viewing", "booking_id": booking})
    assert await _presence(anna_on_a, booking) == ["Dora Novak"]
    return booking, anna_on_a


async def test_viewers_through_different_processes_see_each_other(
    deployment: dict[str, Any],
) -> None:
    a, b = _start(deployment, "a"), _start(deployment, "b")
    try:
        anna = a.client(a.login("anna"))
        booking = create(anna, a.user("anna")["id"], a.user("carl")["id"])["id"]
        anna_on_a, carl_on_b = await _open(a, "anna"), await _open(b, "carl")
        try:
            await anna_on_a.send({"type": "viewing", "booking_id": booking})
            assert await _presence(anna_on_a, booking) == ["Anna Berg"]
            assert await _presence(carl_on_b, booking) == ["Anna Berg"]  # crossed to B
            await carl_on_b.send({"type": "viewing", "booking_id": booking})
            assert await _presence(carl_on_b, booking) == ["Anna Berg", "Carl Lind"]
            assert await _presence(anna_on_a, booking) == ["Anna Berg", "Carl Lind"]  # and back
            await anna_on_a.send({"type": "viewing", "booking_id": None})
            assert await _presence(anna_on_a, booking) == ["Carl Lind"]
            assert await _presence(carl_on_b, booking) == ["Carl Lind"]
            # A process started later asks and learns who is viewing.
            c = _start(deployment, "c")
            try:
                async with await _open(c, "anna") as anna_on_c:
                    await anna_on_c.send({"type": "viewing", "booking_id": booking})
                    assert await _presence(anna_on_c, booking) == ["Anna Berg", "Carl Lind"]
                assert await _presence(carl_on_b, booking) == ["Anna Berg", "Carl Lind"]
                assert await _presence(carl_on_b, booking) == ["Carl Lind"]  # anna closed it
            finally:
                c.stop()
        finally:
            await anna_on_a.close()
            await carl_on_b.close()
    finally:
        a.stop()
        b.stop()


async def test_viewers_of_a_dead_process_fade_out(deployment: dict[str, Any]) -> None:
    a, b = _start(deployment, "a"), _start(deployment, "b")
    try:
        booking, anna_on_a = await _dora_viewing_on_b(a, b)
        async with anna_on_a:
            b.kill()  # SIGKILL: no goodbye, only the missing heartbeats tell
            assert await _presence(anna_on_a, booking) == []
            await anna_on_a.send({"type": "viewing", "booking_id": booking})
            assert await _presence(anna_on_a, booking) == ["Anna Berg"]  # nobody else left
    finally:
        a.stop()
        b.stop()


async def test_presence_chatter_does_not_starve_the_quiet_check(
    postgres_url: str, redis_url: str, redis_prefix: str
) -> None:
    """The bus reads events it never heard of once no *event* came for a check interval, even while
    presence heartbeats keep Redis busy (they would hide the quiet otherwise)."""
    # Commits are told to nobody: only the log has them.
    store = cast(PostgresStore, open_store(postgres_url, _nowhere))
    await store.open()
    bus = RedisBus(redis_url, redis_prefix, store, check_interval=0.3)
    chatter: asyncio.Task[None] | None = None
    try:
        await bus.start()
        heard = asyncio.Event()
        got: list[object] = []

        def subscriber(message: object) -> None:
            got.append(message)
            if isinstance(message, BookingUpdated):
                heard.set()

        bus.subscribe(subscriber)
        channel = f"{redis_prefix}{await store.database_id()}:presence"
        chatter = asyncio.create_task(_chatter(redis_url, channel))
        assert await seed_demo(store, SystemClock())  # events in the log, never on Redis
        await asyncio.wait_for(heard.wait(), 10)
        assert any(isinstance(m, PresenceShared) for m in got)  # the chatter was heard meanwhile
    finally:
        if chatter is not None:
            chatter.cancel()
        await bus.close()
        await store.close()


async def _nowhere(events: list[BookingUpdated]) -> None:
    del events


async def _chatter(url: str, channel: str) -> None:
    """Another process's presence, much more often than the check interval."""
    client = Redis.from_url(url)
    message = PresenceShared(
        process="elsewhere", booking_id="b", master_id="m", customer_id="c", viewers=(), ttl=1
    ).model_dump_json()
    try:
        while True:
            await client.publish(channel, message)
            await asyncio.sleep(0.05)  # the traffic itself, not a wait for something
    finally:
        await client.aclose()


async def test_viewers_of_a_process_that_stops_cleanly_go_at_once(
    deployment: dict[str, Any],
) -> None:
    # Heartbeats 30 s apart (time to live 90 s): only the stopping process's goodbye can tell.
    slow = {**deployment, "env": {"BOOKING_BUS_CHECK_INTERVAL": "30"}}
    a, b = _start(slow, "a"), _start(slow, "b")
    try:
        booking, anna_on_a = await _dora_viewing_on_b(a, b)
        async with anna_on_a:
            assert b.stop() == 0  # SIGTERM: a clean stop
            assert await _presence(anna_on_a, booking) == []
    finally:
        a.stop()
        b.stop()
