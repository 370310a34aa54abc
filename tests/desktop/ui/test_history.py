"""The history the window keeps: a first load of every row is kept as it came (no work per row
before the first paint) and reads exactly as if each row had been recorded one by one; who did
what comes from the server's event (someone else), the action we asked for (us), or is unknown (a
change learned from a fetch), never from comparing rows."""

from __future__ import annotations

import sys
from datetime import timedelta
from types import MappingProxyType

from pytestqt.qtbot import QtBot

from booking_core import SYSTEM_ACTOR, Action, Booking, Status, changes_between
from booking_core.history import HistoryEvent, HistoryList
from desktop_app.sync import RemoteChange, VisibleBooking
from desktop_app.ui.history import BookingHistory, describe_change
from desktop_app.ui.statuses import time_range

from .factories import NOW, booking


def _name(user_id: str) -> str:
    return {"u-anna": "Anna", "u-carl": "Carl"}.get(user_id, user_id)


def _history() -> BookingHistory:
    return BookingHistory(_name, lambda: "u-anna")


def _texts(history: BookingHistory, booking_id: str) -> list[str]:
    return [entry.text() for entry in history.entries(booking_id)]


def test_a_bulk_first_record_reads_like_one_by_one(qtbot: QtBot) -> None:
    loaded = {
        "new": VisibleBooking(booking("new"), False, None),  # created (version 1)
        "old": VisibleBooking(booking("old", version=3), False, None),  # a baseline only
        "mine": VisibleBooking(booking("mine"), True, Action.ACCEPT),  # pending: not history
    }
    bulk, one_by_one = _history(), _history()
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
    history = _history()
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
    fields = changes_between(before, after)
    assert (
        describe_change(Status.PENDING, after, fields) == "Pending → Declined, reason: fully booked"
    )
    cleared = after.model_copy(update={"status": Status.CANCELLED, "reason": None})
    fields = changes_between(after, cleared)
    assert describe_change(Status.DECLINED, cleared, fields) == "Declined → Cancelled"


def _remote(action: Action, before: Booking, **update: object) -> RemoteChange:
    """What the server's event says of a change by Carl (`changes` as the server computes it)."""
    after = before.model_copy(
        update={"version": before.version + 1, "updated_by": "u-carl", **update}
    )
    return RemoteChange(after.id, action, "u-carl", changes_between(before, after), after)


def test_someone_else_s_change_is_named_as_the_event_says_even_under_our_own() -> None:
    """Carl edits the note while our accept is on its way: his entry says just that, and ours
    (confirmed next) says only what we did. Comparing rows saw no confirmed row in between and
    put both into one entry of ours ("You: Pending → Confirmed, note changed")."""
    history = _history()
    loaded = booking("b")
    history.record(frozenset({"b"}), {"b": VisibleBooking(loaded, False, None)})
    accepting = loaded.model_copy(update={"status": Status.CONFIRMED})
    history.record(["b"], {"b": VisibleBooking(accepting, True, Action.ACCEPT)})
    note = _remote(Action.UPDATE, loaded, note="Running late")
    history.record_remote(note)
    history.record(["b"], {"b": VisibleBooking(accepting, True, Action.ACCEPT)})  # still ours
    confirmed = note.booking.model_copy(
        update={"status": Status.CONFIRMED, "version": 3, "updated_by": "u-anna"}
    )
    history.record(["b"], {"b": VisibleBooking(confirmed, False, None)})
    assert [text.split("  ", 1)[1] for text in _texts(history, "b")] == [
        "Anna: Pending → Confirmed",
        "Carl: note changed",
        "Anna: created as Pending",
    ]


def test_the_event_s_action_and_fields_decide_not_the_rows() -> None:
    """An event that names only the note is a note change, though its booking (a newer version
    than the one seen before it) differs in status too: what the server said is what it did."""
    history = _history()
    first = booking("b", version=2)
    history.record(["b"], {"b": VisibleBooking(first, False, None)})  # a baseline
    after = first.model_copy(
        update={"version": 3, "note": "Window seat", "status": Status.CONFIRMED}
    )
    history.record_remote(
        RemoteChange("b", Action.UPDATE, "u-carl", {"note": "Window seat", "version": 3}, after)
    )
    assert [text.split("  ", 1)[1] for text in _texts(history, "b")] == ["Carl: note changed"]


def test_a_change_learned_from_a_fetch_gives_the_new_status_and_no_actor() -> None:
    history = _history()
    first = booking("b", version=2)
    history.record(["b"], {"b": VisibleBooking(first, False, None)})
    fetched = first.model_copy(
        update={"version": 4, "status": Status.CANCELLED, "updated_by": "u-carl"}
    )
    history.record(["b"], {"b": VisibleBooking(fetched, False, None)})  # a delta, no event
    [entry] = history.entries("b")
    assert (entry.who, entry.what) == ("", "Cancelled")
    assert entry.text().endswith("  Cancelled")


def test_an_undone_change_of_ours_is_not_ours() -> None:
    """Our accept was refused because Carl cancelled first; the refusal brings his booking, which
    is no change of ours and is told like any other learned from the server's answer."""
    history = _history()
    first = booking("b", version=2)
    history.record(["b"], {"b": VisibleBooking(first, False, None)})
    accepting = first.model_copy(update={"status": Status.CONFIRMED})
    history.record(["b"], {"b": VisibleBooking(accepting, True, Action.ACCEPT)})
    current = first.model_copy(
        update={"version": 3, "status": Status.CANCELLED, "updated_by": "u-carl"}
    )
    history.record(["b"], {"b": VisibleBooking(current, False, None)})
    assert [(e.who, e.what) for e in history.entries("b")] == [("", "Cancelled")]


def _log(*steps: tuple[Action, str, Booking | None, Booking]) -> HistoryList:
    """The server's log of a booking: each step's action, actor and changes (as the server
    computes them from the booking before and after)."""
    return HistoryList(
        events=[
            HistoryEvent(
                seq=10 * n + 1,
                action=action,
                actor=actor,
                changes=changes_between(before, after),
                at=after.updated_at,
            )
            for n, (action, actor, before, after) in enumerate(steps)
        ]
    )


def test_the_server_log_comes_first_then_what_was_seen_after_it() -> None:
    """After a restart the window has seen nothing: the log tells what happened before, and a
    change seen since (newer than the log's last) follows it, never twice."""
    created = booking("b")
    accepted = created.model_copy(update={"status": Status.CONFIRMED, "version": 2})
    moved = accepted.model_copy(
        update={
            "starts_at": created.starts_at + timedelta(hours=2),
            "ends_at": created.ends_at + timedelta(hours=2),
            "status": Status.PENDING,
            "version": 3,
        }
    )
    history = _history()
    history.record(frozenset({"b"}), {"b": VisibleBooking(moved, False, None)})  # a load
    assert _texts(history, "b") == []  # no history of its own: loaded at version 3

    history.record_log(
        "b",
        _log(
            (Action.CREATE, "u-carl", None, created),
            (Action.ACCEPT, "u-anna", created, accepted),
            (Action.RESCHEDULE, "u-carl", accepted, moved),
        ),
    )
    cancel = _remote(Action.CANCEL, moved, status=Status.CANCELLED)
    history.record_remote(cancel)
    history.record_remote(cancel)  # a repeat: nothing new
    assert [text.split("  ", 1)[1] for text in _texts(history, "b")] == [
        "Carl: Pending → Cancelled",
        f"Carl: Confirmed → Pending, moved to {time_range(moved)}",
        "Anna: Pending → Confirmed",
        "Carl: created as Pending",
    ]

    # A newer fetch of the log that has the cancel too: shown once, from the log.
    history.record_log(
        "b",
        _log(
            (Action.CREATE, "u-carl", None, created),
            (Action.ACCEPT, "u-anna", created, accepted),
            (Action.RESCHEDULE, "u-carl", accepted, moved),
            (Action.CANCEL, "u-carl", moved, cancel.booking),
        ),
    )
    assert len(_texts(history, "b")) == 4


def test_a_log_without_its_creation_gives_the_first_change_s_new_state() -> None:
    """Events older than the server keeps are gone: the first one left cannot say what it
    changed from, so it says what it changed to; the ones after it say both."""
    accepted = booking("b", version=2, status=Status.CONFIRMED)
    started = accepted.model_copy(update={"status": Status.IN_PROGRESS, "version": 3})
    history = _history()
    history.record(frozenset({"b"}), {"b": VisibleBooking(started, False, None)})
    history.record_log(
        "b",
        HistoryList(
            events=[
                HistoryEvent(
                    seq=7,
                    action=Action.ACCEPT,
                    actor="u-anna",
                    changes={"status": "confirmed", "version": 2},
                    at=NOW,
                ),
                HistoryEvent(
                    seq=9,
                    action=Action.START,
                    actor=SYSTEM_ACTOR,
                    changes={"status": "in_progress", "version": 3},
                    at=NOW,
                ),
            ]
        ),
    )
    assert [text.split("  ", 1)[1] for text in _texts(history, "b")] == [
        "schedule: Confirmed → In progress",
        "Anna: Confirmed",
    ]
