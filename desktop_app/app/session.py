"""One signed-in user's running app: engine, controller, window, local store and reachability.

`open_session` signs in with a password; `resume_session` opens with a remembered token without
asking the server first, so the app starts offline with the cached bookings and catches up by
delta once the server answers. Both remember the sign-in (token, user, names) for the next start.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Required, TypedDict, Unpack

from PySide6.QtCore import QSettings

from booking_core import Clock, UserPublic, utc_now
from desktop_app.controller import SyncController
from desktop_app.directory import Directory
from desktop_app.net.api import ApiClient
from desktop_app.net.errors import NetError
from desktop_app.net.reachability import Reachability
from desktop_app.settings import Settings, built_in_settings
from desktop_app.store.credentials import CredentialStore, StoredSession
from desktop_app.store.local import LocalStore
from desktop_app.sync import SyncConfig, SyncEngine, SyncState, SyncStatus
from desktop_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

USERS_PATH = "/api/v1/users"


@dataclass
class Session:
    """Close it to stop syncing and free everything; the outbox and cache stay on disk."""

    api: ApiClient
    user: UserPublic
    controller: SyncController
    window: MainWindow
    store: LocalStore
    reachability: Reachability | None = None
    credentials: CredentialStore | None = None
    closing: bool = False

    async def close(self) -> None:
        self.closing = True
        if self.reachability is not None:
            self.reachability.stop()
        if self.window.directory is not None:
            await self.window.directory.aclose()
        await self.controller.stop()
        self.window.close()
        # Qt deletes them at a safe point of its event loop, not Python's garbage collector at an
        # arbitrary one (a widget freed in the middle of Qt's event handling can crash the app).
        self.window.deleteLater()
        self.controller.deleteLater()
        self.store.close()
        await self.api.aclose()

    async def sign_out(self) -> None:
        """Revoke the token, forget this user's outbox, cache and remembered sign-in, close."""
        try:
            await self.api.logout()
        except NetError as exc:  # offline: the token still dies when it expires
            log.info("could not revoke the token on the server: %s", exc)
        if self.credentials is not None:
            self.credentials.forget(self.api.base_url)
        await self.close()
        self.store.delete()


class SessionOptions(TypedDict, total=False):
    """How `open_session` and `resume_session` build a session (defaults: `_build`'s)."""

    data_dir: Required[Path]
    config: SyncConfig | None
    clock: Clock
    watch_network: bool
    settings: Settings | None
    credentials: CredentialStore | None
    layout: QSettings | None
    store_url: str | None


async def open_session(
    api: ApiClient, password: str, username: str, **options: Unpack[SessionOptions]
) -> Session:
    """Sign in on `api`, then build engine, controller and window and start syncing.

    `store_url` keys the local store when the server's URL is not stable (the embedded server
    gets a new port each start). `settings` gives the sync timing, socket URL and heartbeat, and
    the reachability probe's period (`config`, when given, wins for the engine); the request
    timeouts are the `api`'s.
    Raises `AuthError` when the server refuses the credentials, `NetError` when it cannot be
    reached; nothing is left running then.
    """
    login = await api.login(username, password)
    names = await fetch_display_names(api)
    remembered = StoredSession(api.base_url, login.user, login.token, names)
    credentials = options.get("credentials")
    if credentials is not None:
        credentials.save(remembered)
    return _build(api, remembered, **options)


def resume_session(
    api: ApiClient, remembered: StoredSession, **options: Unpack[SessionOptions]
) -> Session:
    """Open with a remembered token, showing the cached state at once, online or not.

    A token the server no longer accepts surfaces later as `controller.sign_in_required`."""
    api.token = remembered.token
    return _build(api, remembered, **options)


def _build(
    api: ApiClient,
    remembered: StoredSession,
    *,
    data_dir: Path,
    config: SyncConfig | None = None,
    clock: Clock = utc_now,
    watch_network: bool = True,
    settings: Settings | None = None,
    credentials: CredentialStore | None = None,
    layout: QSettings | None = None,
    store_url: str | None = None,
) -> Session:
    # Without settings: the built-in defaults, never the environment or the user's settings file.
    settings = settings or built_in_settings()
    user = remembered.user
    # The store is keyed on the server (`store_url`, by default its URL) and the user, so a cache
    # of another server or user is never shown.
    store = LocalStore.open(data_dir / "stores", store_url or api.base_url, user.id)
    engine = SyncEngine(user, config or settings.sync_config())
    controller = SyncController(
        api,
        user,
        engine,
        store,
        clock=clock,
        socket_settings=settings.socket_settings(),
        socket_url=settings.socket_url,
    )
    # `layout`: where the window remembers its geometry and splitters (the app's QSettings).
    # The availability reads (customer search, masters, services, free slots) beside the engine.
    directory = Directory(api, parent=controller)
    window = MainWindow(
        controller,
        user,
        display_names=dict(remembered.names),
        settings=layout,
        directory=directory,
    )
    reachability = None
    if watch_network:
        reachability = Reachability(
            api.base_url.rstrip("/") + "/healthz",
            probe_interval_ms=settings.health_check_ms,
            ca_file=settings.ca_file,
            parent=controller,
        )
        reachability.online_changed.connect(controller.network_changed)
    controller.start()
    if reachability is not None:
        reachability.start()
    return Session(api, user, controller, window, store, reachability, credentials)


async def fetch_display_names(api: ApiClient) -> dict[str, str]:
    """Names to show instead of user ids; an older server without /users just shows ids."""
    try:
        reply = await api.perform("GET", USERS_PATH)
    except NetError:
        return {}
    if reply.status != 200 or not isinstance(reply.body, dict):
        return {}
    users = reply.body.get("users", [])
    return {u["id"]: u["display_name"] for u in users if isinstance(u, dict) and "id" in u}


async def wait_for_sync(controller: SyncController) -> None:
    """Return once the controller reports a completed sync with the server."""
    done = asyncio.Event()

    def check(status: SyncStatus) -> None:
        if status.state is SyncState.SYNCHRONIZED and status.last_synced_at is not None:
            done.set()

    controller.sync_status_changed.connect(check)
    check(controller.status)
    try:
        await done.wait()
    finally:
        controller.sync_status_changed.disconnect(check)
