"""A socket event's `changes` (issue 14 item 6): applied to our copy when the event's version is the
next one (partial sync), the event's whole booking taken otherwise; and what the server said about
someone else's change (action, actor, changes) is forwarded as `RemoteChange`."""

from __future__ import annotations

from booking_core import Action, BookingPatch, BookingUpdated
from desktop_app.sync import RemoteChange
from tests.desktop.sync.harness import booking, loaded


def event(seq: int, version: int, changes: dict[str, object], service: str) -> BookingUpdated:
    """An event whose whole booking differs from ours in `service`, which `changes` leaves out."""
    after = booking("b1", version=version).model_copy(update={"service": service, "note": "late"})
    return BookingUpdated(seq=seq, action=Action.UPDATE, booking=after, changes=changes, actor="c1")


def test_the_next_version_applies_the_changes_to_our_copy() -> None:
    world = loaded()
    ours = world.engine.server["b1"]
    assert ours.version == 1
    world.frames.append(event(2, 2, {"note": "late", "version": 2}, service="Not in changes"))
    world.deliver_frame()
    shown = world.engine.server["b1"]
    assert (shown.version, shown.note, shown.service) == (2, "late", ours.service)


def test_a_later_version_takes_the_whole_booking() -> None:
    world = loaded()
    world.frames.append(event(2, 3, {"note": "late", "version": 3}, service="From the event"))
    world.deliver_frame()
    shown = world.engine.server["b1"]
    assert (shown.version, shown.service) == (3, "From the event")


def test_changes_that_do_not_reach_the_version_fall_back_to_the_booking() -> None:
    world = loaded()
    world.frames.append(event(2, 2, {"note": "late"}, service="From the event"))
    world.deliver_frame()
    assert world.engine.server["b1"].service == "From the event"


def test_someone_else_s_change_is_forwarded_with_what_the_server_said() -> None:
    world = loaded()
    world.act("c1", "b1", Action.UPDATE, BookingPatch(note="late"))
    commands = world.deliver_frame()
    (change,) = [c for c in commands if isinstance(c, RemoteChange)]
    assert (change.booking_id, change.action, change.actor) == ("b1", Action.UPDATE, "c1")
    assert change.changes["note"] == "late"
    assert change.booking == world.engine.server["b1"]  # the server's booking after it
    assert change.booking.note == "late"


def test_our_own_change_coming_back_is_no_remote_change() -> None:
    world = loaded()
    world.act("m1", "b1", Action.ACCEPT)  # the same user, e.g. from another window
    assert not [c for c in world.deliver_frame() if isinstance(c, RemoteChange)]
