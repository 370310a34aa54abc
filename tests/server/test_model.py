"""Random sequences of creates, transitions and PATCHes against the real server, checked after
every step against a small model written from docs/protocol.md (statuses, versions, overlaps)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tests.support.live_server import LiveServer

ACTIVE = {"pending", "confirmed", "in_progress"}
# action -> (from statuses, who may, to status)
TABLE = {
    "accept": ({"pending"}, {"master"}, "confirmed"),
    "decline": ({"pending"}, {"master"}, "declined"),
    "cancel": ({"pending", "confirmed"}, {"master", "customer"}, "cancelled"),
    "start": ({"confirmed"}, {"master"}, "in_progress"),
    "complete": ({"in_progress"}, {"master"}, "completed"),
}
USERS = ["anna", "ben", "carl", "dora"]
_days = itertools.count(1)
# Each run books on its own day, far ahead, so runs never clash and the clock never acts.
_FIRST_DAY = (datetime.now(UTC) + timedelta(days=400)).replace(
    hour=8, minute=0, second=0, microsecond=0
)


@dataclass
class Known:
    booking: dict[str, Any]
    start: datetime
    end: datetime


class Clients:
    server: LiveServer | None = None
    clients: dict[str, httpx.Client] = {}
    ids: dict[str, str] = {}

    @classmethod
    def connect(cls, server: LiveServer) -> None:
        if cls.server is server:
            return
        cls.server = server
        cls.clients = {name: server.client(server.login(name)) for name in USERS}
        cls.ids = {name: server.user(name)["id"] for name in USERS}


class BookingMachine(RuleBasedStateMachine):
    @initialize()
    def new_day(self) -> None:
        self.day = _FIRST_DAY + timedelta(days=next(_days))
        self.known: list[Known] = []

    def _party(self, booking: dict[str, Any], user: str) -> str:
        user_id = Clients.ids[user]
        if user_id == booking["master_id"]:
            return "master"
        if user_id == booking["customer_id"]:
            return "customer"
        return "stranger"

    def _clashes(self, master_id: str, start: datetime, end: datetime, skip: str | None) -> bool:
        return any(
            k.booking["master_id"] == master_id
            and k.booking["status"] in ACTIVE
            and k.booking["id"] != skip
            and k.start < end
            and start < k.end
            for k in self.known
        )

    def _times(self, slot: int, hours: int) -> tuple[datetime, datetime]:
        start = self.day + timedelta(minutes=30 * slot)
        return start, start + timedelta(minutes=30 * hours)

    @rule(
        customer=st.sampled_from(["carl", "dora"]),
        master=st.sampled_from(["anna", "ben"]),
        slot=st.integers(0, 5),
        length=st.integers(1, 3),
        by_master=st.booleans(),
    )
    def create(self, customer: str, master: str, slot: int, length: int, by_master: bool) -> None:
        start, end = self._times(slot, length)
        body = {
            "master_id": Clients.ids[master],
            "customer_id": Clients.ids[customer],
            "service": "Model",
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
        }
        response = Clients.clients[master if by_master else customer].post("/bookings", json=body)
        if self._clashes(Clients.ids[master], start, end, None):
            assert response.status_code == 409, response.text
            assert response.json()["code"] == "slot_taken"
            return
        assert response.status_code == 201, response.text
        self.known.append(Known(response.json(), start, end))

    @rule(data=st.data(), action=st.sampled_from(sorted(TABLE)), user=st.sampled_from(USERS))
    def transition(self, data: st.DataObject, action: str, user: str) -> None:
        if not self.known:
            return
        known = data.draw(st.sampled_from(self.known))
        booking = known.booking
        response = Clients.clients[user].post(
            f"/bookings/{booking['id']}/transitions",
            json={"action": action},
            headers={"If-Match": f'"{booking["version"]}"'},
        )
        sources, parties, target = TABLE[action]
        party = self._party(booking, user)
        if party == "stranger":
            assert response.status_code == 404
        elif party not in parties:
            assert response.status_code == 403
        elif booking["status"] not in sources:
            assert response.status_code == 409
        else:
            assert response.status_code == 200, response.text
            assert response.json()["status"] == target
            assert response.json()["version"] == booking["version"] + 1
            known.booking = response.json()

    @rule(
        data=st.data(),
        user=st.sampled_from(USERS),
        slot=st.integers(0, 5),
        length=st.integers(1, 3),
        stale=st.booleans(),
    )
    def reschedule(
        self, data: st.DataObject, user: str, slot: int, length: int, stale: bool
    ) -> None:
        if not self.known:
            return
        known = data.draw(st.sampled_from(self.known))
        booking = known.booking
        start, end = self._times(slot, length)
        version = booking["version"] - 1 if stale else booking["version"]
        response = Clients.clients[user].patch(
            f"/bookings/{booking['id']}",
            json={"starts_at": start.isoformat(), "ends_at": end.isoformat()},
            headers={"If-Match": f'"{version}"'},
        )
        party = self._party(booking, user)
        if party == "stranger":
            assert response.status_code == 404
        elif stale:
            assert response.status_code == 412
            assert response.json()["current"] == booking
        elif booking["status"] not in {"pending", "confirmed"}:
            assert response.status_code == 409
            assert response.json()["code"] == "invalid_transition"
        elif self._clashes(booking["master_id"], start, end, booking["id"]):
            assert response.status_code == 409
            assert response.json()["code"] == "slot_taken"
        else:
            assert response.status_code == 200, response.text
            assert response.json()["status"] == "pending"
            known.booking, known.start, known.end = response.json(), start, end

    @invariant()
    def server_agrees(self) -> None:
        if not getattr(self, "known", None):
            return
        for name in USERS:
            listed = Clients.clients[name].get("/bookings").json()["bookings"]
            mine = {b["id"]: b for b in listed}
            for known in self.known:
                visible = Clients.ids[name] in (
                    known.booking["master_id"],
                    known.booking["customer_id"],
                )
                assert (known.booking["id"] in mine) is visible
                if visible:
                    assert mine[known.booking["id"]] == known.booking
        for master in ("anna", "ben"):
            active = sorted(
                (k.start, k.end)
                for k in self.known
                if k.booking["master_id"] == Clients.ids[master] and k.booking["status"] in ACTIVE
            )
            for (_, end), (start, _) in itertools.pairwise(active):
                assert end <= start, "a master holds overlapping active bookings"


@pytest.fixture(scope="module")
def model_server(shared_server: LiveServer) -> LiveServer:
    Clients.connect(shared_server)
    return shared_server


def test_random_sequences_match_the_model(model_server: LiveServer) -> None:
    machine = BookingMachine.TestCase
    machine.settings = settings(
        max_examples=25,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    machine().runTest()
