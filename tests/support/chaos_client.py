"""One headless chaos client: `python -m tests.support.chaos_client DIR LIFE`.

The app's own shell without a window: a `QCoreApplication` on the qasync loop running the real
`SyncController` (the engine in desktop_app.sync, httpx and websockets in desktop_app.net, the
local SQLite store in desktop_app.store) and the `/healthz` reachability probe, as
`desktop_app.app.session` builds them. It resumes like the app: a remembered sign-in
(`CredentialStore` in DIR) and the store's outbox and cache, so a client killed with SIGKILL and
started again goes on where its disk says it was.

It makes `intents` random changes (DIR/config.json says how many, as whom, about which users and
times), each one written to DIR/journal.jsonl *before* it is handed to the controller, and every
change the controller reports confirmed (`change_confirmed`) written there as soon as it is told,
fsynced: a SIGKILL never loses the record of a change the user was told is done. Rollbacks are
journaled too. stdout carries JSON lines for the orchestrator (`tests/support/chaos.py`):
`ready`, `made`, `counters`, `dump` (the client's state, asked for with `dump` on stdin) and
`error`. Randomness is seeded from the run's seed, the client's index and its life.
"""

from __future__ import annotations

import asyncio
import faulthandler
import json
import logging
import os
import random
import sys
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication

from booking_core import (
    Action,
    BookingCreate,
    BookingPatch,
    Role,
    Status,
    UserPublic,
)
from desktop_app.controller import SyncController
from desktop_app.net.api import ApiClient, Timeouts
from desktop_app.net.errors import AuthError, NetError
from desktop_app.net.reachability import Reachability
from desktop_app.store.credentials import CredentialStore, StoredSession
from desktop_app.store.local import LocalStore
from desktop_app.sync import (
    ChangeConfirmed,
    Rollback,
    SyncConfig,
    SyncEngine,
    VisibleBooking,
)
from desktop_app.sync.outbox import intent_to_json

log = logging.getLogger("chaos.client")

SLOT = timedelta(minutes=15)
DURATIONS = (2, 3, 4, 6)  # slots: 30, 45, 60, 90 minutes
LIVE = (Status.PENDING, Status.CONFIRMED, Status.IN_PROGRESS)
COUNTERS_EVERY = 0.5  # s between counter lines (a SIGKILL loses at most this much of them)


@dataclass(frozen=True)
class ClientConfig:
    """What the orchestrator tells a client (DIR/config.json)."""

    index: int
    url: str
    username: str
    password: str
    seed: int
    intents: int
    window_start: str  # ISO time: bookings go into [start, start + window_hours)
    window_hours: int
    masters: list[str]
    customers: list[str]
    interval: float  # mean seconds between intents
    request_timeout: float
    backoff_max: float
    poll_seconds: float
    stale_after: float
    probe_ms: int

    @classmethod
    def read(cls, folder: Path) -> ClientConfig:
        return cls(**json.loads((folder / "config.json").read_text()))

    def write(self, folder: Path) -> None:
        (folder / "config.json").write_text(json.dumps(asdict(self)))

    def sync_config(self) -> SyncConfig:
        return SyncConfig(
            poll_active=timedelta(seconds=self.poll_seconds),
            poll_idle=timedelta(seconds=self.poll_seconds),
            backoff_initial=timedelta(seconds=0.2),
            backoff_max=timedelta(seconds=self.backoff_max),
            request_timeout=timedelta(seconds=self.request_timeout),
            stale_after=timedelta(seconds=self.stale_after),
        )


class Journal:
    """Append-only JSON lines, each flushed and fsynced before `write` returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.made = sum(1 for r in read_journal(path) if r.get("t") == "made")
        self._file = path.open("a", encoding="utf-8")
        if path.stat().st_size and not path.read_bytes().endswith(b"\n"):
            self._file.write("\n")  # end the line a SIGKILL cut short: it is no record

    def write(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps(record, separators=(",", ":")) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        if record.get("t") == "made":
            self.made += 1


def read_journal(path: Path) -> list[dict[str, Any]]:
    """The records of a journal; a last line cut short by a SIGKILL is not a record."""
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def say(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, separators=(",", ":"), default=str) + "\n")
    sys.stdout.flush()


class ChaosClient:
    def __init__(self, folder: Path, life: int) -> None:
        self.folder = folder
        self.config = ClientConfig.read(folder)
        self.rng = random.Random(f"{self.config.seed}/{self.config.index}/{life}")
        self.journal = Journal(folder / "journal.jsonl")
        self.window_start = datetime.fromisoformat(self.config.window_start)
        self.controller: SyncController | None = None
        self.store: LocalStore | None = None
        self.user: UserPublic | None = None
        self._last_counters: dict[str, Any] | None = None
        self.stopping = asyncio.Event()

    # --- start, as the app does -------------------------------------------------------------

    async def sign_in(self, api: ApiClient) -> StoredSession:
        """The remembered sign-in, else a password sign-in, tried until the server answers."""
        credentials = CredentialStore(self.folder)
        remembered = credentials.load(api.base_url, self.config.username)
        if remembered is not None:
            api.token = remembered.token
            return remembered
        delay = 0.1
        while True:
            try:
                login = await api.login(self.config.username, self.config.password)
                break
            except AuthError:
                raise
            except NetError as exc:  # the proxy cut it or the server is down: try again
                log.info("sign-in failed: %s", exc)
                await asyncio.sleep(delay)  # retry pacing, not a wait for a condition
                delay = min(2.0, delay * 2)
        remembered = StoredSession(api.base_url, login.user, login.token)
        credentials.save(remembered)
        return remembered

    async def run(self) -> None:
        config = self.config
        timeouts = Timeouts(connect=config.request_timeout, read=config.request_timeout)
        api = ApiClient(config.url, timeouts=timeouts)
        remembered = await self.sign_in(api)
        self.user = user = remembered.user
        self.store = LocalStore.open(self.folder / "stores", api.base_url, user.id)
        engine = SyncEngine(user, config.sync_config(), rng=self.rng)
        self.controller = controller = SyncController(api, user, engine, self.store)
        controller.change_confirmed.connect(self._confirmed)
        controller.change_rolled_back.connect(self._rolled_back)
        controller.booking_id_assigned.connect(self._assigned)
        controller.sign_in_required.connect(self._sign_in_required)
        reachability = Reachability(
            api.base_url + "/healthz",
            probe_interval_ms=config.probe_ms,
            use_system=False,
            parent=controller,
        )
        reachability.online_changed.connect(controller.network_changed)
        controller.start()
        reachability.start()
        say({"t": "ready", "user": user.id, "made": self.journal.made})
        counters = asyncio.ensure_future(self._report_counters())
        try:
            await self._make_intents()
            await self.stopping.wait()
        finally:
            counters.cancel()
            reachability.stop()
            await controller.stop()
            self._say_counters(force=True)
            self.store.close()
            await api.aclose()

    # --- what the engine tells -----------------------------------------------------------------

    def _confirmed(self, done: ChangeConfirmed) -> None:
        booking = done.booking
        self.journal.write(
            {
                "t": "ack",
                "key": done.key,
                "booking_id": done.booking_id,
                "intent": intent_to_json(done.intent),
                "version": booking.version if booking is not None else None,
            }
        )

    def _rolled_back(self, rollback: Rollback) -> None:
        intent = rollback.intent
        self.journal.write(
            {
                "t": "rollback",
                "booking_id": rollback.booking_id,
                "code": rollback.code,
                "action": rollback.action.value,
                "intent": intent_to_json(intent) if intent is not None else None,
            }
        )

    def _assigned(self, client_id: str, booking_id: str) -> None:
        self.journal.write({"t": "assigned", "client_id": client_id, "booking_id": booking_id})

    def _sign_in_required(self, reason: str) -> None:
        say({"t": "error", "detail": f"sign-in required: {reason}"})

    async def _report_counters(self) -> None:
        while True:
            await asyncio.sleep(COUNTERS_EVERY)  # a periodic report, not a wait
            self._say_counters()

    def _say_counters(self, *, force: bool = False) -> None:
        if self.controller is None:
            return
        counters = self.controller.snapshot().counters
        values = {
            "retries": counters.retries,
            "conflicts": counters.conflicts,
            "confirmed": counters.confirmed,
            "rollbacks": counters.rollbacks,
            "refused": counters.refused,
            "reconnects": counters.reconnects,
            "gaps": counters.gaps,
            "full_loads": counters.full_loads,
            "delta_loads": counters.delta_loads,
        }
        if force or values != self._last_counters:
            self._last_counters = values
            say({"t": "counters", **values})

    # --- the user ------------------------------------------------------------------------------

    async def _make_intents(self) -> None:
        while self.journal.made < self.config.intents and not self.stopping.is_set():
            await asyncio.sleep(self.rng.expovariate(1 / self.config.interval))  # think time
            self.make_one()
            say({"t": "made", "n": self.journal.made})

    def _session(self) -> tuple[SyncController, UserPublic]:
        controller, user = self.controller, self.user
        if controller is None or user is None:
            raise RuntimeError("not signed in yet")
        return controller, user

    def make_one(self) -> None:
        controller, _ = self._session()
        # The run's own bookings (the demo's, around now, are left alone); mostly live ones.
        rows = [
            r for r in controller.visible().values() if r.booking.starts_at >= self.window_start
        ]
        live = [r for r in rows if r.booking.status in LIVE]
        if live and self.rng.random() < 0.9:
            rows = live
        roll = self.rng.random()
        if rows and roll < 0.6:
            row = self.rng.choice(rows)
            if roll < 0.4:
                self._transition(row)
            else:
                self._reschedule(row)
        else:
            self._create()

    def _slot(self) -> tuple[datetime, datetime]:
        slots = self.config.window_hours * 4
        start = self.window_start + SLOT * self.rng.randrange(slots)
        return start, start + SLOT * self.rng.choice(DURATIONS)

    def _create(self) -> None:
        controller, user = self._session()
        starts_at, ends_at = self._slot()
        marker = f"chaos {self.config.index}.{self.journal.made}"
        if user.role is Role.MASTER:
            master_id, customer_id = user.id, self.rng.choice(self.config.customers)
        else:
            master_id, customer_id = self.rng.choice(self.config.masters), user.id
        self.journal.write(
            {
                "t": "made",
                "kind": "create",
                "marker": marker,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
            }
        )
        controller.request_create(
            BookingCreate(
                master_id=master_id,
                customer_id=customer_id,
                service="chaos",
                starts_at=starts_at,
                ends_at=ends_at,
                note=marker,
            )
        )

    def _transition(self, row: VisibleBooking) -> None:
        controller, user = self._session()
        booking = row.booking
        if user.role is Role.MASTER:
            likely = {
                Status.PENDING: [Action.ACCEPT, Action.ACCEPT, Action.DECLINE, Action.CANCEL],
                Status.CONFIRMED: [Action.START, Action.CANCEL],
                Status.IN_PROGRESS: [Action.COMPLETE],
            }.get(booking.status, [])
            anything = [Action.ACCEPT, Action.CANCEL, Action.START, Action.COMPLETE]
        else:
            likely = [Action.CANCEL] if booking.status in (Status.PENDING, Status.CONFIRMED) else []
            anything = [Action.CANCEL, Action.ACCEPT]
        # Mostly what the row allows; now and then what it does not (refused before sending).
        action = self.rng.choice(likely if likely and self.rng.random() < 0.9 else anything)
        self.journal.write(
            {"t": "made", "kind": "transition", "booking_id": booking.id, "action": action.value}
        )
        controller.request_transition(booking.id, action)

    def _reschedule(self, row: VisibleBooking) -> None:
        controller = self.controller
        assert controller is not None
        starts_at, ends_at = self._slot()
        if starts_at == row.booking.starts_at:
            starts_at, ends_at = starts_at + SLOT, ends_at + SLOT
        self.journal.write(
            {
                "t": "made",
                "kind": "reschedule",
                "booking_id": row.booking.id,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
            }
        )
        controller.request_reschedule(
            row.booking.id, BookingPatch(starts_at=starts_at, ends_at=ends_at)
        )

    # --- what the orchestrator asks ------------------------------------------------------------

    def dump(self) -> None:
        """The client's state: the engine's confirmed layer, the rows shown, the stored cache."""
        controller, store = self.controller, self.store
        if controller is None or store is None:
            say({"t": "dump", "ready": False})
            return
        controller.save_cache()
        cache = store.load_cache()
        say(
            {
                "t": "dump",
                "ready": True,
                "made": self.journal.made,
                "outbox": len(controller.engine.outbox),
                "cursor": controller.engine.cursor,
                "server": {
                    k: b.model_dump(mode="json") for k, b in controller.engine.server.items()
                },
                "shown": {
                    k: [row.booking.model_dump(mode="json"), row.pending]
                    for k, row in controller.visible().items()
                },
                "stored": None
                if cache is None
                else {b.id: b.model_dump(mode="json") for b in cache.bookings},
                "stored_outbox": len(store.load_outbox()),
            }
        )

    def command(self, line: str) -> None:
        match line.strip():
            case "dump":
                self.dump()
            case "quit":
                self.stopping.set()
            case other:
                say({"t": "error", "detail": f"unknown command {other!r}"})


def _read_stdin(loop: asyncio.AbstractEventLoop, client: ChaosClient) -> None:
    for line in sys.stdin:
        loop.call_soon_threadsafe(client.command, line)
    loop.call_soon_threadsafe(client.stopping.set)  # the orchestrator went away


def main(argv: list[str]) -> int:
    folder, life = Path(argv[0]), int(argv[1])
    logging.basicConfig(
        filename=folder / "client.log",
        level=logging.INFO,
        format=f"%(asctime)s life {life} %(name)s %(levelname)s %(message)s",
    )
    faulthandler.enable()  # a crash in Qt or a C extension leaves its stacks in stderr.log
    app = QCoreApplication.instance() or QCoreApplication(["chaos-client"])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    client = ChaosClient(folder, life)
    threading.Thread(target=_read_stdin, args=(loop, client), daemon=True).start()
    try:
        loop.run_until_complete(client.run())
    except AuthError as exc:
        say({"t": "error", "detail": str(exc)})
        return 1
    except BaseException:
        log.exception("the client failed")
        raise
    log.info("the client ends: %s", "asked to" if client.stopping.is_set() else "by itself")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
