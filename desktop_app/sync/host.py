"""What the engine's parts (`Sender`, `Fetcher`, `Stream`) need of the engine that holds them.

Each part owns its own state; through this protocol it reads layer 1 and the queue, reaches the
other parts, and writes commands. A protocol, not the engine's class, so each part shows what it
touches.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from booking_core import UserPublic
from desktop_app.sync.commands import Command
from desktop_app.sync.config import SyncConfig
from desktop_app.sync.intents import Intent
from desktop_app.sync.link import Link
from desktop_app.sync.mutations import MutationQueue
from desktop_app.sync.server_state import ServerState
from desktop_app.sync.status import SyncCounters

if TYPE_CHECKING:
    from desktop_app.sync.catalog_sync import CatalogSync
    from desktop_app.sync.fetcher import Fetcher


class Host(Protocol):
    user: UserPublic
    config: SyncConfig
    state: ServerState
    queue: MutationQueue
    link: Link
    fetcher: Fetcher
    catalog_sync: CatalogSync
    rng: random.Random
    new_id: Callable[[], str]
    out: list[Command]
    last_contact: datetime | None
    last_synced_at: datetime | None
    counters: SyncCounters

    @property
    def now(self) -> datetime: ...
    def count(self, **increments: int) -> None: ...
    def report(self, booking_id: str, intent: Intent, code: str) -> None: ...
    def rename(self, client_id: str, booking_id: str) -> None: ...
    def sign_out(self, reason: str) -> None: ...
    def contact(self) -> None: ...
    def reachable_since(self, sent_at: datetime) -> bool: ...
    def poll_interval(self) -> timedelta: ...
