"""The engine against the reference server under random interleavings (hypothesis stateful).

The user makes changes while the other party changes the same bookings; requests and replies are
lost, duplicated, reordered and delayed; the socket drops, events repeat, the server forgets old
events; the app restarts with its persisted outbox. Every intent carries a unique marker (the
transition reason, the note, the service of a create) so the server can tell what it applied.

Invariants: after every step, no intent was applied twice and every intent that left the outbox
was applied, reported, or superseded by a later edit of the same booking; the rows the engine
keeps up to date incrementally equal a from-scratch `replay` of its server state and outbox, and
every row that differs from the previous step was reported in `RowsChanged` as what it is; once
quiet (everything delivered, time run out), nothing is pending and the visible state equals the
server's exactly.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from booking_core import TRANSITIONS, Action, BookingCreate, BookingPatch, BookingUpdated, Status
from desktop_app.sync import (
    Create,
    Intent,
    IntentMade,
    OutboxEntry,
    Reschedule,
    SyncConfig,
    SyncState,
    Transition,
)
from desktop_app.sync.visible import VisibleBooking, replay
from tests.desktop.sync.harness import CUSTOMER, MASTER, T0, World, booking

CONFIG = SyncConfig(
    request_timeout=timedelta(seconds=10),
    stale_after=timedelta(seconds=60),
    max_retries=3,
)
USER_ACTIONS = [Action.ACCEPT, Action.DECLINE, Action.CANCEL, Action.START, Action.COMPLETE]
OTHER_ACTIONS = [  # the customer, the master (on their phone, or the other party), the clock
    ("c1", Action.CANCEL),
    ("c1", Action.RESCHEDULE),
    ("c1", Action.UPDATE),
    ("m1", Action.ACCEPT),
    ("m1", Action.DECLINE),
    ("m1", Action.UPDATE),
    ("system", Action.START),
    ("system", Action.EXPIRE),
    ("system", Action.COMPLETE),
]
HOURS = st.integers(min_value=13, max_value=22)
INDEX = st.integers(min_value=0, max_value=20)


def marker_of(intent: Intent) -> str | None:
    match intent:
        case Transition(_, _, reason):
            return reason
        case Reschedule(_, patch):
            return patch.note
        case Create(_, body):
            return body.service


def body_marker(body: object) -> str | None:
    if not isinstance(body, dict):
        return None
    for name in ("service", "reason", "note"):
        if isinstance(body.get(name), str):
            return str(body[name])
    return None


class EngineAgainstServer(RuleBasedStateMachine):
    """The master's app; `CustomerAgainstServer` below runs the same world as the customer."""

    user = MASTER
    prev_seq = True  # the server sends prev_seq [extension]; the variants below without it
    catalog = False  # the master's catalog synced too: `test_catalog_against_reference.py`

    def __init__(self) -> None:
        super().__init__()
        self.world = World(
            user=self.user, config=CONFIG, prev_seq=self.prev_seq, catalog=self.catalog
        )
        server = self.world.server
        for n, (hour, status) in enumerate(
            [
                (9, Status.PENDING),
                (10, Status.CONFIRMED),
                (11, Status.PENDING),
                (12, Status.IN_PROGRESS),
                (13, Status.CANCELLED),
            ]
        ):
            server.seed(booking(f"b{n}", hour=hour, status=status), T0)
        server.seed(booking("x1", hour=15, customer_id="c2"), T0)
        server.seed(booking("other", hour=9, master_id="m2"), T0)  # never visible to m1
        self.world.start()
        self.counter = 0
        self.last_intent: Intent | None = None
        self.last_at = T0
        self.superseded: set[str] = set()
        self.in_outbox: set[str] = set()
        self.generation = 0
        self.versions: dict[str, int] = {}
        self.shown: dict[str, VisibleBooking] = {}  # the rows at the end of the last step
        self.shown_generation = 0
        self.rows_seen = 0

    @initialize(settled=st.booleans())
    def first_load(self, settled: bool) -> None:
        if settled:  # half the runs start from a loaded, connected engine
            self.world.settle()

    # --- helpers ---------------------------------------------------------------------------------

    def _marker(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def _pick(self, index: int) -> str | None:
        ids = sorted(self.world.engine.visible)
        return ids[index % len(ids)] if ids else None

    def _intent(self, intent: Intent) -> None:
        before = self._outbox_markers()
        rollbacks = len(self.world.rollbacks)
        self.world.feed(IntentMade(intent, self.world.now))
        self.last_intent, self.last_at = intent, self.world.now
        reported = {marker_of(r.intent) for r in self.world.rollbacks[rollbacks:] if r.intent}
        # Marker gone during an IntentMade without a report: merged into the newer edit.
        self.superseded |= before - self._outbox_markers() - reported - self._applied_markers()

    def _outbox_markers(self) -> set[str]:
        return {m for e in self.world.engine.outbox if (m := marker_of(e.intent)) is not None}

    def _applied_markers(self) -> set[str]:
        return {m for user, body in self.world.server.applied if (m := body_marker(body))}

    def _slot(self, hour: int, minute: int) -> tuple[object, object]:
        starts = T0.replace(hour=hour, minute=minute)
        return starts, starts + timedelta(minutes=30)

    # --- the user -----------------------------------------------------------------------------

    @rule(index=INDEX, action=st.sampled_from(USER_ACTIONS), sensible=st.booleans())
    def transition(self, index: int, action: Action, sensible: bool) -> None:
        booking_id = self._pick(index)
        if booking_id is None:
            return
        if sensible:  # half the time an action the status allows, as a real user would pick
            status = self.world.engine.visible[booking_id].booking.status
            allowed = [a for a in USER_ACTIONS if status in TRANSITIONS[a].sources]
            action = allowed[index % len(allowed)] if allowed else action
        self._intent(Transition(booking_id, action, self._marker("r")))

    @rule(index=INDEX)
    def edit_note(self, index: int) -> None:
        booking_id = self._pick(index)
        if booking_id is not None:
            self._intent(Reschedule(booking_id, BookingPatch(note=self._marker("n"))))

    @rule(index=INDEX, hour=HOURS, minute=st.sampled_from([0, 30]))
    def reschedule(self, index: int, hour: int, minute: int) -> None:
        booking_id = self._pick(index)
        if booking_id is not None:
            starts, ends = self._slot(hour, minute)
            patch = BookingPatch(starts_at=starts, ends_at=ends, note=self._marker("t"))
            self._intent(Reschedule(booking_id, patch))

    @rule(hour=HOURS, minute=st.sampled_from([0, 30]))
    def create(self, hour: int, minute: int) -> None:
        starts, ends = self._slot(hour, minute)
        service = self._marker("s")
        body = BookingCreate(
            master_id="m1", customer_id="c1", service=service, starts_at=starts, ends_at=ends
        )
        self._intent(Create(f"client-{service}", body))

    # Only right after the intent: later, the same marker would name a second, distinct intent.
    @precondition(lambda self: self.last_intent is not None and self.last_at == self.world.now)
    @rule()
    def double_click(self) -> None:
        assert self.last_intent is not None
        self._intent(self.last_intent)

    # --- the other party and the server clock ----------------------------------------------------

    @rule(index=INDEX, who_what=st.sampled_from(OTHER_ACTIONS), hour=HOURS)
    def other_party(self, index: int, who_what: tuple[str, Action], hour: int) -> None:
        ids = sorted(self.world.server.bookings)
        booking_id = ids[index % len(ids)]
        actor, action = who_what
        patch = None
        if action is Action.RESCHEDULE:
            starts, ends = self._slot(hour, 15)
            patch = BookingPatch(starts_at=starts, ends_at=ends)
        elif action is Action.UPDATE:
            patch = BookingPatch(note=f"from {actor} {self.counter}")
        self.world.server.act(actor, booking_id, action, self.world.now, patch)
        self.world.push_events()

    @rule(dice=st.integers(min_value=0, max_value=3))
    def server_forgets_old_events(self, dice: int) -> None:
        if dice == 0:
            self.world.server.expire_log()

    # --- the network -----------------------------------------------------------------------------

    @precondition(lambda self: self.world.requests)
    @rule(index=INDEX, answer=st.booleans())
    def deliver_request(self, index: int, answer: bool) -> None:
        self.world.deliver_request(index % len(self.world.requests), answer=answer)

    @precondition(lambda self: self.world.requests)
    @rule(index=INDEX, fail=st.booleans())
    def lose_request(self, index: int, fail: bool) -> None:
        self.world.lose_request(index % len(self.world.requests), fail=fail)

    @precondition(lambda self: self.world.requests)
    @rule(index=INDEX, status=st.sampled_from([429, 503]))
    def server_hiccup(self, index: int, status: int) -> None:
        self.world.hiccup(index % len(self.world.requests), status)

    @precondition(lambda self: self.world.replies)
    @rule(index=INDEX, keep=st.booleans())
    def deliver_reply(self, index: int, keep: bool) -> None:
        self.world.deliver_reply(index % len(self.world.replies), keep=keep)

    @precondition(lambda self: self.world.replies)
    @rule(index=INDEX)
    def reply_fails_in_transit(self, index: int) -> None:
        self.world.fail_reply(index % len(self.world.replies))

    @precondition(lambda self: self.world.socket == "opening")
    @rule(accept=st.booleans())
    def socket_attempt(self, accept: bool) -> None:
        if accept:
            self.world.connect()
        else:
            self.world.refuse_connect()

    @precondition(lambda self: self.world.frames)
    @rule()
    def deliver_frame(self) -> None:
        gaps = self.world.engine.counters.gaps
        self.world.deliver_frame()
        if self.prev_seq:
            # Frames of one socket are never lost here: with prev_seq, the other users' events
            # between ours (the seq jumps) must not pass for gaps, so they cause no delta fetch.
            assert self.world.engine.counters.gaps == gaps, "a seq jump taken for a gap"

    @precondition(lambda self: self._old_updates())
    @rule(index=INDEX)
    def repeat_old_frame(self, index: int) -> None:
        frames = self._old_updates()
        self.world.frames.insert(0, frames[index % len(frames)])
        self.world.deliver_frame()

    def _old_updates(self) -> list[BookingUpdated]:
        return [f for f in self.world.delivered_frames if isinstance(f, BookingUpdated)]

    @precondition(lambda self: self.world.socket == "open")
    @rule()
    def drop_socket(self) -> None:
        self.world.drop_socket()

    @rule(online=st.booleans())
    def network(self, online: bool) -> None:
        self.world.network(online)

    @rule(seconds=st.sampled_from([0.2, 1.0, 4.0, 15.0, 70.0]))
    def time_passes(self, seconds: float) -> None:
        self.world.advance(seconds)

    @rule()
    def next_wakeup(self) -> None:
        self.world.to_wakeup()

    @rule(dice=st.integers(min_value=0, max_value=5), cached=st.booleans())
    def restart(self, dice: int, cached: bool) -> None:
        if dice == 0:  # rarer than the other rules, or runs would be mostly fresh starts
            self.world.restart(cached=cached)
            self.last_intent = None  # the rows a double click would hit are not shown yet

    # --- invariants ------------------------------------------------------------------------------

    @invariant()
    def no_intent_applied_twice(self) -> None:
        applied = self.world.server.applied
        markers = [body_marker(body) for user, body in applied if user == self.user.id]
        named = [m for m in markers if m is not None]
        assert len(named) == len(set(named)), f"applied twice: {named}"

    @invariant()
    def no_intent_lost(self) -> None:
        now_in = self._outbox_markers()
        reported = {marker_of(r.intent) for r in self.world.rollbacks if r.intent}
        gone = self.in_outbox - now_in
        lost = gone - self._applied_markers() - reported - self.superseded
        assert not lost, f"left the outbox unapplied and unreported: {lost}"
        self.in_outbox = now_in

    @invariant()
    def server_state_never_goes_back(self) -> None:
        if self.world.generation != self.generation:
            self.generation, self.versions = self.world.generation, {}
        for booking_id, known in self.world.engine.server.items():
            assert known.version >= self.versions.get(booking_id, 0), f"{booking_id} went back"
            self.versions[booking_id] = known.version

    @invariant()
    def never_told_a_change_failed_when_it_was_made(self) -> None:
        applied = self._applied_markers()
        for rollback in self.world.rollbacks:
            if rollback.code != "not_confirmed" and rollback.intent is not None:
                assert marker_of(rollback.intent) not in applied, rollback

    @invariant()
    def incremental_rows_equal_a_full_replay(self) -> None:
        engine = self.world.engine
        expected = replay(engine.server, engine.outbox, self.user, engine.now)
        assert dict(engine.visible) == expected

    @invariant()
    def every_changed_row_was_reported(self) -> None:
        world = self.world
        if world.generation != self.shown_generation:  # a new engine starts with no rows
            self.shown, self.shown_generation = {}, world.generation
        reports = world.rows[self.rows_seen :]
        self.rows_seen = len(world.rows)
        now = dict(world.engine.visible)
        inserted = {i for r in reports for i in r.inserted}
        updated = {i for r in reports for i in r.updated}
        removed = {i for r in reports for i in r.removed}
        assert now.keys() - self.shown.keys() <= inserted | updated
        assert self.shown.keys() - now.keys() <= removed
        changed = {k for k in now.keys() & self.shown.keys() if now[k] != self.shown[k]}
        assert changed <= inserted | updated | removed
        self.shown = now

    @invariant()
    def persisted_outbox_is_the_engine_outbox(self) -> None:
        assert self.world.persisted == self.world.engine.outbox

    def teardown(self) -> None:
        world = self.world
        world.network(True)
        world.settle()
        self.no_intent_lost()
        engine = world.engine
        assert engine.outbox == (), "something stayed pending after quiet"
        shown = {bid: row.booking for bid, row in engine.visible.items()}
        assert shown == world.server.visible_to(self.user.id)
        assert not any(row.pending for row in engine.visible.values())
        assert engine.status.state is SyncState.SYNCHRONIZED, engine.status
        assert engine.status.pending == 0
        assert all(isinstance(e, OutboxEntry) for e in world.persisted)


# No parent given: the profile loaded by tests/conftest.py (dev or ci) supplies max_examples.
EngineAgainstServer.TestCase.settings = settings(
    stateful_step_count=100,
    suppress_health_check=[HealthCheck.too_slow],
)
TestEngineAgainstServer = EngineAgainstServer.TestCase


class CustomerAgainstServer(EngineAgainstServer):
    user = CUSTOMER


CustomerAgainstServer.TestCase.settings = settings(
    max_examples=max(10, settings().max_examples // 3),  # a third of the profile's
    stateful_step_count=100,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCustomerAgainstServer = CustomerAgainstServer.TestCase


class EngineAgainstOldServer(EngineAgainstServer):
    """A server without prev_seq: every seq jump is a possible gap, fetched (today's behaviour)."""

    prev_seq = False


class CustomerAgainstOldServer(CustomerAgainstServer):
    prev_seq = False


# The old-server variants run a third of the profile's examples each (time).
for _machine in (EngineAgainstOldServer, CustomerAgainstOldServer):
    _machine.TestCase.settings = CustomerAgainstServer.TestCase.settings
TestEngineAgainstOldServer = EngineAgainstOldServer.TestCase
TestCustomerAgainstOldServer = CustomerAgainstOldServer.TestCase
