"""The local store: the outbox and the last confirmed server state, one SQLite file per server
and user in the user data folder, so the app opens offline with what it last knew."""

from desktop_app.store.errors import StoreError
from desktop_app.store.local import CachedState, LocalStore, default_folder

__all__ = ["CachedState", "LocalStore", "StoreError", "default_folder"]
