"""Outbox entries survive a trip through JSON (the shell stores them); bad input fails clearly."""

from __future__ import annotations

import json

import pytest

from booking_core import Action, BookingCreate, BookingPatch
from desktop_app.sync import Create, OutboxEntry, OutboxFormatError, Reschedule, Transition
from tests.desktop.sync.harness import T0, booking


@pytest.mark.parametrize(
    "intent",
    [
        Transition("b1", Action.CANCEL, "ill"),
        Transition("b1", Action.ACCEPT),
        Reschedule("b1", BookingPatch(note="x")),
        Reschedule("b1", BookingPatch(starts_at=T0, ends_at=T0.replace(hour=9))),
        Create(
            "tmp",
            BookingCreate(
                master_id="m1",
                customer_id="c1",
                service="cut",
                starts_at=T0,
                ends_at=T0.replace(hour=9),
            ),
        ),
    ],
)
def test_round_trip_through_json(intent: Transition | Reschedule | Create) -> None:
    entry = OutboxEntry("key-1", intent, "b1", T0, booking("b1"), True, T0)
    text = json.dumps(entry.to_json())
    assert OutboxEntry.from_json(json.loads(text)) == entry


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"key": "k"},
        {"key": "k", "intent": {"kind": "teleport"}, "booking_id": "b", "made_at": T0.isoformat()},
        {
            "key": "k",
            "intent": {"kind": "transition", "booking_id": "b", "action": "fly"},
            "booking_id": "b",
            "made_at": T0.isoformat(),
        },
        {
            "key": "k",
            "intent": {"kind": "transition", "booking_id": "b", "action": "accept"},
            "booking_id": "b",
            "made_at": "2026-11-25T08:00:00",
        },
    ],
)
def test_unreadable_entries_raise_a_clear_error(data: object) -> None:
    with pytest.raises(OutboxFormatError, match="unreadable outbox entry"):
        OutboxEntry.from_json(data)
