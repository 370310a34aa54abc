"""Availability against the real server process: services, working hours, time off, the public
free slots, a customer's booking refused outside a free slot (`slot_unavailable`) and accepted
inside, 200 customers racing for the last free slot, `availability:updated` on sockets, and
customer contacts seen only by masters who have a booking with that customer.

Each test works on days of its own (`_day()`), weeks ahead, so tests sharing the module's server
never meet; the module sets anna's hours once: every day 09:00-17:00 UTC, no notice.
"""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.api import if_match
from tests.support.live_server import LiveServer
from tests.support.ws import Socket

EVERY_DAY = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
# Days far enough ahead that neither the demo bookings nor the other test modules' slots
# (tests.support.api.next_slot starts 30 days ahead, 13 h apart) are near: those are text-only
# bookings, but they are anna's bookings and block her free slots.
_FIRST_DAY = (datetime.now(UTC) + timedelta(days=400)).date()
_days = itertools.count()
_lock = threading.Lock()


def _day() -> date:
    with _lock:
        return _FIRST_DAY + timedelta(days=next(_days))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture(scope="module")
def server(shared_server: LiveServer) -> LiveServer:
    """The module's server, with anna's hours set (once) to every day 09:00-17:00 UTC."""
    anna = shared_server.client(shared_server.login("anna"))
    anna_id = shared_server.user("anna")["id"]
    current = anna.get(f"/masters/{anna_id}/schedule")
    assert current.status_code == 200, current.text
    body = {
        "time_zone": "UTC",
        "weekly": EVERY_DAY,
        "min_notice_minutes": 0,
        "horizon_days": 730,
        "slot_step_minutes": 15,
    }
    put = anna.put(f"/masters/{anna_id}/schedule", json=body, headers=if_match(current.json()))
    assert put.status_code == 200, put.text
    return shared_server


def _service(
    client: httpx.Client, minutes: int = 60, buffer: int = 0, **extra: Any
) -> dict[str, Any]:
    body = {"name": "Test cut", "duration_minutes": minutes, "buffer_after_minutes": buffer}
    response = client.post("/services", json=body | extra)
    assert response.status_code == 201, response.text
    service: dict[str, Any] = response.json()
    return service


def _book(
    client: httpx.Client, master_id: str, service_id: str, start: datetime, **extra: Any
) -> httpx.Response:
    body = {"master_id": master_id, "service_id": service_id, "starts_at": _iso(start)}
    return client.post("/bookings", json=body | extra)


def _slots(server: LiveServer, master_id: str, service_id: str, day: date) -> list[str]:
    response = httpx.get(
        f"{server.api_url}/masters/{master_id}/availability",
        params={"service": service_id, "from": day.isoformat(), "to": day.isoformat()},
    )
    assert response.status_code == 200, response.text
    return [slot["starts_at"] for slot in response.json()["slots"]]


def test_masters_and_services_are_public(server: LiveServer) -> None:
    public = httpx.Client(base_url=server.api_url)
    masters = public.get("/masters").json()["masters"]
    assert {m["username"] for m in masters} >= {"anna", "ben"}
    ben = public.get("/masters/ben").json()
    assert ben["time_zone"] == "America/New_York"  # the demo's hours
    assert public.get(f"/masters/{ben['id']}").json() == ben
    assert public.get("/masters/carl").status_code == 404  # a customer is no master
    services = public.get(f"/masters/{ben['id']}/services").json()["services"]
    assert {s["name"] for s in services} >= {"Maths tutoring"}
    assert all(s["active"] and s["currency"] == "USD" for s in services)
    spec = httpx.get(f"{server.base_url}/openapi.json").json()["paths"]
    assert {"/api/v1/masters/{master_id}/availability", "/api/v1/customers"} <= spec.keys()


def test_a_master_manages_services_with_versions(server: LiveServer) -> None:
    anna = server.client(server.login("anna"))
    anna_id = server.user("anna")["id"]
    made = _service(anna, 45, 15, price_minor=3500, currency="EUR")
    assert (made["version"], made["master_id"], made["price_minor"]) == (1, anna_id, 3500)
    assert anna.patch(f"/services/{made['id']}", json={"name": "x"}).status_code == 428
    stale = anna.patch(f"/services/{made['id']}", json={"name": "x"}, headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    archived = anna.patch(f"/services/{made['id']}", json={"active": False}, headers=if_match(made))
    assert archived.status_code == 200, archived.text
    assert (archived.json()["active"], archived.headers["etag"]) == (False, '"2"')
    public = httpx.get(f"{server.api_url}/masters/{anna_id}/services").json()["services"]
    assert made["id"] not in {s["id"] for s in public}
    own = anna.get(f"/masters/{anna_id}/services", params={"include_archived": "true"}).json()
    assert made["id"] in {s["id"] for s in own["services"]}
    # Another master may not touch it, a customer may not offer services, bad input is a 422.
    ben = server.client(server.login("ben"))
    carl = server.client(server.login("carl"))
    refused = ben.patch(
        f"/services/{made['id']}", json={"name": "x"}, headers=if_match(archived.json())
    )
    assert refused.status_code == 404  # archived: not even visible to others
    assert carl.post("/services", json={"name": "x", "duration_minutes": 30}).status_code == 403
    half_price = {"name": "x", "duration_minutes": 30, "price_minor": 100}
    assert anna.post("/services", json=half_price).status_code == 422
    assert httpx.post(f"{server.api_url}/services", json=half_price).status_code == 401


def test_schedule_is_the_masters_own_and_validated(server: LiveServer) -> None:
    anna_id = server.user("anna")["id"]
    anna = server.client(server.login("anna"))
    carl = server.client(server.login("carl"))
    assert carl.get(f"/masters/{anna_id}/schedule").status_code == 403
    current = anna.get(f"/masters/{anna_id}/schedule")
    assert current.json()["weekly"]["mon"] == [["09:00", "17:00"]]
    bad = {"time_zone": "Mars/Olympus", "weekly": {}}
    assert (
        anna.put(
            f"/masters/{anna_id}/schedule", json=bad, headers=if_match(current.json())
        ).status_code
        == 422
    )
    overlapping = {"time_zone": "UTC", "weekly": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}}
    assert (
        anna.put(
            f"/masters/{anna_id}/schedule", json=overlapping, headers=if_match(current.json())
        ).status_code
        == 422
    )
    assert anna.put(f"/masters/{anna_id}/schedule", json=bad).status_code == 422
    same = {k: v for k, v in current.json().items() if k != "version"}
    assert anna.put(f"/masters/{anna_id}/schedule", json=same).status_code == 428
    stale = anna.put(f"/masters/{anna_id}/schedule", json=same, headers={"If-Match": '"0"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "version_conflict"


def test_free_slots_leave_out_time_off_and_bookings_with_buffers(server: LiveServer) -> None:
    anna_id = server.user("anna")["id"]
    anna = server.client(server.login("anna"))
    carl = server.client(server.login("carl"))
    service = _service(anna, 60, 30)
    day = _day()
    starts = _slots(server, anna_id, service["id"], day)
    assert starts[0] == _iso(_at(day, 9))
    assert starts[-1] == _iso(_at(day, 16))
    assert len(starts) == 29  # 09:00 … 16:00 every 15 minutes
    off = anna.post(
        f"/masters/{anna_id}/time-off",
        json={"starts_at": _iso(_at(day, 12)), "ends_at": _iso(_at(day, 14)), "note": "Dentist"},
    )
    assert off.status_code == 201, off.text
    booked = _book(carl, anna_id, service["id"], _at(day, 9))
    assert booked.status_code == 201, booked.text
    after = _slots(server, anna_id, service["id"], day)
    assert _iso(_at(day, 10, 15)) not in after  # 10:00 + 30 min buffer of the booking before
    assert _iso(_at(day, 10, 30)) in after
    assert _iso(_at(day, 11, 15)) not in after  # runs into the time off at 12:00
    assert _iso(_at(day, 13)) not in after
    assert _iso(_at(day, 14)) in after
    listed = anna.get(f"/masters/{anna_id}/time-off").json()["time_off"]
    assert off.json() in listed
    # Time off is the master's own: others may neither see nor remove it.
    ben = server.client(server.login("ben"))
    assert carl.get(f"/masters/{anna_id}/time-off").status_code == 403
    assert (
        ben.post(
            f"/masters/{anna_id}/time-off",
            json={"starts_at": _iso(_at(day, 9)), "ends_at": _iso(_at(day, 10))},
        ).status_code
        == 403
    )
    assert ben.delete(f"/time-off/{off.json()['id']}").status_code == 404
    assert anna.get("/masters/nobody/time-off").status_code == 404
    backwards = {"starts_at": _iso(_at(day, 10)), "ends_at": _iso(_at(day, 9))}
    assert anna.post(f"/masters/{anna_id}/time-off", json=backwards).status_code == 422
    assert anna.delete(f"/time-off/{off.json()['id']}").status_code == 204
    assert _iso(_at(day, 13)) in _slots(server, anna_id, service["id"], day)
    assert anna.delete(f"/time-off/{off.json()['id']}").status_code == 404


def test_availability_query_is_checked(server: LiveServer) -> None:
    anna_id = server.user("anna")["id"]
    anna = server.client(server.login("anna"))
    service = _service(anna, 30)
    url = f"{server.api_url}/masters/{anna_id}/availability"
    day = _day()
    too_long = {
        "service": service["id"],
        "from": day.isoformat(),
        "to": (day + timedelta(days=31)).isoformat(),
    }
    assert httpx.get(url, params=too_long).status_code == 422
    backwards = {
        "service": service["id"],
        "from": day.isoformat(),
        "to": (day - timedelta(days=1)).isoformat(),
    }
    assert httpx.get(url, params=backwards).status_code == 422
    assert httpx.get(url, params={"service": "nope"}).status_code == 404
    assert httpx.get(url).status_code == 422
    ok = httpx.get(url, params={"service": service["id"]})
    assert ok.status_code == 200
    assert ok.json()["time_zone"] == "UTC"


def test_a_customer_books_only_free_slots_a_master_anywhere(server: LiveServer) -> None:
    anna_id = server.user("anna")["id"]
    carl_id = server.user("carl")["id"]
    anna = server.client(server.login("anna"))
    carl = server.client(server.login("carl"))
    service = _service(anna, 45, 15, price_minor=4000, currency="EUR")
    day = _day()
    inside = _book(carl, anna_id, service["id"], _at(day, 10))
    assert inside.status_code == 201, inside.text
    booking = inside.json()
    assert booking["status"] == "pending"  # a customer's request
    assert (booking["service"], booking["service_id"], booking["price_minor"]) == (
        "Test cut",
        service["id"],
        4000,
    )
    assert booking["ends_at"] == _iso(_at(day, 10, 45))
    for start in (_at(day, 3), _at(day, 16, 30), _at(day, 10, 50), _at(day, 11, 7)):
        refused = _book(carl, anna_id, service["id"], start)
        assert refused.status_code == 409, (start, refused.text)
        assert refused.json()["code"] == "slot_unavailable"
    clash = _book(carl, anna_id, service["id"], _at(day, 10, 15))
    assert clash.json()["code"] == "slot_taken"
    # A master books outside hours, for a customer: confirmed at once.
    night = _book(anna, anna_id, service["id"], _at(day, 3), customer_id=carl_id)
    assert night.status_code == 201, night.text
    assert night.json()["status"] == "confirmed"
    # A customer's reschedule must land on a free slot; a master's may not.
    moved = carl.patch(
        f"/bookings/{booking['id']}",
        json={"starts_at": _iso(_at(day, 20)), "ends_at": _iso(_at(day, 20, 45))},
        headers=if_match(booking),
    )
    assert moved.status_code == 409
    assert moved.json()["code"] == "slot_unavailable"
    moved = carl.patch(
        f"/bookings/{booking['id']}",
        json={"starts_at": _iso(_at(day, 14)), "ends_at": _iso(_at(day, 14, 45))},
        headers=if_match(booking),
    )
    assert moved.status_code == 200, moved.text
    late = anna.patch(
        f"/bookings/{booking['id']}",
        json={"starts_at": _iso(_at(day, 21)), "ends_at": _iso(_at(day, 21, 45))},
        headers=if_match(moved.json()),
    )
    assert late.status_code == 200, late.text
    # An archived service cannot be booked; plain text bookings work as before.
    gone = anna.patch(
        f"/services/{service['id']}", json={"active": False}, headers=if_match(service)
    )
    assert gone.status_code == 200
    refused = _book(carl, anna_id, service["id"], _at(day, 15))
    assert refused.status_code == 422
    plain = carl.post(
        "/bookings",
        json={
            "master_id": anna_id,
            "service": "Chat",
            "starts_at": _iso(_at(day, 22)),
            "ends_at": _iso(_at(day, 22, 30)),
        },
    )
    assert plain.status_code == 201, plain.text
    assert "service_id" not in plain.json()


def test_the_last_free_slot_goes_to_exactly_one_of_200_customers(server: LiveServer) -> None:
    """Half ask for 10:00, half for 11:00: the two do not overlap, but a 10:00 booking's 30 minute
    buffer reaches past 11:00, so only the free-slot check in the writer's turn keeps it to one."""
    anna_id = server.user("anna")["id"]
    anna = server.client(server.login("anna"))
    service = _service(anna, 60, 30)
    day = _day()
    for start, end in (
        (_at(day, 0), _at(day, 10)),
        (_at(day, 12), _at(day + timedelta(days=1), 0)),
    ):
        off = anna.post(
            f"/masters/{anna_id}/time-off", json={"starts_at": _iso(start), "ends_at": _iso(end)}
        )
        assert off.status_code == 201
    free = [_iso(_at(day, 10, minute)) for minute in (0, 15, 30, 45)] + [_iso(_at(day, 11))]
    assert _slots(server, anna_id, service["id"], day) == free
    tokens = [server.login(name) for name in ("carl", "dora")]

    async def race() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
        async with httpx.AsyncClient(base_url=server.api_url, limits=limits, timeout=60) as client:

            async def attempt(index: int) -> httpx.Response:
                start = _at(day, 10 + index % 2)
                return await client.post(
                    "/bookings",
                    json={
                        "master_id": anna_id,
                        "service_id": service["id"],
                        "starts_at": _iso(start),
                    },
                    headers={"Authorization": f"Bearer {tokens[index // 2 % 2]}"},
                )

            return await asyncio.gather(*(attempt(i) for i in range(200)))

    responses = asyncio.run(race())
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == 199
    assert {r.json()["code"] for r in responses if r.status_code == 409} <= {
        "slot_taken",
        "slot_unavailable",
    }
    assert _slots(server, anna_id, service["id"], day) == []


@pytest.mark.asyncio
async def test_sockets_hear_availability_updates(server: LiveServer) -> None:
    anna_id = server.user("anna")["id"]
    anna = server.client(server.login("anna"))
    dora = server.client(server.login("dora"))
    service = _service(anna, 30)
    carl_socket = await Socket.open(server.ws_url_for(server.login("carl")))
    anna_socket = await Socket.open(server.ws_url_for(server.login("anna")))
    try:
        for socket in (carl_socket, anna_socket):
            assert (await socket.receive())["type"] == "hello"
        await carl_socket.send({"type": "watch_availability", "master_id": "nobody"})
        assert (await carl_socket.receive())["code"] == "not_found"
        await carl_socket.send({"type": "watch_availability", "master_id": anna_id})
        day = _day()
        # The watch is registered once the socket answered a later frame: ask for a booking
        # that does not exist and wait for that answer.
        await carl_socket.send({"type": "viewing", "booking_id": "none"})
        assert (await carl_socket.receive())["code"] == "not_found"
        await asyncio.to_thread(
            anna.post,
            f"/masters/{anna_id}/time-off",
            json={"starts_at": _iso(_at(day, 9)), "ends_at": _iso(_at(day, 10))},
        )
        expected = {"type": "availability:updated", "master_id": anna_id}
        assert await carl_socket.receive_type("availability:updated") == expected
        assert await anna_socket.receive_type("availability:updated") == expected
        # A booking of anna's changes her free slots: watchers hear it too.
        booked = await asyncio.to_thread(_book, dora, anna_id, service["id"], _at(day, 11))
        assert booked.status_code == 201, booked.text
        assert await carl_socket.receive_type("availability:updated") == expected
        await carl_socket.send({"type": "watch_availability", "master_id": None})
    finally:
        await carl_socket.close()
        await anna_socket.close()


def _add_customer(server: LiveServer, username: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "booking_server",
            "add-user",
            "--role",
            "customer",
            "--username",
            username,
            "--display-name",
            username.title(),
            "--database-url",
            server.database_url,
        ],
        input="secret-pw\n",
        text=True,
        check=True,
        capture_output=True,
    )


def test_contacts_are_seen_only_by_masters_with_a_booking(server: LiveServer) -> None:
    username = f"erik{_day().toordinal()}"
    _add_customer(server, username)
    erik = server.client(server.login(username, "secret-pw"))
    assert erik.put("/users/me/contact", json={"phone": "12", "email": None}).status_code == 422
    assert erik.put("/users/me/contact", json={"email": "not an email"}).status_code == 422
    saved = erik.put(
        "/users/me/contact", json={"phone": "+49 30 1234567", "email": "Erik@Example.COM"}
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"phone": "+49 30 1234567", "email": "Erik@example.com"}
    assert erik.get("/users/me/contact").json() == saved.json()
    anna_id = server.user("anna")["id"]
    anna = server.client(server.login("anna"))
    ben = server.client(server.login("ben"))

    def found(client: httpx.Client, query: str) -> list[dict[str, Any]]:
        response = client.get("/customers", params={"q": query})
        assert response.status_code == 200, response.text
        return [c for c in response.json()["customers"] if c["username"] == username]

    [plain] = found(anna, username)
    assert {k: v for k, v in plain.items() if k != "id"} == {
        "username": username,
        "role": "customer",
        "display_name": username.title(),
        "has_booked": False,
    }
    assert found(anna, "1234567") == []  # no booking together: the phone finds nothing
    service = _service(anna, 30)
    assert _book(erik, anna_id, service["id"], _at(_day(), 9)).status_code == 201
    [entry] = found(anna, "1234567")
    assert (entry["phone"], entry["email"], entry["has_booked"]) == (
        "+49 30 1234567",
        "Erik@example.com",
        True,
    )
    [other] = found(ben, username.upper())
    assert "phone" not in other
    assert "email" not in other
    assert erik.get("/customers", params={"q": "a"}).status_code == 403
