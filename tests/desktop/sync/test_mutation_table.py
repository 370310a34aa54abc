"""The life of one change is a table (issue 14 item 1): every step moves along a row of
`TRANSITIONS`, any other is refused, and `sent` (what the outbox persists) follows the state."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking_core import Action
from desktop_app.sync.intents import Transition
from desktop_app.sync.mutations import (
    TRANSITIONS,
    IllegalStepError,
    Mutation,
    MutationState,
    Step,
)
from desktop_app.sync.outbox import OutboxEntry
from tests.desktop.sync.harness import T0

Q, F, W, H, D = (
    MutationState.QUEUED,
    MutationState.IN_FLIGHT,
    MutationState.WAITING_RETRY,
    MutationState.HELD_FOR_FETCH,
    MutationState.DONE,
)


def change() -> Mutation:
    return Mutation("k1", Transition("b1", Action.ACCEPT), "b1", T0)


def test_a_change_is_queued_sent_retried_and_confirmed() -> None:
    mutation = change()
    assert (mutation.state, mutation.sent) == (Q, False)
    mutation.sending("r1", T0, timedelta(seconds=15))
    assert (mutation.state, mutation.sent, mutation.request_id) == (F, True, "r1")
    assert mutation.first_sent_at == T0
    assert mutation.step(Step.FAILED) is W
    assert (mutation.sent, mutation.request_id, mutation.deadline) == (True, None, None)
    mutation.sending("r2", T0 + timedelta(seconds=1), timedelta(seconds=15))
    assert mutation.first_sent_at == T0  # the first attempt decides staleness
    assert mutation.step(Step.CONFIRMED) is D


def test_a_conflict_makes_a_new_unsent_change_or_waits_for_a_fetch() -> None:
    seen, unseen = change(), change()
    for mutation in (seen, unseen):
        mutation.sending("r1", T0, timedelta(seconds=15))
    seen.conflicting("k2", current_known=True)
    unseen.conflicting("k3", current_known=False)
    assert (seen.state, seen.key, seen.sent, seen.conflicted) == (Q, "k2", False, True)
    assert (unseen.state, unseen.key) == (H, "k3")
    assert unseen.step(Step.FETCHED) is Q


@pytest.mark.parametrize(
    ("state", "step"),
    [(s, step) for s in MutationState for step in Step if (s, step) not in TRANSITIONS],
)
def test_every_step_not_in_the_table_is_refused(state: MutationState, step: Step) -> None:
    mutation = change()
    mutation.state = state
    with pytest.raises(IllegalStepError):
        mutation.step(step)
    assert mutation.state is state


def test_done_is_final_and_a_sent_entry_restores_as_waiting_for_its_retry() -> None:
    assert not [step for (state, step) in TRANSITIONS if state is D]
    entry = OutboxEntry("k1", Transition("b1", Action.ACCEPT), "b1", T0, sent=True)
    restored = Mutation.restore(entry)
    assert (restored.state, restored.retry_at) == (W, None)
    assert restored.entry() == entry
