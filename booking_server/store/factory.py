"""Choose the store backend from a database URL."""

from __future__ import annotations

from pathlib import Path

from booking_server.errors import ConfigurationError
from booking_server.store.base import OnCommit, Store
from booking_server.store.sqlite import SqliteStore

_SQLITE = "sqlite:///"


def sqlite_path(url: str) -> Path:
    """`sqlite:///relative/path` or `sqlite:////absolute/path`, as SQLAlchemy spells them."""
    rest = url.removeprefix(_SQLITE)
    if not rest or rest.startswith(":memory:"):
        raise ConfigurationError("the SQLite store needs a file: sqlite:///PATH")
    return Path(rest)


def open_store(url: str, on_commit: OnCommit) -> Store:
    if url.startswith(_SQLITE):
        return SqliteStore(sqlite_path(url), on_commit)
    if url.startswith(("postgresql://", "postgres://")):
        raise ConfigurationError("PostgreSQL is not supported yet: use sqlite:///PATH")
    raise ConfigurationError(f"unsupported database URL (use sqlite:///PATH): {url.split(':')[0]}:")
