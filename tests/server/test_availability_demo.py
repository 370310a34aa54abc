"""Availability on fresh servers: the demo masters' hours and services, free slots across the
next spring and autumn daylight-saving changes of Europe/Berlin (anna) and America/New_York (ben),
and the per-address rate limit of the public reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.support.api import if_match
from tests.support.live_server import LiveServer

EVERY_DAY = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def test_demo_masters_have_services_and_hours_with_a_break_and_a_day_off(
    live_server: LiveServer,
) -> None:
    for name, zone in (("anna", "Europe/Berlin"), ("ben", "America/New_York")):
        client = live_server.client(live_server.login(name))
        master_id = live_server.user(name)["id"]
        schedule = client.get(f"/masters/{master_id}/schedule").json()
        assert schedule["time_zone"] == zone
        assert schedule["version"] == 1
        weekly = schedule["weekly"]
        assert len(weekly["mon"]) == 2  # a break between two intervals
        assert weekly["mon"][0][1] < weekly["mon"][1][0]
        assert not weekly.get("sun")  # a day off
        services = client.get(f"/masters/{master_id}/services").json()["services"]
        assert len(services) >= 3
        assert all(s["price_minor"] and s["currency"] for s in services)
        day = _next_weekday(0)  # a Monday: working, with free slots
        slots = httpx.get(
            f"{live_server.api_url}/masters/{master_id}/availability",
            params={"service": services[0]["id"], "from": day.isoformat(), "to": day.isoformat()},
        ).json()["slots"]
        assert slots
        local = [datetime.fromisoformat(s["starts_at"]).astimezone(ZoneInfo(zone)) for s in slots]
        assert all(t.date() == day for t in local)
    # A second start with --demo changes nothing.
    anna_id = live_server.user("anna")["id"]
    before = httpx.get(f"{live_server.api_url}/masters/{anna_id}/services").json()
    live_server.restart()
    assert httpx.get(f"{live_server.api_url}/masters/{anna_id}/services").json() == before


def _next_weekday(weekday: int) -> date:
    day = datetime.now(UTC).date() + timedelta(days=2)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def _changes(zone: str, count: int) -> list[date]:
    """The next `count` days (a week from now on) on which the zone's UTC offset changes."""
    tz = ZoneInfo(zone)
    day = datetime.now(UTC).date() + timedelta(days=7)
    found: list[date] = []

    def offset(d: date) -> timedelta | None:
        return datetime(d.year, d.month, d.day, 12, tzinfo=tz).utcoffset()

    while len(found) < count:
        if offset(day) != offset(day - timedelta(days=1)):
            found.append(day)
        day += timedelta(days=1)
    return found


def test_free_slots_keep_local_hours_across_both_dst_changes_in_two_zones(
    live_server: LiveServer,
) -> None:
    for name, zone in (("anna", "Europe/Berlin"), ("ben", "America/New_York")):
        client = live_server.client(live_server.login(name))
        master_id = live_server.user(name)["id"]
        current = client.get(f"/masters/{master_id}/schedule").json()
        body = {
            "time_zone": zone,
            "weekly": EVERY_DAY,
            "min_notice_minutes": 0,
            "horizon_days": 730,
            "slot_step_minutes": 60,
        }
        put = client.put(f"/masters/{master_id}/schedule", json=body, headers=if_match(current))
        assert put.status_code == 200, put.text
        service = client.post("/services", json={"name": "Hour", "duration_minutes": 60}).json()
        changes = _changes(zone, 2)  # the next spring and autumn changes, in some order
        offsets = set()
        for change in changes:
            first, last = change - timedelta(days=2), change + timedelta(days=2)
            answer = httpx.get(
                f"{live_server.api_url}/masters/{master_id}/availability",
                params={
                    "service": service["id"],
                    "from": first.isoformat(),
                    "to": last.isoformat(),
                },
            ).json()
            local = [
                datetime.fromisoformat(s["starts_at"]).astimezone(ZoneInfo(zone))
                for s in answer["slots"]
            ]
            # Every day 09:00 … 16:00 local, 8 slots a day, before and after the change, though
            # the demo bookings are long gone by then.
            assert [t.hour for t in local] == list(range(9, 17)) * 5, (zone, change)
            assert sorted({t.date() for t in local}) == [
                first + timedelta(days=i) for i in range(5)
            ]
            offsets |= {t.utcoffset() for t in local}
        assert len(offsets) == 2  # both offsets of the zone were crossed


def test_public_reads_are_rate_limited_per_address(
    live_server_factory: Callable[..., LiveServer],
) -> None:
    server = live_server_factory(
        env={"BOOKING_RATE_LIMIT_BURST": "3", "BOOKING_RATE_LIMIT_PER_SECOND": "0.001"}
    )
    answers: list[Any] = [httpx.get(f"{server.api_url}/masters") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["code"] == "rate_limited"
    assert int(answers[-1].headers["Retry-After"]) >= 1
