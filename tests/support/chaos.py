"""Chaos: headless app clients against real servers, with faults and SIGKILLs, then exact checks.

`run_chaos(ChaosSettings(...), folder)` starts the server (SQLite; or PostgreSQL + Redis with two
`booking-server` processes), signs up the users, puts a `FaultProxy` in front of every client
(for PostgreSQL it hands each new connection to the next server process in turn) and starts N
client processes (`tests.support.chaos_client`: the app's SyncController, net layer and local
store on a QCoreApplication, no window) as masters and customers making random changes. Meanwhile
it cuts, freezes, delays, refuses and stalls the clients' connections at random, and kills
clients and server processes with SIGKILL at points spread over the run, starting them again
(a client from its local store, outbox and remembered sign-in; a server on its database).

When every client has made its changes the faults stop and the run waits (capped) until every
client's state equals the server's, then checks, exactly:
- lost: a change a client journaled as confirmed is not on the server (its create, or the event
  with the confirmed version, action, actor and times);
- duplicated: a create's marker on two bookings, or more events of a kind (booking, actor, action,
  times) than the users made such changes;
- overlaps: two active bookings of one master overlap; seq gaps: the event log's seqs are not
  exactly 1..cursor;
- diverged: a client whose confirmed state, shown rows or stored cache differ from the server's
  listing for its user, or whose outbox is not empty.
The report prints intents, faults, kills, retries, conflicts, lost 0, duplicated 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import json
import logging
import random
import signal
import sys
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import httpx

from booking_core import Booking
from tests.support.chaos_client import ClientConfig, read_journal
from tests.support.live_server import DEMO_PASSWORD, LiveServer
from tests.support.proxy import FaultProxy

log = logging.getLogger("chaos")

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "chaos-password-1"
ACTIVE = {"pending", "confirmed", "in_progress"}
DEMO_MASTERS = ("anna", "ben")
DEMO_CUSTOMERS = ("carl", "dora")
SERVER_ENV = {"BOOKING_SIGNUP_BURST": "100000", "BOOKING_SIGNUP_PER_SECOND": "100000"}
FAULTS = ("cut", "freeze", "delay", "refuse", "stall")
NOT_CONFIRMED = "not_confirmed"
# A client's state dump is one JSON line: a master's thousands of bookings, three times over.
# (asyncio's default of 64 KiB would fail the reader, and then wait() for the unread pipe.)
LINE_LIMIT = 1 << 30  # the rollback code of a change the server never answered


@dataclass(frozen=True)
class ChaosSettings:
    backend: Literal["sqlite", "postgres"] = "sqlite"
    clients: int = 6
    intents: int = 240  # in all, shared out over the clients
    kills: int = 6  # SIGKILLs in all, clients and servers
    server_kill_share: float = 0.25  # the part of the kills that hit a server process
    seed: int | None = None
    window_hours: int = 24  # bookings go into this many hours, two days ahead: contention
    interval: float = 0.15  # mean think time of a client between changes (s)
    fault_interval: float = 0.2  # mean time between two faults, over all proxies (s)
    make_within: float = 600.0  # cap on the clients making their changes (s)
    quiet_within: float = 240.0  # cap on reaching the same state everywhere once quiet (s)
    request_timeout: float = 4.0
    backoff_max: float = 2.0
    poll_seconds: float = 2.0
    stale_after: float = 60.0
    probe_ms: int = 1000


@dataclass
class ChaosReport:
    settings: ChaosSettings
    seed: int
    intents: int = 0
    acknowledged: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    kills: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    conflicts: int = 0
    rollbacks: Counter[str] = field(default_factory=Counter)
    bookings: int = 0
    events: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    contradicted: list[str] = field(default_factory=list)  # told refused, yet on the server
    overlaps: list[str] = field(default_factory=list)
    seq_gaps: list[str] = field(default_factory=list)
    diverged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    quiet_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        problems = (
            self.lost,
            self.duplicated,
            self.contradicted,
            self.overlaps,
            self.seq_gaps,
            self.diverged,
        )
        return not any(problems) and not self.errors

    def lines(self) -> list[str]:
        s = self.settings
        faults = ", ".join(f"{kind} {self.faults[kind]}" for kind in FAULTS)
        codes = ", ".join(f"{code} {n}" for code, n in sorted(self.rollbacks.items()))
        out = [
            f"chaos on {s.backend}: seed {self.seed}, {s.clients} clients, {self.seconds:.0f} s"
            f" (quiet to converged {self.quiet_seconds:.1f} s)",
            f"intents {self.intents} (acknowledged {self.acknowledged}; rolled back or refused:"
            f" {codes or 'none'})",
            f"faults {sum(self.faults.values())} ({faults})",
            f"kills {sum(self.kills.values())} (clients {self.kills['client']},"
            f" servers {self.kills['server']})",
            f"retries {self.retries}",
            f"conflicts {self.conflicts}",
            f"bookings {self.bookings}, events {self.events}",
            f"lost {len(self.lost)}",
            f"duplicated {len(self.duplicated)}",
            f"refused yet done {len(self.contradicted)}, overlaps {len(self.overlaps)},"
            f" seq gaps {len(self.seq_gaps)},"
            f" diverged clients {len(self.diverged)}, errors {len(self.errors)}",
        ]
        names = ("lost", "duplicated", "contradicted", "overlaps", "seq_gaps", "diverged", "errors")
        for name in names:
            for item in getattr(self, name)[:20]:
                out.append(f"  {name}: {item}")
        return out


# --- servers -----------------------------------------------------------------------------------


class Servers:
    """The server processes (one on SQLite, two on PostgreSQL + Redis) and their database."""

    def __init__(self, processes: list[LiveServer], database_url: str) -> None:
        self.processes = processes
        self.database_url = database_url

    @property
    def urls(self) -> list[str]:
        return [p.base_url for p in self.processes]

    async def kill_and_restart(self, index: int) -> None:
        server = self.processes[index]
        server.kill()  # SIGKILL
        await asyncio.to_thread(server.start)  # same port, same database


@contextlib.contextmanager
def start_servers(settings: ChaosSettings, folder: Path) -> Iterator[Servers]:
    with ExitStack() as stack:
        if settings.backend == "sqlite":
            server = LiveServer(folder / "server", env=SERVER_ENV)
            stack.callback(server.stop)
            server.start()
            yield Servers([server], server.database_url)
            return
        from tests.support.services import ScaledServer, check_redis, fresh_database

        redis_url = check_redis()
        url = stack.enter_context(fresh_database())
        prefix = f"chaos:{uuid.uuid4().hex}:"
        processes: list[LiveServer] = []
        for name, demo in (("a", True), ("b", False)):
            server = ScaledServer(
                folder / f"server-{name}",
                url,
                redis_url=redis_url,
                redis_prefix=prefix,
                env=SERVER_ENV,
                demo=demo,
            )
            stack.callback(server.stop)
            server.start()
            processes.append(server)
        yield Servers(processes, url)


# --- users -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: str
    id: str
    token: str


async def _add_master(database_url: str, username: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "booking_server",
        "user",
        "add",
        "--role",
        "master",
        "--username",
        username,
        "--display-name",
        username.title(),
        "--database-url",
        database_url,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    _, err = await process.communicate(f"{PASSWORD}\n".encode())
    if process.returncode != 0:
        raise RuntimeError(f"user add {username}: {err.decode()}")


async def make_accounts(
    api: httpx.AsyncClient, database_url: str, masters: int, customers: int
) -> tuple[list[Account], list[Account]]:
    """Masters: the demo's two, then `booking-server user add`; customers: the demo's two, then
    sign-ups (POST /auth/signup), as a web visitor makes them."""
    extra_masters = [f"chaos-master-{i}" for i in range(max(0, masters - len(DEMO_MASTERS)))]
    await asyncio.gather(*(_add_master(database_url, name) for name in extra_masters))
    extra_customers = max(0, customers - len(DEMO_CUSTOMERS))
    for i in range(extra_customers):
        body = {"name": f"Chaos {i}", "email": f"customer{i}@chaos.example", "password": PASSWORD}
        response = await api.post("/api/v1/auth/signup", json=body)
        response.raise_for_status()
    logins = [(name, DEMO_PASSWORD) for name in DEMO_MASTERS[:masters]]
    logins += [(name, PASSWORD) for name in extra_masters]
    logins += [(name, DEMO_PASSWORD) for name in DEMO_CUSTOMERS[:customers]]
    logins += [(f"customer{i}@chaos.example", PASSWORD) for i in range(extra_customers)]
    accounts = []
    for username, password in logins:
        response = await api.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        response.raise_for_status()
        body = response.json()
        user = body["user"]
        accounts.append(Account(username, password, user["role"], user["id"], body["token"]))
    return (
        [a for a in accounts if a.role == "master"],
        [a for a in accounts if a.role == "customer"],
    )


# --- clients -----------------------------------------------------------------------------------


class Client:
    """One client's folder, proxy and current process (a new one per life)."""

    def __init__(self, index: int, folder: Path, account: Account, proxy: FaultProxy) -> None:
        self.index = index
        self.folder = folder
        self.account = account
        self.proxy = proxy
        self.life = 0
        self.process: asyncio.subprocess.Process | None = None
        self.made = 0
        self.target = 0
        self.counters: dict[int, dict[str, int]] = {}
        self.errors: list[str] = []
        self._dump: asyncio.Future[dict[str, Any]] | None = None
        self._reader: asyncio.Task[None] | None = None
        self.changed: Callable[[], None] = lambda: None

    async def start(self) -> None:
        self.life += 1
        stderr = (self.folder / "stderr.log").open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.support.chaos_client",
            str(self.folder),
            str(self.life),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
            cwd=ROOT,
            limit=LINE_LIMIT,
        )
        stderr.close()
        self._reader = asyncio.ensure_future(self._read(self.process, self.life))

    async def kill(self) -> None:
        process = self.process
        if process is None:
            return
        self.process = None
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGKILL)
        await process.wait()
        if self._reader is not None:
            await self._reader
        if self._dump is not None and not self._dump.done():
            self._dump.cancel()

    async def quit(self) -> None:
        process = self.process
        if process is None:
            return
        self.process = None
        assert process.stdin is not None
        with contextlib.suppress(ConnectionError):
            process.stdin.write(b"quit\n")
            await process.stdin.drain()
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()
        if self._reader is not None:
            await self._reader

    @property
    def running(self) -> bool:
        return self.process is not None

    async def dump(self, within: float = 60.0) -> dict[str, Any]:
        process = self.process
        if process is None or process.stdin is None:
            return {"ready": False}
        self._dump = asyncio.get_running_loop().create_future()
        process.stdin.write(b"dump\n")
        await process.stdin.drain()
        return await asyncio.wait_for(self._dump, within)

    async def _read(self, process: asyncio.subprocess.Process, life: int) -> None:
        try:
            await self._read_lines(process, life)
        except Exception as exc:  # never leave the pipe unread: wait() would never return
            self.errors.append(f"client {self.index} life {life}: reading its output: {exc!r}")
            process.kill()
            assert process.stdout is not None
            while await process.stdout.read(1 << 20):
                pass
        code = await process.wait()
        if self.process is process:  # neither killed nor asked to quit: it ended by itself
            self.process = None
            self.errors.append(
                f"client {self.index} life {life} ended by itself (exit status {code});"
                f" see {self.folder}/stderr.log and client.log"
            )
            self.changed()
            await self.start()  # the run goes on without it being lost

    async def _read_lines(self, process: asyncio.subprocess.Process, life: int) -> None:
        assert process.stdout is not None
        while line := await process.stdout.readline():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            match record.get("t"):
                case "ready":
                    self.made = int(record["made"])
                case "made":
                    self.made = int(record["n"])
                case "counters":
                    self.counters[life] = {k: v for k, v in record.items() if k != "t"}
                case "dump":
                    if self._dump is not None and not self._dump.done():
                        self._dump.set_result(record)
                case "error":
                    self.errors.append(f"client {self.index} life {life}: {record['detail']}")
            self.changed()

    def total(self, name: str) -> int:
        return sum(c.get(name, 0) for c in self.counters.values())


# --- the run -----------------------------------------------------------------------------------


class Chaos:
    def __init__(self, settings: ChaosSettings, folder: Path) -> None:
        self.settings = settings
        self.folder = folder
        self.seed = settings.seed if settings.seed is not None else random.randrange(2**32)
        self.rng = random.Random(self.seed)
        self.report = ChaosReport(settings, self.seed)
        self.clients: list[Client] = []
        self.servers: Servers | None = None
        self._progress = asyncio.Event()
        self._restoring: set[asyncio.Task[None]] = set()
        self._server_lock = asyncio.Lock()
        self.start_cursor = 0
        self.accounts: dict[str, Account] = {}

    def _changed(self) -> None:
        self._progress.set()

    async def until(self, predicate: Callable[[], bool], within: float) -> bool:
        """Wait (at most `within` s) until `predicate()` holds, re-checking after every line a
        client writes; True if it holds."""
        deadline = time.monotonic() + within
        while not predicate():
            self._progress.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), min(left, 1.0))
        return True

    async def run(self) -> ChaosReport:
        started = time.monotonic()
        log.info("chaos seed %d", self.seed)
        with start_servers(self.settings, self.folder) as servers:
            self.servers = servers
            async with AsyncExitStack() as stack:
                api = await stack.enter_async_context(
                    httpx.AsyncClient(base_url=servers.urls[0], trust_env=False, timeout=60)
                )
                await self._setup(api, stack)
                self.start_cursor = await self._cursor(api)
                await asyncio.gather(*(c.start() for c in self.clients))
                await self._chaos()
                quiet = time.monotonic()
                await self._quiet()
                converged = await self._converge(api)
                self.report.quiet_seconds = time.monotonic() - quiet
                try:
                    await self._check(api, converged)
                except Exception:  # a fault of the checks themselves: say so, keep the figures
                    self.report.errors.append(f"the checks failed: {traceback.format_exc()}")
                for client in self.clients:
                    await client.quit()
                self._tally()
        self.report.seconds = time.monotonic() - started
        return self.report

    async def _setup(self, api: httpx.AsyncClient, stack: AsyncExitStack) -> None:
        settings = self.settings
        assert self.servers is not None
        n = settings.clients
        users = max(2, n - n // 8)
        masters_n = max(2, users // 5)
        masters, customers = await make_accounts(
            api, self.servers.database_url, masters_n, max(1, users - masters_n)
        )
        accounts = masters + customers
        self.accounts = {a.id: a for a in accounts}
        window = (datetime.now(UTC) + timedelta(days=2)).replace(
            hour=8, minute=0, second=0, microsecond=0
        )
        per_client = [
            settings.intents // n + (1 if i < settings.intents % n else 0) for i in range(n)
        ]
        urls = self.servers.urls
        for i in range(n):
            account = accounts[i % len(accounts)]  # past the users: a second device
            folder = self.folder / "clients" / f"{i:02d}"
            folder.mkdir(parents=True)
            proxy = await stack.enter_async_context(FaultProxy(urls[0], also=urls[1:]))
            ClientConfig(
                index=i,
                url=proxy.url,
                username=account.username,
                password=account.password,
                seed=self.seed,
                intents=per_client[i],
                window_start=window.isoformat(),
                window_hours=settings.window_hours,
                masters=[a.id for a in masters],
                customers=[a.id for a in customers],
                interval=settings.interval,
                request_timeout=settings.request_timeout,
                backoff_max=settings.backoff_max,
                poll_seconds=settings.poll_seconds,
                stale_after=settings.stale_after,
                probe_ms=settings.probe_ms,
            ).write(folder)
            client = Client(i, folder, account, proxy)
            client.target = per_client[i]
            client.changed = self._changed
            self.clients.append(client)
        stack.push_async_callback(self._stop_clients)

    async def _stop_clients(self) -> None:
        for client in self.clients:
            await client.kill()

    async def _cursor(self, api: httpx.AsyncClient) -> int:
        response = await _get(api, "/healthz")
        response.raise_for_status()
        return int(response.json()["cursor"])

    # --- faults and kills ------------------------------------------------------------------------

    def made(self) -> int:
        return sum(c.made for c in self.clients)

    def all_made(self) -> bool:
        return all(c.made >= c.target for c in self.clients)

    async def _chaos(self) -> None:
        faults = asyncio.ensure_future(self._faults())
        try:
            total = max(1, self.settings.intents)
            kills = self.settings.kills
            deadline = time.monotonic() + self.settings.make_within
            for k in range(kills):
                threshold = total * (k + 1) // (kills + 1)
                left = deadline - time.monotonic()
                if not await self.until(lambda t=threshold: self.made() >= t, left):  # type: ignore[misc]
                    break
                await self._kill_one(k)
            if not await self.until(self.all_made, deadline - time.monotonic()):
                made = [c.made for c in self.clients]
                self.report.errors.append(f"the clients did not make their changes in time: {made}")
        finally:
            faults.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await faults

    async def _kill_one(self, k: int) -> None:
        """The k-th kill: a server process every so often (`server_kill_share`), else a client."""
        assert self.servers is not None
        share = self.settings.server_kill_share
        if int((k + 1) * share) > int(k * share):
            index = self.rng.randrange(len(self.servers.processes))
            self.report.kills["server"] += 1
            log.info("kill server %d", index)
            async with self._server_lock:
                await self.servers.kill_and_restart(index)
            return
        running = [c for c in self.clients if c.running]
        if not running:
            return
        client = self.rng.choice(running)
        self.report.kills["client"] += 1
        log.info("kill client %d (life %d)", client.index, client.life)
        await client.kill()
        delay = self.rng.uniform(0.0, 1.0)
        self._later(delay, client.start)

    def _later(self, delay: float, action: Callable[[], Any]) -> None:
        async def run() -> None:
            await asyncio.sleep(delay)  # how long the fault lasts, not a wait for a condition
            result = action()
            if asyncio.iscoroutine(result):
                await result

        task = asyncio.ensure_future(run())
        self._restoring.add(task)
        task.add_done_callback(self._restoring.discard)

    async def _faults(self) -> None:
        while True:
            await asyncio.sleep(self.rng.expovariate(1 / self.settings.fault_interval))
            client = self.rng.choice(self.clients)
            proxy = client.proxy
            kind = self.rng.choice(FAULTS)
            self.report.faults[kind] += 1
            match kind:
                case "cut":
                    proxy.cut_all()
                case "freeze":
                    proxy.freeze()
                    self._later(self.rng.uniform(0.2, 2.0), proxy.thaw)
                case "delay":
                    proxy.latency = self.rng.uniform(0.05, 0.5)
                    self._later(self.rng.uniform(0.5, 3.0), functools.partial(_no_delay, proxy))
                case "refuse":  # every new connection reset at once
                    proxy.reset_new = True
                    self._later(self.rng.uniform(0.3, 2.0), functools.partial(_accept, proxy))
                case "stall":
                    # The next bookings request (a change or a fetch) is done by the server,
                    # its answer held: released later, or the connection cut.
                    method = self.rng.choice(("POST", "PATCH", None))
                    proxy.stall("/api/v1/bookings", method, prefix=True)
                    cut = self.rng.random() < 0.5
                    self._later(
                        self.rng.uniform(0.5, 3.0), proxy.cut_all if cut else proxy.release_stalls
                    )

    async def _quiet(self) -> None:
        """No more faults: every proxy passes everything, every process runs."""
        for task in list(self._restoring):
            task.cancel()
        await asyncio.gather(*self._restoring, return_exceptions=True)
        for client in self.clients:
            proxy = client.proxy
            proxy.thaw()
            proxy.latency = 0
            proxy.release_stalls()
            proxy.reset_new = False
            if not client.running:
                await client.start()
        assert self.servers is not None
        for server in self.servers.processes:
            if not server.running:
                await asyncio.to_thread(server.start)

    # --- convergence and checks ----------------------------------------------------------------

    async def _truth(self, api: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
        """Each user's listing, straight from the server: user id -> booking id -> booking."""

        async def listing(account: Account) -> tuple[str, dict[str, Any]]:
            response = await _get(api, "/api/v1/bookings", account.token)
            response.raise_for_status()
            rows = response.json()["bookings"]
            return account.id, {
                b["id"]: Booking.model_validate(b).model_dump(mode="json") for b in rows
            }

        return dict(await asyncio.gather(*(listing(a) for a in self.accounts.values())))

    def _differences(
        self, client: Client, dump: dict[str, Any], truth: dict[str, dict[str, Any]]
    ) -> list[str]:
        if not dump.get("ready"):
            return [f"client {client.index}: not started"]
        mine = truth[client.account.id]
        out = []
        where = f"client {client.index} ({client.account.username})"
        if dump["outbox"] or dump["stored_outbox"]:
            out.append(f"{where}: outbox {dump['outbox']}, stored {dump['stored_outbox']}")
        shown = {k: row for k, (row, _) in dump["shown"].items()}
        pending = [k for k, (_, p) in dump["shown"].items() if p]
        for name, state in (
            ("engine", dump["server"]),
            ("shown", shown),
            ("stored", dump["stored"]),
        ):
            if state != mine:
                out.append(f"{where}: {name} {_diff(state or {}, mine)}")
        if pending:
            out.append(f"{where}: rows still pending {pending[:5]}")
        return out

    async def _converge(self, api: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
        """Wait (capped) until every client shows exactly the server's state; the truth then."""
        deadline = time.monotonic() + self.settings.quiet_within
        while True:
            truth = await self._truth(api)
            dumps = await asyncio.gather(*(c.dump() for c in self.clients))
            differences = [
                d
                for c, dump in zip(self.clients, dumps, strict=True)
                for d in self._differences(c, dump, truth)
            ]
            if not differences and truth == await self._truth(api):
                return truth
            if time.monotonic() > deadline:
                self.report.diverged = differences
                return truth
            self._progress.clear()
            with contextlib.suppress(TimeoutError):  # re-check after a client says something
                await asyncio.wait_for(self._progress.wait(), 0.5)

    async def _histories(
        self, api: httpx.AsyncClient, bookings: dict[str, dict[str, Any]]
    ) -> dict[str, list[dict[str, Any]]]:
        gate = asyncio.Semaphore(8)

        async def history(booking: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
            token = self.accounts[booking["master_id"]].token
            async with gate:
                response = await _get(api, f"/api/v1/bookings/{booking['id']}/history", token)
            response.raise_for_status()
            return booking["id"], response.json()["events"]

        return dict(await asyncio.gather(*(history(b) for b in bookings.values())))

    async def _check(self, api: httpx.AsyncClient, truth: dict[str, dict[str, Any]]) -> None:
        report = self.report
        bookings: dict[str, dict[str, Any]] = {}
        for rows in truth.values():
            bookings.update(rows)
        histories = await self._histories(api, bookings)
        for events in histories.values():
            _add_times(events)
        report.bookings = len(bookings)
        cursor = await self._cursor(api)
        # Seqs: exactly 1..cursor, each once, over every booking's history.
        seqs = Counter(e["seq"] for events in histories.values() for e in events)
        report.events = sum(seqs.values())
        missing = sorted(set(range(1, cursor + 1)) - set(seqs))
        twice = sorted(s for s, n in seqs.items() if n > 1)
        beyond = sorted(s for s in seqs if s > cursor or s < 1)
        if missing:
            report.seq_gaps.append(f"{len(missing)} seqs missing, first {missing[:10]}")
        if twice or beyond:
            report.seq_gaps.append(f"seqs twice {twice[:10]}, outside 1..{cursor}: {beyond[:10]}")
        # No two active bookings of a master overlap.
        active = sorted(
            (b for b in bookings.values() if b["status"] in ACTIVE),
            key=lambda b: (b["master_id"], b["starts_at"]),
        )
        for a, b in itertools.pairwise(active):
            if a["master_id"] == b["master_id"] and _time(b["starts_at"]) < _time(a["ends_at"]):
                report.overlaps.append(f"{a['id']} and {b['id']} of master {a['master_id']}")
        self._check_intents(bookings, histories)

    def _check_intents(
        self, bookings: dict[str, dict[str, Any]], histories: dict[str, list[dict[str, Any]]]
    ) -> None:
        report = self.report
        by_marker: dict[str, list[str]] = {}
        for booking in bookings.values():
            if booking["note"].startswith("chaos "):
                by_marker.setdefault(booking["note"], []).append(booking["id"])
        renamed: dict[str, str] = {}
        journals: list[tuple[Client, list[dict[str, Any]]]] = []
        for client in self.clients:
            records = read_journal(client.folder / "journal.jsonl")
            journals.append((client, records))
            for r in records:
                if r["t"] == "assigned":
                    renamed[r["client_id"]] = r["booking_id"]
                elif r["t"] == "ack" and r["intent"]["kind"] == "create":
                    renamed[r["intent"]["client_id"]] = r["booking_id"]
        made: Counter[tuple[str, ...]] = Counter()
        refused: Counter[tuple[str, ...]] = Counter()
        acked_keys: set[tuple[str, str]] = set()
        for client, records in journals:
            actor = client.account.id
            for r in records:
                match r["t"]:
                    case "made":
                        report.intents += 1
                        made[_made_kind(r, actor, renamed)] += 1
                    case "rollback":
                        report.rollbacks[r["code"]] += 1
                        # Refused (by the server, or before sending): it must not have happened.
                        # "not_confirmed" (no answer in time) may have happened.
                        if r["code"] != NOT_CONFIRMED and r["intent"] is not None:
                            refused[_intent_kind(r["intent"], actor, renamed)] += 1
                    case "ack":
                        if (actor, r["key"]) in acked_keys:
                            continue  # confirmed again after a restart: the same change
                        acked_keys.add((actor, r["key"]))
                        report.acknowledged += 1
                        problem = _acknowledged_missing(r, actor, bookings, histories, by_marker)
                        if problem is not None:
                            report.lost.append(f"client {client.index}: {problem}")
        for marker, ids in by_marker.items():
            if len(ids) > 1:
                report.duplicated.append(f"create {marker!r} made {len(ids)} bookings: {ids}")
            if refused[("create", marker)]:
                report.contradicted.append(f"create {marker!r} was refused, yet made {ids}")
        ours = set(self.accounts)
        happened: Counter[tuple[str, ...]] = Counter()
        for booking_id, events in histories.items():
            for e in events:
                if e["seq"] > self.start_cursor and e["actor"] in ours and e["action"] != "create":
                    happened[_event_kind(booking_id, e)] += 1
        for kind, n in happened.items():
            if n > made[kind]:
                report.duplicated.append(f"{n} events {kind}, but {made[kind]} such changes made")
            elif n > made[kind] - refused[kind]:
                report.contradicted.append(
                    f"{n} events {kind}: {made[kind]} such changes made, {refused[kind]} refused"
                )

    def _tally(self) -> None:
        report = self.report
        report.retries = sum(c.total("retries") for c in self.clients)
        conflicts_412 = sum(c.total("conflicts") for c in self.clients)
        refused_by_server = sum(
            report.rollbacks[code] for code in ("slot_taken", "version_conflict")
        )
        report.conflicts = conflicts_412 + refused_by_server
        for client in self.clients:
            report.errors.extend(client.errors)


async def _get(api: httpx.AsyncClient, path: str, token: str | None = None) -> httpx.Response:
    """GET straight from the server, as a user; again on a connection error (a pooled
    connection to a server process that was killed, or closed after its keep-alive)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for attempt in range(10):
        try:
            return await api.get(path, headers=headers)
        except httpx.TransportError:
            if attempt == 9:
                raise
            await asyncio.sleep(0.2 * (attempt + 1))  # retry pacing, not a wait for a condition
    raise AssertionError("unreachable")


def _no_delay(proxy: FaultProxy) -> None:
    proxy.latency = 0


def _accept(proxy: FaultProxy) -> None:
    proxy.reset_new = False


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _times(starts_at: Any, ends_at: Any) -> tuple[str, str]:
    return (_time(str(starts_at)).isoformat(), _time(str(ends_at)).isoformat())


def _made_kind(r: dict[str, Any], actor: str, renamed: dict[str, str]) -> tuple[str, ...]:
    if r["kind"] == "create":
        return ("create", r["marker"])
    booking_id = renamed.get(r["booking_id"], r["booking_id"])
    if r["kind"] == "transition":
        return (booking_id, actor, r["action"])
    return (booking_id, actor, "reschedule", *_times(r["starts_at"], r["ends_at"]))


def _intent_kind(intent: dict[str, Any], actor: str, renamed: dict[str, str]) -> tuple[str, ...]:
    """The kind of a journaled intent (`intent_to_json`), as `_made_kind` names it."""
    match intent["kind"]:
        case "create":
            return ("create", intent["body"].get("note", ""))
        case "transition":
            booking_id = renamed.get(intent["booking_id"], intent["booking_id"])
            return (booking_id, actor, intent["action"])
        case _:
            booking_id = renamed.get(intent["booking_id"], intent["booking_id"])
            patch = intent["patch"]
            times = _times(patch.get("starts_at"), patch.get("ends_at"))
            return (booking_id, actor, "reschedule", *times)


def _event_kind(booking_id: str, e: dict[str, Any]) -> tuple[str, ...]:
    if e["action"] == "reschedule":
        return (booking_id, e["actor"], "reschedule", *e["times"])
    return (booking_id, e["actor"], e["action"])


def _add_times(events: list[dict[str, Any]]) -> None:
    """Give each event `times`: the booking's (starts_at, ends_at) right after it. An event's
    `changes` name only what changed (a reschedule may keep its end), the create names all."""
    starts_at = ends_at = None
    for e in events:
        starts_at = e["changes"].get("starts_at", starts_at)
        ends_at = e["changes"].get("ends_at", ends_at)
        e["times"] = _times(starts_at, ends_at) if starts_at and ends_at else None


def _acknowledged_missing(
    r: dict[str, Any],
    actor: str,
    bookings: dict[str, dict[str, Any]],
    histories: dict[str, list[dict[str, Any]]],
    by_marker: dict[str, list[str]],
) -> str | None:
    """Why an acknowledged change is not on the server as confirmed, or None if it is."""
    intent, booking_id, version = r["intent"], r["booking_id"], r["version"]
    if intent["kind"] == "create":
        marker = intent["body"].get("note", "")
        if booking_id not in bookings or booking_id not in by_marker.get(marker, []):
            return f"confirmed create {marker!r} ({booking_id}) is not on the server"
        return None
    events = histories.get(booking_id, [])
    if intent["kind"] == "transition":
        action, times = intent["action"], None
    else:
        patch = intent["patch"]
        action, times = "reschedule", _times(patch["starts_at"], patch["ends_at"])
    for e in events:
        if version is not None and e["changes"].get("version") != version:
            continue
        if e["action"] != action or e["actor"] != actor:
            continue
        if times is not None and e["times"] != times:
            continue
        return None
    return f"confirmed {action} of {booking_id} (version {version}) is not in its history"


def _diff(state: dict[str, Any], truth: dict[str, Any]) -> str:
    missing = sorted(truth.keys() - state.keys())
    extra = sorted(state.keys() - truth.keys())
    different = sorted(k for k in truth.keys() & state.keys() if truth[k] != state[k])
    return (
        f"missing {missing[:3]} ({len(missing)}), extra {extra[:3]} ({len(extra)}),"
        f" different {different[:3]} ({len(different)})"
    )


async def run_chaos(settings: ChaosSettings, folder: Path) -> ChaosReport:
    """Run it in `folder` (an empty or new folder: servers, clients and journals go there)."""
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    return await Chaos(settings, folder).run()
