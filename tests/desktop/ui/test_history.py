"""The history the window keeps: a first load of every row is kept as it came (no work per row
before the first paint) and reads exactly as if each row had been recorded one by one."""

from __future__ import annotations

import sys
from datetime import timedelta
from types import MappingProxyType

from pytestqt.qtbot import QtBot

from booking_core import Action, Status
from desktop_app.sync import VisibleBooking
from desktop_app.ui.history import BookingHistory, describe_change

from .factories import NOW, booking


def _name(user_id: str) -> str:
    return {"u-anna": "Anna", "u-carl": "Carl"}.get(user_id, user_id)


def _texts(history: BookingHistory, booking_id: str) -> list[str]:
    return [entry.text() for entry in history.entries(booking_id)]


def test_a_bulk_first_record_reads_like_one_by_one(qtbot: QtBot) -> None:
    loaded = {
        "new": VisibleBooking(booking("new"), False, None),  # created (version 1)
        "old": VisibleBooking(booking("old", version=3), False, None),  # a baseline only
        "mine": VisibleBooking(booking("mine"), True, Action.ACCEPT),  # pending: not history
    }
    bulk, one_by_one = BookingHistory(_name), BookingHistory(_name)
    bulk.record(frozenset(loaded), MappingProxyType(loaded))
    one_by_one.record(list(loaded), loaded)

    later = {
        "new": VisibleBooking(booking("new", version=2, status=Status.CONFIRMED), False, None),
        "old": VisibleBooking(booking("old", version=4, note="moved"), False, None),
        "mine": VisibleBooking(booking("mine", version=2, status=Status.CONFIRMED), False, None),
    }
    stale = {"old": VisibleBooking(booking("old", version=2), False, None)}
    for history in (bulk, one_by_one):
        history.record(["new", "old", "mine"], later)
        history.record(["old"], stale)  # older than known: ignored
    for booking_id in ("new", "old", "mine", "absent"):
        assert _texts(bulk, booking_id) == _texts(one_by_one, booking_id), booking_id
    assert len(_texts(bulk, "new")) == 2  # created, then confirmed
    assert len(_texts(bulk, "old")) == 1  # note changed (what came before the load is unknown)
    assert len(_texts(bulk, "mine")) == 0  # first confirmed at version 2: a baseline


def test_a_bulk_first_record_does_no_work_per_row(qtbot: QtBot) -> None:
    rows = {
        f"b{n}": VisibleBooking(booking(f"b{n}", start=NOW + timedelta(hours=n)), False, None)
        for n in range(2000)
    }
    history = BookingHistory(_name)
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(count)
    try:
        history.record(frozenset(rows), MappingProxyType(rows))
    finally:
        sys.setprofile(None)
    assert calls < 50  # not one (or more) per row
    assert len(_texts(history, "b1999")) == 1  # created as pending, read when asked


def test_a_change_with_a_reason_names_it() -> None:
    before = booking("r", version=1)
    after = before.model_copy(
        update={"status": Status.DECLINED, "version": 2, "reason": "fully booked"}
    )
    assert describe_change(before, after) == "Pending → Declined, reason: fully booked"
    cleared = after.model_copy(update={"status": Status.CANCELLED, "reason": None})
    assert describe_change(after, cleared) == "Declined → Cancelled"
