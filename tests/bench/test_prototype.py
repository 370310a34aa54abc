"""The engine prototype the benchmarks measure as "after" shows exactly what the real engine shows:
the same visible rows (booking, pending, action) after the same events, intents and answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bench.client_path import MASTER, full_list_body
from bench.prototype import IncrementalEngine
from booking_core import (
    Action,
    BookingPatch,
    BookingUpdated,
    Hello,
    Role,
    UserPublic,
)
from desktop_app.sync import (
    EventReceived,
    IntentMade,
    ReplyReceived,
    Reschedule,
    SendRequest,
    SocketOpened,
    Started,
    SyncEngine,
    Transition,
)

NOW = datetime(2030, 1, 1, 8, tzinfo=UTC)


def _loaded(engine: SyncEngine, count: int) -> None:
    fetch = next(c for c in engine.handle(Started(NOW)) if isinstance(c, SendRequest))
    engine.handle(ReplyReceived(fetch.request_id, 200, {}, full_list_body(count), NOW))
    engine.handle(SocketOpened(NOW))
    engine.handle(EventReceived(Hello(cursor=count, server_time=NOW), NOW))


def _rows(engine: SyncEngine) -> dict[str, tuple[object, bool, object]]:
    return {k: (v.booking, v.pending, v.pending_action) for k, v in engine.visible.items()}


def test_prototype_shows_the_same_rows_as_the_engine() -> None:
    user = UserPublic(id=MASTER.id, username="master", role=Role.MASTER, display_name="Master")
    counter = iter(range(10**6))
    engines = [
        cls(user, new_id=lambda: f"id-{next(counter)}") for cls in (SyncEngine, IncrementalEngine)
    ]
    for engine in engines:
        _loaded(engine, 200)
    ids = sorted(engines[0].visible)[:12]
    sent: list[dict[str, str]] = [{}, {}]
    for step, booking_id in enumerate(ids):
        now = NOW + timedelta(seconds=step)
        for index, engine in enumerate(engines):
            current = engine.server[booking_id]
            event = BookingUpdated(
                seq=(engine.cursor or 0) + 1,
                action=Action.UPDATE,
                booking=current.model_copy(
                    update={"note": f"n{step}", "version": current.version + 1, "updated_at": now}
                ),
                changes={"note": f"n{step}"},
                actor=current.customer_id,
            )
            engine.handle(EventReceived(event, now))
            intent = (
                Transition(booking_id, Action.ACCEPT)
                if current.status == "pending"
                else Reschedule(booking_id, BookingPatch(note=f"mine {step}"))
            )
            for command in engine.handle(IntentMade(intent, now)):
                if isinstance(command, SendRequest):
                    sent[index][booking_id] = command.request_id
        assert _rows(engines[0]) == _rows(engines[1])
    for index, engine in enumerate(engines):  # the server confirms half of them
        for booking_id in ids[::2]:
            answer = engine.visible[booking_id].booking.model_dump(mode="json")
            request_id = sent[index][booking_id]
            engine.handle(ReplyReceived(request_id, 200, {}, answer, NOW + timedelta(minutes=1)))
    assert _rows(engines[0]) == _rows(engines[1])
    assert sum(row[1] for row in _rows(engines[1]).values()) == len(ids) - len(ids[::2])
