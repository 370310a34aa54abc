"""The prev_seq extension: a seq jump over other users' events is no gap when the frame names the
socket's previous one; a missed frame still is; a server without prev_seq gets today's behaviour."""

from __future__ import annotations

from booking_core import Action, BookingPatch, BookingUpdated
from desktop_app.sync import SendRequest
from tests.desktop.sync.harness import World, booking, loaded, sent

FOREIGN = booking("f1", hour=15, master_id="m2", customer_id="c2")  # never visible to m1


def _interleaved(world: World, rounds: int) -> None:
    """Someone else's booking changes between every change of ours."""
    world.server.seed(FOREIGN, world.now)
    for n in range(rounds):
        world.act("m2", "f1", Action.UPDATE, BookingPatch(note=f"theirs {n}"))
        world.act("c1", "b1", Action.UPDATE, BookingPatch(note=f"ours {n}"))
        world.act("m2", "f1", Action.UPDATE, BookingPatch(note=f"theirs again {n}"))


def _deliver_all(world: World) -> list[SendRequest]:
    requests: list[SendRequest] = []
    while world.frames:
        requests += sent(world.deliver_frame())
    return requests


def test_foreign_events_between_ours_fetch_nothing() -> None:
    world = loaded()
    _interleaved(world, 20)
    seqs = [f.seq for f in world.frames if isinstance(f, BookingUpdated)]
    assert seqs[1] - seqs[0] == 3  # two of theirs between two of ours
    assert _deliver_all(world) == []
    assert world.engine.counters.gaps == 0
    assert world.engine.cursor == world.server.seq - 1  # the last of ours
    assert world.engine.visible["b1"].booking.note == "ours 19"


def test_without_prev_seq_every_jump_is_a_delta_fetch() -> None:
    world = World(prev_seq=False)
    world.server.seed(booking("b1"), world.now)
    world.start()
    world.settle()
    _interleaved(world, 3)
    requests = _deliver_all(world)
    assert [r.path for r in requests] == ["/api/v1/bookings?since=1"]  # one fetch in flight
    assert world.engine.counters.gaps == 3
    world.settle()
    assert world.engine.visible["b1"].booking.note == "ours 2"


def test_a_missed_frame_of_ours_is_still_a_gap() -> None:
    world = loaded()
    _interleaved(world, 2)
    world.frames.pop(0)  # ours, seq 3, lost
    commands = world.deliver_frame()
    assert [r.path for r in sent(commands)] == ["/api/v1/bookings?since=1"]
    assert world.engine.counters.gaps == 1
    world.settle()
    assert world.engine.visible["b1"].booking.note == "ours 1"
    assert world.engine.cursor == world.server.seq


def test_replay_and_live_stream_join_without_a_gap() -> None:
    world = loaded()
    world.drop_socket()
    _interleaved(world, 3)  # while down: replayed from `since`
    world.settle()  # reconnects with since=cursor, replays
    assert world.engine.counters.gaps == 0
    _interleaved_more = [("m2", "theirs"), ("c1", "ours")]
    for actor, note in _interleaved_more:
        target = "f1" if actor == "m2" else "b1"
        world.act(actor, target, Action.UPDATE, BookingPatch(note=note))
    assert _deliver_all(world) == []
    assert world.engine.counters.gaps == 0
    assert world.engine.visible["b1"].booking.note == "ours"


def test_after_resync_required_the_stream_starts_at_hello() -> None:
    world = loaded()
    world.drop_socket()
    world.server.seed(FOREIGN, world.now)
    world.server.expire_log()  # the reconnect's `since` is too old: resync_required
    world.settle()
    assert world.engine.counters.full_loads == 2
    world.act("m2", "f1", Action.UPDATE, BookingPatch(note="theirs"))
    world.act("c1", "b1", Action.UPDATE, BookingPatch(note="ours"))
    assert _deliver_all(world) == []
    assert world.engine.counters.gaps == 0
