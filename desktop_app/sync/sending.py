"""Sending the user's changes and reading the server's answers to them.

The `Sender` drives each `Mutation` along the table in `mutations.py`: it picks the changes whose
turn it is, re-checks an unsent one against the newest server state, sends it, and turns each
answer (or its absence) into the step it means. It keeps no state of its own: the queue and the
engine's layer 1 hold it.
"""

from __future__ import annotations

from booking_core import Booking, Refused
from desktop_app.sync.commands import SendRequest
from desktop_app.sync.host import Host
from desktop_app.sync.intents import Create
from desktop_app.sync.mutations import (
    Mutation,
    MutationState,
    Step,
    given_up,
    retry_delay,
)
from desktop_app.sync.replies import Reply, Verdict
from desktop_app.sync.visible import predict
from desktop_app.sync.wire import booking_of, mutation_headers, mutation_request

NOT_CONFIRMED = "not_confirmed"


class Sender:
    def __init__(self, host: Host) -> None:
        self._host = host

    # --- out -------------------------------------------------------------------------------------

    def pump(self) -> None:
        """Send every change whose turn it is; a dropped one may let the next go."""
        progress = True
        while progress:
            progress = False
            for mutation in self._host.queue.heads():
                if self._try_send(mutation) == "dropped":
                    progress = True
                    break

    def _try_send(self, mutation: Mutation) -> str:
        host, queue = self._host, self._host.queue
        if mutation.state not in (MutationState.QUEUED, MutationState.WAITING_RETRY):
            return "waiting"
        intent = mutation.intent
        if (
            isinstance(intent, Create)
            and intent.body.service_id is not None
            and host.catalog_sync.creating(intent.body.service_id)
        ):
            return "waiting"  # booked on a service created here: it waits for the service's id
        # A change that takes a slot goes only after everything before it: one of those may free
        # the slot. Until then it is re-checked without the overlap test.
        in_turn = queue.in_turn(mutation)
        if mutation.state is MutationState.QUEUED and not isinstance(mutation.intent, Create):
            if not host.state.loaded:
                return "waiting"
            refusal = self._recheck(mutation, check_slots=in_turn)
            if refusal is not None:
                # After a 412, someone else's change is why it no longer applies: say so.
                self.drop(mutation, "version_conflict" if mutation.conflicted else refusal)
                return "dropped"
        if not in_turn or (mutation.retry_at is not None and mutation.retry_at > host.now):
            return "waiting"
        self._send(mutation)
        return "sent"

    def _recheck(self, mutation: Mutation, *, check_slots: bool) -> str | None:
        """Re-check an unsent change against the newest server state: a refusal code, or None."""
        host = self._host
        current = host.state.bookings.get(mutation.booking_id)
        if current is None:
            return "not_found"
        result = predict(
            host.state.bookings,
            mutation.booking_id,
            mutation.intent,
            host.user,
            now=host.now,
            made_at=mutation.made_at,
            check_slots=check_slots,
            slots=host.state.slots,
        )
        if isinstance(result, Refused):
            return result.code.value
        if mutation.overtaken(current):
            return "version_conflict"
        mutation.base = current
        return None

    def _send(self, mutation: Mutation) -> None:
        host = self._host
        method, path, body = mutation_request(mutation.intent, mutation.booking_id)
        base = None if isinstance(mutation.intent, Create) else mutation.base
        headers = mutation_headers(mutation.key, None if base is None else base.version)
        request_id = host.new_id()
        mutation.sending(request_id, host.now, host.config.request_timeout)
        host.out.append(SendRequest(request_id, method, path, body, headers))

    # --- back ------------------------------------------------------------------------------------

    def answered(self, request_id: str, reply: Reply, body: object | None) -> bool:
        """Apply an answer to a change's request; False if no change waits for it."""
        queue = self._host.queue
        mutation = queue.in_flight(request_id)
        if mutation is not None:
            self._apply(mutation, reply, body)
            return True
        # An answer after we gave up waiting: it is still the server's word on that key.
        mutation = queue.late(request_id)
        if mutation is None or reply.verdict is Verdict.RETRY:
            return False
        if mutation.state is MutationState.IN_FLIGHT:  # resent meanwhile: that answer is moot
            assert mutation.request_id is not None
            queue.expire(mutation.request_id, mutation)
        self._apply(mutation, reply, body)
        return True

    def _apply(self, mutation: Mutation, reply: Reply, body: object | None) -> None:
        host = self._host
        match reply.verdict:
            case Verdict.OK:
                self._confirm(mutation, booking_of(body))
            case Verdict.CONFLICT:
                self._conflict(mutation, reply.current)
            case Verdict.GONE:
                host.state.remove(mutation.booking_id)
                self.drop(mutation, reply.code)
            case Verdict.RETRY:
                mutation.step(Step.FAILED)
                self._retry_later(mutation, reply, counts=not reply.busy)
            case Verdict.SIGN_IN:
                host.sign_out("unauthenticated")
            case Verdict.REFUSED | Verdict.CURSOR_EXPIRED:
                if reply.current is not None:
                    host.state.merge(reply.current)
                host.fetcher.want_delta()  # our copy was stale, or the server would have agreed
                self.drop(mutation, reply.code)

    def _confirm(self, mutation: Mutation, booking: Booking | None) -> None:
        host = self._host
        host.queue.finish(mutation, Step.CONFIRMED)
        host.count(confirmed=1)
        host.last_synced_at = host.now
        if booking is None:
            host.fetcher.want_delta()  # a success without a readable booking: ask for it
            return
        host.state.merge(booking)
        if isinstance(mutation.intent, Create) and booking.id != mutation.booking_id:
            host.rename(mutation.booking_id, booking.id)
        # Our own change moved the version on: later changes of ours build on it, not on a conflict.
        host.queue.rebase(host.state.bookings[booking.id])

    def _conflict(self, mutation: Mutation, current: Booking | None) -> None:
        """412: the If-Match was stale, nothing changed. Re-check and resend as a new request."""
        host = self._host
        host.count(conflicts=1)
        host.queue.forget_late(mutation.key)
        mutation.conflicting(host.new_id(), current_known=current is not None)
        if current is not None:
            host.state.merge(current)
        else:
            host.fetcher.want_delta()

    def _retry_later(self, mutation: Mutation, reply: Reply | None, *, counts: bool) -> None:
        """Send again later; `counts`: the attempt failed while the server was reachable and not
        busy, so it counts towards max_retries (stale_after bounds the others)."""
        host = self._host
        mutation.attempts += 1
        mutation.failures += int(counts)
        host.count(retries=1)
        if given_up(mutation, host.config, host.now, host.last_contact):
            host.fetcher.want_delta()  # learn whether it happened after all
            self.drop(mutation, NOT_CONFIRMED)
            return
        after = reply.retry_after if reply is not None else None
        delay = (
            after if after is not None else retry_delay(host.config, mutation.attempts, host.rng)
        )
        mutation.retry_at = host.now + delay

    def drop(self, mutation: Mutation, code: str) -> None:
        host = self._host
        host.queue.finish(mutation, Step.DROPPED)
        host.count(rollbacks=1)
        host.report(mutation.booking_id, mutation.intent, code)
        if isinstance(mutation.intent, Create):
            # Changes made to a booking that was never created go with it, for the same reason.
            for later in host.queue.of(mutation.booking_id):
                self.drop(later, code)

    # --- no answer -------------------------------------------------------------------------------

    def failed(self, request_id: str) -> bool:
        """A change's request got no HTTP answer; False if it was no change's."""
        mutation = self._host.queue.in_flight(request_id)
        if mutation is None:
            return False
        self._expired(mutation)
        return True

    def expire(self) -> None:
        """Requests past their deadline count as failed (an answer may still come)."""
        for mutation in self._host.queue.overdue(self._host.now):
            self._expired(mutation)

    def _expired(self, mutation: Mutation) -> None:
        assert mutation.request_id is not None
        assert mutation.sent_at is not None
        sent_at = mutation.sent_at
        self._host.queue.expire(mutation.request_id, mutation)
        self._retry_later(mutation, None, counts=self._host.reachable_since(sent_at))
