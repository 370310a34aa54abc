"""The client predicts the server: for any bookings, user and intent, `predict` gives exactly the
booking the reference server makes, or the refusal code it answers. Same inputs, same commands."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking_core import (
    ACTIVE_STATUSES,
    TRANSITION_ACTIONS,
    Action,
    Booking,
    BookingCreate,
    BookingPatch,
    Refused,
    Status,
    UserPublic,
)
from desktop_app.sync import (
    Create,
    IntentMade,
    Reschedule,
    Started,
    SyncEngine,
    TimerFired,
    Transition,
)
from desktop_app.sync.visible import clashes, predict
from desktop_app.sync.wire import mutation_headers, mutation_request
from tests.desktop.sync.harness import CUSTOMER, MASTER, T0, booking
from tests.desktop.sync.reference_server import ReferenceServer

OTHER_CUSTOMER = UserPublic(id="c2", username="dora", role="customer", display_name="Dora")
HOURS = st.integers(min_value=8, max_value=14)
ACTIVE = sorted(ACTIVE_STATUSES)
TRANSITIONS_SORTED = sorted(TRANSITION_ACTIONS)


@st.composite
def bookings(draw: st.DrawFn) -> list[Booking]:
    count = draw(st.integers(min_value=2, max_value=4))
    made = []
    for n in range(count):
        made.append(
            booking(
                f"b{n}",
                hour=draw(HOURS),
                status=draw(st.sampled_from([*ACTIVE, *ACTIVE, *Status])),
                customer_id=draw(st.sampled_from(["c1", "c1", "c2"])),
            )
        )
    return made


@st.composite
def intents(draw: st.DrawFn) -> Transition | Reschedule | Create:
    target = f"b{draw(st.integers(min_value=0, max_value=3))}"
    hour = draw(HOURS)
    starts = T0.replace(hour=hour, minute=draw(st.sampled_from([0, 30])))
    kind = draw(st.sampled_from(["transition", "note", "times", "create"]))
    if kind == "transition":
        action = draw(st.sampled_from([*TRANSITIONS_SORTED, *TRANSITIONS_SORTED, *Action]))
        return Transition(target, action, draw(st.none() | st.just("r")))
    if kind == "note":
        return Reschedule(target, BookingPatch(note="n"))
    if kind == "times":
        return Reschedule(
            target, BookingPatch(starts_at=starts, ends_at=starts + timedelta(hours=1))
        )
    body = BookingCreate(
        master_id=draw(st.sampled_from(["m1", "m2"])),
        customer_id=draw(st.sampled_from([None, "c1", "c2"])),
        service="cut",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
    )
    return Create("client", body)


@given(
    seeded=bookings(),
    user=st.sampled_from([MASTER, MASTER, CUSTOMER, OTHER_CUSTOMER]),
    intent=intents(),
    minutes=st.integers(min_value=0, max_value=600),
)
def test_prediction_matches_the_reference_server(
    seeded: list[Booking], user: UserPublic, intent: Transition | Reschedule | Create, minutes: int
) -> None:
    now = T0 + timedelta(minutes=minutes)
    server = ReferenceServer()
    for seed in seeded:
        server.seed(seed, T0)
    mine = server.visible_to(user.id)
    target = intent.client_id if isinstance(intent, Create) else intent.booking_id
    predicted = predict(mine, target, intent, user, now=now, made_at=now)
    method, path, body = mutation_request(intent, target)
    base = mine.get(target)
    headers = mutation_headers(
        "k", None if base is None or isinstance(intent, Create) else base.version
    )
    answer = server.request(user, method, path, body, headers, now)
    if isinstance(predicted, Refused):
        assert isinstance(answer.body, dict)
        assert answer.body["code"] == predicted.code.value, (predicted, answer)
        return
    if answer.status == 409 and user.role == "customer":
        # A customer sees only their own bookings: a clash with someone else's is the one refusal
        # the client cannot foresee.
        assert clashes(server.bookings, predicted)
        assert not clashes(mine, predicted)
        return
    assert answer.status in (200, 201), (predicted, answer)
    made = Booking.model_validate(answer.body)
    assert made == predicted.model_copy(update={"id": made.id})


def run_script(seed: int) -> list[object]:
    engine = SyncEngine(
        MASTER, rng=random.Random(seed), new_id=iter(map(str, range(1000))).__next__
    )
    out: list[object] = list(engine.handle(Started(T0)))
    out += engine.handle(IntentMade(Transition("b1", Action.ACCEPT), T0))
    for step in range(1, 40):
        out += engine.handle(TimerFired(T0 + timedelta(seconds=7 * step)))
    return out


def test_same_inputs_same_commands() -> None:
    assert run_script(3) == run_script(3)
    assert run_script(3) != run_script(4)  # the seed drives the jitter, nothing else does
