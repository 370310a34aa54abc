"""Every cell of the status table: status × action × party → the new status or the refusal code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from booking_core import (
    Action,
    Allowed,
    Booking,
    BookingPatch,
    ErrorCode,
    Party,
    Refused,
    Status,
    apply_change,
    decide,
    party_of,
)
from booking_core.state_machine import changes_between, due_action, overlaps, patch_action

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
S = Status
P = Party
A = Action

# The protocol table, written apart from TRANSITIONS: action -> (sources, target, parties)
EXPECTED: dict[Action, tuple[set[Status | None], Status | None, set[Party]]] = {
    A.CREATE: ({None}, S.PENDING, {P.MASTER, P.CUSTOMER}),
    A.ACCEPT: ({S.PENDING}, S.CONFIRMED, {P.MASTER}),
    A.DECLINE: ({S.PENDING}, S.DECLINED, {P.MASTER}),
    A.CANCEL: ({S.PENDING, S.CONFIRMED}, S.CANCELLED, {P.MASTER, P.CUSTOMER}),
    A.RESCHEDULE: ({S.PENDING, S.CONFIRMED}, S.PENDING, {P.MASTER, P.CUSTOMER}),
    A.UPDATE: ({S.PENDING, S.CONFIRMED, S.IN_PROGRESS}, None, {P.MASTER, P.CUSTOMER}),
    A.START: ({S.CONFIRMED}, S.IN_PROGRESS, {P.MASTER, P.SYSTEM}),
    A.NO_SHOW: ({S.CONFIRMED, S.IN_PROGRESS}, S.NO_SHOW, {P.MASTER}),
    A.COMPLETE: ({S.IN_PROGRESS}, S.COMPLETED, {P.MASTER, P.SYSTEM}),
    A.EXPIRE: ({S.PENDING}, S.EXPIRED, {P.SYSTEM}),
}
# Where the master's action leads elsewhere: a booking the master makes is confirmed at once.
MASTER_TARGET: dict[Action, Status] = {A.CREATE: S.CONFIRMED}
STATUSES: list[Status | None] = [None, *Status]
CELLS = [(a, s, p) for a in Action for s in STATUSES for p in Party]


@pytest.mark.parametrize(("action", "status", "party"), CELLS)
def test_every_cell_of_the_table(action: Action, status: Status | None, party: Party) -> None:
    sources, target, parties = EXPECTED[action]
    # no_show is only possible after the start: decide it at a time past starts_at here.
    decision = decide(action, status, party, now=T0 + timedelta(minutes=5), starts_at=T0)
    if party not in parties:
        assert isinstance(decision, Refused)
        assert decision.code is ErrorCode.FORBIDDEN
    elif status not in sources:
        assert isinstance(decision, Refused)
        assert decision.code is ErrorCode.INVALID_TRANSITION
    else:
        assert status is not None or target is not None
        if party is P.MASTER and action in MASTER_TARGET:
            target = MASTER_TARGET[action]
        assert decision == Allowed(target or status)  # type: ignore[arg-type]


def test_table_covers_every_action() -> None:
    assert set(EXPECTED) == set(Action)
    assert len(CELLS) == len(Action) * 9 * len(Party)


def test_forbidden_is_checked_before_the_status() -> None:
    decision = decide(A.ACCEPT, S.CANCELLED, P.CUSTOMER)
    assert isinstance(decision, Refused)
    assert decision.code is ErrorCode.FORBIDDEN


@pytest.mark.parametrize("status", [S.CONFIRMED, S.IN_PROGRESS])
def test_no_show_only_after_start(status: Status) -> None:
    before = decide(A.NO_SHOW, status, P.MASTER, now=T0 - timedelta(seconds=1), starts_at=T0)
    at = decide(A.NO_SHOW, status, P.MASTER, now=T0, starts_at=T0)
    assert isinstance(before, Refused)
    assert before.code is ErrorCode.INVALID_TRANSITION
    assert at == Allowed(S.NO_SHOW)


def _booking(status: Status = S.PENDING, **kw: object) -> Booking:
    fields: dict[str, object] = {
        "id": "b1",
        "master_id": "m1",
        "customer_id": "c1",
        "service": "Haircut",
        "starts_at": T0,
        "ends_at": T0 + timedelta(hours=1),
        "status": status,
        "version": 3,
        "updated_at": T0 - timedelta(days=1),
        "updated_by": "c1",
    }
    fields.update(kw)
    return Booking.model_validate(fields)


def test_party_of() -> None:
    booking = _booking()
    assert party_of(booking, "m1") is P.MASTER
    assert party_of(booking, "c1") is P.CUSTOMER
    assert party_of(booking, "system") is P.SYSTEM
    assert party_of(booking, "x") is P.STRANGER


def test_apply_change_bumps_version_and_sets_status() -> None:
    now = T0 - timedelta(hours=2)
    after = apply_change(_booking(), A.ACCEPT, actor="m1", now=now)
    assert (after.status, after.version, after.updated_by, after.updated_at) == (
        S.CONFIRMED,
        4,
        "m1",
        now,
    )
    assert changes_between(_booking(), after) == {
        "status": "confirmed",
        "version": 4,
        "updated_at": now.isoformat().replace("+00:00", "Z"),
        "updated_by": "m1",
    }


def test_reschedule_moves_times_and_returns_to_pending() -> None:
    patch = BookingPatch(starts_at=T0 + timedelta(hours=1), ends_at=T0 + timedelta(hours=2))
    assert patch_action(patch) is A.RESCHEDULE
    after = apply_change(_booking(S.CONFIRMED), A.RESCHEDULE, actor="c1", now=T0, patch=patch)
    assert (after.status, after.starts_at, after.version) == (S.PENDING, patch.starts_at, 4)


def test_note_update_keeps_status() -> None:
    patch = BookingPatch(note="bring the sheet music")
    assert patch_action(patch) is A.UPDATE
    after = apply_change(_booking(S.IN_PROGRESS), A.UPDATE, actor="m1", now=T0, patch=patch)
    assert (after.status, after.note) == (S.IN_PROGRESS, "bring the sheet music")


def test_a_transition_sets_the_reason_given_with_it() -> None:
    after = apply_change(_booking(), A.DECLINE, actor="m1", now=T0, reason="I am ill that day")
    assert (after.status, after.reason) == (S.DECLINED, "I am ill that day")
    assert changes_between(_booking(), after)["reason"] == "I am ill that day"
    assert "reason" in after.model_dump(mode="json")


@pytest.mark.parametrize("action", [A.ACCEPT, A.CANCEL, A.EXPIRE])
def test_a_transition_without_a_reason_clears_the_last_one(action: Action) -> None:
    before = _booking(reason="see the note")
    actor = "system" if action is A.EXPIRE else "m1"
    after = apply_change(before, action, actor=actor, now=T0)
    assert after.reason is None
    assert "reason" not in after.model_dump(mode="json")
    assert changes_between(before, after)["reason"] is None
    assert apply_change(before, action, actor=actor, now=T0, reason="").reason is None


def test_the_clock_clears_a_reason_given_on_accept() -> None:
    accepted = apply_change(_booking(), A.ACCEPT, actor="m1", now=T0, reason="see you")
    started = apply_change(accepted, A.START, actor="system", now=T0)
    assert (accepted.reason, started.reason) == ("see you", None)


@pytest.mark.parametrize(
    "patch",
    [
        BookingPatch(note="bring the sheet music"),
        BookingPatch(starts_at=T0 + timedelta(hours=1), ends_at=T0 + timedelta(hours=2)),
    ],
)
def test_a_patch_keeps_the_reason(patch: BookingPatch) -> None:
    before = _booking(S.CONFIRMED, reason="moved once already")
    after = apply_change(before, patch_action(patch), actor="c1", now=T0, patch=patch)
    assert after.reason == "moved once already"
    assert "reason" not in changes_between(before, after)


@pytest.mark.parametrize(
    ("status", "offset", "expected"),
    [
        (S.PENDING, timedelta(0), A.EXPIRE),
        (S.PENDING, -timedelta(seconds=1), None),
        (S.CONFIRMED, timedelta(0), A.START),
        (S.IN_PROGRESS, timedelta(minutes=30), None),
        (S.IN_PROGRESS, timedelta(hours=1), A.COMPLETE),
        (S.COMPLETED, timedelta(hours=5), None),
        (S.CANCELLED, timedelta(hours=5), None),
    ],
)
def test_due_action(status: Status, offset: timedelta, expected: Action | None) -> None:
    assert due_action(_booking(status), T0 + offset) is expected


def test_overlaps_is_half_open() -> None:
    h = timedelta(hours=1)
    assert overlaps(T0, T0 + h, T0 + h / 2, T0 + 2 * h)
    assert not overlaps(T0, T0 + h, T0 + h, T0 + 2 * h)
    assert overlaps(T0, T0 + 3 * h, T0 + h, T0 + 2 * h)
