"""The sync controller: the thin Qt/asyncio shell around the sans-IO sync engine.

It carries inputs in (user intents from the window, HTTP replies, socket frames, timer ticks,
reachability hints) and performs the engine's commands (requests with httpx, the socket with
websockets, wakeups with a QTimer, rows/status/rollbacks as Qt signals, the outbox and the cached
state to the local store). It decides nothing itself: every rule lives in `desktop_app.sync`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import uuid
from collections import deque
from collections.abc import Coroutine, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from booking_core import (
    Action,
    BookingCreate,
    BookingPatch,
    Clock,
    ServerMessage,
    UserPublic,
    utc_now,
)
from booking_core.availability import ScheduleUpdate, ServiceCreate, ServicePatch, TimeOffCreate
from desktop_app.collector import gc_paused
from desktop_app.net.api import ApiClient
from desktop_app.net.errors import NetError
from desktop_app.net.socket import SocketClient, SocketSettings, ws_url_for
from desktop_app.store.local import LocalStore
from desktop_app.sync import (
    AnnounceViewing,
    AnnounceWatch,
    AvailabilityChanged,
    BookingIdAssigned,
    CatalogChanged,
    CatalogIntent,
    CatalogIntentMade,
    CatalogOutboxChanged,
    CatalogView,
    CloseSocket,
    Command,
    Create,
    EventReceived,
    Input,
    IntentMade,
    NetworkChanged,
    OpenSocket,
    OutboxChanged,
    PresenceChanged,
    RemoteChange,
    ReplyReceived,
    RequestFailed,
    Reschedule,
    RowsChanged,
    ScheduleSet,
    ScheduleWakeup,
    SendRequest,
    ServiceAdd,
    ServiceEdit,
    ShowCatalogRollback,
    ShowRollback,
    SignInRequired,
    Snapshot,
    SocketClosed,
    SocketOpened,
    Started,
    SyncEngine,
    SyncStatus,
    SyncStatusChanged,
    TimeOffAdd,
    TimeOffRemove,
    TimerFired,
    Transition,
    ViewingChanged,
    VisibleBooking,
    WatchingAvailability,
)

log = logging.getLogger(__name__)

# The id of a booking the server has not created yet (it assigns the real one).
LOCAL_PREFIX = "local-"
# Writing the cached state after every event would put disk IO on the hot path; batch it.
CACHE_SAVE_DELAY_MS = 1000


class SyncController(QObject):
    """Owns one signed-in session's engine; signals are past-tense facts for the window."""

    rows_changed = Signal(object)  # RowsChanged (the controller's rows are updated already)
    remote_changed = Signal(object)  # RemoteChange: someone else's change, as the server said
    sync_status_changed = Signal(object)  # SyncStatus
    change_rolled_back = Signal(object)  # Rollback, or CatalogRollback for a catalog change
    presence_changed = Signal(str, object)  # booking id, tuple[Viewer, ...]
    signed_in = Signal(object)  # UserPublic
    sign_in_required = Signal(str)  # reason
    booking_id_assigned = Signal(str, str)  # client id, server id
    history_loaded = Signal(str, object)  # booking id, HistoryList (the server's log of it)
    catalog_changed = Signal(object)  # CatalogView: the master's catalog as shown
    availability_changed = Signal(str)  # master id: their free slots may have changed

    def __init__(
        self,
        api: ApiClient,
        user: UserPublic,
        engine: SyncEngine,
        store: LocalStore | None = None,
        *,
        clock: Clock = utc_now,
        socket_settings: SocketSettings | None = None,
        socket_url: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.user = user
        self.engine = engine
        self.store = store
        self._clock = clock
        # A deployment may serve the event stream elsewhere (another host or path, a proxy).
        self._ws_url = socket_url or ws_url_for(api.base_url)
        self._socket = SocketClient(
            self._on_socket_open, self._on_socket_message, self._on_socket_close, socket_settings
        )
        self._tasks: set[asyncio.Task[Any]] = set()
        self._history_asked: set[str] = set()  # booking histories being fetched
        self._rows: dict[str, VisibleBooking] = {}  # kept from RowsChanged: no view into the engine
        self._catalog = CatalogView(user.id)  # kept from CatalogChanged
        self._catalog_saved: CatalogView | None = None
        self._inbox: deque[Input] = deque()
        self._feeding = False
        self._stopped = False
        self._cursor_saved: int | None = None
        self._network_online: bool | None = None
        self._wakeup = QTimer(self)
        self._wakeup.setSingleShot(True)
        # A coarse timer may fire up to 5 % early; the engine must never see its wakeup early.
        self._wakeup.setTimerType(Qt.TimerType.PreciseTimer)
        self._wakeup_at: datetime | None = None
        self._wakeup.timeout.connect(self._on_wakeup)
        self._cache_timer = QTimer(self)
        self._cache_timer.setSingleShot(True)
        self._cache_timer.setInterval(CACHE_SAVE_DELAY_MS)
        self._cache_timer.timeout.connect(self.save_cache)

    # --- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start syncing: resume the persisted outbox and show the cached state at once."""
        with gc_paused():
            self._start()

    def _start(self) -> None:
        started = Started(self._clock())
        if self.store is not None:
            outbox = tuple(self.store.load_outbox())
            catalog_outbox = tuple(self.store.load_catalog_outbox())
            catalog = self.store.load_catalog()
            self._catalog_saved = catalog
            cache = self.store.load_cache()
            if cache is not None:
                self._cursor_saved = cache.cursor
            started = Started(
                self._clock(),
                outbox,
                tuple(cache.bookings) if cache is not None else (),
                cache.cursor if cache is not None else None,
                synced_at=cache.saved_at if cache is not None else None,
                catalog_outbox=catalog_outbox,
                catalog=catalog,
            )
        self.signed_in.emit(self.user)
        self.feed(started)

    async def stop(self) -> None:
        """Stop syncing: close the socket, abandon requests in flight, keep the outbox on disk."""
        self._stopped = True
        self._wakeup.stop()
        self._cache_timer.stop()
        await self._socket.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.save_cache()

    # --- what the window asks for ---------------------------------------------------------------

    def visible(self) -> Mapping[str, VisibleBooking]:
        """The rows as shown, read-only (the controller's copy, kept from `RowsChanged`)."""
        return MappingProxyType(self._rows)

    def snapshot(self) -> Snapshot:
        """The engine's state as values, for the diagnostics window."""
        return self.engine.snapshot()

    @property
    def status(self) -> SyncStatus:
        return self.engine.status

    @property
    def server_url(self) -> str:
        """The server this session talks to (its base URL), for the diagnostics window."""
        return self.api.base_url

    @property
    def socket_open(self) -> bool:
        """Whether the live event stream is connected (else the engine polls)."""
        return self._socket.is_open

    def request_transition(
        self, booking_id: str, action: Action, reason: str | None = None
    ) -> None:
        self._intend(Transition(booking_id, action, reason))

    def request_reschedule(self, booking_id: str, patch: BookingPatch) -> None:
        self._intend(Reschedule(booking_id, patch))

    def request_create(self, body: BookingCreate) -> None:
        """Create a booking; its row is named by a client id until the server assigns one
        (`booking_id_assigned`)."""
        self._intend(Create(f"{LOCAL_PREFIX}{uuid.uuid4()}", body))

    def catalog(self) -> CatalogView:
        """The master's catalog as shown (pending edits applied); for a customer an empty view
        that never loads."""
        return self._catalog

    def request_service_create(self, body: ServiceCreate) -> None:
        """Add a service: shown at once under a client id until the server gives it one."""
        self._intend_catalog(ServiceAdd(f"{LOCAL_PREFIX}{uuid.uuid4()}", body))

    def request_service_patch(self, service_id: str, patch: ServicePatch) -> None:
        """Change a service (`{"active": false}` archives it)."""
        self._intend_catalog(ServiceEdit(service_id, patch))

    def request_schedule(self, update: ScheduleUpdate) -> None:
        """Replace the weekly working hours and booking rules."""
        self._intend_catalog(ScheduleSet(update))

    def request_time_off_add(self, body: TimeOffCreate) -> None:
        self._intend_catalog(TimeOffAdd(f"{LOCAL_PREFIX}{uuid.uuid4()}", body))

    def request_time_off_delete(self, time_off_id: str) -> None:
        self._intend_catalog(TimeOffRemove(time_off_id))

    def watch_availability(self, master_id: str | None) -> None:
        """Ask the server for `availability:updated` of this master (None: stop), now and after
        every reconnect: `availability_changed(master_id)` then says their slots may have
        changed. A master always hears of their own."""
        self.feed(WatchingAvailability(master_id, self._clock()))

    def _intend_catalog(self, intent: CatalogIntent) -> None:
        self.feed(CatalogIntentMade(intent, self._clock()))

    def load_history(self, booking_id: str) -> None:
        """Fetch a booking's history from the server's event log: `history_loaded` when it
        answers. The copy kept from the last fetch is told at once, so it shows offline too.
        A plain read beside the sync engine, like the user list: nothing to retry or order."""
        if self.store is not None:
            kept = self.store.load_history(booking_id)
            if kept is not None:
                self.history_loaded.emit(booking_id, kept)
        if (
            self._stopped
            or booking_id.startswith(LOCAL_PREFIX)
            or booking_id in self._history_asked
        ):
            return  # a booking not yet created has no history on the server
        self._history_asked.add(booking_id)
        self._spawn(self._fetch_history(booking_id))

    async def _fetch_history(self, booking_id: str) -> None:
        try:
            history = await self.api.booking_history(booking_id)
        except NetError as exc:  # offline, or the server cannot answer: the kept copy stays
            log.info("could not fetch the history of %s: %s", booking_id, exc)
            return
        finally:
            self._history_asked.discard(booking_id)
        if history is None or self._stopped:
            return
        if self.store is not None:
            self.store.save_history(booking_id, history)
        self.history_loaded.emit(booking_id, history)

    def set_viewing(self, booking_id: str | None) -> None:
        """Tell the other party (presence) which booking is on screen, now and after every
        reconnect; best effort."""
        self.feed(ViewingChanged(booking_id, self._clock()))

    def sync_now(self) -> None:
        """The user asked to sync (F5): treat it like the network coming back, retry at once."""
        self.feed(NetworkChanged(True, self._clock()))

    def network_changed(self, online: bool) -> None:
        """A reachability hint from QNetworkInformation or the health probe.

        The engine treats "online" as "try everything now and fetch what changed" (like Sync
        now). The hint's first "online" only confirms what the engine assumes at start, so only
        a return after "offline" is passed on: no needless fetch next to the first load."""
        previous, self._network_online = self._network_online, online
        if online and previous is not False:
            return
        self.feed(NetworkChanged(online, self._clock()))

    def _intend(self, intent: Transition | Reschedule | Create) -> None:
        self.feed(IntentMade(intent, self._clock()))

    # --- the engine loop ------------------------------------------------------------------------

    def feed(self, event: Input) -> None:
        """Hand one input to the engine and perform its commands. Inputs that arrive while
        commands are being performed (a signal handler acting at once) wait their turn."""
        if self._stopped:
            return
        self._inbox.append(event)
        if self._feeding:
            return
        self._feeding = True
        try:
            with gc_paused():  # a full load's reply builds 100k bookings and rows at once
                while self._inbox:
                    for command in self.engine.handle(self._inbox.popleft()):
                        self._perform(command)
        finally:
            self._feeding = False

    def _perform(self, command: Command) -> None:
        match command:
            case SendRequest():
                self._spawn(self._send(command))
            case OpenSocket(since=since):
                self._open_socket(since)
            case CloseSocket():
                self._spawn(self._socket.close())
            case ScheduleWakeup(at=at):
                self._wakeup_at = at
                self._arm_wakeup(at)
            case RowsChanged(removed=removed, rows=rows):
                self._rows.update(rows)
                for booking_id in removed:
                    del self._rows[booking_id]
                self.rows_changed.emit(command)
                self._cache_changed()
            case RemoteChange():
                self.remote_changed.emit(command)
            case AnnounceViewing(booking_id=booking_id):
                if self._socket.is_open:
                    self._spawn(self._send_viewing(booking_id))
            case AnnounceWatch(master_id=master_id):
                if self._socket.is_open:
                    self._spawn(self._send_watch(master_id))
            case AvailabilityChanged(master_id=master_id):
                self.availability_changed.emit(master_id)
            case CatalogChanged(view=view):
                self._catalog = view
                self.catalog_changed.emit(view)
                self._save_catalog()
            case CatalogOutboxChanged(entries=entries):
                if self.store is not None:
                    self.store.save_catalog_outbox(entries)
            case ShowRollback(rollback=rollback):
                self.change_rolled_back.emit(rollback)
            case ShowCatalogRollback(rollback=catalog_rollback):
                self.change_rolled_back.emit(catalog_rollback)
            case SyncStatusChanged(status=status):
                self.sync_status_changed.emit(status)
            case PresenceChanged(booking_id=booking_id, viewers=viewers):
                self.presence_changed.emit(booking_id, viewers)
            case OutboxChanged(entries=entries):
                if self.store is not None:
                    self.store.save_outbox(entries)
            case BookingIdAssigned(client_id=client_id, booking_id=booking_id):
                self.booking_id_assigned.emit(client_id, booking_id)
            case SignInRequired(reason=reason):
                log.warning("the server wants a new sign-in: %s", reason)
                self.sign_in_required.emit(reason)

    def _arm_wakeup(self, at: datetime) -> None:
        delay_ms = (at - self._clock()) / timedelta(milliseconds=1)
        self._wakeup.start(max(0, math.ceil(delay_ms)))

    def _on_wakeup(self) -> None:
        # The engine announces each wakeup once: fed early, it would find nothing due and not
        # ask again, and the timer would never be re-armed. So wait out the rest here.
        at = self._wakeup_at
        if at is not None and self._clock() < at:
            self._arm_wakeup(at)
            return
        self.feed(TimerFired(self._clock()))

    # --- IO -------------------------------------------------------------------------------------

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("sync task failed", exc_info=task.exception())

    async def _send(self, request: SendRequest) -> None:
        try:
            reply = await self.api.perform(
                request.method, request.path, request.json, request.headers, raw=request.listing
            )
        except NetError as exc:
            log.info("%s %s failed: %s", request.method, request.path, exc)
            self.feed(RequestFailed(request.request_id, str(exc), self._clock()))
            return
        # A listing's bytes go to the engine as they came (it reads them, under the GC pause).
        body = reply.content if request.listing and reply.body is None else reply.body
        self.feed(
            ReplyReceived(request.request_id, reply.status, reply.headers, body, self._clock())
        )

    def _open_socket(self, since: int | None) -> None:
        token = self.api.token
        if token is None or self._socket.is_running:
            return
        self._socket.connect(self._ws_url, token, since)

    async def _send_viewing(self, booking_id: str | None) -> None:
        try:
            await self._socket.send_viewing(booking_id)
        except NetError as exc:
            log.info("could not tell the server what is viewed: %s", exc)

    async def _send_watch(self, master_id: str | None) -> None:
        try:
            await self._socket.send_watch(master_id)
        except NetError as exc:
            log.info("could not ask the server for availability updates: %s", exc)

    def _on_socket_open(self) -> None:
        self.feed(SocketOpened(self._clock()))

    def _on_socket_message(self, message: ServerMessage) -> None:
        self.feed(EventReceived(message, self._clock()))

    def _on_socket_close(self, code: int | None, reason: str) -> None:
        self.feed(SocketClosed(self._clock(), code, reason))

    # --- cached state (offline-first start) -----------------------------------------------------

    def _cache_changed(self) -> None:
        if self.store is not None and self.engine.cursor != self._cursor_saved:
            self._cache_timer.start()

    def _save_catalog(self) -> None:
        """Keep the confirmed catalog (small: written as it changes) for an offline start."""
        confirmed = self.engine.confirmed_catalog
        if self.store is None or confirmed is None or confirmed == self._catalog_saved:
            return
        self.store.save_catalog(confirmed, self._clock())
        self._catalog_saved = confirmed

    def save_cache(self) -> None:
        """Write the confirmed server state and cursor to the local store (one transaction):
        only the bookings that changed since the cache was read or last written."""
        cursor = self.engine.cursor
        if self.store is None or cursor is None or cursor == self._cursor_saved:
            return
        self.store.write_cache(self.engine.server, cursor, self._clock())
        self._cursor_saved = cursor
