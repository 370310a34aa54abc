"""tests/server/test_ws_prev_seq.py again, on PostgreSQL with the Redis bus (REST on one server
process, WebSockets on another), and the chain across the bus's gap filling: a process deaf to
Redis reads what it missed from the log, and its sockets' prev_seq chains stay exact."""

from __future__ import annotations

import itertools

from tests.server.postgres.test_scale_out import _create, deaf_pair
from tests.server.test_ws_prev_seq import *  # noqa: F403
from tests.server.test_ws_prev_seq import _assert_chain, _updates_until
from tests.support.services import ScaledServer
from tests.support.tcp_proxy import TcpProxy
from tests.support.ws import Socket

__all__ = ["deaf_pair"]


async def test_chain_is_exact_across_gap_filling(
    deaf_pair: tuple[ScaledServer, ScaledServer, TcpProxy],
) -> None:
    a, b, proxy = deaf_pair
    carl, dora = (a.login(name) for name in ("carl", "dora"))
    anna_id = a.user("anna")["id"]
    async with await Socket.open(b.ws_url_for(carl)) as on_b:
        hello = await on_b.receive_type("hello")
        await proxy.cut()  # B hears nothing: these come to it from the log, after the cut
        for _ in range(3):
            await _create(a, carl, anna_id)
            await _create(a, dora, anna_id)  # not carl's: a jump in carl's seqs
        proxy.restore()
        last = await _create(a, carl, anna_id)  # live again (or filled, whichever comes first)
        frames = await _updates_until(on_b, last["id"])
    assert len(frames) == 4
    _assert_chain(hello["cursor"], frames)
    seqs = [frame["seq"] for frame in frames]
    assert all(later - earlier > 1 for earlier, later in itertools.pairwise(seqs))
