"""The slot index (issue 14 item 7) answers every overlap question exactly as a pass over all
bookings does, through any sequence of puts and removals."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking_core import Booking, Status
from booking_core.planning import clashes as clashes_any
from desktop_app.sync.slots import SlotIndex
from desktop_app.sync.visible import clashes
from tests.desktop.sync.harness import T0, booking

STATUSES = [Status.PENDING, Status.CONFIRMED, Status.CANCELLED, Status.COMPLETED]


@st.composite
def bookings(draw: st.DrawFn) -> Booking:
    start = T0 + timedelta(minutes=15 * draw(st.integers(0, 40)))
    length = timedelta(minutes=15 * draw(st.integers(1, 48)))  # up to 12 hours
    made = booking(
        f"b{draw(st.integers(0, 12))}",
        status=draw(st.sampled_from(STATUSES)),
        master_id=draw(st.sampled_from(["m1", "m2"])),
    )
    return made.model_copy(update={"starts_at": start, "ends_at": start + length})


@given(st.lists(st.tuples(st.booleans(), bookings()), max_size=40), bookings())
def test_the_index_agrees_with_a_full_pass(
    steps: list[tuple[bool, Booking]], probe: Booking
) -> None:
    index, state = SlotIndex(), {}
    for keep, made in steps:
        if keep:
            state[made.id] = made
            index.put(made)
        else:
            state.pop(made.id, None)
            index.remove(made.id)
    assert clashes(state, probe, index) == clashes_any(probe, state.values())
    rebuilt = SlotIndex()
    rebuilt.rebuild(state.values())
    assert clashes(state, probe, rebuilt) == clashes_any(probe, state.values())
