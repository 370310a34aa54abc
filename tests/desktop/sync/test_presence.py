"""Presence both ways (issue 14 item 6): what this user views is announced again after every
reconnect (the server forgets it with the old socket), and who else views a booking is cleared
when our socket drops (nobody would tell us they left)."""

from __future__ import annotations

from collections.abc import Sequence

from booking_core import Presence, Viewer
from desktop_app.sync import AnnounceViewing, PresenceChanged, ViewingChanged
from tests.desktop.sync.harness import loaded


def announced(commands: Sequence[object]) -> list[str | None]:
    return [c.booking_id for c in commands if isinstance(c, AnnounceViewing)]


def test_viewing_is_announced_now_and_again_after_a_reconnect() -> None:
    world = loaded()
    assert announced(world.feed(ViewingChanged("b1", world.now))) == ["b1"]
    world.drop_socket()
    assert announced(world.feed(ViewingChanged("b1", world.now))) == []  # no socket to tell
    while world.socket != "opening":  # the engine reconnects when its delay is up
        world.to_wakeup()
    assert announced(world.connect()) == ["b1"]


def test_nothing_viewed_nothing_announced_on_reconnect() -> None:
    world = loaded()
    world.feed(ViewingChanged("b1", world.now))
    world.feed(ViewingChanged(None, world.now))
    world.drop_socket()
    while world.socket != "opening":
        world.to_wakeup()
    assert announced(world.connect()) == []


def test_other_viewers_are_cleared_when_our_socket_drops() -> None:
    world = loaded()
    carl = Viewer(id="c1", display_name="Carl")
    world.frames.append(Presence(booking_id="b1", viewers=[carl]))
    world.deliver_frame()
    assert world.engine.viewers("b1") == (carl,)
    commands = world.drop_socket()
    assert PresenceChanged("b1", ()) in commands
    assert world.engine.viewers("b1") == ()
