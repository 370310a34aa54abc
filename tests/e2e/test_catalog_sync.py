"""A master's catalog synced with a real server process (issue 18).

An offline edit of working hours syncs after reconnect ("Not done until"), on SQLite and on
PostgreSQL.

The master's app loads the catalog, loses the link, changes the weekly hours (shown at once,
pending), and quits while still offline. It starts again with no server in reach: the cached
catalog with the pending change shows at once. Once the link is back the change reaches the
server exactly once, on the version it was made on, and nothing is rolled back.

A customer's app that watches a master's availability hears of her changes, also after its
socket was cut and came back. And every kind of catalog edit meets the real server's answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from booking_core.availability import (
    ScheduleUpdate,
    ServiceCreate,
    ServicePatch,
    TimeOffCreate,
    WeeklySchedule,
)
from desktop_app.app import Session, open_session, resume_session
from desktop_app.net.api import ApiClient
from desktop_app.store.credentials import CredentialStore
from desktop_app.sync import SCHEDULE, SyncConfig, SyncState
from tests.e2e.conftest import until
from tests.e2e.proxy import FaultProxy
from tests.support.live_server import LiveServer
from tests.support.services import ScaledServer, fresh_database

CONFIG = SyncConfig(backoff_initial=timedelta(seconds=0.05), backoff_max=timedelta(seconds=0.3))
EARLY = ScheduleUpdate(
    time_zone="Europe/Berlin",
    weekly={"mon": [("07:00", "11:00"), ("12:00", "15:00")], "sat": [("08:00", "12:00")]},
    slot_step_minutes=30,
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    """The server process on SQLite, or on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        with LiveServer(tmp_path / "server") as live:
            yield live
        return
    with fresh_database() as url, ScaledServer(tmp_path / "server", url) as live:
        yield live


def _server_schedule(server: LiveServer, token: str, master_id: str) -> WeeklySchedule:
    answer = httpx.get(
        f"{server.api_url}/masters/{master_id}/schedule", headers=server.auth(token), timeout=60
    )
    assert answer.status_code == 200, answer.text
    return WeeklySchedule.model_validate(answer.json())


def _schedule_puts(proxy: FaultProxy, master_id: str) -> int:
    return proxy.count("PUT", f"/api/v1/masters/{master_id}/schedule")


def test_an_offline_edit_of_working_hours_syncs_after_reconnect(
    qt_loop: asyncio.AbstractEventLoop, backend: LiveServer, tmp_path: Path
) -> None:
    server = backend
    data_dir = tmp_path / "app"
    credentials = CredentialStore(tmp_path / "credentials")

    async def scenario() -> None:
        async with FaultProxy(server.base_url) as proxy:
            first: Session = await open_session(
                ApiClient(proxy.url),
                "demo",
                "anna",
                data_dir=data_dir,
                config=CONFIG,
                credentials=credentials,
                watch_network=False,
            )
            master_id = first.user.id
            token = server.login("anna")
            try:
                controller = first.controller
                await until(lambda: controller.catalog().loaded, what="the catalog loaded")
                before = controller.catalog().schedule
                assert before.weekly, "the demo master has working hours"
                assert before == _server_schedule(server, token, master_id)

                # The link goes: the edit shows at once and waits.
                await proxy.refuse_new()
                proxy.cut_all()
                controller.request_schedule(EARLY)
                shown = controller.catalog()
                assert shown.schedule.weekly == EARLY.weekly
                assert shown.pending == {SCHEDULE}
                await until(lambda: controller.status.state is SyncState.OFFLINE, what="offline")
                assert controller.status.pending == 1
            finally:
                await first.close()  # quits offline: the change stays in the outbox
            assert _server_schedule(server, token, master_id) == before
            assert _schedule_puts(proxy, master_id) == 0

            # Starts again with no server in reach: the cached catalog and the pending edit.
            remembered = credentials.load(proxy.url, "anna")
            assert remembered is not None
            second = resume_session(
                ApiClient(proxy.url),
                remembered,
                data_dir=data_dir,
                config=CONFIG,
                credentials=credentials,
                watch_network=False,
            )
            try:
                controller = second.controller
                shown = controller.catalog()
                assert shown.loaded
                assert shown.schedule.weekly == EARLY.weekly
                assert shown.pending == {SCHEDULE}
                assert shown.services, "the demo master's services, from the cache"

                await proxy.accept_new()
                await until(lambda: not controller.catalog().pending, what="the edit confirmed")
                after = _server_schedule(server, token, master_id)
                assert after.weekly == EARLY.weekly
                assert after.slot_step_minutes == 30
                assert after.version == before.version + 1  # applied once, on its version
                assert controller.catalog().schedule == after
                assert _schedule_puts(proxy, master_id) == 1
                await until(lambda: controller.status.state is SyncState.SYNCHRONIZED)
                assert controller.status.pending == 0
                assert not second.window.rollbacks.isVisible()
            finally:
                await second.close()

    qt_loop.run_until_complete(scenario())


def test_a_watched_master_s_changes_are_heard_again_after_a_reconnect(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    """A customer's app watches anna's availability (`watch_availability`): her changes come in
    as `availability_changed(anna)`, and still do after the socket was cut and came back (the
    app asks again on the new socket; the server forgot it with the old one)."""
    anna = server.login_response("anna")
    token, anna_id = anna["token"], anna["user"]["id"]
    heard: list[str] = []

    async def scenario() -> None:
        async with (
            FaultProxy(server.base_url) as proxy,
            httpx.AsyncClient(base_url=server.api_url, headers=server.auth(token)) as rest,
        ):
            carl = await open_session(
                ApiClient(proxy.url),
                "demo",
                "carl",
                data_dir=tmp_path / "app",
                config=CONFIG,
                credentials=CredentialStore(tmp_path / "credentials"),
                watch_network=False,
            )
            days = iter(range(1, 10_000))

            async def anna_changes_until_heard() -> None:
                """anna adds time off (again, every 0.2 s, in case the watch had not reached
                the server yet) until carl's app hears of it."""
                loop = asyncio.get_running_loop()
                next_change = 0.0
                async with asyncio.timeout(60):
                    while anna_id not in heard:
                        if loop.time() >= next_change:
                            starts = datetime.now(UTC) + timedelta(days=next(days))
                            body = {
                                "starts_at": starts.isoformat(),
                                "ends_at": (starts + timedelta(hours=1)).isoformat(),
                            }
                            answer = await rest.post(f"/masters/{anna_id}/time-off", json=body)
                            assert answer.status_code == 201, answer.text
                            next_change = loop.time() + 0.2
                        await asyncio.sleep(0.01)

            try:
                controller = carl.controller
                assert controller.catalog().loaded is False  # a customer has no catalog
                controller.availability_changed.connect(heard.append)
                await until(lambda: controller.socket_open, what="live")
                controller.watch_availability(anna_id)
                await anna_changes_until_heard()

                proxy.cut_all()  # the socket drops and reconnects
                await until(lambda: not controller.socket_open, what="the socket dropped")
                await until(lambda: controller.socket_open, what="the socket came back")
                heard.clear()
                await anna_changes_until_heard()
                assert set(heard) == {anna_id}
            finally:
                await carl.close()

    qt_loop.run_until_complete(scenario())


def test_catalog_edits_reach_the_real_server_and_a_refusal_names_its_field(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    """Every kind of catalog edit against the real server's answers (201 with the new id, 200,
    204), and a 422 that names `price_minor` rolled back in words."""
    token = server.login("anna")

    def server_services(master_id: str) -> dict[str, dict[str, object]]:
        answer = httpx.get(
            f"{server.api_url}/masters/{master_id}/services?include_archived=true",
            headers=server.auth(token),
            timeout=60,
        )
        return {s["name"]: s for s in answer.json()["services"]}

    def server_time_off(master_id: str) -> list[str]:
        answer = httpx.get(
            f"{server.api_url}/masters/{master_id}/time-off",
            headers=server.auth(token),
            timeout=60,
        )
        return [t["note"] for t in answer.json()["time_off"]]

    async def scenario() -> None:
        session = await open_session(
            ApiClient(server.base_url),
            "demo",
            "anna",
            data_dir=tmp_path / "app",
            config=CONFIG,
            credentials=CredentialStore(tmp_path / "credentials"),
            watch_network=False,
        )
        controller = session.controller
        master_id = session.user.id

        def settled() -> bool:
            return controller.catalog().loaded and not controller.catalog().pending

        try:
            await until(settled, what="the catalog loaded")
            controller.request_service_create(ServiceCreate(name="Hot towel", duration_minutes=30))
            assert controller.catalog().services[-1].name == "Hot towel"  # at once
            await until(settled, what="the new service confirmed")
            towel = controller.catalog().services[-1]
            assert not towel.id.startswith("local-")
            assert server_services(master_id)["Hot towel"]["id"] == towel.id

            controller.request_service_patch(towel.id, ServicePatch(active=False))
            await until(settled, what="archived")
            assert server_services(master_id)["Hot towel"]["active"] is False

            starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=40)
            off = TimeOffCreate(
                starts_at=starts, ends_at=starts + timedelta(hours=3), note="Dentist"
            )
            controller.request_time_off_add(off)
            await until(settled, what="time off confirmed")
            assert "Dentist" in server_time_off(master_id)
            (dentist,) = [t for t in controller.catalog().time_off if t.note == "Dentist"]
            controller.request_time_off_delete(dentist.id)
            assert dentist not in controller.catalog().time_off  # at once
            await until(settled, what="time off removed")
            assert "Dentist" not in server_time_off(master_id)

            # A price without a currency: the server names the field it refuses.
            controller.request_service_patch(towel.id, ServicePatch(price_minor=900))
            dialog = session.window.rollbacks
            await until(dialog.isVisible, what="the rollback dialog")
            [text] = dialog.texts()
            assert "Your change to the service “Hot towel” was undone." in text
            assert "The server did not accept this value: price." in text
            assert controller.catalog().service(towel.id) == towel.model_copy(
                update={"active": False, "version": towel.version + 1}
            )
            assert server_services(master_id)["Hot towel"]["price_minor"] is None
        finally:
            await session.close()

    qt_loop.run_until_complete(scenario())


def test_hours_changed_on_another_device_meanwhile_win_and_the_master_is_told(
    qt_loop: asyncio.AbstractEventLoop, server: LiveServer, tmp_path: Path
) -> None:
    """The app edits the hours offline while the master's other device changes them on the
    server: back online, the app learns the newer hours first, does not overwrite them, and says
    its own change was undone because of it."""
    token = server.login("anna")

    async def scenario() -> None:
        async with FaultProxy(server.base_url) as proxy:
            session = await open_session(
                ApiClient(proxy.url),
                "demo",
                "anna",
                data_dir=tmp_path / "app",
                config=CONFIG,
                credentials=CredentialStore(tmp_path / "credentials"),
                watch_network=False,
            )
            controller = session.controller
            master_id = session.user.id
            try:
                await until(lambda: controller.catalog().loaded, what="the catalog loaded")
                before = controller.catalog().schedule
                await proxy.refuse_new()
                proxy.cut_all()
                controller.request_schedule(EARLY)
                await until(lambda: controller.status.state is SyncState.OFFLINE, what="offline")

                elsewhere = before.model_dump(mode="json", exclude={"version"})
                elsewhere["weekly"] = {"sun": [["10:00", "16:00"]]}
                answer = httpx.put(  # noqa: ASYNC210 - the proxy keeps the app out anyway
                    f"{server.api_url}/masters/{master_id}/schedule",
                    json=elsewhere,
                    headers=server.auth(token, **{"If-Match": f'"{before.version}"'}),
                    timeout=60,
                )
                assert answer.status_code == 200, answer.text
                theirs = WeeklySchedule.model_validate(answer.json())

                await proxy.accept_new()
                await until(lambda: not controller.catalog().pending, what="settled")
                assert controller.catalog().schedule == theirs
                assert _server_schedule(server, token, master_id) == theirs  # not overwritten
                dialog = session.window.rollbacks
                await until(dialog.isVisible, what="the rollback dialog")
                [text] = dialog.texts()
                assert "Your change to working hours was undone." in text
                assert "It was changed elsewhere first" in text
            finally:
                await session.close()

    qt_loop.run_until_complete(scenario())
