"""Figure 4: one change delivered to many clients of one server process.

Socket mode: N `websockets` clients (half signed in as the booking's master, half as its customer,
compression on as in the app) wait for the event; latency = receipt − the change's `updated_at`.
Naive mode: N clients poll the full list every 3 s with random phases; latency = end of the first
poll whose answer holds the change − `updated_at`. Both receive in this one process, so the last
receivers' numbers include this process working through the earlier ones (said in the report).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from dataclasses import dataclass, field

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.support.live_server import LiveServer

CONNECT_BATCH = 50


@dataclass
class _Progress:
    """How many receivers have the awaited seq; `done` once all have."""

    total: int
    want: int = -1
    count: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def expect(self, seq: int) -> None:
        self.want, self.count = seq, 0
        self.done.clear()

    def got(self, seq: int) -> None:
        if seq == self.want:
            self.count += 1
            if self.count == self.total:
                self.done.set()


@dataclass
class _Receiver:
    progress: _Progress
    seen: dict[int, float] = field(default_factory=dict)  # seq -> receipt wall time
    hello: asyncio.Event = field(default_factory=asyncio.Event)


async def _receive(socket: ClientConnection, receiver: _Receiver) -> None:
    async for frame in socket:
        received = time.time()
        message = json.loads(frame)
        if message.get("type") == "hello":
            receiver.hello.set()
        elif message.get("type") == "booking:updated":
            seq = int(message["seq"])
            receiver.seen[seq] = received
            receiver.progress.got(seq)


async def _patch(client: httpx.AsyncClient, booking_id: str, note: str) -> dict[str, object]:
    current = (await client.get(f"/bookings/{booking_id}")).json()
    response = await client.patch(
        f"/bookings/{booking_id}",
        json={"note": note},
        headers={"If-Match": f'"{current["version"]}"'},
    )
    response.raise_for_status()
    body: dict[str, object] = response.json()
    return body


def _updated_at(booking: dict[str, object]) -> float:
    from datetime import datetime

    return datetime.fromisoformat(str(booking["updated_at"])).timestamp()


async def socket_fanout(
    server: LiveServer,
    master: str,
    customer: str,
    clients: int,
    changes: int,
    *,
    compress: bool = True,
    sockets_on: LiveServer | None = None,
) -> list[float]:
    """ms from commit to receipt, for every (client, change). `compress=False` declines
    permessage-deflate, which the server otherwise runs once per socket for every event.
    `sockets_on`: another process of the same deployment to hold the sockets (scale-out)."""
    where = sockets_on or server
    tokens = [server.login(master), server.login(customer)]
    progress = _Progress(clients)
    receivers = [_Receiver(progress) for _ in range(clients)]
    sockets: list[ClientConnection] = []
    for start in range(0, clients, CONNECT_BATCH):
        batch = range(start, min(start + CONNECT_BATCH, clients))
        sockets += await asyncio.gather(
            *(
                connect(
                    where.ws_url_for(tokens[i % 2]),
                    max_size=None,
                    compression="deflate" if compress else None,
                )
                for i in batch
            )
        )
    tasks = [asyncio.ensure_future(_receive(s, r)) for s, r in zip(sockets, receivers, strict=True)]
    await asyncio.wait_for(asyncio.gather(*(r.hello.wait() for r in receivers)), 60)
    latencies: list[float] = []
    async with httpx.AsyncClient(
        base_url=server.api_url, headers=server.auth(tokens[0]), trust_env=False
    ) as client:
        booking_id = await _shared_booking(client, server.user(customer)["id"])
        for index in range(changes):
            seq = await _cursor(client) + 1  # nothing else writes meanwhile
            progress.expect(seq)
            booking = await _patch(client, booking_id, f"fan-out {index}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(progress.done.wait(), 30)
            committed = _updated_at(booking)
            latencies += [(r.seen[seq] - committed) * 1000 for r in receivers if seq in r.seen]
            await asyncio.sleep(0.1)
    for socket in sockets:
        await socket.close()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return latencies


async def _shared_booking(client: httpx.AsyncClient, customer_id: str) -> str:
    """An active booking of the master with this customer: both parties' sockets get its events."""
    bookings = (await client.get("/bookings")).json()["bookings"]
    return str(
        next(
            b["id"]
            for b in bookings
            if b["customer_id"] == customer_id and b["status"] in ("pending", "confirmed")
        )
    )


async def _cursor(client: httpx.AsyncClient) -> int:
    listing = (await client.get("/bookings?since=0")).json()
    return int(listing["cursor"])


async def naive_fanout(
    server: LiveServer, master: str, customer: str, clients: int, period: float = 3.0
) -> tuple[list[float], list[float]]:
    """(ms commit → the change seen, per client; ms per poll request) under N pollers."""
    tokens = [server.login(master), server.login(customer)]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    polls: list[float] = []
    seen_at: dict[int, float] = {}
    all_seen = asyncio.Event()
    marker = f"naive fan-out {random.random()}"

    async def poll(index: int, client: httpx.AsyncClient) -> None:
        await asyncio.sleep(random.random() * period)
        loop = asyncio.get_running_loop()
        next_at = loop.time()
        while True:
            started = time.time()
            response = await client.get("/bookings")
            ended = time.time()
            polls.append((ended - started) * 1000)
            if index not in seen_at and marker.encode() in response.content:
                seen_at[index] = ended
                if len(seen_at) == clients:
                    all_seen.set()
            next_at += period
            await asyncio.sleep(max(0.0, next_at - loop.time()))

    clients_by_token = [
        httpx.AsyncClient(
            base_url=server.api_url,
            headers=server.auth(tokens[i % 2]),
            limits=limits,
            trust_env=False,
            timeout=60,
        )
        for i in range(clients)
    ]
    tasks = [asyncio.ensure_future(poll(i, c)) for i, c in enumerate(clients_by_token)]
    await asyncio.sleep(period * 1.5)  # every poller in its rhythm
    async with httpx.AsyncClient(
        base_url=server.api_url, headers=server.auth(tokens[0]), trust_env=False
    ) as writer:
        booking_id = await _shared_booking(writer, server.user(customer)["id"])
        booking = await _patch(writer, booking_id, marker)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(all_seen.wait(), period * 5)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for client in clients_by_token:
        await client.aclose()
    committed = _updated_at(booking)
    return [(t - committed) * 1000 for t in seen_at.values()], polls
