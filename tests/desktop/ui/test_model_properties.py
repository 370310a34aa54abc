"""Any sequence of inserts, updates (moves included) and removals keeps the model equal to its
source, in start order, through minimal signals only - a reset only for a first load
(hypothesis drives the sequences)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking_core import Status
from desktop_app.sync import RowsChanged, VisibleBooking
from desktop_app.ui.bookings_model import BookingsTableModel, Role, ids_in_order

from .factories import NOW, booking

IDS = [f"b{n}" for n in range(8)]
STATUSES = list(Status)

change = st.tuples(
    st.sampled_from(["put", "delete"]),
    st.sampled_from(IDS),
    st.integers(min_value=0, max_value=12),  # start slot: ties on purpose (order by id then)
    st.sampled_from(STATUSES),
    st.booleans(),  # pending
)


def _row(booking_id: str, slot: int, status: Status, pending: bool) -> VisibleBooking:
    b = booking(booking_id, start=NOW + timedelta(minutes=30 * slot), status=status)
    return VisibleBooking(b, pending, None)


Change = tuple[str, str, int, Status, bool]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    initial=st.lists(change, max_size=6), steps=st.lists(st.lists(change, max_size=4), max_size=8)
)
def test_the_model_mirrors_its_source_through_any_changes(
    qapp: Any, qtmodeltester: Any, initial: list[Change], steps: list[list[Change]]
) -> None:
    source: dict[str, VisibleBooking] = {}
    for kind, bid, slot, status, pending in initial:
        if kind == "put":
            source[bid] = _row(bid, slot, status, pending)
    model = BookingsTableModel(lambda: source)
    qtmodeltester.check(model, force_py=True)  # keeps checking on every signal after this
    resets: list[None] = []
    model.modelReset.connect(lambda: resets.append(None))
    for batch in steps:
        before = dict(source)
        for kind, bid, slot, status, pending in batch:
            if kind == "put":
                source[bid] = _row(bid, slot, status, pending)
            else:
                source.pop(bid, None)
        rows = RowsChanged(
            frozenset(source.keys() - before.keys()),
            frozenset(k for k in source.keys() & before.keys() if source[k] != before[k]),
            frozenset(before.keys() - source.keys()),
        )
        bulk = model.is_bulk(rows)
        resets.clear()
        model.apply(rows)
        # Only a first load into an empty model resets here (batches are far below BULK_CHANGES).
        assert len(resets) == (1 if bulk else 0)
        assert bulk == (not before and len(rows.inserted) > 1)
        expected = sorted(source, key=lambda k: (source[k].booking.starts_at, k))
        assert list(ids_in_order(model)) == expected
        for row, bid in enumerate(expected):
            index = model.index(row, 0)
            assert index.data(Role.PENDING) is source[bid].pending
            assert index.data(Role.STATUS) == source[bid].booking.status
