"""The sync status the user sees, derived from the engine's state, and when it is announced."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from booking_core import Action
from desktop_app.sync import IntentMade, SyncReason, SyncState, SyncStatusChanged, Transition
from tests.desktop.sync.harness import World, booking, loaded


def statuses(commands: Sequence[object]) -> list[SyncState]:
    return [c.status.state for c in commands if isinstance(c, SyncStatusChanged)]


def test_loading_then_synchronized_with_the_time_of_the_last_sync() -> None:
    world = World()
    world.server.seed(booking("b1"), world.now)
    assert statuses(world.start()) == [SyncState.UPDATING]
    assert world.engine.status.last_synced_at is None
    world.deliver_request()
    world.advance(0.5)
    world.deliver_reply()
    assert world.engine.status.state is SyncState.SYNCHRONIZED
    assert world.engine.status.last_synced_at == world.now


def test_pending_changes_show_as_updating_with_a_count() -> None:
    world = loaded()
    commands = world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    assert statuses(commands) == [SyncState.UPDATING]
    assert world.engine.status.pending == 1
    assert world.engine.status.reason is SyncReason.SAVING
    world.settle()
    assert world.engine.status.state is SyncState.SYNCHRONIZED
    assert world.engine.status.pending == 0


def test_offline_says_how_many_changes_wait() -> None:
    world = loaded()
    world.network(False)
    world.feed(IntentMade(Transition("b1", Action.ACCEPT), world.now))
    status = world.engine.status
    assert status.state is SyncState.OFFLINE
    assert (status.reason, status.pending) == (SyncReason.NO_NETWORK, 1)


def test_status_is_announced_only_when_it_changes() -> None:
    world = loaded()
    assert statuses(world.advance(1)) == []
    assert statuses(world.network(True)) == []
    assert statuses(world.network(False)) == [SyncState.OFFLINE]


def test_offline_start_from_the_cache_says_when_it_was_saved() -> None:
    world = World()
    world.server.seed(booking("b1"), world.now)
    saved = world.now - timedelta(hours=3)
    world.start(bookings=(booking("b1"),), cursor=1, synced_at=saved)
    world.lose_request(world.request_for("GET"))  # the catch-up finds no server
    world.deliver_reply()
    world.refuse_connect()
    status = world.engine.status
    assert status.state is SyncState.OFFLINE
    assert status.last_synced_at == saved  # "Last synced 07:42", not "Not synced yet"
    world.settle()  # back online: a fresh sync replaces the cache's time
    assert world.engine.status.state is SyncState.SYNCHRONIZED
    assert world.engine.status.last_synced_at == world.now


def test_a_cached_start_without_its_time_has_not_synced_yet() -> None:
    world = World()
    world.start(bookings=(booking("b1"),), cursor=1)
    assert world.engine.status.last_synced_at is None
